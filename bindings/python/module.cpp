// vtrial._vtrial: the Python face of the simulator. The same scenario loading, simulation and
// HDF5 output as the command line; results come back as dicts of floats and numpy arrays.
// The GIL is released while trials are simulated, so other Python threads keep running.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
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
#include "engine/output_target.hpp"
#include "engine/settings.hpp"

namespace py = pybind11;
using namespace pybind11::literals;

namespace vtrial::python {
namespace {

// --- arguments --------------------------------------------------------------------------------
// Every argument is checked here, at the boundary, so that any Python value, however odd, ends
// as a TypeError or ValueError naming the argument (or override key), never as a crash, a hang
// or a silently accepted nonsense value (tests/python/test_hostile_calls.py).

// A bad argument: raised as `type` (PyExc_TypeError or PyExc_ValueError) by the translator.
struct ArgumentError {
  PyObject* type;
  std::string message;
};

[[noreturn]] void type_error(const std::string& message) { throw ArgumentError{PyExc_TypeError, message}; }
[[noreturn]] void value_error(const std::string& message) { throw ArgumentError{PyExc_ValueError, message}; }

// Sets a Python exception whose text may hold any bytes (a path need not be UTF-8).
void set_error(PyObject* type, const std::string& message) {
  PyObject* text = PyUnicode_DecodeUTF8(message.data(), static_cast<Py_ssize_t>(message.size()), "backslashreplace");
  if (!text) return;  // MemoryError is set
  PyErr_SetObject(type, text);
  Py_DECREF(text);
}

// The type's name; unlike str() or repr() of the value, it runs no code of the caller's.
std::string type_name(const py::handle& value) { return Py_TYPE(value.ptr())->tp_name; }

// For a message: quoted, at most 60 characters, a null byte shown as \0.
std::string shown(const std::string& text) {
  std::string out = "'";
  for (const char c : text.substr(0, 60)) out += c == '\0' ? std::string("\\0") : std::string(1, c);
  return out + (text.size() > 60 ? "...'" : "'");
}

py::object owned(PyObject* result) {
  if (!result) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(result);
}

// "ZeroDivisionError: text". Not e.what(): pybind11 2.10 formats an exception whose __str__
// raises by recursing until the stack overflows (SIGSEGV).
std::string message_of(const py::error_already_set& e) {
  std::string out = reinterpret_cast<PyTypeObject*>(e.type().ptr())->tp_name;
  PyObject* text = e.value() ? PyObject_Str(e.value().ptr()) : nullptr;
  Py_ssize_t size = 0;
  const char* data = text ? PyUnicode_AsUTF8AndSize(text, &size) : nullptr;
  if (data && size > 0) out += ": " + std::string(data, static_cast<std::size_t>(size));
  if (!data) out += " (its message cannot be shown)";
  Py_XDECREF(text);
  PyErr_Clear();
  return out;
}

// Runs f(). A bad argument found inside, or an exception raised by the caller's own code (a
// broken __fspath__, __index__ or __getitem__), comes out prefixed with `context`; the latter
// as TypeError, or ValueError if it was one (or an OverflowError), chained to the original.
// KeyboardInterrupt, SystemExit and MemoryError pass through unchanged.
template <class F>
auto in_context(const std::string& context, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const ArgumentError& e) {
    throw ArgumentError{e.type, context + ": " + e.message};
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_Exception) || e.matches(PyExc_MemoryError)) throw;
    PyObject* type = e.matches(PyExc_ValueError) || e.matches(PyExc_OverflowError) ? PyExc_ValueError : PyExc_TypeError;
    // The type's name says what went wrong, unless it is the one raised (then perhaps by an
    // inner in_context: "item 0: ..." rather than "TypeError: item 0: ...").
    std::string what = message_of(e);
    const std::string same = std::string(reinterpret_cast<PyTypeObject*>(type)->tp_name) + ": ";
    if (e.type().ptr() == type && what.rfind(same, 0) == 0) what = what.substr(same.size());
    py::raise_from(e, type, (context + ": " + what).c_str());
    throw py::error_already_set();
  }
}

