#include "design/endpoint_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace vtrial {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool same_day(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

// A two-arm design's one default comparison keeps the endpoint's own name; any other result
// name says its comparison.
bool needs_suffix(const std::vector<Arm>& arms, const std::vector<Comparison>& comparisons) {
  return !(arms.size() == 2 && comparisons.size() == 1 && comparisons[0] == default_comparisons(arms)[0]);
}

}  // namespace

EndpointAnalysis::EndpointAnalysis(std::vector<Arm> arms, std::vector<OutcomeSpec> outcomes,
                                   std::vector<EndpointSpec> endpoints, FamilySpec family, double alpha)
    : arms_(std::move(arms)),
      outcomes_(std::move(outcomes)),
      endpoints_(std::move(endpoints)),
      family_(std::move(family)),
      alpha_(alpha),
      outcomes_read_(outcomes_.size(), false) {
  if (endpoints_.empty() || family_.endpoints.empty()) throw std::invalid_argument("no endpoints to analyse");
  for (std::size_t e = 0; e < endpoints_.size(); ++e)
    for (const auto& c : endpoints_[e].comparisons) {
      const std::size_t d = dataset_for(endpoints_[e], c);
      tests_.push_back({e, d, make_hypothesis_test(endpoints_[e].test)});
      outcomes_read_[endpoints_[e].outcome_index] = true;
    }
  family_comparisons_ = endpoints_[family_.endpoints.front()].comparisons;
  for (const std::size_t f : family_.endpoints) {
    if (endpoints_[f].comparisons != family_comparisons_)
      throw std::invalid_argument("endpoint '" + endpoints_[f].name +
                                  "' of the multiplicity family tests other comparisons than the primary");
    for (const auto& c : family_comparisons_)
      for (std::size_t t = 0; t < tests_.size(); ++t)
        if (tests_[t].endpoint == f && datasets_[tests_[t].dataset].comparison == c) family_tests_.push_back(t);
  }
  p_values_.resize(tests_.size());
  grid_.resize(family_tests_.size());
  build_schema();
}

EndpointAnalysis::EndpointAnalysis(const EndpointAnalysis& o)
    : arms_(o.arms_),
      outcomes_(o.outcomes_),
      endpoints_(o.endpoints_),
      family_(o.family_),
      alpha_(o.alpha_),
      family_comparisons_(o.family_comparisons_),
      schema_(o.schema_),
      outcomes_read_(o.outcomes_read_),
      datasets_(o.datasets_),
      family_tests_(o.family_tests_),
      p_values_(o.p_values_),
      grid_(o.grid_),
      family_workspace_(o.family_workspace_) {
  for (const auto& t : o.tests_) tests_.push_back({t.endpoint, t.dataset, t.test->clone()});
}

std::size_t EndpointAnalysis::dataset_for(const EndpointSpec& e, const Comparison& c) {
  for (std::size_t d = 0; d < datasets_.size(); ++d) {
    const Dataset& s = datasets_[d];
    if (s.outcome == e.outcome_index && s.horizon_days == e.horizon_days && same_day(s.by_day, e.by_day) &&
        s.comparison == c)
      return d;
  }
  Dataset d;
  d.outcome = e.outcome_index;
  d.horizon_days = e.horizon_days;
  d.by_day = e.by_day;
  d.kind = e.reads;
  d.comparison = c;
  datasets_.push_back(std::move(d));
  return datasets_.size() - 1;
}

void EndpointAnalysis::build_schema() {
  for (const auto& t : tests_) {
    const EndpointSpec& e = endpoints_[t.endpoint];
    const Comparison& c = datasets_[t.dataset].comparison;
    PowerSpec p;
    p.name = needs_suffix(arms_, e.comparisons) ? e.name + "_" + comparison_suffix(arms_, c) : e.name;
    p.kind = PowerKind::endpoint;
    p.endpoint = e.name;
    p.comparison = comparison_label(arms_, c);
    p.test = e.test;
    p.outcome = e.outcome;
    p.estimate = std::string(t.test->estimate_name());
    schema_.add_power(p);
  }
  const bool suffix = needs_suffix(arms_, family_comparisons_);
  for (const char* value : {"primary_wins", "all_key_secondaries_win"})
    for (const auto& c : family_comparisons_) {
      PowerSpec p;
      p.name = suffix ? std::string(value) + "_" + comparison_suffix(arms_, c) : value;
      p.kind = PowerKind::family;
      p.endpoint = value;
      p.comparison = comparison_label(arms_, c);
      schema_.add_power(p);
    }
  if (family_comparisons_.size() > 1)
    for (const char* value : {"any_primary_wins", "any_family_rejection"}) {
      PowerSpec p;
      p.name = value;
      p.kind = PowerKind::family;
      p.endpoint = value;
      schema_.add_power(p);
    }
}

