#include "engine/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "engine/calendar_date.hpp"

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
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
      return "nothing";
    default:
      return "'" + node.Scalar() + "'";
  }
}

// A path component that indexes a list: digits without a leading zero, so that each item has
// one spelling (finish() compares read paths as text). An index too large for size_t is past
// the end of any list rather than an error of its own.
std::optional<std::size_t> list_index(const std::string& part) {
  if (part.empty() || part.find_first_not_of("0123456789") != std::string::npos || (part[0] == '0' && part.size() > 1))
    return std::nullopt;
  std::size_t at = 0;
  const auto [ptr, ec] = std::from_chars(part.data(), part.data() + part.size(), at);
  return ec == std::errc() ? at : std::numeric_limits<std::size_t>::max();
}

// How a path applies to a document. Digits index a list when their parent is a list or absent
// (an absent list has no items); under a mapping they stay a key, as before lists existed.
struct Walk {
  YAML::Node node;                                // Undefined when the path is absent
  std::vector<std::optional<std::size_t>> index;  // per component: list index, or a key
  std::vector<std::string> shown;                 // per component: the path so far, as shown
  std::size_t past_end = std::string::npos;       // first component indexing past its list's end
  std::size_t items = 0;                          // that list's size
};

Walk walk(const YAML::Node& root, const std::vector<std::string>& parts) {
  Walk w;
  // Rebind with reset() through const references: yaml-cpp's non-const operator[] would insert
  // missing keys and Node assignment would overwrite values.
  w.node.reset(root);
  bool defined = true;  // a missing key's node is invalid to query, so stop looking once gone
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const YAML::Node& parent = w.node;
    const bool listlike = !defined || parent.IsNull() || parent.IsSequence();
    const auto at = listlike ? list_index(parts[i]) : std::nullopt;
    const std::size_t size = defined && parent.IsSequence() ? parent.size() : 0;
    w.index.push_back(at);
    w.shown.push_back(at ? (i ? w.shown.back() : "") + "[" + parts[i] + "]"
                         : (i ? w.shown.back() + "." : "") + parts[i]);
    if (at && *at >= size && w.past_end == std::string::npos) w.past_end = i, w.items = size;
    if (!defined) continue;
    // Copy, not reset(): a missing key's node is invalid and reset() throws on it.
    const YAML::Node child = at && *at < size        ? parent[*at]
                             : !at && parent.IsMap() ? parent[parts[i]]
                                                     : YAML::Node(YAML::NodeType::Undefined);
    defined = child.IsDefined();
    if (defined) w.node.reset(child);
  }
  if (!defined) w.node.reset(YAML::Node(YAML::NodeType::Undefined));
  return w;
}

// "'arms' has 2 items (arms[0] to arms[1])", for messages about an index past the end.
std::string items_text(const std::string& list, std::size_t n) {
  if (n == 0) return "'" + list + "' has no items";
  const std::string first = list + "[0]";
  if (n == 1) return "'" + list + "' has 1 item (" + first + ")";
  return "'" + list + "' has " + std::to_string(n) + " items (" + first + " to " + list + "[" + std::to_string(n - 1) +
         "])";
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
  const auto reject = [&](const std::string& problem) { throw SettingsError("--set " + assignment + ": " + problem); };
  // yaml-cpp's operator[] on a non-const node creates missing maps, and on a list with a key it
  // turns the list into a map; walk with explicit copies so that an override below a scalar or
  // past a list's end is reported instead of silently replacing it.
  std::vector<YAML::Node> chain{root_};  // each a mapping or a list
  std::string shown;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    YAML::Node& parent = chain.back();
    const bool in_list = parent.IsSequence();
    const auto at = in_list ? list_index(parts[i]) : std::nullopt;
    if (in_list && !at)
      reject("'" + shown + "' is a list, so expected an item number after it, got '" + parts[i] + "'; " +
             items_text(shown, parent.size()));
    const std::string child_shown = in_list ? shown + "[" + parts[i] + "]" : (i ? shown + "." : "") + parts[i];
    if (at && *at >= parent.size())
      reject(child_shown + ": no such item; " + items_text(shown, parent.size()) +
             " (--set changes items the scenario has)");
    const auto slot = [&]() { return at ? parent[*at] : parent[parts[i]]; };
    if (i + 1 == parts.size()) {
      slot() = parsed;
      break;
    }
    const YAML::Node child = slot();
    // Digits after a key name an item unless that key holds a mapping (whose keys may be digits).
    const bool next_indexes = list_index(parts[i + 1]).has_value() && !child.IsMap();
    if (child.IsDefined() && !child.IsNull() && !child.IsMap() && !child.IsSequence()) {
      if (next_indexes) reject("'" + child_shown + "' is not a list, so it has no item " + parts[i + 1]);
      reject("'" + (in_list ? child_shown : parts[i]) + "' is not a section");
    }
    if (!child.IsDefined() || child.IsNull()) {
      if (next_indexes)
        reject(child_shown + "[" + parts[i + 1] + "]: no such item; " + items_text(child_shown, 0) +
               " (--set changes items the scenario has)");
      slot() = YAML::Node(YAML::NodeType::Map);
    }
    chain.push_back(slot());
    shown = child_shown;
  }
  // This override replaces whatever earlier ones set below it.
  for (auto it = overrides_.lower_bound(path + "."); it != overrides_.end() && it->first.rfind(path + ".", 0) == 0;)
    it = overrides_.erase(it);
  overrides_[path] = assignment;
}

