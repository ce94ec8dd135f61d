#include "engine/settings.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "engine/settings_detail.hpp"

namespace vtrial {

using namespace settings_detail;

namespace {

// `uncertainty:` may name its priors by the keys they are on, as a mapping
//   uncertainty: {mechanistic.nk.kill_rate: {distribution: lognormal, ...}}
// which is the list form uncertainty.priors with each item's `key:` (every other path of the
// scenario language is nested, and finish() refuses dotted keys elsewhere). Rewritten here, so
// every getter, error and the resolved scenario see one form; the nodes keep their marks.
void list_keyed_priors(YAML::Node& root, const std::string& source) {
  const YAML::Node section = root["uncertainty"];
  if (!section.IsMap()) return;
  YAML::Node priors(YAML::NodeType::Sequence), rest(YAML::NodeType::Map);
  bool keyed = false;
  for (const auto& entry : section) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "";
    if (key.find('.') == std::string::npos) {
      rest[entry.first] = entry.second;
      continue;
    }
    keyed = true;
    if (!entry.second.IsMap())
      throw SettingsError(source + ":" + std::to_string(entry.first.Mark().line + 1) + ":" +
                          std::to_string(entry.first.Mark().column + 1) + ": uncertainty: the prior on '" + key +
                          "' must be a mapping such as {distribution: uniform, low: 1, high: 3}");
    YAML::Node item(YAML::NodeType::Map);
    item["key"] = entry.first;
    for (const auto& field : entry.second) item[field.first] = field.second;
    priors.push_back(item);
  }
  if (!keyed) return;
  if (rest["priors"].IsSequence())
    for (const auto& item : rest["priors"]) priors.push_back(item);
  rest["priors"] = priors;
  root["uncertainty"] = rest;
}

}  // namespace

Settings::Settings(YAML::Node root, std::string source) : root_(std::move(root)), source_(std::move(source)) {
  if (!root_.IsDefined() || root_.IsNull()) root_ = YAML::Node(YAML::NodeType::Map);
  if (!root_.IsMap()) throw SettingsError(source_ + ": a scenario must be a YAML mapping of sections");
  list_keyed_priors(root_, source_);
}

namespace {

// A scenario is a few hundred values; these bounds keep the time and memory to read or refuse
// any input small (a 20 MB list took 4.7 GB and 19 s to report its unknown key).
constexpr std::uintmax_t kMaxScenarioBytes = 4 << 20;
constexpr std::uint64_t kMaxValues = 100000;

// Counts the documents and the values of a YAML text from the parser's events, without
// building nodes. An alias counts as the values of what it names, so nested aliases ("a
// billion laughs") count as what they would expand to, whatever code walks them later.
struct CountingEvents final : YAML::EventHandler {
  std::uint64_t values = 0;
  std::map<YAML::anchor_t, std::uint64_t> anchored;            // anchor -> values under it
  std::vector<std::pair<YAML::anchor_t, std::uint64_t>> open;  // collections: anchor, count at start
  std::string source;

  void add(std::uint64_t n, const YAML::Mark& mark) {
    values += n;
    if (values > kMaxValues)
      throw SettingsError(source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1) +
                          ": more than " + std::to_string(kMaxValues) +
                          " values (aliases counted as what they expand to); a scenario holds a few hundred");
  }
  void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(1, mark);
    if (anchor) anchored[anchor] = 1;
  }
  void start(const YAML::Mark& mark, YAML::anchor_t anchor) {
    add(1, mark);
    open.emplace_back(anchor, values - 1);
  }
  void end() {
    if (open.empty()) return;
    const auto [anchor, first] = open.back();
    open.pop_back();
    if (anchor) anchored[anchor] = values - first;
  }
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchored.find(anchor);
    add(it == anchored.end() ? 1 : it->second, mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
    leaf(mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    start(mark, anchor);
  }
  void OnSequenceEnd() override { end(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    start(mark, anchor);
  }
  void OnMapEnd() override { end(); }
};

// The documents of `text`, counted up to two; throws SettingsError past kMaxValues values.
int document_count_up_to_two(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  CountingEvents events;
  events.source = source;
  int documents = 0;
  while (documents < 2 && parser.HandleNextDocument(events)) ++documents;
  return documents;
}

}  // namespace