// A Python str as UTF-8; a lone surrogate or a null byte (which would cut a C string short,
// so that "a.yaml\0b" opened a.yaml) is refused.
std::string utf8(const py::handle& text, const std::string& what) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
  if (!data) {
    PyErr_Clear();
    value_error(what + " is not valid text (it holds a lone surrogate, which UTF-8 cannot encode)");
  }
  std::string out(data, static_cast<std::size_t>(size));
  if (out.find('\0') != std::string::npos) value_error(what + " " + shown(out) + " contains a null byte");
  return out;
}

bool is_bytes_like(const py::handle& value) {
  return PyBytes_Check(value.ptr()) || PyByteArray_Check(value.ptr()) || PyMemoryView_Check(value.ptr());
}

// numpy, if the caller has imported it: a value can only be a numpy object if numpy is loaded.
py::object loaded_numpy() {
  const py::dict modules = py::module_::import("sys").attr("modules");
  return modules.contains("numpy") ? py::object(modules["numpy"]) : py::object(py::none());
}

bool is_bool(const py::handle& value, const py::object& numpy) {
  return PyBool_Check(value.ptr()) || (!numpy.is_none() && py::isinstance(value, numpy.attr("bool_")));
}

// A whole number in [lo, hi]: an int or anything with __index__ (numpy integers), not a bool.
std::int64_t whole_number(const py::handle& value, const std::string& name, std::int64_t lo, std::int64_t hi) {
  const std::string range = "from " + std::to_string(lo) + " to " + std::to_string(hi);
  if (is_bool(value, loaded_numpy()) || !PyIndex_Check(value.ptr()))
    type_error(name + " must be a whole number " + range + ", not " + type_name(value));
  const py::object index = in_context(name, [&] { return owned(PyNumber_Index(value.ptr())); });
  int overflow = 0;
  const long long n = PyLong_AsLongLongAndOverflow(index.ptr(), &overflow);
  if (overflow != 0 || n < lo || n > hi)
    value_error(name + " must be " + range + ", got " +
                (overflow != 0 ? "a number beyond 64 bits" : std::to_string(n)));
  return n;
}

// A real number (int, float, numpy number, anything with __float__), not a bool or a string.
double real_number(const py::handle& value, const std::string& name) {
  if (is_bool(value, loaded_numpy()) || PyUnicode_Check(value.ptr()) || is_bytes_like(value))
    type_error(name + " must be a number, not " + type_name(value));
  return in_context(name, [&] {
    const double x = PyFloat_AsDouble(value.ptr());
    if (x == -1.0 && PyErr_Occurred()) throw py::error_already_set();
    return x;
  });
}

std::string text_argument(const py::handle& value, const std::string& name) {
  if (!PyUnicode_Check(value.ptr())) type_error(name + " must be a str, not " + type_name(value));
  return utf8(value, name);
}

// A path: str, bytes or os.PathLike, encoded as the file system does (os.fsencode).
std::string path_argument(const py::handle& value, const std::string& name) {
  if (!PyUnicode_Check(value.ptr()) && !PyBytes_Check(value.ptr()) &&
      !py::hasattr(py::type::handle_of(value), "__fspath__"))
    type_error(name + " must be a path (str, bytes or os.PathLike), not " + type_name(value));
  const py::object encoded =
      in_context(name, [&] { return py::object(py::module_::import("os").attr("fsencode")(value)); });
  char* data = nullptr;
  Py_ssize_t size = 0;
  if (PyBytes_AsStringAndSize(encoded.ptr(), &data, &size) != 0) throw py::error_already_set();
  const std::string path(data, static_cast<std::size_t>(size));
  if (path.empty()) value_error(name + " is empty");
  if (path.find('\0') != std::string::npos) value_error(name + " " + shown(path) + " contains a null byte");
  return path;
}

