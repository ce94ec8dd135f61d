// vtrial._vtrial: the Python face of the simulator. The same scenario loading, simulation and
// HDF5 output as the command line; results come back as dicts of floats and numpy arrays.
// The GIL is released while trials are simulated, so other Python threads keep running.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/sample_size.hpp"
#include "app/scenario_input.hpp"
#include "app/simulation.hpp"
#include "app/trial_plan.hpp"
#include "engine/settings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace vtrial::python {
namespace {

// --- Python values to YAML text ---------------------------------------------------------------

// Deeper than any scenario value: a list that contains itself, or absurd nesting, stops here as
// a ValueError instead of exhausting the stack (SIGSEGV).
constexpr int kMaxDepth = 64;
std::string yaml_text(const py::handle& value, bool nested, int depth = 0);

std::string yaml_real(double x) {
  if (std::isnan(x)) return ".nan";
  if (std::isinf(x)) return x > 0 ? ".inf" : "-.inf";
  return py::repr(py::float_(x)).cast<std::string>();  // shortest text that round-trips
}

// A top-level string is passed through as YAML text, exactly as `--set key=text` would be; a
// string inside a list or mapping is quoted (JSON strings are YAML), so commas stay inside it.
std::string yaml_text(const py::handle& value, bool nested, int depth) {
  if (depth > kMaxDepth)
    throw py::value_error("an override value nested more than " + std::to_string(kMaxDepth) +
                          " deep (or containing itself) cannot be a scenario value");
  if (value.is_none()) return "null";
  if (py::isinstance<py::bool_>(value)) return value.cast<bool>() ? "true" : "false";
  if (py::hasattr(value, "dtype") && py::hasattr(value, "item") && py::hasattr(value, "ndim") &&
      value.attr("ndim").cast<int>() == 0)
    return yaml_text(value.attr("item")(), nested, depth);  // numpy scalar -> Python scalar
  if (py::isinstance<py::int_>(value)) return py::str(value).cast<std::string>();
  if (py::isinstance<py::float_>(value)) return yaml_real(value.cast<double>());
  if (py::isinstance<py::str>(value)) {
    if (!nested) return value.cast<std::string>();
    return py::module_::import("json").attr("dumps")(value).cast<std::string>();
  }
  if (py::isinstance<py::dict>(value)) {
    std::string s = "{";
    bool first = true;
    for (const auto& [k, v] : value.cast<py::dict>()) {
      s += (first ? "" : ", ") + yaml_text(k, true, depth + 1) + ": " + yaml_text(v, true, depth + 1);
      first = false;
    }
    return s + "}";
  }
  if (py::isinstance<py::sequence>(value) || py::hasattr(value, "tolist")) {
    const py::object items =
        py::hasattr(value, "tolist") ? value.attr("tolist")() : py::reinterpret_borrow<py::object>(value);
    std::string s = "[";
    bool first = true;
    for (const auto& v : items) {
      s += (first ? "" : ", ") + yaml_text(v, true, depth + 1);
      first = false;
    }
    return s + "]";
  }
  throw py::type_error("cannot express a value of type " +
                       py::str(py::type::handle_of(value).attr("__name__")).cast<std::string>() +
                       " as YAML; use a number, string, bool, list or dict");
}

std::string fspath(const py::object& path) {
  return py::str(py::module_::import("os").attr("fspath")(path)).cast<std::string>();
}

// {"trial.patients": 120} or ["trial.patients=120"] (or None), plus the trials/seed shorthands.
ScenarioOverrides to_overrides(const py::object& overrides, const py::object& trials, const py::object& seed) {
  ScenarioOverrides out;
  if (!overrides.is_none()) {
    if (py::isinstance<py::dict>(overrides)) {
      for (const auto& [key, value] : overrides.cast<py::dict>()) {
        if (!py::isinstance<py::str>(key)) throw py::type_error("override keys must be strings like 'trial.patients'");
        out.assignments.push_back(key.cast<std::string>() + "=" + yaml_text(value, false));
      }
    } else if (py::isinstance<py::str>(overrides)) {
      out.assignments.push_back(overrides.cast<std::string>());
    } else if (py::isinstance<py::sequence>(overrides)) {
      for (const auto& item : overrides) {
        if (!py::isinstance<py::str>(item))
          throw py::type_error("a list of overrides holds strings like 'trial.patients=120'");
        out.assignments.push_back(item.cast<std::string>());
      }
    } else {
      throw py::type_error("overrides must be a dict {'trial.patients': 120} or a list ['trial.patients=120']");
    }
  }
  if (!trials.is_none()) out.trials = yaml_text(trials, false);
  if (!seed.is_none()) out.seed = yaml_text(seed, false);
  return out;
}

Scenario load(const py::object& path, const py::object& overrides, const py::object& trials = py::none(),
              const py::object& seed = py::none()) {
  return load_scenario(fspath(path), to_overrides(overrides, trials, seed));
}

SimulationOptions simulation_options(int threads) {
  if (threads < 0) throw py::value_error("threads must be 0 (all cores) or a positive number");
  return {threads, false};
}

// --- results to Python --------------------------------------------------------------------------

py::dict table_dict(const ResultTable& table) {
  py::dict out;
  const auto rows = static_cast<py::ssize_t>(table.rows());
  for (std::size_t c = 0; c < table.columns(); ++c) {
    const auto& column = table.column(c);
    if (table.spec(c).type == ColumnType::integer) {
      py::array_t<std::int64_t> a(rows);
      auto* data = a.mutable_data();
      for (py::ssize_t r = 0; r < rows; ++r) data[r] = static_cast<std::int64_t>(column[static_cast<std::size_t>(r)]);
      out[py::str(table.spec(c).name)] = std::move(a);
    } else {
      py::array_t<double> a(rows);
      std::copy(column.begin(), column.end(), a.mutable_data());
      out[py::str(table.spec(c).name)] = std::move(a);
    }
  }
  return out;
}

py::dict power_entry(const EndpointPower& p) {
  py::dict out("power"_a = p.power, "mc_se"_a = p.mc_se, "ci_low"_a = p.ci_low, "ci_high"_a = p.ci_high,
               "rejections"_a = p.rejections, "trials"_a = p.trials, "kind"_a = p.kind, "endpoint"_a = p.endpoint);
  // The same members as the --json entries: what the value is, from the result schema.
  if (!p.comparison.empty()) out["comparison"] = p.comparison;
  if (!p.test.empty()) out["test"] = p.test;
  if (!p.outcome.empty()) out["outcome"] = p.outcome;
  if (!p.estimate.empty()) out["estimate"] = p.estimate;
  return out;
}

py::dict power_dict(const std::vector<EndpointPower>& power) {
  py::dict out;
  for (const auto& p : power) out[py::str(p.name)] = power_entry(p);
  return out;
}

py::object finite_or_none(double x) { return std::isfinite(x) ? py::object(py::float_(x)) : py::object(py::none()); }

// The same names as the /design group of the HDF5 file and --json's "design".
py::dict design_dict(const DesignSummary& d) {
  py::dict out;
  for (const auto& [name, v] : design_fields(d)) out[py::str(name)] = v;
  if (!d.looks.empty()) {
    py::list looks;
    for (std::size_t j = 0; j < d.looks.size(); ++j) {
      const LookSummary& l = d.looks[j];
      py::dict look("look"_a = j + 1, "information_fraction"_a = finite_or_none(l.information_fraction),
                    "efficacy_z"_a = finite_or_none(l.efficacy_z), "efficacy_p"_a = finite_or_none(l.efficacy_p),
                    "futility_z"_a = finite_or_none(l.futility_z), "p_stop"_a = finite_or_none(l.p_stop));
      if (std::isfinite(l.day)) look["day"] = l.day;
      looks.append(std::move(look));
    }
    out["looks"] = std::move(looks);
  }
  return out;
}

py::dict sweep_dict(const SweepResult& sweep, const Scenario& scenario) {
  py::list points;
  for (const auto& p : sweep.points) {
    py::dict power;
    for (std::size_t e = 0; e < sweep.endpoints.size(); ++e) {
      py::dict entry = power_entry(p.power[e]);
      entry["difference"] = p.difference[e];
      entry["difference_se_paired"] = p.difference_se_paired[e];
      entry["difference_se_unpaired"] = p.difference_se_unpaired[e];
      power[py::str(sweep.endpoints[e])] = std::move(entry);
    }
    points.append(
        py::dict("patients"_a = p.patients, "power"_a = std::move(power), "design"_a = design_dict(p.design)));
  }
  return py::dict("endpoints"_a = sweep.endpoints, "points"_a = std::move(points),
                  "trials"_a = scenario.simulation.trials, "seed"_a = scenario.simulation.seed,
                  "scenario"_a = scenario.resolved_yaml, "seconds"_a = sweep.seconds, "threads"_a = sweep.threads);
}

// --- the functions --------------------------------------------------------------------------------

std::string load_scenario(const py::object& path, const py::object& overrides) {
  return load(path, overrides).resolved_yaml;
}

py::dict run(const py::object& path, const py::object& overrides, const py::object& trials, const py::object& seed,
             int threads, const py::object& output) {
  const Scenario scenario = load(path, overrides, trials, seed);
  const SimulationOptions options = simulation_options(threads);
  const std::optional<std::string> output_path = output.is_none() ? std::nullopt : std::optional(fspath(output));
  SimulationResult result;
  {
    py::gil_scoped_release release;
    const TrialPlan plan(scenario);
    result = simulate_scenario(plan, options);
    if (output_path) write_simulation(*output_path, plan, result);
  }
  py::dict out;
  out["power"] = power_dict(result.power);
  out["design"] = design_dict(result.design);
  out["trials"] = table_dict(result.trials);
  out["patients"] = table_dict(result.patients);
  out["trajectories"] = table_dict(result.trajectories);
  out["seconds"] = result.seconds;
  out["threads"] = result.threads;
  out["seed"] = scenario.simulation.seed;
  out["scenario"] = scenario.resolved_yaml;
  out["format_version"] = kFileFormatVersion;
  py::list arms;
  for (const auto& arm : scenario.arms)
    arms.append(py::dict("name"_a = arm.name, "ratio"_a = arm.ratio, "control"_a = arm.control));
  out["arms"] = std::move(arms);
  out["output"] = output_path ? py::object(py::str(*output_path)) : py::object(py::none());
  return out;
}

std::vector<std::int64_t> sample_sizes(const py::object& patients) {
  if (py::isinstance<py::str>(patients)) return parse_sample_sizes(patients.cast<std::string>());
  // A list goes through the same parser, so it is sorted, de-duplicated and range-checked alike.
  std::string text;
  for (const auto& n : patients) {
    if (py::isinstance<py::bool_>(n) || !py::hasattr(n, "__index__"))
      throw py::type_error("patients must be whole numbers, e.g. [60, 80, 100], or a string like '60:140:20'");
    text += (text.empty() ? "" : ",") + py::str(py::module_::import("operator").attr("index")(n)).cast<std::string>();
  }
  if (text.empty()) throw py::value_error("patients: give at least one sample size");
  return parse_sample_sizes(text);
}

py::dict sweep(const py::object& path, const py::object& patients, const py::object& overrides,
               const py::object& trials, const py::object& seed, int threads) {
  const auto sizes = sample_sizes(patients);
  const Scenario scenario = load(path, overrides, trials, seed);
  const SimulationOptions options = simulation_options(threads);
  SweepResult result;
  {
    py::gil_scoped_release release;
    result = sweep_sample_sizes(scenario, sizes, options);
  }
  return sweep_dict(result, scenario);
}

py::dict sample_size(const py::object& path, const std::string& endpoint, double target_power, std::int64_t step,
                     std::int64_t minimum, std::int64_t maximum, const std::string& criterion,
                     const py::object& overrides, const py::object& trials, const py::object& seed, int threads) {
  // The same checks as `vtrial samplesize`.
  if (!(target_power > 0 && target_power < 1)) throw py::value_error("target_power must be in (0, 1)");
  if (step < 1 || step > 100000) throw py::value_error("step must be a whole number from 1 to 100000");
  if (minimum < 2 || maximum > 100000 || maximum < minimum)
    throw py::value_error("minimum and maximum must satisfy 2 <= minimum <= maximum <= 100000");
  if (criterion != "lower" && criterion != "estimate") throw py::value_error("criterion must be 'lower' or 'estimate'");
  const SampleSizeSearch search{
      endpoint, target_power, step,
      minimum,  maximum,      criterion == "lower" ? PowerCriterion::lower_bound : PowerCriterion::estimate};
  const Scenario scenario = load(path, overrides, trials, seed);
  const SimulationOptions options = simulation_options(threads);
  SampleSizeResult found;
  {
    py::gil_scoped_release release;
    found = find_sample_size(scenario, search, options);
  }
  return py::dict("patients"_a = found.patients, "endpoint"_a = endpoint, "power"_a = power_entry(found.power),
                  "evaluated"_a = sweep_dict(found.evaluated, scenario));
}

}  // namespace
}  // namespace vtrial::python

