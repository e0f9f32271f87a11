// Addressed random numbers (core/rng.hpp): every draw is a pure function of its
// address, and the derived sequences and distributions have the moments they claim.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <vector>

#include "core/rng.hpp"

using ripple::core::Draw4;
using ripple::core::LocalDraws;
using ripple::core::Rng;
using ripple::core::Stream;

namespace {

bool same(const Draw4& a, const Draw4& b) {
  return a.w[0] == b.w[0] && a.w[1] == b.w[1] && a.w[2] == b.w[2] && a.w[3] == b.w[3];
}

// Two draws differ if no word of one equals the same word of the other (a stronger
// check than "not all equal": a changed address must change every word).
bool all_words_differ(const Draw4& a, const Draw4& b) {
  return a.w[0] != b.w[0] && a.w[1] != b.w[1] && a.w[2] != b.w[2] && a.w[3] != b.w[3];
}

struct Moments {
  double mean = 0.0, sd = 0.0;
};
template <class Fn>
Moments moments(int n, Fn&& next) {
  double sum = 0.0, sum2 = 0.0;
  for (int k = 0; k < n; ++k) {
    const double x = next();
    sum += x;
    sum2 += x * x;
  }
  Moments m;
  m.mean = sum / n;
  m.sd = std::sqrt(sum2 / n - m.mean * m.mean);
  return m;
}

}  // namespace

TEST_CASE("the same address gives the same draw, from any generator with that seed", "[core]") {
  const Rng a(42), b(42);
  for (std::uint32_t subject : {0u, 1u, 4096u, 0xFFFFFFFEu}) {
    const Draw4 x = a.draw(Stream::Symptoms, subject, 17, 3);
    CHECK(same(x, a.draw(Stream::Symptoms, subject, 17, 3)));
    CHECK(same(x, b.draw(Stream::Symptoms, subject, 17, 3)));
  }
  CHECK(a.seed() == 42);
}

TEST_CASE("changing any part of the address changes every word of the draw", "[core]") {
  const Rng rng(7);
  const Draw4 base = rng.draw(Stream::LifeEvents, 100, 20, 0);
  CHECK(all_words_differ(base, Rng(8).draw(Stream::LifeEvents, 100, 20, 0)));  // seed
  CHECK(all_words_differ(
      base, Rng(7ull | (1ull << 32)).draw(Stream::LifeEvents, 100, 20, 0)));  // high seed bits
  CHECK(all_words_differ(base, rng.draw(Stream::Symptoms, 100, 20, 0)));      // stream
  CHECK(all_words_differ(base, rng.draw(Stream::LifeEvents, 101, 20, 0)));    // subject
  CHECK(all_words_differ(base, rng.draw(Stream::LifeEvents, 100, 21, 0)));    // week
  CHECK(all_words_differ(base, rng.draw(Stream::LifeEvents, 100, 20, 1)));    // index
  // The negative weeks of the burn-in wrap to large unsigned weeks: still distinct.
  CHECK(all_words_differ(base,
                         rng.draw(Stream::LifeEvents, 100, static_cast<std::uint32_t>(-20), 0)));
}

TEST_CASE("a pair draw is the same whichever of the two asks, and differs between pairs",
          "[core]") {
  const Rng rng(3);
  CHECK(same(rng.pair_draw(Stream::PairEvents, 5, 9, 12),
             rng.pair_draw(Stream::PairEvents, 9, 5, 12)));
  CHECK(same(rng.pair_draw(Stream::PairEvents, 0, 77, 0),
             rng.pair_draw(Stream::PairEvents, 77, 0, 0)));
  CHECK(all_words_differ(rng.pair_draw(Stream::PairEvents, 5, 9, 12),
                         rng.pair_draw(Stream::PairEvents, 5, 10, 12)));
  CHECK(all_words_differ(rng.pair_draw(Stream::PairEvents, 5, 9, 12),
                         rng.pair_draw(Stream::PairEvents, 5, 9, 13)));
}

