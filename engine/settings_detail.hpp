#pragma once
// Text and path helpers shared by the two halves of Settings (settings.cpp: documents, paths,
// overrides and checks; settings_getters.cpp: the typed getters). Not part of its interface.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace vtrial::settings_detail {

std::vector<std::string> split_path(const std::string& path);
std::string format_number(double x);
// Shortest text that reads back as the same double.
YAML::Node exact_number(double x);
std::string node_kind(const YAML::Node& node);
std::optional<std::size_t> list_index(const std::string& part);

// How a path applies to a document. Digits index a list when their parent is a list or absent
// (an absent list has no items); under a mapping they stay a key, as before lists existed.
struct Walk {
  YAML::Node node;                                // Undefined when the path is absent
  std::vector<std::optional<std::size_t>> index;  // per component: list index, or a key
  std::vector<std::string> shown;                 // per component: the path so far, as shown
  std::size_t past_end = std::string::npos;       // first component indexing past its list's end
  std::size_t items = 0;                          // that list's size
};
Walk walk(const YAML::Node& root, const std::vector<std::string>& parts);
std::string items_text(const std::string& list, std::size_t n);
std::size_t edit_distance(const std::string& a, const std::string& b);

}  // namespace vtrial::settings_detail
