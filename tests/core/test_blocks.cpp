// Fixed blocks (core/blocks.hpp): the partition covers [0, n) exactly once and its
// boundaries depend only on n, never on the number of threads.
#include <oneapi/tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cstddef>
#include <tuple>
#include <vector>

#include "core/blocks.hpp"

using ripple::core::block_count;
using ripple::core::for_blocks;
using ripple::core::kBlockSize;

namespace {

struct Boundaries {
  std::vector<std::size_t> begin, end;
  std::vector<int> calls;  // how often each block index was visited
};

// Runs for_blocks over [0, n) with at most `threads` threads, counting visits per index.
Boundaries partition(std::size_t n, int threads, std::vector<int>& visits) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            static_cast<std::size_t>(threads));
  const std::size_t blocks = block_count(n);
  Boundaries out;
  out.begin.assign(blocks, 0);
  out.end.assign(blocks, 0);
  out.calls.assign(blocks, 0);
  visits.assign(n, 0);
  for_blocks(n, [&](std::size_t b, std::size_t begin, std::size_t end) {
    // Each block writes only its own slots, so no synchronisation is needed.
    out.begin[b] = begin;
    out.end[b] = end;
    ++out.calls[b];
    for (std::size_t i = begin; i < end; ++i) ++visits[i];
  });
  return out;
}

}  // namespace

TEST_CASE("for_blocks visits every index from 0 to n - 1 exactly once", "[core]") {
  const std::size_t n = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{4095},
                                 std::size_t{4096}, std::size_t{4097}, std::size_t{10000});
  CAPTURE(n);
  std::vector<int> visits;
  const Boundaries b = partition(n, 2, visits);
  CHECK(b.calls.size() == (n + kBlockSize - 1) / kBlockSize);
  for (int c : b.calls) CHECK(c == 1);
  std::size_t wrong = 0;
  for (int v : visits) wrong += v != 1;
  CHECK(wrong == 0);
  // Blocks are consecutive, full except the last, and end at n.
  for (std::size_t k = 0; k < b.begin.size(); ++k) {
    CHECK(b.begin[k] == k * kBlockSize);
    CHECK(b.end[k] == std::min(n, (k + 1) * kBlockSize));
  }
}

TEST_CASE("block counts follow n and the block size", "[core]") {
  CHECK(block_count(0) == 0);
  CHECK(block_count(1) == 1);
  CHECK(block_count(4095) == 1);
  CHECK(block_count(4096) == 1);
  CHECK(block_count(4097) == 2);
  CHECK(block_count(10000) == 3);
  CHECK(block_count(10, 3) == 4);
}

TEST_CASE("block boundaries do not depend on the number of threads", "[core]") {
  const std::size_t n = GENERATE(std::size_t{4097}, std::size_t{10000}, std::size_t{50000});
  CAPTURE(n);
  std::vector<int> visits1, visits2;
  const Boundaries one = partition(n, 1, visits1);
  const Boundaries two = partition(n, 2, visits2);
  CHECK(one.begin == two.begin);
  CHECK(one.end == two.end);
  CHECK(one.calls == two.calls);
  CHECK(visits1 == visits2);
}

TEST_CASE("a custom block size partitions the same way", "[core]") {
  std::vector<std::tuple<std::size_t, std::size_t, std::size_t>> seen(4);
  for_blocks(
      10,
      [&](std::size_t b, std::size_t begin, std::size_t end) {
        seen[b] = {b, begin, end};
      },
      3);
  CHECK(seen[0] == std::tuple<std::size_t, std::size_t, std::size_t>{0, 0, 3});
  CHECK(seen[1] == std::tuple<std::size_t, std::size_t, std::size_t>{1, 3, 6});
  CHECK(seen[2] == std::tuple<std::size_t, std::size_t, std::size_t>{2, 6, 9});
  CHECK(seen[3] == std::tuple<std::size_t, std::size_t, std::size_t>{3, 9, 10});
}
