#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <vector>

#include "app/checkpoint.hpp"
#include "app/sample_size.hpp"
#include "app/trial_plan.hpp"
#include "bindings/cli/commands.hpp"
#include "bindings/cli/common_options.hpp"
#include "bindings/cli/report.hpp"
#include "engine/hdf5_output.hpp"
#include "engine/output_target.hpp"
#include "engine/process_group.hpp"

namespace po = boost::program_options;

namespace vtrial::cli {
namespace {

// "assurance" where the trials drew their unknowns from priors (`uncertainty:`).
const char* measure(const Scenario& scenario) { return scenario.uncertainty ? "assurance" : "power"; }

void print_sweep_table(std::ostream& out, const SweepResult& sweep, const char* measure) {
  int width = 28;
  for (const auto& name : sweep.endpoints) width = std::max(width, static_cast<int>(name.size()));
  char line[400];
  std::snprintf(line, sizeof line, "%-*s %6s %9s  %-17s %9s %9s %9s  %8s %8s %9s %9s\n", width, "endpoint", "N",
                measure, "95% CI", "diff", "SE pair", "SE indep", "P(enr)", "P(done)", "med.days", "screened");
  out << line;
  for (std::size_t e = 0; e < sweep.endpoints.size(); ++e) {
    for (const auto& p : sweep.points) {
      const auto& w = p.power[e];
      char diff[64] = "        -         -         -";
      if (!std::isnan(p.difference[e]))
        std::snprintf(diff, sizeof diff, "%+9.4f %9.4f %9.4f", p.difference[e], p.difference_se_paired[e],
                      p.difference_se_unpaired[e]);
      std::snprintf(line, sizeof line, "%-*s %6lld %9.4f  [%.4f, %.4f] %s  %8.3f %8.3f %9.0f %9.1f\n", width,
                    sweep.endpoints[e].c_str(), static_cast<long long>(p.patients), w.power, w.ci_low, w.ci_high, diff,
                    p.design.p_enrolled_by_deadline, p.design.p_completed_by_deadline, p.design.median_enrollment_days,
                    p.design.mean_screened);
      out << line;
    }
  }
}

Json sweep_json(const SweepResult& sweep) {
  Json points = Json::array();
  for (const auto& p : sweep.points)
    points.push_back({{"patients", p.patients}, {"endpoints", power_json(p.power)}, {"design", design_json(p.design)}});
  return points;
}

void report_sweep(const CommonOptions& common, const Scenario& scenario, const SweepResult& sweep,
                  const std::string& output) {
  if (common.json) {
    const Json out = {{"scenario", scenario.name},
                      {"trials", scenario.simulation.trials},
                      {"seed", scenario.simulation.seed},
                      {"seconds", sweep.seconds},
                      {"output", output},
                      {"power_measure", measure(scenario)},
                      {"sweep", sweep_json(sweep)}};
    std::cout << json_line(out) << "\n";
  } else {
    std::cout << "vtrial sweep  scenario '" << scenario.name << "': " << scenario.simulation.trials
              << " trials per N, common random numbers (seed " << scenario.simulation.seed << ")\n"
              << "diff = power minus power at the previous N; SE pair = its standard error from paired trials; "
                 "SE indep = what independent runs would give\n\n";
    print_sweep_table(std::cout, sweep, measure(scenario));
    std::cout << "\n"
              << sweep.seconds << " s on " << sweep.threads << " threads; results written to " << output << "\n";
  }
}

}  // namespace

int sweep_command(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string patients;
  po::options_description options(
      "vtrial sweep: power and feasibility across sample sizes, on the same virtual patients");
  options.add_options()("patients", po::value(&patients)->required(),
                        "sample sizes: first:last:step (60:140:20) or a list (60,80,100)");
  add_common_options(options, common);
  std::string shard_arg;
  bool resume = false;
  options.add_options()("resume", po::bool_switch(&resume),
                        "continue a stopped sweep from the blocks it kept (refused for another scenario or seed)")(
      "shard", po::value(&shard_arg),
      "K/N: only the K-th of N contiguous ranges of trials, as a shard file for vtrial merge");
  if (!parse_command_line(args, "vtrial sweep SCENARIO --patients 60:140:20 [run options] [--shard K/N]", options,
                          common))
    return 0;
  std::optional<Shard> shard;
  if (std::find(args.begin(), args.end(), "--shard") != args.end() ||
      std::any_of(args.begin(), args.end(), [](const std::string& a) { return a.rfind("--shard=", 0) == 0; })) {
    try {
      shard = parse_shard(shard_arg);
    } catch (const std::invalid_argument& e) {
      throw UsageError{e.what()};
    }
  }
  std::vector<std::int64_t> sizes;
  try {
    sizes = parse_sample_sizes(patients);
  } catch (const std::invalid_argument& e) {
    throw UsageError{e.what()};  // a malformed option, like any other: exit status 2
  }
  const std::optional<Scenario> loaded = load_on_every_rank(common);
  if (!loaded) return 1;
  const Scenario& scenario = *loaded;
  const bool writer = ProcessGroup::world().rank() == 0;  // under mpirun, rank 0 writes and prints
  const std::string output = common.output.empty() ? default_output_path(common.scenario, "_sweep") : common.output;
  check_output_target(output);  // before simulating (run's file is opened first for the same reason)
  if (shard && ProcessGroup::world().distributed())
    throw UsageError{"--shard under mpirun: the ranks already share the trials; give one or the other"};
  if (resume && (shard || ProcessGroup::world().distributed()))
    throw UsageError{"--resume is for a single-process sweep; a stopped shard is run again"};
  if (shard) {
    SimulationOptions shard_options = simulation_options(common);
    shard_options.shard = shard;
    const TrialPlan plan(scenario);
    try {
      run_range(scenario, shard_options);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(e.what());
    }
    write_sweep_shard(output, plan, sizes, shard_options);
    if (common.json)
      std::cout << json_line(Json{{"scenario", scenario.name}, {"shard", shard_text(*shard)}, {"output", output}})
                << "\n";
    else
      std::cout << "vtrial sweep: shard " << shard_text(*shard) << " written to " << output
                << " (join the shards with vtrial merge)\n";
    return 0;
  }
  // A sweep of more than one block keeps its blocks as it goes (app/checkpoint.hpp).
  const bool checkpointed = !ProcessGroup::world().distributed() &&
                            (resume || static_cast<std::size_t>(scenario.simulation.trials) > Hdf5Output::kChunkRows);
  if (checkpointed) {
    const SweepResult sweep = sweep_with_checkpoints(output, scenario, sizes, simulation_options(common), resume);
    report_sweep(common, scenario, sweep, output);
    return 0;
  }
  const SweepResult sweep = sweep_sample_sizes(scenario, sizes, simulation_options(common));
  if (!writer) return 0;
  write_sweep(output, scenario, sweep, "vtrial.sweep");
  report_sweep(common, scenario, sweep, output);
  return 0;
}

int samplesize_command(const std::vector<std::string>& args) {
  CommonOptions common;
  SampleSizeSearch search;
  std::string criterion = "lower";
  po::options_description options("vtrial samplesize: the smallest N whose power reaches a target");
  options.add_options()("endpoint", po::value(&search.endpoint)->default_value("duration_of_viremia"),
                        "endpoint whose power counts")(
      "target-power", po::value(&search.target_power)->default_value(0.8), "target power, in (0, 1)")(
      "step", po::value(&search.step)->default_value(2), "grid of N: multiples of step above --min")(
      "min", po::value(&search.minimum)->default_value(10), "smallest N considered")(
      "max", po::value(&search.maximum)->default_value(1000), "largest N considered")(
      "criterion", po::value(&criterion)->default_value("lower"),
      "lower: the 95% Wilson lower bound of power reaches the target; estimate: the point estimate does");
  add_common_options(options, common);
  if (!parse_command_line(args, "vtrial samplesize SCENARIO --endpoint NAME --target-power 0.8 [options]", options,
                          common))
    return 0;
  if (!(search.target_power > 0 && search.target_power < 1)) throw UsageError{"--target-power must be in (0, 1)"};
  if (search.step < 1 || search.step > 100000) throw UsageError{"--step must be a whole number from 1 to 100000"};
  if (search.minimum < 2 || search.maximum > 100000 || search.maximum < search.minimum)
    throw UsageError{"--min and --max must satisfy 2 <= min <= max <= 100000"};
  if (criterion != "lower" && criterion != "estimate") throw UsageError{"--criterion must be 'lower' or 'estimate'"};
  search.criterion = criterion == "lower" ? PowerCriterion::lower_bound : PowerCriterion::estimate;

  const std::optional<Scenario> loaded = load_on_every_rank(common);
  if (!loaded) return 1;
  const Scenario& scenario = *loaded;
  const std::string output =
      common.output.empty() ? default_output_path(common.scenario, "_samplesize") : common.output;
  check_output_target(output);
  // Under mpirun every rank takes the same steps (each gets every table) and rank 0 writes.
  const SampleSizeResult found = find_sample_size(scenario, search, simulation_options(common));
  if (ProcessGroup::world().rank() != 0) return 0;
  write_sweep(output, scenario, found.evaluated, "vtrial.samplesize");
  const auto& p = found.power;
  if (common.json) {
    const Json out = {{"endpoint", search.endpoint},
                      {"target_power", search.target_power},
                      {"criterion", criterion},
                      {"patients", found.patients},
                      {"power", p.power},
                      {"mc_se", p.mc_se},
                      {"ci_low", p.ci_low},
                      {"ci_high", p.ci_high},
                      {"trials", p.trials},
                      {"output", output},
                      {"power_measure", measure(scenario)},
                      {"evaluated", sweep_json(found.evaluated)}};
    std::cout << json_line(out) << "\n";
  } else {
    std::cout << "vtrial samplesize  scenario '" << scenario.name << "', endpoint " << search.endpoint << ", target "
              << measure(scenario) << " " << search.target_power << " ("
              << (search.criterion == PowerCriterion::lower_bound ? "95% lower bound" : "point estimate")
              << "), N on multiples of " << search.step << " from " << search.minimum << "\n\n";
    print_sweep_table(std::cout, found.evaluated, measure(scenario));
    char line[200];
    std::snprintf(line, sizeof line, "\nsmallest N: %lld patients, %s %.4f [%.4f, %.4f] (%llu trials)\n",
                  static_cast<long long>(found.patients), measure(scenario), p.power, p.ci_low, p.ci_high,
                  static_cast<unsigned long long>(p.trials));
    std::cout << line << "results written to " << output << "\n";
  }
  return 0;
}

}  // namespace vtrial::cli