void EndpointAnalysis::prepare(Dataset& d, const TrialData& data) const {
  const OutcomeColumn& column = data.outcomes[d.outcome];
  const auto arm = data.arm;
  const auto t = static_cast<std::uint8_t>(d.comparison.treatment), c = static_cast<std::uint8_t>(d.comparison.control);
  const std::size_t n = arm.size();
  TwoSampleData& out = d.data;
  out = TwoSampleData{};
  d.fits.cox_valid = false;
  out.fits = &d.fits;
  if (d.kind == DataKind::time_to_event) {
    // Two arms numbered control 0, treatment 1, and no horizon: the outcome's own columns.
    if (arms_.size() == 2 && t == 1 && c == 0 && !std::isfinite(d.horizon_days)) {
      out.time = column.value;
      out.event = column.flag;
      out.group = arm;
    } else {
      d.time.clear();
      d.event.clear();
      d.group.clear();
      for (std::size_t i = 0; i < n; ++i) {
        if (arm[i] != t && arm[i] != c) continue;
        const bool late = column.value[i] > d.horizon_days;
        d.time.push_back(late ? d.horizon_days : column.value[i]);
        d.event.push_back(late ? 0 : column.flag[i]);
        d.group.push_back(arm[i] == t ? 1 : 0);
      }
      out.time = d.time;
      out.event = d.event;
      out.group = d.group;
    }
  } else if (d.kind == DataKind::continuous) {
    d.control_values.clear();
    d.treatment_values.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isnan(column.value[i])) continue;
      if (arm[i] == t) d.treatment_values.push_back(column.value[i]);
      if (arm[i] == c) d.control_values.push_back(column.value[i]);
    }
    out.control_values = d.control_values;
    out.treatment_values = d.treatment_values;
  } else {
    // Binary: a binary outcome's flag, or a time-to-event outcome's "event by day d".
    const bool by_day = !std::isnan(d.by_day);
    for (std::size_t i = 0; i < n; ++i) {
      if (arm[i] != t && arm[i] != c) continue;
      const bool success = by_day ? column.flag[i] && column.value[i] <= d.by_day : column.flag[i] != 0;
      if (arm[i] == t) {
        ++out.treatment_trials;
        out.treatment_successes += success;
      } else {
        ++out.control_trials;
        out.control_successes += success;
      }
    }
  }
  d.ready = true;
}

void EndpointAnalysis::analyze(const TrialData& data, std::span<double> row) {
  for (auto& d : datasets_) d.ready = false;
  std::size_t k = 0;
  const auto put = [&](double p_value, double estimate, bool reject) {
    row[k++] = p_value;
    row[k++] = estimate;
    row[k++] = reject ? 1.0 : 0.0;
  };
  for (std::size_t i = 0; i < tests_.size(); ++i) {
    Dataset& d = datasets_[tests_[i].dataset];
    if (!d.ready) prepare(d, data);
    const TestResult r = tests_[i].test->run(d.data);
    p_values_[i] = r.p_value;
    put(r.p_value, r.estimate, r.p_value < alpha_);
  }

  // The family: grid_[f * m + c] = p(e_f, c), adjusted in place in two steps (family.hpp).
  const std::size_t m = family_comparisons_.size(), families = family_.endpoints.size();
  for (std::size_t j = 0; j < grid_.size(); ++j) grid_[j] = p_values_[family_tests_[j]];
  adjust_family(grid_, m, family_, family_workspace_);
  double any_primary = 1, any_family = 1;
  for (std::size_t c = 0; c < m; ++c) {
    put(grid_[c], kNaN, grid_[c] < alpha_);
    any_primary = std::min(any_primary, grid_[c]);
  }
  for (std::size_t c = 0; c < m; ++c) {
    double all = grid_[c];
    for (std::size_t f = 1; f < families; ++f) all = std::max(all, grid_[f * m + c]);
    put(all, kNaN, all < alpha_);
    for (std::size_t f = 0; f < families; ++f) any_family = std::min(any_family, grid_[f * m + c]);
  }
  if (m > 1) {
    put(any_primary, kNaN, any_primary < alpha_);
    put(any_family, kNaN, any_family < alpha_);
  }
}

}  // namespace vtrial
