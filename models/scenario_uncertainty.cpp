#include "models/scenario_uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "models/stream_purpose.hpp"

namespace vtrial {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Parameters of the families: wide, finite, and short of where the quantile functions lose
// their digits.
const Range kAnyFinite = Range::closed(-1e12, 1e12);
const Range kScale = Range{0, 1e12, true, false};
const Range kShape = Range{0, 1e4, true, false};
const Range kGsd = Range{1, 1e3, true, false};

std::string number(double x) {
  std::ostringstream out;
  out.precision(10);
  out << x;
  return out.str();
}

double required_real(Settings& s, const std::string& at, const std::string& name, const std::string& family,
                     const Range& range) {
  if (!s.has(at + name)) s.fail(at + "distribution", "a " + family + " prior needs '" + name + "'");
  return s.real(at + name, 0, range);
}

PriorDistribution read_prior(Settings& s, const std::string& at) {
  PriorDistribution d;
  if (!s.has(at + "distribution"))
    s.fail(at + "key", "needs a distribution: fixed, normal, lognormal, uniform, beta, gamma or discrete");
  const std::string family =
      s.choice(at + "distribution", "fixed", {"fixed", "normal", "lognormal", "uniform", "beta", "gamma", "discrete"});
  if (family == "fixed") {
    d.family = PriorFamily::fixed;
    d.a = required_real(s, at, "value", family, kAnyFinite);
  } else if (family == "normal") {
    d.family = PriorFamily::normal;
    d.a = required_real(s, at, "mean", family, kAnyFinite);
    d.b = required_real(s, at, "sd", family, kScale);
  } else if (family == "lognormal") {
    d.family = PriorFamily::lognormal;
    d.a = required_real(s, at, "median", family, kScale);
    d.b = required_real(s, at, "gsd", family, kGsd);
  } else if (family == "uniform") {
    d.family = PriorFamily::uniform;
    d.a = required_real(s, at, "low", family, kAnyFinite);
    d.b = required_real(s, at, "high", family, kAnyFinite);
    if (!(d.b > d.a)) s.fail(at + "high", "must be greater than low (" + number(d.a) + ")");
  } else if (family == "beta") {
    d.family = PriorFamily::beta;
    d.a = required_real(s, at, "alpha", family, kShape);
    d.b = required_real(s, at, "beta", family, kShape);
  } else if (family == "gamma") {
    d.family = PriorFamily::gamma;
    d.a = required_real(s, at, "shape", family, kShape);
    d.b = required_real(s, at, "scale", family, kScale);
  } else {
    d.family = PriorFamily::discrete;
    if (!s.has(at + "values")) s.fail(at + "distribution", "a discrete prior needs 'values' and 'weights'");
    d.values = s.real_list(at + "values", {}, kAnyFinite);
    if (d.values.empty() || d.values.size() > 1000) s.fail(at + "values", "expected 1 to 1000 values");
    if (!s.has(at + "weights")) s.fail(at + "distribution", "a discrete prior needs 'weights', one per value");
    d.weights = s.real_list(at + "weights", {}, Range::probability());
    if (d.weights.size() != d.values.size())
      s.fail(at + "weights", "expected one weight per value (" + std::to_string(d.values.size()) + "), got " +
                                 std::to_string(d.weights.size()));
    double total = 0;
    for (double w : d.weights) total += w;
    if (std::abs(total - 1) > 1e-9) s.fail(at + "weights", "must sum to 1, they sum to " + number(total));
    // Sorted by value, so the quantile is the inverse of the cumulative weights.
    std::vector<std::size_t> order(d.values.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t x, std::size_t y) { return d.values[x] < d.values[y]; });
    std::vector<double> v, w;
    for (std::size_t i : order) v.push_back(d.values[i]), w.push_back(d.weights[i]);
    d.values = v;
    d.weights = w;
  }
  if (auto lower = s.optional_real(at + "lower", kAnyFinite)) d.lower = *lower;
  if (auto upper = s.optional_real(at + "upper", kAnyFinite)) d.upper = *upper;
  if (d.truncated()) {
    if (family == "fixed") s.fail(at + "lower", "a fixed prior is not truncated");
    if (!(d.upper > d.lower) && !(family == "discrete" && d.upper == d.lower))
      s.fail(at + "upper", "must be greater than lower (" + number(d.lower) + ")");
    if (!(d.kept_mass() > 1e-9))
      s.fail(at + (std::isfinite(d.lower) ? "lower" : "upper"),
             "the truncation keeps no mass of " + d.describe() + "; widen [lower, upper]");
  }
  return d;
}