Settings Settings::from_file(const std::string& path) {
  // A directory opens as a stream on Linux and reads as empty: every key would be a default.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw SettingsError(path + ": is a directory, not a scenario file");
  // A device reads as empty (/dev/null) or without end (/dev/zero): every key a default, or a
  // hang. A pipe (bash's <(...)) is a stream of text and is read.
  const auto type = std::filesystem::status(path, ec).type();
  if (type == std::filesystem::file_type::character || type == std::filesystem::file_type::block)
    throw SettingsError(path + ": is a device, not a scenario file");
  std::ifstream in(path);
  if (!in) throw SettingsError(path + ": cannot open scenario file");
  // Read to at most one byte past the bound, so a pipe or a file that grows is bounded too.
  std::string text(kMaxScenarioBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxScenarioBytes)
    throw SettingsError(path + ": more than " + std::to_string(kMaxScenarioBytes) +
                        " bytes; a scenario file is at most 4 MiB");
  return from_string(text, path);
}

Settings Settings::from_string(const std::string& yaml_text, const std::string& source_name) {
  try {
    // A second document (after "---") would otherwise be dropped unread. YAML::LoadAll cannot
    // tell: on a stray ',' yaml-cpp 0.7 reports new empty documents for ever (a hang the fuzzer
    // found), so the parser is asked for two documents at most.
    if (document_count_up_to_two(yaml_text, source_name) > 1)
      throw SettingsError(source_name +
                          ": holds more than one YAML document (a second after ---, or stray "
                          "text after the first); a scenario is one");
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
  const auto has_empty_part = [&] {
    for (const auto& part : split_path(path))
      if (part.empty()) return true;
    return path.back() == '.';
  };
  if (has_empty_part()) throw SettingsError("--set " + assignment + ": the key path has an empty part (two dots?)");
  YAML::Node parsed;
  try {
    if (document_count_up_to_two(value, "--set " + assignment) > 1)
      throw SettingsError("--set " + assignment + ": the value holds more than one YAML document");
    parsed = YAML::Load(value);
    if (parsed.IsNull())  // "~" or "null": in the file that means the default; here it would hide a mistake
      throw SettingsError("--set " + assignment + ": the value is YAML null; to use the default, leave the key out");
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
  if (replay_) {
    const auto it = has_answers_->find(path);
    if (it != has_answers_->end()) return it->second;
  }
  const YAML::Node n = find(path);
  const bool given = n.IsDefined() && !n.IsNull();
  if (!replay_) (*has_answers_)[path] = given;
  return given;
}

std::size_t Settings::list_size(const std::string& path) {
  if (replay_) return static_cast<std::size_t>(answered<std::int64_t>(path, 0));
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
  remember(path, static_cast<std::int64_t>(n));
  return n;
}

namespace {
// The text of the node at parts[i...] below `node`, through const lookups only (a non-const
// operator[] would add keys to the tree it searches).
std::optional<std::string> emitted_at(const YAML::Node& node, const std::vector<std::string>& parts, std::size_t i) {
  if (!node.IsDefined() || node.IsNull()) return std::nullopt;
  if (i == parts.size()) {
    YAML::Emitter text;
    text << node;
    return std::string(text.c_str());
  }
  if (node.IsSequence()) {
    const auto index = list_index(parts[i]);
    if (!index || *index >= node.size()) return std::nullopt;
    return emitted_at(node[*index], parts, i + 1);
  }
  if (node.IsMap()) return emitted_at(node[parts[i]], parts, i + 1);
  return std::nullopt;
}
}  // namespace

std::map<std::string, KeyDomain> Settings::domains() const {
  std::map<std::string, KeyDomain> out = domains_;
  const YAML::Node& resolved = resolved_;
  for (auto& [path, domain] : out) domain.value = emitted_at(resolved, split_path(path), 0).value_or("");
  return out;
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

std::string Settings::location_of_key(const std::string& path, const YAML::Node& key) const {
  // An override creates the whole path below its first unknown section, so match prefixes too;
  // and a key inside an override's value ("--set trial={bogus: 1}") is in the --set text.
  for (const auto& [overridden, text] : overrides_)
    if (overridden == path || overridden.rfind(path + ".", 0) == 0 || path.rfind(overridden + ".", 0) == 0)
      return "--set " + text;
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
    // Paths join keys with '.', so a dotted key would pass for the nested one it spells and be
    // ignored, its section's default used instead.
    if (key.find('.') != std::string::npos)
      throw SettingsError(
          location_of_key(prefix, entry.first) + ": key '" + key +
          "' contains '.'; nest it instead (e.g. trial: {patients: 120}); only --set takes dotted paths");
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
