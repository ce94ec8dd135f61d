#include "app/sample_size.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>

#include "app/sweep_tally.hpp"
#include "app/trial_plan.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/monte_carlo_runner.hpp"
#include "engine/output_target.hpp"
#include "engine/process_group.hpp"
#include "engine/progress_bar.hpp"

namespace vtrial {
namespace {

std::int64_t parse_count(const std::string& text, const std::string& whole) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty())
    throw std::invalid_argument("--patients " + whole + ": '" + text + "' is not a whole number");
  return value;
}

SweepPoint point_from(const TrialPlan& plan, const ResultTable& trials, std::int64_t patients,
                      const std::vector<std::string>& endpoints, std::size_t looks) {
  SweepPoint p;
  p.patients = patients;
  p.power = plan.describe(summarize_power(trials, plan.tallied_names(), plan.weight_column()));
  p.design = plan.describe(summarize_design(trials, looks, plan.descriptive_names()));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  p.difference.assign(endpoints.size(), nan);
  p.difference_se_paired.assign(endpoints.size(), nan);
  p.difference_se_unpaired.assign(endpoints.size(), nan);
  return p;
}

// Paired differences of the 0/1 rejections, trial by trial, between two sample sizes. With a
// calibration's importance weights (`weight` names their column), the weighted mean difference
// and its self-normalized importance-sampling SE; the unpaired SE then uses the effective trials.
void compare_with_previous(SweepPoint& current, const ResultTable& now, const SweepPoint& previous,
                           const ResultTable& before, const std::vector<std::string>& endpoints,
                           const std::string& weight) {
  double n = static_cast<double>(now.rows());
  for (std::size_t e = 0; e < endpoints.size(); ++e) {
    const auto& a = now.column(endpoints[e] + "_reject");
    const auto& b = before.column(endpoints[e] + "_reject");
    if (!weight.empty()) {
      // As SweepTally: sqrt(sum w^2 (d - m)^2) / sum w in one pass.
      const auto& w = now.column(weight);
      double sw = 0, sw2 = 0, swd = 0, sw2d = 0, sw2d2 = 0;
      for (std::size_t t = 0; t < a.size(); ++t) {
        const double d = a[t] - b[t], ww = w[t] * w[t];
        sw += w[t], sw2 += ww, swd += w[t] * d, sw2d += ww * d, sw2d2 += ww * d * d;
      }
      const double mean = sw > 0 ? swd / sw : std::nan("");
      current.difference[e] = mean;
      current.difference_se_paired[e] = std::sqrt(std::max(0.0, sw2d2 - 2 * mean * sw2d + mean * mean * sw2)) / sw;
      n = sw2 > 0 ? sw * sw / sw2 : 0;
    } else {
      double sum = 0, sum_sq = 0;
      for (std::size_t t = 0; t < a.size(); ++t) {
        const double d = a[t] - b[t];
        sum += d;
        sum_sq += d * d;
      }
      const double mean = sum / n;
      const double var = n > 1 ? (sum_sq - n * mean * mean) / (n - 1) : 0;
      current.difference[e] = mean;
      current.difference_se_paired[e] = std::sqrt(var / n);
    }
    const double p1 = current.power[e].power, p0 = previous.power[e].power;
    current.difference_se_unpaired[e] = std::sqrt(p1 * (1 - p1) / n + p0 * (1 - p0) / n);
  }
}

}  // namespace

// What a command holds per trial and sample size (a sweep's block of kept rows, a sample-size
// search's rejections per N tried, a sweep shard's tables), bounded before anything runs.
void check_table_memory(const TrialPlan& plan, std::size_t tables, const std::string& command, std::size_t columns,
                        std::size_t rows) {
  constexpr double kMaxBytes = 4.0 * (1ULL << 30);
  const double bytes = static_cast<double>(rows ? rows : plan.scenario().simulation.trials) *
                       static_cast<double>(columns ? columns : plan.columns().size()) * 8.0 *
                       static_cast<double>(tables);
  if (bytes > kMaxBytes) {
    char text[200];
    std::snprintf(text, sizeof text, "%.1f GB", bytes / 1e9);
    throw std::invalid_argument("simulation.trials: " + command + " keeps every trial's results for each of " +
                                std::to_string(tables) + " sample sizes (in memory, or on disk in its kept blocks), " +
                                text + " here; at most 4.3 GB (use fewer trials or sample sizes, or vtrial run per N)");
  }
}