// The prior must keep its key inside the key's own range (as `vtrial validate --keys` lists it).
void check_support(Settings& s, const std::string& at, const std::string& key, const PriorDistribution& d,
                   const KeyDomain& domain) {
  const Range& r = domain.range;
  const double lo = d.support_low(), hi = d.support_high();
  const bool low_ok = d.low_reached() ? r.contains(lo) : lo >= r.low;
  const bool high_ok = d.high_reached() ? r.contains(hi) : hi <= r.high;
  if (low_ok && high_ok) return;
  const std::string reach = !low_ok ? number(lo) : number(hi);
  s.fail(at + "distribution", "a " + d.describe() + " prior on " + key + " can reach " + reach +
                                  ", outside what the key accepts (" + r.describe() +
                                  "); truncate it with lower: and upper:, or choose another family");
}

}  // namespace

std::shared_ptr<const ScenarioUncertainty> read_uncertainty(Settings& s,
                                                            const std::vector<std::string>& population_keys) {
  if (!s.has("uncertainty")) return nullptr;
  auto u = std::make_shared<ScenarioUncertainty>();
  const std::size_t n = s.list_size("uncertainty.priors");
  if (n == 0) s.fail("uncertainty", "expected 'priors:', a list of {key, distribution, ...}");
  if (n > 64) s.fail("uncertainty.priors", "at most 64 priors, got " + std::to_string(n));
  std::vector<PriorDistribution> marginals;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string at = "uncertainty.priors." + std::to_string(i) + ".";
    if (!s.has(at + "key")) s.fail(at + "distribution", "needs 'key': the scenario key the prior is on");
    const std::string key = s.text(at + "key", "");
    const KeyDomain* domain = s.domain(key);
    const bool population = std::binary_search(population_keys.begin(), population_keys.end(), key);
    if (!domain || !population)
      s.fail(at + "key", "'" + key + "' is not a key of the patient population; a prior may vary a real-valued key " +
                             "under parametric, mechanistic, enrollment, dropout or an arm's treatment " +
                             "(`vtrial validate SCENARIO --keys` lists them)");
    if (domain->kind != KeyDomain::Kind::real)
      s.fail(at + "key",
             "'" + key + "' takes " + domain->describe + ", not a real number; a prior needs a real-valued key");
    if (std::find(u->keys.begin(), u->keys.end(), key) != u->keys.end())
      s.fail(at + "key", "'" + key + "' has a prior already");
    PriorDistribution d = read_prior(s, at);
    check_support(s, at, key, d, *domain);
    u->keys.push_back(key);
    u->parts |= population_parts_of(key);
    marginals.push_back(std::move(d));
  }
  const std::size_t pairs = s.list_size("uncertainty.correlations");
  if (pairs > 0) {
    u->correlation.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) u->correlation[i * n + i] = 1;
    for (std::size_t c = 0; c < pairs; ++c) {
      const std::string at = "uncertainty.correlations." + std::to_string(c) + ".";
      const auto pair = s.text_list(at + "keys", {}, u->keys);
      if (pair.size() != 2 || pair[0] == pair[1]) s.fail(at + "keys", "expected two different keys with priors");
      const double rho = s.real(at + "rho", 0, Range{-1, 1, true, true});
      const auto index = [&](const std::string& k) {
        return static_cast<std::size_t>(std::find(u->keys.begin(), u->keys.end(), k) - u->keys.begin());
      };
      const std::size_t a = index(pair[0]), b = index(pair[1]);
      u->correlation[a * n + b] = u->correlation[b * n + a] = rho;
    }
  }
  try {
    u->prior = JointPrior(marginals, u->correlation);
  } catch (const std::invalid_argument& e) {
    s.fail("uncertainty.correlations", e.what());
  }
  u->bins = s.integer("uncertainty.bins", u->bins, 2, 50);
  return u;
}

