#pragma once
// Addressable random streams: every draw in a simulation comes from a stream named by
// (master seed, trial, patient slot, purpose), never from a shared generator. A stream's
// output therefore depends only on its key, not on which thread runs it or in what order,
// which is what makes results bit-identical for any thread count and gives common random
// numbers across arms and sample sizes (Salmon et al., SC'11, "as easy as 1, 2, 3").
#include <cstdint>
#include <limits>

namespace vtrial {

// SplitMix64 finalizer (Steele, Lea & Flood, OOPSLA 2014): a bijective 64-bit mixer with full
// avalanche, used to turn structured keys (small consecutive integers) into unrelated seeds.
constexpr std::uint64_t mix64(std::uint64_t z) noexcept {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

struct StreamKey {
  std::uint64_t seed = 0;
  std::uint64_t trial = 0;
  std::uint64_t patient = 0;
  std::uint64_t purpose = 0;
};

// xoshiro256++ (Blackman & Vigna 2019): 256-bit state, passes BigCrush, a few ns per draw.
// Satisfies UniformRandomBitGenerator, so Boost.Random distributions run on it unchanged.
class RandomStream {
 public:
  using result_type = std::uint64_t;

  explicit RandomStream(const StreamKey& key) noexcept { reseed(key); }

  // Each key field passes through the mixer in sequence, so (1,2) and (2,1) differ, and the
  // four state words are drawn from a SplitMix64 sequence started at the combined hash.
  void reseed(const StreamKey& key) noexcept {
    seed_from_patient_hash(patient_hash(key.seed, key.trial, key.patient), key.purpose);
  }

  // The hash of (seed, trial, patient): a patient with several purposes computes it once
  // (see PatientStreams) and gets exactly the streams reseed() would give.
  static constexpr std::uint64_t patient_hash(std::uint64_t seed, std::uint64_t trial, std::uint64_t patient) noexcept {
    return mix64(mix64(mix64(seed) ^ trial) ^ (patient + 0x632be59bd9b4e019ULL));
  }
  void seed_from_patient_hash(std::uint64_t patient_hash, std::uint64_t purpose) noexcept {
    std::uint64_t h = mix64(patient_hash ^ (purpose + 0x8cb92ba72f3d8dd7ULL));
    for (auto& word : s_) {
      h += 0x9e3779b97f4a7c15ULL;
      word = mix64(h);
    }
  }

  static constexpr result_type min() noexcept { return 0; }
  static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

  result_type operator()() noexcept {
    const std::uint64_t result = rotl(s_[0] + s_[3], 23) + s_[0];
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform on the open interval (0, 1): the top 53 bits plus half an ulp, so log(u) and
  // log(1-u) are always finite (inverse-CDF draws need that). When all 53 bits are ones the sum
  // rounds up to 1, so the result is capped at the largest double below 1 (every other value is
  // unchanged, keeping stored results reproducible).
  double uniform_open01() noexcept { return to_open01((*this)()); }
  static constexpr double to_open01(std::uint64_t bits) noexcept {
    const double u = (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
    return u < 1.0 ? u : 0x1.fffffffffffffp-1;
  }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

// The streams of one (seed, trial, patient), each purpose its own, hashing the shared part once.
class PatientStreams {
 public:
  PatientStreams(std::uint64_t seed, std::uint64_t trial, std::uint64_t patient) noexcept
      : hash_(RandomStream::patient_hash(seed, trial, patient)) {}
  RandomStream stream(std::uint64_t purpose) const noexcept {
    RandomStream s({});
    s.seed_from_patient_hash(hash_, purpose);
    return s;
  }

 private:
  std::uint64_t hash_;
};

}  // namespace vtrial