// Reading a device or a pipe as a scenario would never end (/dev/zero, a FIFO: the loader
// blocks in open) or read nothing and take every default (/dev/null). A directory, a missing
// file and one too large are refused by the loader itself.
std::string scenario_path(const py::handle& value) {
  const std::string path = path_argument(value, "path");
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (!ec && fs::exists(status) && !fs::is_directory(status) && !fs::is_regular_file(status))
    value_error("path " + path + ": not a regular file (a device, pipe or socket); give a scenario file");
  return path;
}

// Refused before anything is simulated, with the same rules as the file's final rename (which
// checks again): never a device such as /dev/null, a directory, a link or a file vtrial did
// not write.
std::optional<std::string> output_path(const py::handle& value) {
  if (value.is_none()) return std::nullopt;
  const std::string path = path_argument(value, "output");
  try {
    check_output_target(path);
  } catch (const std::runtime_error& e) {
    const std::string why = e.what();
    value_error(why.rfind("output", 0) == 0 ? why : "output: " + why);
  }
  namespace fs = std::filesystem;
  const fs::path parent = fs::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty() && !fs::is_directory(parent, ec))
    value_error("output " + path + ": there is no directory " + parent.string());
  return path;
}

// Zero means all cores. Results never depend on the number; more threads than this only cost
// memory (and a million crashed the thread pool).
constexpr std::int64_t kMaxThreads = 1024;

SimulationOptions simulation_options(const py::handle& threads) {
  SimulationOptions options;  // no progress bar
  options.threads = static_cast<int>(whole_number(threads, "threads (0 = all cores)", 0, kMaxThreads));
  return options;
}

// --- Python values to YAML text ---------------------------------------------------------------

// Bounds on one override value, far above any scenario's: a list containing itself, absurd
// nesting (which used to exhaust the stack: SIGSEGV), a sequence without end, or a value
// whose text would fill the memory stop here as a ValueError.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxItems = 10000;      // list items and mapping entries, all levels together
constexpr std::size_t kMaxText = 1u << 20;    // characters of strings, all levels together
constexpr std::size_t kMaxOverrides = 1000;   // as the loader's own bound
constexpr std::size_t kMaxSampleSizes = 200;  // as parse_sample_sizes

std::string yaml_real(double x) {
  if (std::isnan(x)) return ".nan";
  if (std::isinf(x)) return x > 0 ? ".inf" : "-.inf";
  return py::repr(py::float_(x)).cast<std::string>();  // shortest text that round-trips
}

// Iterates `values` (a list, tuple or any other sequence), calling f on each item, and stops
// with a ValueError at the `limit`-th + 1 item, so an endless sequence ends too.
template <class F>
void for_each_item(const py::handle& values, std::size_t limit, const std::string& what, F&& f) {
  const py::object iterator = owned(PyObject_GetIter(values.ptr()));
  for (std::size_t i = 0;; ++i) {
    PyObject* next = PyIter_Next(iterator.ptr());
    if (!next) {
      if (PyErr_Occurred()) throw py::error_already_set();
      return;
    }
    const py::object item = py::reinterpret_steal<py::object>(next);
    if (i >= limit) value_error("more than " + std::to_string(limit) + " " + what);
    f(item, i);
  }
}

// Python value -> YAML text. The caller's own code runs only where a sequence of its own is
// iterated or a numpy subclass converts itself; containers are copied (PyDict_Items) before
// they are walked, so such code cannot free what is being read.
class YamlText {
 public:
  std::string operator()(const py::handle& value) { return text(value, false, 0); }

 private:
  py::object numpy_ = loaded_numpy();
  std::size_t items_ = 0, characters_ = 0;

  void count_items(std::size_t n) {
    items_ += n;
    if (items_ > kMaxItems) value_error("more than " + std::to_string(kMaxItems) + " list items or mapping entries");
  }

  std::string string(const py::handle& value, bool nested) {
    const std::string s = utf8(value, "a string");
    characters_ += s.size();
    if (characters_ > kMaxText) value_error("more than " + std::to_string(kMaxText) + " characters of text");
    if (!nested) return s;
    return py::module_::import("json").attr("dumps")(py::str(s)).cast<std::string>();
  }

