// The functions the R package calls (.Call through RcppExports). Each loads the scenario as the
// command line does, runs the same C++ core and returns plain R lists that R/ turns into data
// frames. The R side has checked every argument's type; what only the core can judge (a key, a
// value, an output path) is judged here. No C++ exception and no R jump crosses the other's
// frames: a failure comes back as a list of class vtrial_failure (its kind and message), which
// R/ raises as a condition, and Ctrl-C as the kind "interrupt".
// HDF5 is called on R's thread only: hdf5r's error handler leaves a failed call by an R jump,
// which keeps the (recursive) lock of Debian's thread-safe HDF5 held by R's thread, so any other
// thread would wait for it forever. Simulation runs on a thread of its own (interruptible.hpp);
// files are written after it, here.
#include <cstdint>
#include <filesystem>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/merge.hpp"
#include "app/provenance.hpp"
#include "app/sample_size.hpp"
#include "app/scenario_input.hpp"
#include "app/shard.hpp"
#include "app/simulation.hpp"
#include "app/trial_plan.hpp"
#include "app/uncertainty_tables.hpp"
#include "engine/cancellation.hpp"
#include "engine/output_target.hpp"
#include "engine/settings.hpp"
#include "interruptible.hpp"
#include "results_to_r.hpp"

namespace vtrial::r {
namespace {

// A bad argument found here: the kind "argument".
struct ArgumentError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Rcpp::List failure(const std::string& kind, const std::string& message) {
  Rcpp::List out = Rcpp::List::create(Rcpp::Named("kind") = kind,
                                      Rcpp::Named("message") = Rcpp::String(message, CE_UTF8));
  out.attr("class") = "vtrial_failure";
  return out;
}

template <class F>
SEXP guarded(F&& f) {
  try {
    return f();
  } catch (const RunCancelled&) {
    return failure("interrupt", "interrupted");
  } catch (const ArgumentError& e) {
    return failure("argument", e.what());
  } catch (const SettingsError& e) {
    return failure("scenario", e.what());
  } catch (const std::invalid_argument& e) {
    return failure("scenario", e.what());
  } catch (const std::bad_alloc&) {
    return failure("memory", "out of memory");
  } catch (const std::exception& e) {
    return failure("runtime", e.what());
  }
}

// Reading a device or a pipe as a scenario would never end or read nothing; a directory, a
// missing file and one too large are refused by the loader itself.
void check_scenario_path(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!ec && fs::exists(status) && !fs::is_directory(status) && !fs::is_regular_file(status))
    throw ArgumentError("scenario " + path + ": not a regular file (a device, pipe or socket); give a scenario file");
}

// "" = none. Refused before anything is simulated, by the rules of the file's final rename.
std::optional<std::string> output_path(const std::string& path) {
  if (path.empty()) return std::nullopt;
  try {
    check_output_target(path);
  } catch (const std::runtime_error& e) {
    const std::string why = e.what();
    throw ArgumentError(why.rfind("output", 0) == 0 ? why : "output: " + why);
  }
  namespace fs = std::filesystem;
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::is_directory(parent, ec))
    throw ArgumentError("output " + path + ": there is no directory " + parent.string());
  return path;
}

// `set`: "key=value" assignments as vtrial --set takes them; trials and seed "" when not given.
Scenario load(const std::string& path, const std::vector<std::string>& set, const std::string& trials,
              const std::string& seed) {
  check_scenario_path(path);
  ScenarioOverrides overrides;
  overrides.assignments = set;
  if (!trials.empty()) overrides.trials = trials;
  if (!seed.empty()) overrides.seed = seed;
  return load_scenario(path, overrides);
}

SimulationOptions options_with(int threads) {
  SimulationOptions options;  // no progress bar: R prints nothing from C++
  options.threads = threads;
  return options;
}