TEST_CASE("a local sequence is reproducible from its address and differs between addresses",
          "[core]") {
  const Rng rng(11);
  LocalDraws a = rng.local(Stream::Belonging, 3, 8);
  LocalDraws b = rng.local(Stream::Belonging, 3, 8);
  LocalDraws other = rng.local(Stream::Belonging, 4, 8);
  LocalDraws other_stream = rng.local(Stream::Helping, 3, 8);
  LocalDraws other_week = rng.local(Stream::Belonging, 3, 9);
  std::vector<std::uint64_t> seen;
  int equal_to_other = 0;
  for (int k = 0; k < 1000; ++k) {
    const std::uint64_t x = a.next();
    REQUIRE(x == b.next());
    equal_to_other += x == other.next();
    seen.push_back(x);
  }
  CHECK(equal_to_other == 0);
  // Another stream or week of the same subject shares no number with this one.
  std::sort(seen.begin(), seen.end());
  int shared = 0;
  for (int k = 0; k < 1000; ++k) {
    shared += std::binary_search(seen.begin(), seen.end(), other_stream.next());
    shared += std::binary_search(seen.begin(), seen.end(), other_week.next());
  }
  CHECK(shared == 0);
}

TEST_CASE("a local number taken by its place equals the one the sequence gives there", "[core]") {
  const Rng rng(13);
  for (std::uint32_t subject = 0; subject < 50; ++subject) {
    const LocalDraws fresh = rng.local(Stream::LifeEvents, subject, 4);
    LocalDraws walked = fresh;
    for (std::uint32_t n = 0; n < 40; ++n) REQUIRE(fresh.at(n) == walked.next());
    // A mixed order: a normal, three uniforms, a raw word, three uniforms. Each
    // uniform() uses one half of an output (low half first) and the other half waits
    // for the next uniform(), even across a raw word; a normal or a raw word takes a
    // whole output of its own.
    LocalDraws u = fresh;
    REQUIRE(u.normal() == LocalDraws::normal_of(fresh.at(0)));
    REQUIRE(u.uniform() == LocalDraws::low_uniform(fresh.at(1)));
    REQUIRE(u.uniform() == LocalDraws::high_uniform(fresh.at(1)));
    REQUIRE(u.uniform() == LocalDraws::low_uniform(fresh.at(2)));
    REQUIRE(u.next() == fresh.at(3));
    REQUIRE(u.uniform() == fresh.uniform_at(2, 1));
    REQUIRE(u.uniform() == fresh.uniform_at(4, 0));
    REQUIRE(u.uniform() == fresh.uniform_at(4, 1));
  }
  // The two halves are different numbers.
  const LocalDraws d = rng.local(Stream::Symptoms, 1, 1);
  CHECK(LocalDraws::low_uniform(d.at(0)) != LocalDraws::high_uniform(d.at(0)));
}

TEST_CASE("local uniforms lie from 0 up to but not including 1, with mean 1/2 and variance 1/12",
          "[core]") {
  LocalDraws u = Rng(5).local(Stream::Helping, 0, 0);
  double lo = 1.0, hi = 0.0;
  const Moments m = moments(100000, [&] {
    const double x = u.uniform();
    lo = std::min(lo, x);
    hi = std::max(hi, x);
    return x;
  });
  CHECK(lo >= 0.0);
  CHECK(hi < 1.0);
  CHECK(lo < 0.001);
  CHECK(hi > 0.999);
  // Standard error of the mean is 0.29 / sqrt(1e5) = 0.0009.
  CHECK(m.mean == Approx(0.5).margin(0.005));
  CHECK(m.sd == Approx(std::sqrt(1.0 / 12.0)).margin(0.005));
}