void check_uncertain_scenario(Settings& s, Scenario& sc) {
  // The replay needs the finished full read: every key has been asked for by now.
  auto full = std::make_shared<Settings>(s);
  full->keep_own_records();
  auto u = std::make_shared<ScenarioUncertainty>(*sc.uncertainty);
  u->settings = full;
  sc.uncertainty = u;
  const auto& marginals = u->prior.marginals();
  std::vector<double> medians;
  for (const auto& m : marginals) medians.push_back(m.quantile(0.5));
  UncertainScenario probe(sc);
  for (std::size_t i = 0; i < marginals.size(); ++i)
    for (const double q : {1e-9, 1 - 1e-9}) {
      std::vector<double> values = medians;
      values[i] = marginals[i].quantile(q);
      const std::string at = "uncertainty.priors." + std::to_string(i) + ".distribution";
      try {
        const Scenario& drawn = probe.with_values(values);
        if (drawn.model == PatientModelKind::mechanistic) {
          Settings replay = full->replay(u->keys);
          replay.set_replayed(values);
          check_eligible_share(replay, drawn.mechanistic);
        }
      } catch (const SettingsError& e) {
        s.fail(at, "draws of " + u->keys[i] + " reach " + number(values[i]) + " (its prior's " +
                       (q < 0.5 ? "low" : "high") + " end), where the scenario is refused: " + e.what());
      }
    }
  // Constraints between two uncertain keys fail at a corner where both are at an end: every
  // corner of up to 12 priors (4096 replays of microseconds each).
  const std::size_t k = marginals.size();
  if (k < 2 || k > 12) return;
  for (std::size_t corner = 0; corner < (std::size_t{1} << k); ++corner) {
    std::vector<double> values(k);
    std::string where;
    for (std::size_t i = 0; i < k; ++i) {
      const bool high = (corner >> i) & 1;
      values[i] = marginals[i].quantile(high ? 1 - 1e-9 : 1e-9);
      where += (i ? ", " : "") + u->keys[i] + " = " + number(values[i]);
    }
    try {
      probe.with_values(values);
    } catch (const SettingsError& e) {
      s.fail("uncertainty.priors",
             "draws can reach " + where + " together, where the scenario is refused: " + e.what());
    }
  }
}

UncertainScenario::UncertainScenario(const Scenario& base)
    : scenario_(base),
      replay_(base.uncertainty->settings->replay(base.uncertainty->keys)),
      parts_(base.uncertainty->parts),
      values_(base.uncertainty->keys.size()) {}

UncertainScenario::UncertainScenario(const UncertainScenario& other)
    : scenario_(other.scenario_),
      replay_(other.replay_.replay(other.scenario_.uncertainty->keys)),
      parts_(other.parts_),
      values_(other.values_) {}

const Scenario& UncertainScenario::with_values(std::span<const double> values) {
  std::copy(values.begin(), values.end(), values_.begin());
  read_values_.clear();  // a read that throws leaves scenario_ part rewritten: never reuse it
  replay_.set_replayed(values_);
  read_patient_population(replay_, scenario_, parts_);
  read_values_ = values_;
  changed_ = true;
  return scenario_;
}

const Scenario& UncertainScenario::for_trial(std::uint64_t trial) {
  scenario_.uncertainty->prior.draw(scenario_.simulation.seed, trial, purpose_id(StreamPurpose::parameter_draw),
                                    values_);
  // Compared bit for bit (a -0 is not a 0 to every formula): the same bits read the same scenario.
  changed_ = read_values_.size() != values_.size() ||
             std::memcmp(read_values_.data(), values_.data(), values_.size() * sizeof(double)) != 0;
  if (!changed_) return scenario_;
  read_values_.clear();  // as in with_values
  replay_.set_replayed(values_);
  read_patient_population(replay_, scenario_, parts_);
  read_values_ = values_;
  return scenario_;
}

}  // namespace vtrial
