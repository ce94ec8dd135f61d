#include "engine/settings.hpp"

#include "engine/calendar_date.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace vtrial {
namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(path);
  while (std::getline(in, part, '.')) parts.push_back(part);
  return parts;
}

std::string format_number(double x) {
  std::ostringstream out;
  out.precision(15);
  out << x;
  return out.str();
}

// Shortest text that reads back as the same double (std::to_chars without a precision), so
// the resolved scenario shows 0.1 rather than 0.10000000000000001 and still reproduces a run
// bit for bit when fed back.
YAML::Node exact_number(double x) {
  char buf[64];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, x);
  return YAML::Node(std::string(buf, ec == std::errc() ? end : buf));
}

std::string node_kind(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a mapping";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Null: return "nothing";
    default: return "'" + node.Scalar() + "'";
  }
}

// Levenshtein distance, to suggest the key a user probably meant.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

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

Settings::Settings(YAML::Node root, std::string source) : root_(std::move(root)), source_(std::move(source)) {
  if (!root_.IsDefined() || root_.IsNull()) root_ = YAML::Node(YAML::NodeType::Map);
  if (!root_.IsMap()) throw SettingsError(source_ + ": a scenario must be a YAML mapping of sections");
}

Settings Settings::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw SettingsError(path + ": cannot open scenario file");
  std::stringstream text;
  text << in.rdbuf();
  return from_string(text.str(), path);
}

Settings Settings::from_string(const std::string& yaml_text, const std::string& source_name) {
  try {
    return Settings(YAML::Load(yaml_text), source_name);
  } catch (const YAML::Exception& e) {
    throw SettingsError(source_name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                        ": not valid YAML: " + e.msg);
  }
}

void Settings::apply_override(const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw SettingsError("--set " + assignment + ": expected key.path=value, e.g. --set trial.patients=120");
  const std::string path = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  if (value.find_first_not_of(" \t") == std::string::npos)
    throw SettingsError("--set " + assignment + ": no value given; to use the default, leave the key out");
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw SettingsError("--set " + assignment + ": value is not valid YAML: " + e.msg);
  }
  const auto parts = split_path(path);
  // yaml-cpp's operator[] on a non-const node creates missing maps; walk with explicit copies so
  // that an override below a scalar is reported instead of silently replacing it.
  std::vector<YAML::Node> chain{root_};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node child = chain.back()[parts[i]];
    if (child.IsDefined() && !child.IsNull() && !child.IsMap())
      throw SettingsError("--set " + assignment + ": '" + parts[i] + "' is not a section");
    if (!child.IsDefined() || child.IsNull()) chain.back()[parts[i]] = YAML::Node(YAML::NodeType::Map);
    chain.push_back(chain.back()[parts[i]]);
  }
  chain.back()[parts.back()] = parsed;
  overrides_[path] = assignment;
}

YAML::Node Settings::find(const std::string& path) const {
  // Walk through const references and rebind with reset(): yaml-cpp's non-const operator[]
  // would insert missing keys and Node assignment would overwrite values.
  YAML::Node node;
  node.reset(root_);
  for (const auto& part : split_path(path)) {
    if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& cnode = node;
    YAML::Node child = cnode[part];
    if (!child.IsDefined()) return child;
    node.reset(child);
  }
  return node;
}

bool Settings::has(const std::string& path) const {
  const YAML::Node n = find(path);
  return n.IsDefined() && !n.IsNull();
}

std::string Settings::where(const std::string& path) const {
  if (auto it = overrides_.find(path); it != overrides_.end()) return "--set " + it->second;
  const YAML::Node node = find(path);
  if (node.IsDefined() && node.Mark().line >= 0)
    return source_ + ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
  return source_;
}

void Settings::fail(const std::string& path, const std::string& problem) const {
  throw SettingsError(where(path) + ": " + path + ": " + problem);
}

void Settings::record(const std::string& path, const YAML::Node& value) {
  const auto parts = split_path(path);
  std::string prefix;
  for (const auto& part : parts) {
    prefix += prefix.empty() ? part : "." + part;
    read_.insert(prefix);
  }
  if (!resolved_.IsDefined() || resolved_.IsNull()) resolved_ = YAML::Node(YAML::NodeType::Map);
  std::vector<YAML::Node> chain{resolved_};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (!chain.back()[parts[i]].IsMap()) chain.back()[parts[i]] = YAML::Node(YAML::NodeType::Map);
    chain.push_back(chain.back()[parts[i]]);
  }
  chain.back()[parts.back()] = value;
}

double Settings::real(const std::string& path, double fallback, const Range& range) {
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
  return value;
}

std::int64_t Settings::integer(const std::string& path, std::int64_t fallback, std::int64_t low, std::int64_t high) {
  const YAML::Node node = find(path);
  std::int64_t value = fallback;
  const std::string accepted = "an integer from " + std::to_string(low) + " to " + std::to_string(high);
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
  return value;
}

bool Settings::boolean(const std::string& path, bool fallback) {
  const YAML::Node node = find(path);
  bool value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    const std::string s = node.IsScalar() ? node.Scalar() : "";
    if (s == "true") value = true;
    else if (s == "false") value = false;
    else fail(path, "expected true or false, got " + node_kind(node));
  }
  record(path, YAML::Node(value));
  return value;
}

