// The tests a scenario can name. Adding one: a file beside this one defining the class and its
// make_ function, and one line in kRegistry.
#include <stdexcept>

#include "engine/stats/hypothesis/hypothesis_test.hpp"

namespace vtrial {

std::unique_ptr<HypothesisTest> make_logrank_test();
std::unique_ptr<HypothesisTest> make_cox_wald_test();
std::unique_ptr<HypothesisTest> make_cox_lr_test();
std::unique_ptr<HypothesisTest> make_welch_t_test();
std::unique_ptr<HypothesisTest> make_wilcoxon_test();
std::unique_ptr<HypothesisTest> make_fisher_test();

namespace {

struct Entry {
  std::string_view name;
  std::unique_ptr<HypothesisTest> (*make)();
};

constexpr Entry kRegistry[] = {
    {"logrank", make_logrank_test}, {"cox_wald", make_cox_wald_test}, {"cox_lr", make_cox_lr_test},
    {"welch_t", make_welch_t_test}, {"wilcoxon", make_wilcoxon_test}, {"fisher", make_fisher_test},
};

}  // namespace

std::string_view data_kind_name(DataKind kind) {
  switch (kind) {
    case DataKind::time_to_event:
      return "time_to_event";
    case DataKind::continuous:
      return "continuous";
    case DataKind::binary:
      return "binary";
  }
  return "unknown";
}

std::unique_ptr<HypothesisTest> make_hypothesis_test(std::string_view name) {
  for (const auto& e : kRegistry)
    if (e.name == name) return e.make();
  std::string accepted;
  for (const auto& e : kRegistry) accepted += (accepted.empty() ? "" : ", ") + std::string(e.name);
  throw std::invalid_argument("unknown test '" + std::string(name) + "'; accepted: " + accepted);
}

std::vector<std::string> hypothesis_test_names() {
  std::vector<std::string> names;
  for (const auto& e : kRegistry) names.emplace_back(e.name);
  return names;
}

}  // namespace vtrial
