#include "models/scenario_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "engine/settings.hpp"
#include "models/endpoint_catalog.hpp"
#include "models/outcomes.hpp"

namespace vtrial {
namespace {

bool contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

void read_analysis(Settings& s, Scenario& sc) {
  auto& a = sc.analysis;
  a.alpha = s.real("analysis.alpha", a.alpha, Range::open_unit());
  const std::vector<EndpointSpec> declared = read_endpoints(s, trial_outcomes(), sc.arms, endpoint_catalog());
  // By default every declared endpoint whose outcome this model fills (so one scenario serves
  // both models); naming one the model cannot fill is an error listing those it can.
  std::vector<std::string> available;
  for (const auto& e : declared)
    if (model_fills(sc.model, e.outcome)) available.push_back(e.name);
  if (available.empty()) {
    std::string filled;
    for (const auto& o : trial_outcomes())
      if (model_fills(sc.model, o.name)) filled += (filled.empty() ? "" : ", ") + o.name;
    s.fail("endpoints", "no declared endpoint reads an outcome this patient model fills (" + filled + ")");
  }
  a.endpoints = s.text_list("analysis.endpoints", available, available);
  if (a.endpoints.empty()) s.fail("analysis.endpoints", "name at least one endpoint");
  sc.endpoints.clear();
  for (const auto& e : declared)
    if (contains(a.endpoints, e.name)) sc.endpoints.push_back(e);
  // analysis.endpoints may list them in another order; the run computes them in this order.
  a.endpoints.clear();
  for (const auto& e : sc.endpoints) a.endpoints.push_back(e.name);

  const std::string primary_default = contains(a.endpoints, kCatalogPrimary) ? kCatalogPrimary : a.endpoints.front();
  a.primary = s.choice("analysis.primary", primary_default, a.endpoints);
  // The protocol's key secondaries by default, where computed and testing the primary's
  // comparisons (a family needs the same comparisons throughout).
  const auto declared_comparisons = [&](const std::string& name) {
    for (const auto& e : sc.endpoints)
      if (e.name == name) return e.comparisons;
    return std::vector<Comparison>{};
  };
  std::vector<std::string> secondary_default;
  for (const auto& name : kCatalogKeySecondary)
    if (name != a.primary && contains(a.endpoints, name) &&
        declared_comparisons(name) == declared_comparisons(a.primary))
      secondary_default.push_back(name);
  a.key_secondary = s.text_list("analysis.key_secondary", secondary_default, a.endpoints);
  const auto index_of = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(a.endpoints.begin(), a.endpoints.end(), name) - a.endpoints.begin());
  };
  a.family.endpoints = {index_of(a.primary)};
  const auto& primary = sc.endpoints[a.family.endpoints.front()];
  for (const auto& k : a.key_secondary) {
    if (k == a.primary) s.fail("analysis.key_secondary", "must not repeat the primary endpoint '" + k + "'");
    if (std::count(a.key_secondary.begin(), a.key_secondary.end(), k) > 1)
      s.fail("analysis.key_secondary", "'" + k + "' is listed twice");
    if (sc.endpoints[index_of(k)].comparisons != primary.comparisons)
      s.fail("analysis.key_secondary", "'" + k + "' must test the same comparisons as the primary '" + a.primary + "'");
    a.family.endpoints.push_back(index_of(k));
  }
  a.family.across_endpoints = s.choice("analysis.multiplicity", "fixed_sequence", {"fixed_sequence", "holm"}) == "holm"
                                  ? EndpointMultiplicity::holm
                                  : EndpointMultiplicity::fixed_sequence;
  a.family.across_comparisons =
      s.choice("analysis.comparison_multiplicity", "holm", {"holm", "bonferroni"}) == "bonferroni"
          ? ComparisonMultiplicity::bonferroni
          : ComparisonMultiplicity::holm;

  a.interim = read_interim_plan(s);
  a.descriptive = s.boolean("analysis.descriptive", a.descriptive);
  a.type1_error = s.boolean("analysis.type1_error", a.type1_error);
  // The monitor runs the log-rank test of the time to negativity of arm 1 against arm 0.
  if (a.interim.enabled &&
      (primary.outcome != "time_to_negative" || primary.test != "logrank" || std::isfinite(primary.horizon_days) ||
       sc.arms.size() != 2 || primary.comparisons.size() != 1 || primary.comparisons.front() != Comparison{1, 0}))
    s.fail("analysis.interim.enabled",
           "interim analyses monitor a two-arm log-rank test of time_to_negative, the second arm against the first "
           "(the control) with no horizon; the primary '" +
               a.primary + "' is not one");
}

}  // namespace vtrial
