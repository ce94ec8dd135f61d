#pragma once
// A validated view of a YAML document. Every key the program understands is read through one
// of the typed getters below, which record the resolved value (given or default). After all
// reads, finish() rejects any key that was never read, so a typo never silently falls back
// to a default. Errors name the key path, the file, line and column, and what is accepted.
// A path component made of digits ("arms.1.ratio") indexes a YAML list; messages show it as
// "arms[1].ratio". Under a mapping, digits stay an ordinary key.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace vtrial {

class SettingsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An interval of accepted real values, with open or closed ends.
struct Range {
  double low;
  double high;
  bool low_open = false;
  bool high_open = false;

  static Range closed(double lo, double hi) { return {lo, hi, false, false}; }
  static Range at_least(double lo);
  static Range positive();     // (0, inf)
  static Range probability();  // [0, 1]
  static Range open_unit();    // (0, 1)
  bool contains(double x) const;
  std::string describe() const;  // e.g. "a number in (0, 1)"
};

// What a key accepts, as its getter checked it: for `vtrial validate --keys` and for the test
// that runs every key at the edges of its range (tests/e2e/test_key_ranges.py).
struct KeyDomain {
  enum class Kind { real, integer, real_list, boolean, choice, text, text_list, date };
  Kind kind = Kind::text;
  Range range{0, 0};                  // real, real_list
  std::int64_t integer_low = 0;       // integer
  std::int64_t integer_high = 0;      // integer
  std::vector<std::string> accepted;  // choice, text_list (empty: any name)
  std::string describe;               // the accepted values in words, as in error messages
  std::string value;                  // the resolved value as YAML text (empty: none given)
};
const char* kind_name(KeyDomain::Kind kind);

class Settings {
 public:
  static Settings from_file(const std::string& path);
  static Settings from_string(const std::string& yaml_text, const std::string& source_name);

  // Applies "key.path=value" from the command line; the value is parsed as YAML scalar text and
  // later validated by the same getter as the file's value. Unknown paths fail in finish().
  // "arms.1.ratio=3" changes an item that exists; it cannot add items.
  void apply_override(const std::string& assignment);

  double real(const std::string& path, double fallback, const Range& range);
  // A key without a default: its value when given (checked like real()), else nothing. Either
  // way the key is known (listed among the accepted ones); only a given value is recorded.
  std::optional<double> optional_real(const std::string& path, const Range& range);
  std::int64_t integer(const std::string& path, std::int64_t fallback, std::int64_t low, std::int64_t high);
  bool boolean(const std::string& path, bool fallback);
  std::string choice(const std::string& path, const std::string& fallback, const std::vector<std::string>& accepted);
  std::string text(const std::string& path, const std::string& fallback);
  // A YAML list (or a single value, read as a list of one) of numbers in `range`.
  std::vector<double> real_list(const std::string& path, const std::vector<double>& fallback, const Range& range);
  // A list of names, each one of `accepted` (empty `accepted` = any text).
  std::vector<std::string> text_list(const std::string& path, const std::vector<std::string>& fallback,
                                     const std::vector<std::string>& accepted);
  // A calendar date written YYYY-MM-DD; returned as days since 1970-01-01.
  std::int64_t date(const std::string& path, const std::string& fallback);
  bool has(const std::string& path) const;
  // The number of items of a list of mappings (0 when absent); read its items as "path.<i>.key".
  // finish() then checks the keys of every item.
  std::size_t list_size(const std::string& path);

  // Throws SettingsError for the first key that no getter read, listing its accepted siblings.
  void finish() const;

  // What each key read so far accepts, by its path ("arms.1.ratio" for list items), with its
  // resolved value (emitted here, not as each key is read: loading stays cheap).
  std::map<std::string, KeyDomain> domains() const;

  // The resolved scenario (every key read, with its value) as YAML text.
  std::string resolved_yaml() const;
  const std::string& source_name() const { return source_; }

  // Builds a "where: key: problem" message for a key; also used by cross-key checks.
  [[noreturn]] void fail(const std::string& path, const std::string& problem) const;

  // The paths read so far (every getter's key), without their values; and what one accepts
  // (nullptr for a path no getter read).
  std::vector<std::string> paths_read() const;
  const KeyDomain* domain(const std::string& path) const;

  // Replay: a copy whose getters answer as this Settings' did, from the values its reads
  // recorded, except the real-valued keys `keys`, which answer with the numbers last given to
  // set_replayed (checked against each getter's range). A replay reads the YAML tree only to
  // word an error (and for a has() of a path the full read never asked about) and records
  // nothing, so reading a section again with one trial's draw of its unknowns costs
  // microseconds, and copies may replay on several threads at once. A path the full read
  // never asked for was absent from the scenario (else finish() would have refused it), so it
  // answers with its fallback.
  Settings replay(std::vector<std::string> keys) const;
  // A plain copy shares the recorded answers with its source (replays read them); this gives
  // the copy its own, so later reads through the source cannot change what its replays see.
  void keep_own_records();
  void set_replayed(std::span<const double> values);
  bool replaying() const { return replay_ != nullptr; }

 private:
  Settings(YAML::Node root, std::string source);
  YAML::Node find(const std::string& path) const;
  std::string where(const std::string& path) const;
  std::string shown(const std::string& path) const;  // "arms.1.ratio" -> "arms[1].ratio"
  // Marks `path` read and stores `value` at it in resolved_; with `items`, an existing list there
  // keeps the items already recorded.
  void record(const std::string& path, const YAML::Node& value, bool items = false);
  void check_unread(const YAML::Node& node, const std::string& prefix) const;
  void check_value(const std::string& path, const YAML::Node& value, const YAML::Node& mark) const;
  std::string location_of_key(const std::string& path, const YAML::Node& key) const;

  YAML::Node root_;
  std::string source_;
  std::set<std::string> read_;                    // every path (and prefix) a getter asked for
  std::set<std::string> lists_;                   // paths read as lists of mappings
  std::map<std::string, std::string> overrides_;  // path -> "--set" text, for messages
  YAML::Node resolved_;
  std::map<std::string, KeyDomain> domains_;

  // What each getter returned, for replay (shared by the copies replay() makes).
  using Recorded = std::variant<double, std::int64_t, bool, std::string, std::vector<double>, std::vector<std::string>,
                                std::optional<double>>;
  struct Replay {
    std::vector<std::string> keys;
    std::vector<double> values;
  };
  template <class T>
  T answered(const std::string& path, const T& fallback) const;
  template <class T>
  void remember(const std::string& path, const T& value) {
    (*recorded_)[path] = value;
  }
  std::shared_ptr<std::unordered_map<std::string, Recorded>> recorded_ =
      std::make_shared<std::unordered_map<std::string, Recorded>>();
  std::shared_ptr<std::unordered_map<std::string, bool>> has_answers_ =
      std::make_shared<std::unordered_map<std::string, bool>>();
  std::shared_ptr<Replay> replay_;  // this copy's own: set only by replay()
  const double* replayed(const std::string& path) const;
};

}  // namespace vtrial
