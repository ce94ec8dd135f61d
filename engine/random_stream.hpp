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
  // The stream of (patient_hash(seed, trial, patient), purpose): reseed() without the hashing
  // a caller already did.
  static RandomStream from_patient_hash(std::uint64_t patient_hash, std::uint64_t purpose) noexcept {
    return RandomStream(patient_hash, purpose);
  }

  // Each key field passes through the mixer in sequence, so (1,2) and (2,1) differ, and the
  // four state words are drawn from a SplitMix64 sequence started at the combined hash.
  void reseed(const StreamKey& key) noexcept {
    seed_from_patient_hash(patient_hash(key.seed, key.trial, key.patient), key.purpose);
  }

  // The hash of (seed, trial, patient): a patient with several purposes computes it once
  // (see RandomStream::from_patient_hash) and gets exactly the streams reseed() would give.
  static constexpr std::uint64_t patient_hash(std::uint64_t seed, std::uint64_t trial, std::uint64_t patient) noexcept {
    return patient_hash_in_trial(trial_hash(seed, trial), patient);
  }
  // The (seed, trial) prefix of patient_hash: a trial's many slots can share it.
  static constexpr std::uint64_t trial_hash(std::uint64_t seed, std::uint64_t trial) noexcept {
    return mix64(mix64(seed) ^ trial);
  }
  static constexpr std::uint64_t patient_hash_in_trial(std::uint64_t trial_hash, std::uint64_t patient) noexcept {
    return mix64(trial_hash ^ (patient + 0x632be59bd9b4e019ULL));
  }
  void seed_from_patient_hash(std::uint64_t patient_hash, std::uint64_t purpose) noexcept {
    const std::uint64_t h = purpose_hash(patient_hash, purpose);
    for (std::uint64_t k = 0; k < 4; ++k) s_[k] = state_word(h, k);
  }

  // Single draws by counter (as in Random123): the word of key (trial, index, purpose) is
  // output index + 1 of the SplitMix64 sequence started at trial_hash + purpose * 2^32 * gamma,
  // one mixing round. So a purpose's words over a trial's slots are consecutive outputs of one
  // SplitMix64 sequence (full period, BigCrush-clean), and purposes lie 2^32 outputs apart:
  // within a trial no two keys share a word's position as long as index < 2^32 (slots are at
  // most 100,000). Trials start at unrelated points of the same 2^64-long cycle, so two trials'
  // windows overlap (one's words reappearing in the other, shifted by a few slots) only if
  // their hashes lie within a few thousand increments: about 1e-4 expected such pairs in
  // 10^6 trials of 100 patients, the same order as chance 64-bit collisions between words.
  // For purposes that take one draw per slot; FirstDrawStream continues such a word into a
  // stream when a second is needed.
  static constexpr result_type counter_word(std::uint64_t trial_hash, std::uint64_t index,
                                            std::uint64_t purpose) noexcept {
    return mix64(trial_hash + ((purpose << 32) + index) * kGolden);
  }
  static constexpr std::uint64_t kGolden = 0x9e3779b97f4a7c15ULL;  // SplitMix64's increment

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
  friend class FirstDrawStream;
  // Unseeded (state left indeterminate): only a placeholder that is seeded before any draw.
  RandomStream() noexcept {}
  RandomStream(std::uint64_t patient_hash, std::uint64_t purpose) noexcept {
    seed_from_patient_hash(patient_hash, purpose);
  }
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  static constexpr std::uint64_t purpose_hash(std::uint64_t patient_hash, std::uint64_t purpose) noexcept {
    return mix64(patient_hash ^ (purpose + 0x8cb92ba72f3d8dd7ULL));
  }
  // Word k of the state: output k + 2 of the SplitMix64 sequence started at h (mix64 adds one
  // increment itself).
  static constexpr std::uint64_t state_word(std::uint64_t h, std::uint64_t k) noexcept {
    return mix64(h + (k + 1) * 0x9e3779b97f4a7c15ULL);
  }
  std::uint64_t s_[4];  // every public constructor seeds all four words
};

// A stream for purposes that usually take one draw and occasionally more (e.g. a ziggurat):
// its first word is a counter word (RandomStream::counter_word, one mixing round), and any
// further words are the outputs of the RandomStream keyed by (that word, purpose), whose state
// is built only if a second draw is asked for. The common case thus costs one mixing round
// instead of the five a full seeding and first draw cost.
class FirstDrawStream {
 public:
  using result_type = RandomStream::result_type;
  FirstDrawStream(std::uint64_t trial_hash, std::uint64_t index, std::uint64_t purpose) noexcept
      : first_(RandomStream::counter_word(trial_hash, index, purpose)), purpose_(purpose) {}
  static constexpr result_type min() noexcept { return RandomStream::min(); }
  static constexpr result_type max() noexcept { return RandomStream::max(); }
  result_type operator()() noexcept {
    if (!drawn_) [[likely]] {
      drawn_ = true;
      return first_;
    }
    return next_after_first();
  }

 private:
  [[gnu::noinline]] result_type next_after_first() noexcept {
    if (!built_) {
      full_ = RandomStream::from_patient_hash(first_, purpose_);
      built_ = true;
    }
    return full_();
  }

  result_type first_;
  std::uint64_t purpose_;
  bool drawn_ = false;  // the first word has been returned
  bool built_ = false;  // full_ is seeded
  RandomStream full_;   // placeholder until built_
};

}  // namespace vtrial
