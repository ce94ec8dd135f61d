// The typed getters of Settings: each checks its key's value (or takes the fallback) and
// records the resolved value.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <variant>

#include "engine/calendar_date.hpp"
#include "engine/settings.hpp"
#include "engine/settings_detail.hpp"

namespace vtrial {

using namespace settings_detail;

Range Range::at_least(double lo) { return {lo, std::numeric_limits<double>::infinity(), false, false}; }
Range Range::positive() { return {0.0, std::numeric_limits<double>::infinity(), true, false}; }
Range Range::probability() { return {0.0, 1.0, false, false}; }
Range Range::open_unit() { return {0.0, 1.0, true, true}; }

bool Range::contains(double x) const {
  if (std::isnan(x)) return false;
  const bool above = low_open ? x > low : x >= low;
  const bool below = high_open ? x < high : x <= high;
  return above && below && std::isfinite(x);
}

std::string Range::describe() const {
  if (std::isinf(high) && std::isinf(low)) return "a finite number";
  if (std::isinf(high)) return std::string("a number ") + (low_open ? "> " : ">= ") + format_number(low);
  return std::string("a number in ") + (low_open ? "(" : "[") + format_number(low) + ", " + format_number(high) +
         (high_open ? ")" : "]");
}

const char* kind_name(KeyDomain::Kind kind) {
  switch (kind) {
    case KeyDomain::Kind::real:
      return "real";
    case KeyDomain::Kind::integer:
      return "integer";
    case KeyDomain::Kind::real_list:
      return "real_list";
    case KeyDomain::Kind::boolean:
      return "boolean";
    case KeyDomain::Kind::choice:
      return "choice";
    case KeyDomain::Kind::text:
      return "text";
    case KeyDomain::Kind::text_list:
      return "text_list";
    case KeyDomain::Kind::date:
      return "date";
  }
  return "text";
}

namespace {
// "a list of numbers in (0, 1)", from the range's "a number in (0, 1)".
std::string list_of(const Range& range) {
  std::string one = range.describe();
  for (const char* article : {"a number", "a finite number"})
    if (one.rfind(article, 0) == 0)
      return "a list of " + std::string(article + 2) + "s" + one.substr(std::strlen(article));
  return "a list of " + one;
}

KeyDomain real_domain(KeyDomain::Kind kind, const Range& range) {
  KeyDomain d;
  d.kind = kind;
  d.range = range;
  d.describe = range.describe();
  return d;
}
KeyDomain named_domain(KeyDomain::Kind kind, std::vector<std::string> accepted, std::string describe) {
  KeyDomain d;
  d.kind = kind;
  d.accepted = std::move(accepted);
  d.describe = std::move(describe);
  return d;
}
}  // namespace

double Settings::real(const std::string& path, double fallback, const Range& range) {
  if (replay_) {
    if (const double* v = replayed(path)) {
      if (!range.contains(*v)) fail(path, "expected " + range.describe() + ", got " + format_number(*v));
      return *v;
    }
    return answered<double>(path, fallback);
  }
  domains_[path] = real_domain(KeyDomain::Kind::real, range);
  const YAML::Node node = find(path);
  double value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    bool ok = node.IsScalar();
    if (ok) {
      const std::string& s = node.Scalar();
      const char* end = s.data() + s.size();
      auto [ptr, ec] = std::from_chars(s.data(), end, value);
      ok = ec == std::errc() && ptr == end;
    }
    if (!ok) fail(path, "expected " + range.describe() + ", got " + node_kind(node));
  }
  if (!range.contains(value)) fail(path, "expected " + range.describe() + ", got " + format_number(value));
  record(path, exact_number(value));
  remember(path, value);
  return value;
}

std::optional<double> Settings::optional_real(const std::string& path, const Range& range) {
  if (replay_) {
    if (const double* v = replayed(path)) return real(path, *v, range);
    return answered<std::optional<double>>(path, std::nullopt);
  }
  if (has(path)) {
    const double value = real(path, 0, range);
    remember(path, std::optional<double>(value));
    return value;
  }
  domains_[path] = real_domain(KeyDomain::Kind::real, range);
  std::string prefix;
  for (const auto& part : split_path(path)) {
    prefix = prefix.empty() ? part : prefix + "." + part;
    read_.insert(prefix);
  }
  return std::nullopt;
}