PYBIND11_MODULE(_vtrial, m) {
  using namespace vtrial::python;
  m.doc() = "vtrial: Monte Carlo simulation of a clinical trial's power and feasibility (compiled core)";
  m.attr("__version__") = VTRIAL_VERSION;

  // Bad scenarios and arguments are ValueError (with the command line's message); anything else
  // the simulator throws is RuntimeError. Python's own exceptions pass through unchanged.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const py::builtin_exception&) {
      throw;
    } catch (const py::error_already_set&) {
      throw;
    } catch (const vtrial::SettingsError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::invalid_argument& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::exception& e) {
      PyErr_SetString(PyExc_RuntimeError, e.what());
    }
  });

  m.def("load_scenario", &load_scenario, "path"_a, "overrides"_a = py::none(),
        R"(Validates a scenario file with overrides applied and returns it resolved, as YAML text.

overrides: {"trial.patients": 120} or ["trial.patients=120"] (like `vtrial --set`).
Raises ValueError, with the command line's message, for an unknown key or a bad value.)");
  m.def("run", &run, "path"_a, "overrides"_a = py::none(), "trials"_a = py::none(), "seed"_a = py::none(),
        "threads"_a = 0, "output"_a = py::none(),
        R"(Simulates a scenario, like `vtrial run`.

Returns a dict: "power" {endpoint: {power, mc_se, ci_low, ci_high, rejections, trials}},
"design" {name: float}, "trials" / "patients" / "trajectories" {column: numpy array},
"seconds", "threads", "seed", "scenario" (resolved YAML) and "output". If output is given,
the HDF5 result file is written there too. threads=0 uses all cores; results never depend on it.)");
  m.def("sweep", &sweep, "path"_a, "patients"_a, "overrides"_a = py::none(), "trials"_a = py::none(),
        "seed"_a = py::none(), "threads"_a = 0,
        R"(Power and feasibility across sample sizes on the same virtual patients, like `vtrial sweep`.

patients: a list [60, 80, 100] or a string "60:140:20" / "60,80,100".
Returns a dict: "endpoints", "points" (one per N, ascending: {"patients", "power" {endpoint:
{power, mc_se, ci_low, ci_high, rejections, trials, difference, difference_se_paired,
difference_se_unpaired}}, "design"}), "trials", "seed", "scenario", "seconds", "threads".
difference* compare with the previous N (NaN for the first), from paired per-trial results.)");
  m.def("sample_size", &sample_size, "path"_a, "endpoint"_a = "duration_of_viremia", "target_power"_a = 0.8,
        "step"_a = 2, "minimum"_a = 10, "maximum"_a = 1000, "criterion"_a = "lower", "overrides"_a = py::none(),
        "trials"_a = py::none(), "seed"_a = py::none(), "threads"_a = 0,
        R"(The smallest N on the grid whose power reaches target_power, like `vtrial samplesize`.

criterion: "lower" (the 95% Wilson lower bound reaches the target) or "estimate".
Returns {"patients", "endpoint", "power" {...}, "evaluated" (a sweep dict of every N tried)}.)");
}