// A seed above 2^53 is not a double: then as text.
Rcpp::RObject seed_value(std::uint64_t seed) {
  if (seed <= (std::uint64_t{1} << 53)) return Rcpp::wrap(static_cast<double>(seed));
  return Rcpp::wrap(std::to_string(seed));
}

Rcpp::List arms_columns(const Scenario& scenario) {
  Rcpp::CharacterVector name;
  Rcpp::IntegerVector ratio;
  Rcpp::LogicalVector control;
  for (const auto& arm : scenario.arms) {
    name.push_back(Rcpp::String(arm.name, CE_UTF8));
    ratio.push_back(static_cast<int>(arm.ratio));
    control.push_back(arm.control);
  }
  return Rcpp::List::create(Rcpp::Named("name") = name, Rcpp::Named("ratio") = ratio,
                            Rcpp::Named("control") = control);
}

Rcpp::RObject text_or_null(const std::optional<std::string>& text) {
  return text ? Rcpp::RObject(Rcpp::wrap(*text)) : Rcpp::RObject(R_NilValue);
}

Rcpp::List sweep_result(const SweepResult& sweep, const Scenario& scenario) {
  Rcpp::List out = sweep_list(sweep);
  out["trials"] = static_cast<double>(scenario.simulation.trials);
  out["seed"] = seed_value(scenario.simulation.seed);
  out["scenario"] = Rcpp::String(scenario.resolved_yaml, CE_UTF8);
  return out;
}

}  // namespace
}  // namespace vtrial::r

using namespace vtrial;
using namespace vtrial::r;

// [[Rcpp::export(.vt_validate)]]
SEXP vt_validate(std::string path, std::vector<std::string> set, std::string trials, std::string seed) {
  return guarded([&] { return Rcpp::wrap(Rcpp::String(load(path, set, trials, seed).resolved_yaml, CE_UTF8)); });
}

// [[Rcpp::export(.vt_run)]]
SEXP vt_run(std::string path, std::vector<std::string> set, std::string trials, std::string seed, int threads,
            std::string output, std::string shard, std::string command) {
  return guarded([&]() -> SEXP {
    SimulationOptions options = options_with(threads);
    if (!shard.empty()) {
      try {
        options.shard = parse_shard(shard);
      } catch (const std::invalid_argument& e) {
        throw ArgumentError(std::string("shard: ") + e.what());
      }
    }
    const std::optional<std::string> output_file = output_path(output);
    const Scenario scenario = load(path, set, trials, seed);
    if (options.shard) {
      try {
        run_range(scenario, options);  // more shards than trials: refused before anything runs
      } catch (const std::invalid_argument& e) {
        throw ArgumentError(std::string("shard: ") + e.what());
      }
    }
    set_command(command);
    const TrialPlan plan(scenario);
    const SimulationResult result = run_interruptible([&] { return simulate_scenario(plan, options); });
    if (output_file) write_simulation(*output_file, plan, result, options);
    return Rcpp::List::create(
        Rcpp::Named("power") = power_columns(result.power), Rcpp::Named("design") = design_list(result.design),
        Rcpp::Named("trials") = table_columns(result.trials), Rcpp::Named("patients") = table_columns(result.patients),
        Rcpp::Named("trajectories") = table_columns(result.trajectories),
        Rcpp::Named("arms") = arms_columns(scenario),
        Rcpp::Named("groups") = group_columns(uncertainty_groups(plan, result.uncertainty)),
        Rcpp::Named("seconds") = result.seconds,
        Rcpp::Named("threads") = result.threads, Rcpp::Named("seed") = seed_value(scenario.simulation.seed),
        Rcpp::Named("scenario") = Rcpp::String(scenario.resolved_yaml, CE_UTF8),
        Rcpp::Named("format_version") = kFileFormatVersion,
        Rcpp::Named("power_measure") = scenario.uncertainty ? "assurance" : "power",
        Rcpp::Named("output") = text_or_null(output_file),
        Rcpp::Named("shard") = options.shard ? Rcpp::RObject(Rcpp::wrap(std::vector<double>{
                                                   double(options.shard->index), double(options.shard->count)}))
                                             : Rcpp::RObject(R_NilValue));
  });
}