std::int64_t Settings::integer(const std::string& path, std::int64_t fallback, std::int64_t low, std::int64_t high) {
  if (replay_) return answered<std::int64_t>(path, fallback);
  const YAML::Node node = find(path);
  std::int64_t value = fallback;
  const std::string accepted = "an integer from " + std::to_string(low) + " to " + std::to_string(high);
  KeyDomain& domain = domains_[path] = named_domain(KeyDomain::Kind::integer, {}, accepted);
  domain.integer_low = low;
  domain.integer_high = high;
  if (node.IsDefined() && !node.IsNull()) {
    bool ok = node.IsScalar();
    if (ok) {
      const std::string& s = node.Scalar();
      const char* end = s.data() + s.size();
      auto [ptr, ec] = std::from_chars(s.data(), end, value);
      ok = ec == std::errc() && ptr == end;
    }
    if (!ok) fail(path, "expected " + accepted + ", got " + node_kind(node));
  }
  if (value < low || value > high) fail(path, "expected " + accepted + ", got " + std::to_string(value));
  record(path, YAML::Node(value));
  remember(path, value);
  return value;
}

bool Settings::boolean(const std::string& path, bool fallback) {
  if (replay_) return answered<bool>(path, fallback);
  domains_[path] = named_domain(KeyDomain::Kind::boolean, {"true", "false"}, "true or false");
  const YAML::Node node = find(path);
  bool value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    const std::string s = node.IsScalar() ? node.Scalar() : "";
    if (s == "true")
      value = true;
    else if (s == "false")
      value = false;
    else
      fail(path, "expected true or false, got " + node_kind(node));
  }
  record(path, YAML::Node(value));
  remember(path, value);
  return value;
}

std::string Settings::choice(const std::string& path, const std::string& fallback,
                             const std::vector<std::string>& accepted) {
  if (replay_) return answered<std::string>(path, fallback);
  const YAML::Node node = find(path);
  std::string value = fallback;
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  domains_[path] = named_domain(KeyDomain::Kind::choice, accepted, "one of: " + list);
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsScalar()) fail(path, "expected one of: " + list + "; got " + node_kind(node));
    value = node.Scalar();
  }
  if (std::find(accepted.begin(), accepted.end(), value) == accepted.end())
    fail(path, "expected one of: " + list + "; got '" + value + "'");
  record(path, YAML::Node(value));
  remember(path, value);
  return value;
}

std::string Settings::text(const std::string& path, const std::string& fallback) {
  if (replay_) return answered<std::string>(path, fallback);
  domains_[path] = named_domain(KeyDomain::Kind::text, {}, "text");
  const YAML::Node node = find(path);
  std::string value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsScalar()) fail(path, "expected text, got " + node_kind(node));
    value = node.Scalar();
  }
  record(path, YAML::Node(value));
  remember(path, value);
  return value;
}

std::vector<double> Settings::real_list(const std::string& path, const std::vector<double>& fallback,
                                        const Range& range) {
  if (replay_) return answered<std::vector<double>>(path, fallback);
  domains_[path] = real_domain(KeyDomain::Kind::real_list, range);
  domains_[path].describe = list_of(range);
  const YAML::Node node = find(path);
  std::vector<double> values = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    values.clear();
    const auto parse = [&](const YAML::Node& item) {
      double value = 0;
      bool ok = item.IsScalar();
      if (ok) {
        const std::string& s = item.Scalar();
        auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        ok = ec == std::errc() && ptr == s.data() + s.size();
      }
      if (!ok) fail(path, "expected " + list_of(range) + ", got " + node_kind(item));
      values.push_back(value);
    };
    if (node.IsSequence())
      for (const auto& item : node) parse(item);
    else
      parse(node);
  }
  YAML::Node out(YAML::NodeType::Sequence);
  for (double v : values) {
    if (!range.contains(v)) fail(path, "expected " + list_of(range) + ", got " + format_number(v));
    out.push_back(exact_number(v));
  }
  out.SetStyle(YAML::EmitterStyle::Flow);
  record(path, out);
  remember(path, values);
  return values;
}