YAML::Node Settings::find(const std::string& path) const { return walk(root_, split_path(path)).node; }

std::string Settings::shown(const std::string& path) const {
  const Walk w = walk(root_, split_path(path));
  return w.shown.empty() ? path : w.shown.back();
}

bool Settings::has(const std::string& path) const {
  const YAML::Node n = find(path);
  return n.IsDefined() && !n.IsNull();
}

std::size_t Settings::list_size(const std::string& path) {
  const YAML::Node node = find(path);
  const auto kind = [](const YAML::Node& n) {
    double x = 0;
    const std::string s = n.IsScalar() ? n.Scalar() : "";
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), x);
    return n.IsScalar() && ec == std::errc() && ptr == s.data() + s.size() ? "a number" : node_kind(n);
  };
  std::size_t n = 0;
  if (node.IsDefined() && !node.IsNull()) {
    if (!node.IsSequence()) fail(path, "expected a list of mappings, got " + kind(node));
    n = node.size();
    for (std::size_t i = 0; i < n; ++i)
      if (!node[i].IsMap())
        fail(path + "." + std::to_string(i),
             "expected a mapping of keys (each item of '" + shown(path) + "' is one), got " + kind(node[i]));
  }
  YAML::Node items(YAML::NodeType::Sequence);
  for (std::size_t i = 0; i < n; ++i) items.push_back(YAML::Node(YAML::NodeType::Map));
  if (n == 0) items.SetStyle(YAML::EmitterStyle::Flow);  // "arms: []" rather than "arms:\n  []"
  record(path, items, true);
  lists_.insert(path);
  return n;
}

std::string Settings::where(const std::string& path) const {
  // The override at or above the path supplied its value ("--set arms.1={ratio: 0}" for
  // arms.1.ratio); the marks of its nodes are positions in the --set text, not in the file.
  for (std::string p = path;; p.erase(p.rfind('.'))) {
    if (auto it = overrides_.find(p); it != overrides_.end()) return "--set " + it->second;
    if (p.find('.') == std::string::npos) break;
  }
  const YAML::Node node = find(path);
  if (node.IsDefined() && node.Mark().line >= 0)
    return source_ + ":" + std::to_string(node.Mark().line + 1) + ":" + std::to_string(node.Mark().column + 1);
  return source_;
}

void Settings::fail(const std::string& path, const std::string& problem) const {
  throw SettingsError(where(path) + ": " + shown(path) + ": " + problem);
}

void Settings::record(const std::string& path, const YAML::Node& value, bool items) {
  const auto parts = split_path(path);
  const Walk w = walk(root_, parts);
  std::vector<std::string> prefixes;
  for (const auto& part : parts) prefixes.push_back(prefixes.empty() ? part : prefixes.back() + "." + part);
  // A fallback for an item the scenario lacks would make the resolved list longer than the
  // given one (and an absurd index would exhaust memory padding it), so that is an error.
  if (w.past_end != std::string::npos) {
    const std::size_t list = w.past_end - 1;  // the root is a mapping, so a list is never first
    throw SettingsError(where(prefixes[list]) + ": " + w.shown[w.past_end] + ": no such item; " +
                        items_text(w.shown[list], w.items));
  }
  for (std::size_t i = 1; i < parts.size(); ++i)  // a key there would turn the resolved list into a map
    if (!w.index[i] && lists_.count(prefixes[i - 1]))
      throw SettingsError(where(prefixes[i - 1]) + ": " + w.shown[i - 1] +
                          ": is a list; expected an item number after it, got '" + parts[i] + "'");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    read_.insert(prefixes[i]);
    if (w.index[i]) lists_.insert(prefixes[i - 1]);
  }
  if (!resolved_.IsDefined() || resolved_.IsNull()) resolved_ = YAML::Node(YAML::NodeType::Map);
  std::vector<YAML::Node> chain{resolved_};
  for (std::size_t i = 0; i < parts.size(); ++i) {
    YAML::Node& parent = chain.back();
    if (w.index[i])  // items before it stay null until read (list_size fills them with mappings)
      while (parent.size() <= *w.index[i]) parent.push_back(YAML::Node(YAML::NodeType::Null));
    const auto slot = [&]() { return w.index[i] ? parent[*w.index[i]] : parent[parts[i]]; };
    if (i + 1 == parts.size()) {
      YAML::Node existing = slot();
      if (!items || !existing.IsSequence()) {
        slot() = value;
        break;
      }
      for (std::size_t k = 0; k < value.size(); ++k) {
        if (k >= existing.size()) existing.push_back(YAML::Node(YAML::NodeType::Map));
        if (existing[k].IsNull()) existing[k] = YAML::Node(YAML::NodeType::Map);
      }
      break;
    }
    const auto type = w.index[i + 1] ? YAML::NodeType::Sequence : YAML::NodeType::Map;
    if (slot().Type() != type) slot() = YAML::Node(type);
    chain.push_back(slot());
  }
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

