#include "app/shard.hpp"

#include <charconv>
#include <stdexcept>

namespace vtrial {
namespace {

constexpr std::int64_t kMaxShards = 1000000;

bool parse_count(const std::string& text, std::int64_t& value) {
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return !text.empty() && ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const std::string accepted =
      "expected K/N with 1 <= K <= N <= 1000000 (e.g. --shard 2/8 runs the second of 8 shards)";
  const auto slash = text.find('/');
  Shard s;
  if (slash == std::string::npos || !parse_count(text.substr(0, slash), s.index) ||
      !parse_count(text.substr(slash + 1), s.count))
    throw std::invalid_argument("--shard " + text + ": " + accepted);
  if (s.count < 1 || s.count > kMaxShards || s.index < 1 || s.index > s.count)
    throw std::invalid_argument("--shard " + text + ": " + accepted);
  return s;
}

TrialRange shard_range(const Shard& shard, std::size_t trials) {
  // T <= 1e8 trials and N <= 1e6 shards: K T fits in 64 bits.
  const auto n = static_cast<std::uint64_t>(shard.count);
  if (static_cast<std::size_t>(shard.count) > trials)
    throw std::invalid_argument("--shard " + shard_text(shard) + ": " + std::to_string(shard.count) + " shards of " +
                                std::to_string(trials) + " trials would leave some empty; at most " +
                                std::to_string(trials) + " shards");
  const auto t = static_cast<std::uint64_t>(trials);
  const auto k = static_cast<std::uint64_t>(shard.index);
  return {static_cast<std::size_t>((k - 1) * t / n), static_cast<std::size_t>(k * t / n)};
}

std::string shard_text(const Shard& shard) { return std::to_string(shard.index) + "/" + std::to_string(shard.count); }

}  // namespace vtrial
