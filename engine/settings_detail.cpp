#include "engine/settings_detail.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <sstream>

namespace vtrial::settings_detail {

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

}  // namespace vtrial::settings_detail