std::optional<double> Settings::optional_real(const std::string& path, const Range& range) {
  if (has(path)) return real(path, 0, range);
  std::string prefix;
  for (const auto& part : split_path(path)) {
    prefix = prefix.empty() ? part : prefix + "." + part;
    read_.insert(prefix);
  }
  return std::nullopt;
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
    if (s == "true")
      value = true;
    else if (s == "false")
      value = false;
    else
      fail(path, "expected true or false, got " + node_kind(node));
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
    // A key that is itself a list or mapping ("[a]: 1") has no name to check against.
    if (!entry.first.IsScalar() && !entry.first.IsNull())
      throw SettingsError(location_of_key(prefix, entry.first) + ": expected a key name" +
                          (prefix.empty() ? "" : " under '" + shown(prefix) + "'") + ", got " + node_kind(entry.first));
    const std::string key = entry.first.as<std::string>();
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    if (!seen.insert(key).second)
      throw SettingsError(location_of_key(path, entry.first) + ": key '" + shown(path) + "' is given twice");
    if (read_.count(path) == 0) {
      std::vector<std::string> siblings;
      for (const auto& r : read_) {
        const bool under = prefix.empty()
                               ? r.find('.') == std::string::npos
                               : r.rfind(prefix + ".", 0) == 0 && r.find('.', prefix.size() + 1) == std::string::npos;
        if (under) siblings.push_back(prefix.empty() ? r : r.substr(prefix.size() + 1));
      }
      std::string message = "unknown key '" + shown(path) + "'";
      std::string best;
      std::size_t best_distance = 3;
      for (const auto& s : siblings) {
        const std::size_t d = edit_distance(s, key);
        if (d < best_distance) best_distance = d, best = s;
      }
      if (!best.empty()) message += " (did you mean '" + best + "'?)";
      std::string list;
      for (const auto& s : siblings) list += (list.empty() ? "" : ", ") + s;
      message += prefix.empty() ? "; accepted sections: " : "; accepted keys under '" + shown(prefix) + "': ";
      message += list.empty() ? "(none)" : list;
      throw SettingsError(location_of_key(path, entry.first) + ": " + message);
    }
    check_value(path, entry.second, entry.first);
  }
}

void Settings::check_value(const std::string& path, const YAML::Node& value, const YAML::Node& mark) const {
  const bool is_section =
      std::any_of(read_.begin(), read_.end(), [&](const std::string& r) { return r.rfind(path + ".", 0) == 0; });
  const bool is_list = value.IsSequence() && lists_.count(path) > 0;
  if (is_section && !is_list && !value.IsMap() && !value.IsNull())  // "trial:" alone is an empty section
    throw SettingsError(location_of_key(path, mark) + ": '" + shown(path) +
                        "' is a section: expected a mapping of its keys, got " + node_kind(value));
  // A section given where a scalar key is expected is caught by the getter.
  if (value.IsMap()) check_unread(value, path);
  // Every item is checked like a section: the keys of items nobody read are reported too.
  if (is_list)
    for (std::size_t i = 0; i < value.size(); ++i) check_value(path + "." + std::to_string(i), value[i], value[i]);
}

void Settings::finish() const { check_unread(root_, ""); }

std::string Settings::resolved_yaml() const {
  YAML::Emitter out;
  out << resolved_;
  return std::string(out.c_str()) + "\n";
}

}  // namespace vtrial
