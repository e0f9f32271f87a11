// Addressed random numbers: every draw is a pure function of (seed, stream,
// subject, week, draw), computed with Random123's Philox4x32-10. No generator
// state is carried between draws, so results do not depend on thread count or
// loop order. No standard-library distribution is used: their output differs
// between implementations.
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace ripple::core {

// Streams separate the draws of different processes; values are part of the
// reproducibility contract (changing one changes every run's output).
enum class Stream : std::uint32_t {
  Init = 1,
  InitNetwork,
  InitServices,
  LifeEvents,
  PairEvents,  // events shared by two persons (a break-up), keyed by the pair
  Stress,
  Symptoms,
  Medication,
  Belonging,
  Helping,
  Family,
  Services,
  Staff,
  Interventions,
  Output,
};

// Four independent uniform 32-bit words from one Philox call.
struct Draw4 {
  std::uint32_t w[4];

  // Uniform in [0, 1) from word i, with 32 bits of resolution (enough for weekly
  // hazards down to 1e-9; smaller rates are below what the model resolves).
  double uniform(int i) const { return static_cast<double>(w[i]) * 0x1p-32; }
  // Uniform in (0, 1], for logarithms.
  double uniform_open(int i) const { return (static_cast<double>(w[i]) + 1.0) * 0x1p-32; }
};

// A subject's week key as the SplitMix64 sequences of LocalDraws start from it: the
// state before any stream's offset, and the per-address tweak. The weekly loop makes
// one per person and week, so each process starts its stream with one addition.
struct WeekKey {
  std::uint64_t state, increment;
  static WeekKey of(const Draw4& d) {
    return {(static_cast<std::uint64_t>(d.w[0]) << 32) | d.w[1],
            ((static_cast<std::uint64_t>(d.w[2]) << 32) | d.w[3]) | 1u};
  }
};

// The draws of one (subject, week) and stream: one Philox call per subject and week
// seeds a SplitMix64 sequence, and each stream starts 2^40 steps further along it,
// so the streams never overlap for any realistic number of draws. A process that
// needs many numbers pays for a few arithmetic steps, not a Philox call each, and
// every number is still a pure function of its address (seed, subject, week, stream).
class LocalDraws {
 public:
  LocalDraws(const WeekKey& k, std::uint32_t stream)
      : state_(k.state + static_cast<std::uint64_t>(stream) * (kGamma << 40)),
        increment_(k.increment) {}
  LocalDraws(const Draw4& d, std::uint32_t stream) : LocalDraws(WeekKey::of(d), stream) {}

  std::uint64_t next() { return mix(state_ += kGamma, increment_); }
  // Uniform in [0, 1) with 32 bits, the same resolution as Draw4::uniform: ample for
  // weekly hazards (see there). Each 64-bit output gives two, low half first, which
  // halves the cost of the many numbers a process draws every week.
  double uniform() {
    if (spare_) {
      spare_ = false;
      return static_cast<double>(half_) * 0x1p-32;
    }
    const std::uint64_t x = next();
    half_ = static_cast<std::uint32_t>(x >> 32);
    spare_ = true;
    return low_uniform(x);
  }
  // An approximately standard normal: the Irwin-Hall sum of four uniforms, rescaled
  // (range +-3.46 sd). Cheaper than Box-Muller and ample for weekly noise.
  double normal() { return normal_of(next()); }

  // The normal() made from one 64-bit output: the sum of its four 16-bit quarters,
  // each read as a uniform in [0, 1). Summed as integers (the sum is exact either way).
  static double normal_of(std::uint64_t x) {
    const std::uint64_t quarters =
        (x & 0xFFFF) + ((x >> 16) & 0xFFFF) + ((x >> 32) & 0xFFFF) + (x >> 48);
    return (static_cast<double>(quarters) * 0x1p-16 - 2.0) * 1.7320508075688772;
  }
  // The two uniform() values made from one 64-bit output: the low half comes first.
  static double low_uniform(std::uint64_t x) {
    return static_cast<double>(static_cast<std::uint32_t>(x)) * 0x1p-32;
  }
  static double high_uniform(std::uint64_t x) {
    return static_cast<double>(static_cast<std::uint32_t>(x >> 32)) * 0x1p-32;
  }

  // The n-th output of next() (counting from 0) of a LocalDraws fresh from the
  // constructor, without computing the ones before it: the state only ever moves by
  // a constant, so output n is mix(start + (n + 1) * gamma). A process that needs
  // few of its numbers in most weeks takes those alone; every number keeps its place
  // in the sequence, and so its value (common random numbers). Valid only on an
  // object on which next(), uniform() and normal() have not been called.
  std::uint64_t at(std::uint32_t n) const {
    return mix(state_ + static_cast<std::uint64_t>(n + 1) * kGamma, increment_);
  }
  // The uniform() made from half `half` (0 low, 1 high) of output n, by place.
  double uniform_at(std::uint32_t n, std::uint32_t half) const {
    const std::uint64_t x = at(n);
    return half ? high_uniform(x) : low_uniform(x);
  }

 private:
  static constexpr std::uint64_t kGamma = 0x9E3779B97F4A7C15ull;
  static std::uint64_t mix(std::uint64_t z, std::uint64_t increment) {
    z ^= increment;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::uint64_t state_;
  std::uint64_t increment_;  // a per-address tweak mixed into every output
  std::uint32_t half_ = 0;   // the unused half of the last output, if spare_
  bool spare_ = false;
};

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : seed_(seed) {}

  // The draw for (stream, subject, week, index); `index` numbers several Philox
  // calls made by one subject in one week and stream.
  Draw4 draw(Stream stream, std::uint32_t subject, std::uint32_t week,
             std::uint32_t index = 0) const {
    using Philox = r123::Philox4x32;
    const Philox::key_type key = {
        {static_cast<std::uint32_t>(seed_),
         static_cast<std::uint32_t>(seed_ >> 32) ^ (static_cast<std::uint32_t>(stream) << 24)}};
    const Philox::ctr_type ctr = {{subject, week, index, static_cast<std::uint32_t>(stream)}};
    const Philox::ctr_type out = Philox()(ctr, key);
    return Draw4{{out[0], out[1], out[2], out[3]}};
  }

  // A draw shared by two subjects: both compute the same value, whichever asks.
  Draw4 pair_draw(Stream stream, std::uint32_t a, std::uint32_t b, std::uint32_t week) const {
    const std::uint32_t lo = a < b ? a : b;
    const std::uint32_t hi = a < b ? b : a;
    return draw(stream, lo, week, hi);
  }

  // The week's key of a subject, from which every stream's LocalDraws start.
  Draw4 week_key(std::uint32_t subject, std::uint32_t week) const {
    return draw(Stream::Init, subject, week, 0xFFFFFFFFu);
  }
  LocalDraws local(Stream stream, std::uint32_t subject, std::uint32_t week) const {
    return LocalDraws(week_key(subject, week), static_cast<std::uint32_t>(stream));
  }

  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
};

// A standard normal from two uniforms (Box-Muller), written out because
// std::normal_distribution is implementation-defined.
inline double normal(double u_open, double u) {
  return std::sqrt(-2.0 * std::log(u_open)) * std::cos(6.283185307179586 * u);
}

// Weekly hazard from a yearly probability, assuming a constant hazard.
inline double weekly_from_yearly(double p_year) {
  if (p_year >= 1.0) return 1.0;
  return 1.0 - std::pow(1.0 - p_year, 1.0 / 52.0);
}

// Poisson-distributed count by inversion; fine for the small means used here.
inline int poisson(double mean, double u) {
  double p = std::exp(-mean);
  double cumulative = p;
  int k = 0;
  while (u > cumulative && k < 1000) {
    ++k;
    p *= mean / k;
    cumulative += p;
  }
  return k;
}

}  // namespace ripple::core