std::string Settings::choice(const std::string& path, const std::string& fallback,
                             const std::vector<std::string>& accepted) {
  const YAML::Node node = find(path);
  std::string value = fallback;
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsScalar()) fail(path, "expected one of: " + list + "; got " + node_kind(node));
    value = node.Scalar();
  }
  if (std::find(accepted.begin(), accepted.end(), value) == accepted.end())
    fail(path, "expected one of: " + list + "; got '" + value + "'");
  record(path, YAML::Node(value));
  return value;
}

std::string Settings::text(const std::string& path, const std::string& fallback) {
  const YAML::Node node = find(path);
  std::string value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsScalar()) fail(path, "expected text, got " + node_kind(node));
    value = node.Scalar();
  }
  record(path, YAML::Node(value));
  return value;
}

std::vector<double> Settings::real_list(const std::string& path, const std::vector<double>& fallback,
                                       const Range& range) {
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
      if (!ok) fail(path, "expected a list of " + range.describe() + ", got " + node_kind(item));
      values.push_back(value);
    };
    if (node.IsSequence())
      for (const auto& item : node) parse(item);
    else
      parse(node);
  }
  YAML::Node out(YAML::NodeType::Sequence);
  for (double v : values) {
    if (!range.contains(v)) fail(path, "expected a list of " + range.describe() + ", got " + format_number(v));
    out.push_back(exact_number(v));
  }
  out.SetStyle(YAML::EmitterStyle::Flow);
  record(path, out);
  return values;
}

std::vector<std::string> Settings::text_list(const std::string& path, const std::vector<std::string>& fallback,
                                             const std::vector<std::string>& accepted) {
  const YAML::Node node = find(path);
  std::vector<std::string> values = fallback;
  std::string list;
  for (const auto& a : accepted) list += (list.empty() ? "" : ", ") + a;
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
  return values;
}

std::int64_t Settings::date(const std::string& path, const std::string& fallback) {
  const YAML::Node node = find(path);
  std::string value = fallback;
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsScalar()) fail(path, "expected a date YYYY-MM-DD, got " + node_kind(node));
    value = node.Scalar();
  }
  std::int64_t days = 0;
  if (!parse_date(value, days)) fail(path, "expected a date YYYY-MM-DD, got '" + value + "'");
  record(path, YAML::Node(value));
  return days;
}

std::string Settings::location_of_key(const std::string& path, const YAML::Node& key) const {
  // An override creates the whole path below its first unknown section, so match prefixes too.
  for (const auto& [overridden, text] : overrides_)
    if (overridden == path || overridden.rfind(path + ".", 0) == 0) return "--set " + text;
  if (key.Mark().line >= 0)
    return source_ + ":" + std::to_string(key.Mark().line + 1) + ":" + std::to_string(key.Mark().column + 1);
  return source_;
}

void Settings::check_unread(const YAML::Node& node, const std::string& prefix) const {
  if (!node.IsMap()) return;
  std::set<std::string> seen;
  for (const auto& entry : node) {
    const std::string key = entry.first.as<std::string>();
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (!seen.insert(key).second)
      throw SettingsError(location_of_key(path, entry.first) + ": key '" + path + "' is given twice");
    const bool is_section = std::any_of(read_.begin(), read_.end(),
                                        [&](const std::string& r) { return r.rfind(path + ".", 0) == 0; });
    if (is_section && !entry.second.IsMap() && !entry.second.IsNull())  // "trial:" alone is an empty section
      throw SettingsError(location_of_key(path, entry.first) + ": '" + path +
                          "' is a section: expected a mapping of its keys, got " + node_kind(entry.second));
    if (read_.count(path) == 0) {
      std::vector<std::string> siblings;
      for (const auto& r : read_) {
        const bool under = prefix.empty() ? r.find('.') == std::string::npos
                                          : r.rfind(prefix + ".", 0) == 0 &&
                                                r.find('.', prefix.size() + 1) == std::string::npos;
        if (under) siblings.push_back(prefix.empty() ? r : r.substr(prefix.size() + 1));
      }
      std::string message = "unknown key '" + path + "'";
      std::string best;
      std::size_t best_distance = 3;
      for (const auto& s : siblings) {
        const std::size_t d = edit_distance(s, key);
        if (d < best_distance) best_distance = d, best = s;
      }
      if (!best.empty()) message += " (did you mean '" + best + "'?)";
      std::string list;
      for (const auto& s : siblings) list += (list.empty() ? "" : ", ") + s;
      message += prefix.empty() ? "; accepted sections: " : "; accepted keys under '" + prefix + "': ";
      message += list.empty() ? "(none)" : list;
      throw SettingsError(location_of_key(path, entry.first) + ": " + message);
    }
    // A section given where a scalar key is expected is caught by the getter; descend only
    // into sections the program actually reads as sections.
    if (entry.second.IsMap()) check_unread(entry.second, path);
  }
}

void Settings::finish() const { check_unread(root_, ""); }

std::string Settings::resolved_yaml() const {
  YAML::Emitter out;
  out << resolved_;
  return std::string(out.c_str()) + "\n";
}

}  // namespace vtrial