std::vector<std::int64_t> parse_sample_sizes(const std::string& text) {
  std::vector<std::int64_t> sizes;
  // getline drops a trailing empty field ("60," would read as "60"): refuse it explicitly.
  if (!text.empty() && (text.back() == ',' || text.back() == ':'))
    throw std::invalid_argument("--patients " + text + ": ends with '" + text.back() +
                                "'; expected first:last:step (60:140:20) or a list (60,80,100)");
  if (text.find(':') != std::string::npos) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
    if (parts.size() != 3)
      throw std::invalid_argument("--patients " + text + ": expected first:last:step, e.g. 60:140:20");
    const auto first = parse_count(parts[0], text), last = parse_count(parts[1], text),
               step = parse_count(parts[2], text);
    if (step <= 0 || last < first)
      throw std::invalid_argument("--patients " + text + ": need first <= last and a positive step");
    // Checked before any size is made, so neither n += step nor the list can run away.
    if (first < 2 || last > 100000)
      throw std::invalid_argument("--patients " + text + ": every sample size must be from 2 to 100000");
    if ((last - first) / step >= 200) throw std::invalid_argument("--patients " + text + ": at most 200 sample sizes");
    for (std::int64_t i = 0; i <= (last - first) / step; ++i) sizes.push_back(first + i * step);
  } else {
    if (std::count(text.begin(), text.end(), ',') >= 200)
      throw std::invalid_argument("--patients: at most 200 sample sizes");
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) sizes.push_back(parse_count(part, text));
  }
  if (sizes.empty()) throw std::invalid_argument("--patients: give at least one sample size");
  if (sizes.size() > 200) throw std::invalid_argument("--patients " + text + ": at most 200 sample sizes");
  for (auto n : sizes)
    if (n < 2 || n > 100000)
      throw std::invalid_argument("--patients " + text + ": every sample size must be from 2 to 100000");
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  return sizes;
}