TEST_CASE("Draw4 uniforms lie from 0 up to 1 and uniform_open above 0 up to 1 inclusive",
          "[core]") {
  const Rng rng(9);
  double sum = 0.0;
  int n = 0;
  for (std::uint32_t s = 0; s < 25000; ++s) {
    const Draw4 d = rng.draw(Stream::Init, s, 0);
    for (int k = 0; k < 4; ++k) {
      REQUIRE(d.uniform(k) >= 0.0);
      REQUIRE(d.uniform(k) < 1.0);
      REQUIRE(d.uniform_open(k) > 0.0);
      REQUIRE(d.uniform_open(k) <= 1.0);
      sum += d.uniform(k);
      ++n;
    }
  }
  CHECK(sum / n == Approx(0.5).margin(0.005));
}

TEST_CASE("local normals have mean 0 and standard deviation 1", "[core]") {
  LocalDraws u = Rng(6).local(Stream::Symptoms, 12, 3);
  double extreme = 0.0;
  const Moments m = moments(100000, [&] {
    const double x = u.normal();
    extreme = std::max(extreme, std::abs(x));
    return x;
  });
  CHECK(m.mean == Approx(0.0).margin(0.02));
  CHECK(m.sd == Approx(1.0).margin(0.02));
  CHECK(extreme <= 2.0 * std::sqrt(3.0) + 1e-12);  // the Irwin-Hall sum of four is bounded
  CHECK(extreme > 2.5);                            // but does reach the tails
}

TEST_CASE("the Box-Muller normal has mean 0 and standard deviation 1", "[core]") {
  const Rng rng(13);
  std::uint32_t s = 0;
  const Moments m = moments(100000, [&] {
    const Draw4 d = rng.draw(Stream::Init, s++, 1);
    return ripple::core::normal(d.uniform_open(0), d.uniform(1));
  });
  CHECK(m.mean == Approx(0.0).margin(0.02));
  CHECK(m.sd == Approx(1.0).margin(0.02));
}

TEST_CASE("a weekly hazard compounded over 52 weeks gives back the yearly probability", "[core]") {
  using ripple::core::weekly_from_yearly;
  for (double p : {0.5, 0.01, 0.3, 0.99}) {
    const double h = weekly_from_yearly(p);
    CHECK(1.0 - std::pow(1.0 - h, 52.0) == Approx(p).epsilon(1e-12));
  }
  CHECK(weekly_from_yearly(0.5) == Approx(0.013241).margin(1e-6));
  CHECK(weekly_from_yearly(0.0) == 0.0);
  CHECK(weekly_from_yearly(1.0) == 1.0);
  CHECK(weekly_from_yearly(2.0) == 1.0);
}

TEST_CASE("poisson by inversion has the requested mean and variance", "[core]") {
  using ripple::core::poisson;
  CHECK(poisson(0.0, 0.999) == 0);
  CHECK(poisson(1.0, 0.0) == 0);
  for (double mean : {0.5, 2.5, 8.0}) {
    LocalDraws u = Rng(21).local(Stream::InitNetwork, static_cast<std::uint32_t>(mean * 10), 0);
    const Moments m = moments(100000, [&] { return poisson(mean, u.uniform()); });
    // Standard error of the mean: sqrt(mean / 1e5) <= 0.009.
    CHECK(m.mean == Approx(mean).margin(0.04));
    CHECK(m.sd * m.sd == Approx(mean).epsilon(0.03));
  }
}

TEST_CASE("the two uniforms cut from one 64-bit output are uncorrelated", "[core]") {
  // uniform() hands out both 32-bit halves of each output in turn; pairs of
  // consecutive numbers must still look independent.
  LocalDraws u = Rng(9).local(Stream::LifeEvents, 2, 7);
  const int n = 100000;
  double sum_xy = 0.0, sum_x = 0.0, sum_y = 0.0;
  for (int k = 0; k < n; ++k) {
    const double x = u.uniform(), y = u.uniform();
    sum_xy += x * y;
    sum_x += x;
    sum_y += y;
  }
  const double covariance = sum_xy / n - (sum_x / n) * (sum_y / n);
  // Correlation = covariance / (1/12); its standard error is about 1 / sqrt(n) = 0.003.
  CHECK(std::fabs(covariance * 12.0) < 0.015);
}