// [[Rcpp::export(.vt_sweep)]]
SEXP vt_sweep(std::string path, std::string patients, std::vector<std::string> set, std::string trials,
              std::string seed, int threads, std::string output, std::string command) {
  return guarded([&]() -> SEXP {
    std::vector<std::int64_t> sizes;
    try {
      sizes = parse_sample_sizes(patients);
    } catch (const std::invalid_argument& e) {
      const std::string why = e.what();
      throw ArgumentError(why.rfind("patients", 0) == 0 ? why : "patients: " + why);
    }
    const SimulationOptions options = options_with(threads);
    const std::optional<std::string> output_file = output_path(output);
    const Scenario scenario = load(path, set, trials, seed);
    set_command(command);
    const SweepResult result = run_interruptible([&] { return sweep_sample_sizes(scenario, sizes, options); });
    if (output_file) write_sweep(*output_file, scenario, result, "vtrial.sweep");
    Rcpp::List out = sweep_result(result, scenario);
    out["output"] = text_or_null(output_file);
    return out;
  });
}

// [[Rcpp::export(.vt_sample_size)]]
SEXP vt_sample_size(std::string path, std::string endpoint, double target_power, int step, int minimum, int maximum,
                    bool lower_bound, std::vector<std::string> set, std::string trials, std::string seed, int threads,
                    std::string output, std::string command) {
  return guarded([&]() -> SEXP {
    const SimulationOptions options = options_with(threads);
    const SampleSizeSearch search{endpoint, target_power, step, minimum, maximum,
                                  lower_bound ? PowerCriterion::lower_bound : PowerCriterion::estimate};
    const std::optional<std::string> output_file = output_path(output);
    const Scenario scenario = load(path, set, trials, seed);
    set_command(command);
    const SampleSizeResult found = run_interruptible([&] { return find_sample_size(scenario, search, options); });
    if (output_file) write_sweep(*output_file, scenario, found.evaluated, "vtrial.samplesize");
    return Rcpp::List::create(Rcpp::Named("patients") = static_cast<double>(found.patients),
                              Rcpp::Named("endpoint") = endpoint,
                              Rcpp::Named("power") = power_columns({found.power}),
                              Rcpp::Named("evaluated") = sweep_result(found.evaluated, scenario),
                              Rcpp::Named("output") = text_or_null(output_file));
  });
}

// [[Rcpp::export(.vt_merge)]]
SEXP vt_merge(std::vector<std::string> paths, std::string output, std::string command) {
  return guarded([&]() -> SEXP {
    const std::optional<std::string> output_file = output_path(output);
    if (!output_file) throw ArgumentError("output: the merged file's path is required");
    set_command(command);
    try {
      merge_shards(paths, *output_file);
    } catch (const std::runtime_error& e) {
      throw ArgumentError(e.what());  // shards that are not of one run, or do not cover it
    }
    return Rcpp::wrap(*output_file);
  });
}

// [[Rcpp::export(.vt_missing_shards)]]
SEXP vt_missing_shards(std::vector<std::string> paths) {
  return guarded([&]() -> SEXP {
    std::vector<Shard> todo;
    try {
      todo = missing_shards(paths);
    } catch (const std::runtime_error& e) {
      throw ArgumentError(e.what());
    }
    Rcpp::NumericVector k, n;
    for (const Shard& s : todo) {
      k.push_back(static_cast<double>(s.index));
      n.push_back(static_cast<double>(s.count));
    }
    return Rcpp::List::create(Rcpp::Named("shard") = k, Rcpp::Named("of") = n);
  });
}

// [[Rcpp::export(.vt_version)]]
std::string vt_version() { return VTRIAL_VERSION; }