SweepResult sweep_sample_sizes(const Scenario& scenario, std::vector<std::int64_t> sample_sizes,
                               const SimulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::sort(sample_sizes.begin(), sample_sizes.end());
  SweepResult result;
  const TrialPlan plan(scenario);
  // Block by block: memory is one block's tables (two while the next is simulated), whatever
  // the number of trials.
  if (options.group && options.group->distributed()) {
    // Every rank gets every table from the others (app/distributed_run.hpp).
    check_table_memory(plan, sample_sizes.size(), "vtrial sweep");
    result = sweep_from_tables(plan, sample_sizes, simulate_sample_sizes(plan, sample_sizes, options));
  } else {
    SweepTally tally(plan, sample_sizes);
    simulate_sample_sizes(
        plan, sample_sizes, options, kSweepBlockTrials,
        [&](const std::vector<ResultTable>& tables, std::size_t, std::size_t rows) { tally.add(tables, rows); });
    result = tally.result();
  }
  result.threads = resolve_threads(options.threads);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

SweepResult sweep_from_tables(const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                              const std::vector<ResultTable>& tables) {
  SweepTally tally(plan, sample_sizes);
  tally.add(tables, tables.empty() ? 0 : tables.front().rows());
  return tally.result();
}

std::string sweep_group(std::int64_t patients) { return "sweep_trials_n" + std::to_string(patients); }

void write_sweep_shard(const std::string& path, const TrialPlan& plan, const std::vector<std::int64_t>& sample_sizes,
                       const SimulationOptions& options) {
  const Scenario& scenario = plan.scenario();
  const TrialRange range = run_range(scenario, options);
  check_output_target(path);
  check_table_memory(plan, sample_sizes.size(), "vtrial sweep");
  const auto tables = simulate_sample_sizes(plan, sample_sizes, options);
  Hdf5Output out(path);
  write_run_attributes(out, scenario, "vtrial.shard");
  write_shard_attributes(out, *options.shard, range);
  out.root_attribute("shard_of", std::string("vtrial.sweep"));
  std::string sizes;
  for (auto n : sample_sizes) sizes += (sizes.empty() ? "" : ",") + std::to_string(n);
  out.root_attribute("patients", sizes);
  write_schema(out, plan);
  for (std::size_t i = 0; i < sample_sizes.size(); ++i) out.write_table(sweep_group(sample_sizes[i]), tables[i]);
  out.commit();
}

SampleSizeResult find_sample_size(const Scenario& scenario, const SampleSizeSearch& search,
                                  const SimulationOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  // Bounded so that the grid arithmetic below cannot overflow and N stays a valid trial size.
  if (search.step < 1 || search.step > 100000 || search.minimum < 2 || search.maximum > 100000 ||
      search.maximum < search.minimum)
    throw std::invalid_argument("sample-size search: need 1 <= step <= 100000 and 2 <= min <= max <= 100000");
  const TrialPlan plan(scenario);
  // At most one N per doubling and one per halving of the bracket on the grid of 100,000.
  check_table_memory(plan, 36, "vtrial samplesize", plan.power_names().size() + 1);
  const auto& endpoints = plan.power_names();
  const auto e =
      static_cast<std::size_t>(std::find(endpoints.begin(), endpoints.end(), search.endpoint) - endpoints.begin());
  if (e == endpoints.size()) {
    std::string list;
    for (const auto& name : endpoints) list += (list.empty() ? "" : ", ") + name;
    throw std::invalid_argument("--endpoint " + search.endpoint + ": not an endpoint of this scenario; choose from " +
                                list);
  }
  // N on the grid minimum + k step, never above the largest grid point not above the maximum
  // (the command line keeps step, minimum and maximum within 1..100000, so nothing overflows).
  const std::int64_t last_on_grid = search.minimum + (search.maximum - search.minimum) / search.step * search.step;
  const auto on_grid = [&](std::int64_t n) {
    return std::min(last_on_grid, search.minimum + (n - search.minimum + search.step - 1) / search.step * search.step);
  };
  // The columns kept per N tried: each result's rejections, and the calibration's weights.
  std::vector<ColumnSpec> narrow;
  std::vector<std::size_t> narrow_from;
  for (const auto& name : endpoints) narrow.push_back({name + "_reject", ColumnType::integer});
  if (!plan.weight_column().empty()) narrow.push_back({plan.weight_column(), ColumnType::real});
  for (const auto& c : narrow) narrow_from.push_back(column_index(plan.columns(), c.name));
  std::map<std::int64_t, std::pair<ResultTable, SweepPoint>> evaluated;
  const auto meets = [&](std::int64_t n) {
    if (!evaluated.count(n)) {
      // A bar per N tried: how many the search needs is not known in advance.
      ProgressBar bar(static_cast<std::size_t>(plan.scenario().simulation.trials),
                      options.progress && stderr_is_terminal(), "N = " + std::to_string(n) + " ");
      SimulationOptions at_n = options;
      at_n.bar = &bar;
      // Tallied block by block; of the rows only the rejections (and weights) are kept, for the
      // paired differences between the N tried.
      ResultTable kept(narrow, static_cast<std::size_t>(plan.scenario().simulation.trials));
      PowerTally power(plan.columns(), plan.tallied_names(), plan.weight_column());
      DesignTally design(plan.columns(), plan.looks(), plan.descriptive_names());
      const auto take = [&](const ResultTable& block, std::size_t at, std::size_t rows) {
        power.add(block, rows);
        design.add(block, rows);
        for (std::size_t c = 0; c < narrow.size(); ++c) {
          const auto& from = block.column(narrow_from[c]);
          for (std::size_t r = 0; r < rows; ++r) kept.at(c, at + r) = from[r];
        }
      };
      if (options.group && options.group->distributed()) {
        const auto tables = simulate_sample_sizes(plan, {n}, at_n);
        take(tables.front(), 0, tables.front().rows());
      } else {
        simulate_sample_sizes(plan, {n}, at_n, kSweepBlockTrials,
                              [&](const std::vector<ResultTable>& tables, std::size_t first, std::size_t rows) {
                                take(tables.front(), first, rows);
                              });
      }
      SweepPoint point;
      point.patients = n;
      point.power = plan.describe(power.result());
      point.design = plan.describe(design.result());
      const double nan = std::numeric_limits<double>::quiet_NaN();
      point.difference.assign(endpoints.size(), nan);
      point.difference_se_paired.assign(endpoints.size(), nan);
      point.difference_se_unpaired.assign(endpoints.size(), nan);
      evaluated.emplace(n, std::make_pair(std::move(kept), std::move(point)));
    }
    const EndpointPower& p = evaluated.at(n).second.power[e];
    return (search.criterion == PowerCriterion::lower_bound ? p.ci_low : p.power) >= search.target_power;
  };

  // Bracket: lo fails (or is below the minimum), hi meets.
  std::int64_t lo = search.minimum - search.step, hi = search.minimum;
  while (!meets(hi)) {
    if (hi >= last_on_grid)
      throw std::runtime_error("the target power " + std::to_string(search.target_power) + " for " + search.endpoint +
                               " is not reached at " + std::to_string(last_on_grid) +
                               " patients, the largest N on the grid not above --max " +
                               std::to_string(search.maximum) + " (raise --max, or check the effect size)");
    lo = hi;
    hi = on_grid(2 * hi);
  }
  while (hi - lo > search.step) {
    const std::int64_t mid = on_grid(lo + (hi - lo) / 2);
    if (mid <= lo || mid >= hi) break;
    (meets(mid) ? hi : lo) = mid;
  }

  SampleSizeResult result;
  result.patients = hi;
  result.power = evaluated.at(hi).second.power[e];
  result.evaluated.endpoints = endpoints;
  const SweepPoint* previous = nullptr;
  const ResultTable* previous_table = nullptr;
  for (auto& [n, entry] : evaluated) {
    SweepPoint point = entry.second;
    if (previous)
      compare_with_previous(point, entry.first, *previous, *previous_table, endpoints, plan.weight_column());
    result.evaluated.points.push_back(point);
    previous = &entry.second;
    previous_table = &entry.first;
  }
  result.evaluated.threads = resolve_threads(options.threads);
  result.evaluated.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void write_sweep(const std::string& path, const Scenario& scenario, const SweepResult& sweep,
                 const std::string& filetype) {
  const std::vector<ColumnSpec> cols = {
      {"patients", ColumnType::integer},
      {"power", ColumnType::real},
      {"mc_se", ColumnType::real},
      {"ci_low", ColumnType::real},
      {"ci_high", ColumnType::real},
      {"difference", ColumnType::real},
      {"difference_se_paired", ColumnType::real},
      {"difference_se_unpaired", ColumnType::real},
      {"p_enrolled_by_deadline", ColumnType::real},
      {"p_completed_by_deadline", ColumnType::real},
      {"median_enrollment_days", ColumnType::real},
      {"mean_screened", ColumnType::real},
      {"mean_patients", ColumnType::real},
  };
  ResultTable table(cols, sweep.points.size() * sweep.endpoints.size());
  std::vector<std::string> names;
  std::size_t row = 0;
  for (const auto& p : sweep.points) {
    for (std::size_t e = 0; e < sweep.endpoints.size(); ++e, ++row) {
      names.push_back(sweep.endpoints[e]);
      const auto& w = p.power[e];
      std::size_t c = 0;
      for (double v :
           {double(p.patients), w.power, w.mc_se, w.ci_low, w.ci_high, p.difference[e], p.difference_se_paired[e],
            p.difference_se_unpaired[e], p.design.p_enrolled_by_deadline, p.design.p_completed_by_deadline,
            p.design.median_enrollment_days, p.design.mean_screened, p.design.mean_patients})
        table.at(c++, row) = v;
    }
  }
  Hdf5Output out(path);
  write_run_attributes(out, scenario, filetype);
  out.write_strings("sweep", "endpoint", names);
  out.write_table("sweep", table);
  out.commit();
}

}  // namespace vtrial