std::vector<std::string> Settings::text_list(const std::string& path, const std::vector<std::string>& fallback,
                                             const std::vector<std::string>& accepted) {
  if (replay_) return answered<std::vector<std::string>>(path, fallback);
  const YAML::Node node = find(path);
  std::vector<std::string> values = fallback;
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  domains_[path] = named_domain(KeyDomain::Kind::text_list, accepted,
                                accepted.empty() ? "a list of names" : "a list of names from: " + list);
  if (node.IsDefined() && !node.IsNull()) {
    values.clear();
    const auto parse = [&](const YAML::Node& item) {
      if (!item.IsScalar()) fail(path, "expected a list of names, got " + node_kind(item));
      values.push_back(item.Scalar());
    };
    if (node.IsSequence())
      for (const auto& item : node) parse(item);
    else
      parse(node);
  }
  YAML::Node out(YAML::NodeType::Sequence);
  for (const auto& v : values) {
    if (!accepted.empty() && std::find(accepted.begin(), accepted.end(), v) == accepted.end())
      fail(path, "expected names from: " + list + "; got '" + v + "'");
    out.push_back(v);
  }
  out.SetStyle(YAML::EmitterStyle::Flow);
  record(path, out);
  remember(path, values);
  return values;
}

std::int64_t Settings::date(const std::string& path, const std::string& fallback) {
  if (replay_) {
    std::int64_t days = 0;
    parse_date(fallback, days);
    return answered<std::int64_t>(path, days);
  }
  domains_[path] = named_domain(KeyDomain::Kind::date, {}, "a date YYYY-MM-DD from 1900-01-01 to 2199-12-31");
  const YAML::Node node = find(path);
  std::string value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsScalar()) fail(path, "expected a date YYYY-MM-DD, got " + node_kind(node));
    value = node.Scalar();
  }
  std::int64_t days = 0;
  // Years outside it are no trial's, and would take calendar arithmetic far from what is tested.
  static const std::int64_t first = days_from_civil(1900, 1, 1), last = days_from_civil(2199, 12, 31);
  if (!parse_date(value, days) || days < first || days > last)
    fail(path, "expected a date YYYY-MM-DD from 1900-01-01 to 2199-12-31, got '" + value + "'");
  record(path, YAML::Node(value));
  remember(path, days);
  return days;
}

template <class T>
T Settings::answered(const std::string& path, const T& fallback) const {
  const auto it = recorded_->find(path);
  if (it == recorded_->end()) return fallback;
  if (const T* v = std::get_if<T>(&it->second)) return *v;
  throw std::logic_error("replay of '" + path + "' asked for another type than the full read");
}

template std::int64_t Settings::answered<std::int64_t>(const std::string&, const std::int64_t&) const;

const double* Settings::replayed(const std::string& path) const {
  for (std::size_t i = 0; i < replay_->keys.size(); ++i)
    if (replay_->keys[i] == path) return &replay_->values[i];
  return nullptr;
}

const KeyDomain* Settings::domain(const std::string& path) const {
  const auto it = domains_.find(path);
  return it == domains_.end() ? nullptr : &it->second;
}

Settings Settings::replay(std::vector<std::string> keys) const {
  Settings copy(*this);
  copy.replay_ = std::make_shared<Replay>();
  copy.replay_->values.assign(keys.size(), 0.0);
  copy.replay_->keys = std::move(keys);
  return copy;
}

void Settings::keep_own_records() {
  recorded_ = std::make_shared<std::unordered_map<std::string, Recorded>>(*recorded_);
  has_answers_ = std::make_shared<std::unordered_map<std::string, bool>>(*has_answers_);
}

void Settings::set_replayed(std::span<const double> values) {
  if (!replay_ || values.size() != replay_->keys.size())
    throw std::logic_error("set_replayed: not a replay, or not one value per replayed key");
  std::copy(values.begin(), values.end(), replay_->values.begin());
}

std::vector<std::string> Settings::paths_read() const {
  std::vector<std::string> paths;
  for (const auto& [path, domain] : domains_) paths.push_back(path);
  return paths;
}

}  // namespace vtrial
