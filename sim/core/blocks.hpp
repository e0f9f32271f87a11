// Fixed blocks for parallel loops. The partition of [0, n) into blocks depends
// only on n and the block size, never on the thread count, so per-block results
// (event buffers, partial sums) combined in block order are identical for any
// number of threads.
#pragma once

#include <oneapi/tbb/parallel_for.h>

#include <cstddef>
#include <cstdint>

namespace ripple::core {

inline constexpr std::size_t kBlockSize = 4096;

inline std::size_t block_count(std::size_t n, std::size_t block = kBlockSize) {
  return (n + block - 1) / block;
}

// Calls fn(block_index, begin, end) for each block, in parallel.
template <class Fn>
void for_blocks(std::size_t n, Fn&& fn, std::size_t block = kBlockSize) {
  const std::size_t blocks = block_count(n, block);
  tbb::parallel_for(std::size_t{0}, blocks, [&](std::size_t b) {
    const std::size_t begin = b * block;
    const std::size_t end = begin + block < n ? begin + block : n;
    fn(b, begin, end);
  });
}

}  // namespace ripple::core