  // A top-level string is passed through as YAML text, exactly as `--set key=text` would be; a
  // string inside a list or mapping is quoted (JSON strings are YAML), so commas stay inside it.
  std::string text(const py::handle& value, bool nested, int depth) {
    if (depth > kMaxDepth)
      value_error("nested more than " + std::to_string(kMaxDepth) +
                  " deep (or containing itself); no scenario value is");
    PyObject* p = value.ptr();
    if (value.is_none()) return "null";
    if (PyBool_Check(p)) return p == Py_True ? "true" : "false";
    if (!numpy_.is_none()) {
      if (py::isinstance(value, numpy_.attr("ndarray"))) {
        count_items(static_cast<std::size_t>(whole_number(value.attr("size"), "an array's size", 0, INT64_MAX)));
        return text(value.attr("tolist")(), nested, depth + 1);
      }
      if (py::isinstance(value, numpy_.attr("generic")))  // numpy scalar -> Python scalar
        return text(value.attr("item")(), nested, depth + 1);
    }
    if (PyLong_Check(p)) return py::str(owned(PyNumber_Index(p))).cast<std::string>();  // an exact int
    if (PyFloat_Check(p)) return yaml_real(PyFloat_AS_DOUBLE(p));
    if (PyUnicode_Check(p)) return string(value, nested);
    if (is_bytes_like(value))
      type_error(type_name(value) + " is not a scenario value; decode it to str (or give a number, list, ...)");
    if (PyDict_Check(p)) {
      const py::list entries = owned(PyDict_Items(p));
      count_items(entries.size());
      std::string s = "{";
      for (const auto& entry : entries) {
        const py::handle key = PyTuple_GET_ITEM(entry.ptr(), 0), item = PyTuple_GET_ITEM(entry.ptr(), 1);
        if (!PyUnicode_Check(key.ptr())) type_error("mapping keys must be strings, not " + type_name(key));
        s += (s.size() > 1 ? ", " : "") + string(key, true) + ": " + text(item, true, depth + 1);
      }
      return s + "}";
    }
    if (PySequence_Check(p)) {
      std::string s = "[";
      for_each_item(value, kMaxItems, "list items", [&](const py::handle& item, std::size_t i) {
        count_items(1);
        s += (i ? ", " : "") + text(item, true, depth + 1);
      });
      return s + "]";
    }
    type_error("cannot express a value of type " + type_name(value) +
               " as YAML; use a number, string, bool, list or dict");
  }
};

// {"trial.patients": 120} or ["trial.patients=120"] (or None), plus the trials/seed shorthands.
ScenarioOverrides to_overrides(const py::handle& overrides, const py::handle& trials, const py::handle& seed) {
  const std::string forms = "overrides must be a dict {'trial.patients': 120} or a list ['trial.patients=120']";
  ScenarioOverrides out;
  PyObject* p = overrides.ptr();
  if (overrides.is_none()) {
  } else if (PyDict_Check(p)) {
    const py::list entries = owned(PyDict_Items(p));  // a copy: nothing below can change it
    if (entries.size() > kMaxOverrides)
      value_error("overrides: " + std::to_string(entries.size()) + " entries; at most " +
                  std::to_string(kMaxOverrides) + " (write the rest into the scenario file)");
    for (const auto& entry : entries) {
      const py::handle key = PyTuple_GET_ITEM(entry.ptr(), 0), value = PyTuple_GET_ITEM(entry.ptr(), 1);
      if (!PyUnicode_Check(key.ptr()))
        type_error("overrides: keys must be strings like 'trial.patients', not " + type_name(key));
      const std::string k = utf8(key, "overrides: the key");
      if (k.empty()) value_error("overrides: an empty key; keys are scenario paths like 'trial.patients'");
      if (k.find('=') != std::string::npos)
        value_error("overrides: the key " + shown(k) + " contains '='; give {'trial.patients': 120}");
      out.assignments.push_back(k + "=" + in_context("override " + shown(k), [&] { return YamlText()(value); }));
    }
  } else if (PyUnicode_Check(p)) {
    out.assignments.push_back(utf8(overrides, "overrides"));
  } else if (PySequence_Check(p) && !is_bytes_like(overrides)) {
    in_context("overrides", [&] {
      for_each_item(overrides, kMaxOverrides, "items (write the rest into the scenario file)",
                    [&](const py::handle& item, std::size_t i) {
                      if (!PyUnicode_Check(item.ptr()))
                        type_error("item " + std::to_string(i) + " is " + type_name(item) +
                                   "; a list of overrides holds strings like 'trial.patients=120'");
                      out.assignments.push_back(utf8(item, "item " + std::to_string(i)));
                    });
    });
  } else {
    type_error(forms + ", not " + type_name(overrides));
  }
  if (!trials.is_none()) out.trials = in_context("trials", [&] { return YamlText()(trials); });
  if (!seed.is_none()) out.seed = in_context("seed", [&] { return YamlText()(seed); });
  return out;
}

