// Fixed blocks for parallel loops. The partition of [0, n) into blocks depends
// only on n and the block size, never on the thread count, so per-block results
// (event buffers, partial sums) combined in block order are identical for any
// number of threads.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(RIPPLE_STD_THREADS)
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>
#else
#include <oneapi/tbb/parallel_for.h>
#endif

namespace ripple::core {

inline constexpr std::size_t kBlockSize = 4096;

inline std::size_t block_count(std::size_t n, std::size_t block = kBlockSize) {
  return (n + block - 1) / block;
}

// Calls fn(block_index, begin, end) for each block, in parallel.
template <class Fn>
void for_blocks(std::size_t n, Fn&& fn, std::size_t block = kBlockSize) {
  const std::size_t blocks = block_count(n, block);
  const auto run_block = [&](std::size_t b) {
    const std::size_t begin = b * block;
    const std::size_t end = begin + block < n ? begin + block : n;
    fn(b, begin, end);
  };
#if defined(RIPPLE_STD_THREADS)
  // ThreadSanitizer builds only: Debian's libtbb is not instrumented, so TSan cannot
  // see how oneTBB hands work between its threads and would report every capture as a
  // race. Plain threads taking blocks from one counter are visible to it, and the
  // same thread limit (tbb::global_control) applies.
  const std::size_t limit =
      tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism);
  const std::size_t threads = std::min(blocks, std::max<std::size_t>(1, limit));
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t b = next++; b < blocks; b = next++) run_block(b);
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& thread : pool) thread.join();
#else
  tbb::parallel_for(std::size_t{0}, blocks, run_block);
#endif
}

}  // namespace ripple::core
