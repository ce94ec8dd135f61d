#include "app/uncertainty_tables.hpp"

#include <cmath>
#include <cstdio>

#include "models/calibration.hpp"
#include "models/scenario_uncertainty.hpp"

namespace vtrial {
namespace {

ResultGroup priors_group(const ScenarioUncertainty& u) {
  const auto& marginals = u.prior.marginals();
  ResultGroup g{"uncertainty/priors",
                {{"key", {}}, {"distribution", {}}, {"family", {}}},
                ResultTable({{"median", ColumnType::real}, {"low", ColumnType::real}, {"high", ColumnType::real}},
                            marginals.size())};
  for (std::size_t i = 0; i < marginals.size(); ++i) {
    g.strings[0].second.push_back(u.keys[i]);
    g.strings[1].second.push_back(marginals[i].describe());
    g.strings[2].second.push_back(prior_family_name(marginals[i].family));
    g.table.at(0, i) = marginals[i].quantile(0.5);
    g.table.at(1, i) = marginals[i].support_low();
    g.table.at(2, i) = marginals[i].support_high();
  }
  return g;
}

ResultGroup conditional_group(const SensitivityResult& s) {
  const auto& c = s.conditional;
  ResultGroup g{"uncertainty/conditional",
                {{"key", {}}, {"endpoint", {}}},
                ResultTable({{"bin", ColumnType::integer},
                             {"low", ColumnType::real},
                             {"high", ColumnType::real},
                             {"trials", ColumnType::integer},
                             {"effective_trials", ColumnType::real},
                             {"rejections", ColumnType::integer},
                             {"power", ColumnType::real},
                             {"ci_low", ColumnType::real},
                             {"ci_high", ColumnType::real}},
                            c.size())};
  for (std::size_t r = 0; r < c.size(); ++r) {
    g.strings[0].second.push_back(c[r].input);
    g.strings[1].second.push_back(c[r].outcome);
    std::size_t k = 0;
    for (double v : {double(c[r].bin), c[r].low, c[r].high, double(c[r].trials), c[r].effective_trials,
                     double(c[r].successes), c[r].power, c[r].ci_low, c[r].ci_high})
      g.table.at(k++, r) = v;
  }
  return g;
}

ResultGroup drivers_group(const SensitivityResult& s) {
  const auto& v = s.shares;
  ResultGroup g{"uncertainty/drivers",
                {{"key", {}}, {"endpoint", {}}},
                ResultTable({{"share", ColumnType::real}, {"mc_se", ColumnType::real}}, v.size())};
  for (std::size_t r = 0; r < v.size(); ++r) {
    g.strings[0].second.push_back(v[r].input);
    g.strings[1].second.push_back(v[r].outcome);
    g.table.at(0, r) = v[r].share;
    g.table.at(1, r) = v[r].mc_se;
  }
  return g;
}

void add_calibration_groups(std::vector<ResultGroup>& out, const Scenario& sc, const PosteriorResult& post) {
  const auto& spec = *sc.calibration;
  const auto& keys = sc.uncertainty->keys;
  ResultGroup summary{
      "calibration/summary",
      {{"method",
        {"ABC importance sampling from the prior; Gaussian kernel of each target's sd "
         "(docs/assurance.md)"}}},
      ResultTable(
          {{"trials", ColumnType::integer}, {"weight_sum", ColumnType::real}, {"effective_trials", ColumnType::real}},
          1)};
  summary.table.at(0, 0) = static_cast<double>(post.trials);
  summary.table.at(1, 0) = post.weight_sum;
  summary.table.at(2, 0) = post.effective_trials;
  out.push_back(std::move(summary));

  ResultGroup targets{"calibration/targets",
                      {{"name", {}}, {"statistic", {}}, {"source", {}}},
                      ResultTable({{"day", ColumnType::real},
                                   {"value", ColumnType::real},
                                   {"sd", ColumnType::real},
                                   {"patients", ColumnType::integer},
                                   {"prior_mean", ColumnType::real},
                                   {"posterior_mean", ColumnType::real},
                                   {"missing", ColumnType::integer}},
                                  spec.targets.size())};
  for (std::size_t j = 0; j < spec.targets.size(); ++j) {
    const auto& t = spec.targets[j];
    const auto& v = post.values[keys.size() + j];
    const bool share = t.statistic == CalibrationStatistic::share_negative_by_day;
    targets.strings[0].second.push_back(t.name);
    targets.strings[1].second.push_back(share ? "share_negative_by_day" : "median_days_to_negative");
    targets.strings[2].second.push_back(t.source);
    std::size_t c = 0;
    for (double x : {share ? t.day : std::nan(""), t.value, t.sd, double(t.patients), v.prior.mean, v.posterior.mean,
                     double(v.missing)})
      targets.table.at(c++, j) = x;
  }
  out.push_back(std::move(targets));

  std::vector<ColumnSpec> columns{{"prior_mean", ColumnType::real},
                                  {"prior_sd", ColumnType::real},
                                  {"posterior_mean", ColumnType::real},
                                  {"posterior_sd", ColumnType::real}};
  for (const char* which : {"prior", "posterior"})
    for (double level : kPosteriorLevels) {
      char name[32];
      std::snprintf(name, sizeof name, "%s_q%g", which, 100 * level);
      columns.push_back({name, ColumnType::real});
    }
  ResultGroup posterior{"calibration/posterior", {{"key", keys}}, ResultTable(columns, keys.size())};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto& v = post.values[i];
    std::size_t c = 0;
    for (double x : {v.prior.mean, v.prior.sd, v.posterior.mean, v.posterior.sd}) posterior.table.at(c++, i) = x;
    for (double x : v.prior.quantiles) posterior.table.at(c++, i) = x;
    for (double x : v.posterior.quantiles) posterior.table.at(c++, i) = x;
  }
  out.push_back(std::move(posterior));
}

}  // namespace

std::vector<ResultGroup> uncertainty_groups(const TrialPlan& plan, const UncertaintyResult& uncertainty) {
  const Scenario& sc = plan.scenario();
  std::vector<ResultGroup> out;
  if (!sc.uncertainty) return out;
  out.push_back(priors_group(*sc.uncertainty));
  if (!sc.uncertainty->correlation.empty()) {
    const auto& rho = sc.uncertainty->correlation;
    ResultGroup g{"uncertainty/correlation", {}, ResultTable({{"rho", ColumnType::real}}, rho.size())};
    for (std::size_t i = 0; i < rho.size(); ++i) g.table.at(0, i) = rho[i];
    out.push_back(std::move(g));
  }
  out.push_back(conditional_group(uncertainty.sensitivity));
  out.push_back(drivers_group(uncertainty.sensitivity));
  if (sc.calibration && uncertainty.posterior) add_calibration_groups(out, sc, *uncertainty.posterior);
  return out;
}

}  // namespace vtrial