Scenario load(const py::handle& path, const py::handle& overrides, const py::handle& trials = py::none(),
              const py::handle& seed = py::none()) {
  const std::string file = scenario_path(path);
  return load_scenario(file, to_overrides(overrides, trials, seed));
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
  // As /summary's columns: present where the run weighted its trials or simulated the null.
  if (p.effective_trials != static_cast<double>(p.trials)) {
    out["prior_power"] = p.prior_power;
    out["prior_mc_se"] = p.prior_mc_se;
    out["effective_trials"] = p.effective_trials;
  }
  if (p.type1.trials > 0) {
    out["type1_error"] = p.type1.power;
    out["type1_mc_se"] = p.type1.mc_se;
    out["type1_ci_low"] = p.type1.ci_low;
    out["type1_ci_high"] = p.type1.ci_high;
    out["type1_rejections"] = p.type1.rejections;
  }
  return out;
}

// /uncertainty and /calibration as read_result reads them: {group: {column: values}}.
void add_uncertainty(py::dict& out, const TrialPlan& plan, const UncertaintyResult& uncertainty) {
  for (const auto& group : uncertainty_groups(plan, uncertainty)) {
    const auto slash = group.path.find('/');
    const py::str top(group.path.substr(0, slash)), name(group.path.substr(slash + 1));
    if (!out.contains(top)) out[top] = py::dict();
    py::dict columns = table_dict(group.table);
    for (const auto& [column, values] : group.strings) {
      py::list texts;
      for (const auto& v : values) texts.append(py::str(v));
      columns[py::str(column)] = texts;
    }
    py::dict group_columns = out[top];
    group_columns[name] = columns;
  }
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

// shard=(K, N) or "K/N", as vtrial run --shard.
std::optional<Shard> shard_argument(const py::handle& value) {
  if (value.is_none()) return std::nullopt;
  std::string text;
  if (PyUnicode_Check(value.ptr())) {
    text = utf8(value, "shard");
  } else if (PyTuple_Check(value.ptr()) && PyTuple_Size(value.ptr()) == 2) {
    const auto k = whole_number(value[py::int_(0)], "shard's K", 1, 1000000);
    const auto n = whole_number(value[py::int_(1)], "shard's N", 1, 1000000);
    text = std::to_string(k) + "/" + std::to_string(n);
  } else {
    type_error("shard must be a pair (K, N) or a string 'K/N', not " + type_name(value));
  }
  try {
    return parse_shard(text);
  } catch (const std::invalid_argument& e) {
    value_error(std::string("shard: ") + e.what());
  }
}

// The Python call, as a result file's `command` attribute records it.
void record_command(const std::string& call) {
  std::vector<std::string> argv;
  for (const auto& a : py::module_::import("sys").attr("argv")) argv.push_back(py::str(a));
  set_command("python " + (argv.empty() ? std::string("-") : shell_words(argv)) + " (" + call + ")");
}

py::dict run(const py::object& path, const py::object& overrides, const py::object& trials, const py::object& seed,
             const py::object& threads, const py::object& output, const py::object& shard) {
  SimulationOptions options = simulation_options(threads);
  options.shard = shard_argument(shard);
  const std::optional<std::string> output_file = output_path(output);
  const Scenario scenario = load(path, overrides, trials, seed);
  if (options.shard) {
    try {
      run_range(scenario, options);  // more shards than trials: refused before anything runs
    } catch (const std::invalid_argument& e) {
      value_error(std::string("shard: ") + e.what());
    }
  }
  record_command("vtrial.run");
  SimulationResult result;
  {
    py::gil_scoped_release release;
    const TrialPlan plan(scenario);
    result = simulate_scenario(plan, options);
    if (output_file) write_simulation(*output_file, plan, result, options);
  }
  py::dict out;
  out["power_measure"] = scenario.uncertainty ? "assurance" : "power";
  out["power"] = power_dict(result.power);
  out["design"] = design_dict(result.design);
  add_uncertainty(out, TrialPlan(scenario), result.uncertainty);
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
  out["output"] = output_file ? py::object(py::str(*output_file)) : py::object(py::none());
  out["shard"] =
      options.shard ? py::object(py::make_tuple(options.shard->index, options.shard->count)) : py::object(py::none());
  return out;
}

std::vector<std::string> shard_paths(const py::object& paths) {
  if (PyUnicode_Check(paths.ptr()) || !PySequence_Check(paths.ptr()) || is_bytes_like(paths))
    type_error("paths must be a list of shard file paths, not " + type_name(paths));
  std::vector<std::string> out;
  for_each_item(paths, 1000000, "shard files", [&](const py::handle& p, std::size_t i) {
    out.push_back(path_argument(p, "paths[" + std::to_string(i) + "]"));
  });
  if (out.empty()) value_error("paths: give at least one shard file");
  return out;
}

py::str merge(const py::object& paths, const py::object& output) {
  const std::vector<std::string> files = shard_paths(paths);
  const std::optional<std::string> output_file = output_path(output);
  if (!output_file) type_error("output: the merged file's path is required");
  record_command("vtrial.merge");
  try {
    py::gil_scoped_release release;
    merge_shards(files, *output_file);
  } catch (const std::runtime_error& e) {
    value_error(e.what());
  }
  return py::str(*output_file);
}

py::list missing(const py::object& paths) {
  const std::vector<std::string> files = shard_paths(paths);
  std::vector<Shard> todo;
  try {
    todo = missing_shards(files);
  } catch (const std::runtime_error& e) {
    value_error(e.what());
  }
  py::list out;
  for (const Shard& s : todo) out.append(py::make_tuple(s.index, s.count));
  return out;
}

std::vector<std::int64_t> sample_sizes(const py::object& patients) {
  PyObject* p = patients.ptr();
  if (PyUnicode_Check(p)) return parse_sample_sizes(utf8(patients, "patients"));
  if (!PySequence_Check(p) || PyDict_Check(p) || is_bytes_like(patients))
    type_error("patients must be a list of whole numbers, e.g. [60, 80, 100], or a string like '60:140:20', not " +
               type_name(patients));
  // A list goes through the same parser, so it is sorted, de-duplicated and range-checked alike.
  std::string text;
  in_context("patients", [&] {
    for_each_item(patients, kMaxSampleSizes, "sample sizes", [&](const py::handle& n, std::size_t i) {
      const std::int64_t size = whole_number(n, "item " + std::to_string(i), 2, 100000);
      text += (text.empty() ? "" : ",") + std::to_string(size);
    });
  });
  if (text.empty()) value_error("patients: give at least one sample size");
  return parse_sample_sizes(text);
}

py::dict sweep(const py::object& path, const py::object& patients, const py::object& overrides,
               const py::object& trials, const py::object& seed, const py::object& threads) {
  const auto sizes = sample_sizes(patients);
  const SimulationOptions options = simulation_options(threads);
  const Scenario scenario = load(path, overrides, trials, seed);
  SweepResult result;
  {
    py::gil_scoped_release release;
    result = sweep_sample_sizes(scenario, sizes, options);
  }
  return sweep_dict(result, scenario);
}

py::dict sample_size(const py::object& path, const py::object& endpoint_name, const py::object& target_power_value,
                     const py::object& step_value, const py::object& minimum_value, const py::object& maximum_value,
                     const py::object& criterion_name, const py::object& overrides, const py::object& trials,
                     const py::object& seed, const py::object& threads) {
  // The same checks as `vtrial samplesize`.
  const std::string endpoint = text_argument(endpoint_name, "endpoint");
  if (endpoint.empty()) value_error("endpoint is empty; give one of the scenario's endpoints");
  const double target_power = real_number(target_power_value, "target_power");
  if (!(target_power > 0 && target_power < 1)) value_error("target_power must be in (0, 1)");
  const std::int64_t step = whole_number(step_value, "step", 1, 100000);
  const std::int64_t minimum = whole_number(minimum_value, "minimum", 2, 100000);
  const std::int64_t maximum = whole_number(maximum_value, "maximum", 2, 100000);
  if (maximum < minimum)
    value_error("maximum (" + std::to_string(maximum) + ") must not be below minimum (" + std::to_string(minimum) +
                ")");
  const std::string criterion = text_argument(criterion_name, "criterion");
  if (criterion != "lower" && criterion != "estimate") value_error("criterion must be 'lower' or 'estimate'");
  const SimulationOptions options = simulation_options(threads);
  const SampleSizeSearch search{
      endpoint, target_power, step,
      minimum,  maximum,      criterion == "lower" ? PowerCriterion::lower_bound : PowerCriterion::estimate};
  const Scenario scenario = load(path, overrides, trials, seed);
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

  // A bad argument is TypeError or ValueError; bad scenarios are ValueError (with the command
  // line's message); running out of memory is MemoryError; anything else the simulator throws
  // is RuntimeError. Python's own exceptions pass through unchanged.
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ArgumentError& e) {
      set_error(e.type, e.message);
    } catch (const py::builtin_exception&) {
      throw;
    } catch (const py::error_already_set&) {
      throw;
    } catch (const vtrial::SettingsError& e) {
      set_error(PyExc_ValueError, e.what());
    } catch (const std::invalid_argument& e) {
      set_error(PyExc_ValueError, e.what());
    } catch (const std::bad_alloc&) {
      PyErr_NoMemory();
    } catch (const std::exception& e) {
      set_error(PyExc_RuntimeError, e.what());
    }
  });

  m.def("load_scenario", &load_scenario, "path"_a, "overrides"_a = py::none(),
        R"(Validates a scenario file with overrides applied and returns it resolved, as YAML text.

overrides: {"trial.patients": 120} or ["trial.patients=120"] (like `vtrial --set`).
Raises ValueError, with the command line's message, for an unknown key or a bad value.)");
  m.def("run", &run, "path"_a, "overrides"_a = py::none(), "trials"_a = py::none(), "seed"_a = py::none(),
        "threads"_a = 0, "output"_a = py::none(), "shard"_a = py::none(),
        R"(Simulates a scenario, like `vtrial run`.

Returns a dict: "power" {endpoint: {power, mc_se, ci_low, ci_high, rejections, trials}},
"design" {name: float}, "trials" / "patients" / "trajectories" {column: numpy array},
"seconds", "threads", "seed", "scenario" (resolved YAML) and "output". If output is given,
the HDF5 result file is written there too. threads=0 uses all cores; results never depend on it.
shard=(K, N): only the K-th of N contiguous ranges of trials (vtrial run --shard K/N); with
output, a shard file that merge() joins with the others into the single run's file.)");
  m.def("merge", &merge, "paths"_a, "output"_a,
        R"(Joins the shard files of one run into the file a single run writes (vtrial merge).

Every dataset equals the single run's. Raises ValueError, naming what differs or which shard
is missing or doubled, for shards that are not of one run or do not cover every trial once.)");
  m.def("missing_shards", &missing, "paths"_a,
        R"(The shards (K, N) of the run these shard files belong to that none of them holds.)");
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
