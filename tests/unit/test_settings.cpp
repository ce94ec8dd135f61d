// Scenario validation: every error names where (file:line:column, or the --set text), which key,
// and what is accepted. Messages are checked by substring so wording around them may change.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include "engine/settings.hpp"
#include "models/scenario.hpp"

namespace {

using vtrial::Range;
using vtrial::Scenario;
using vtrial::Settings;
using vtrial::SettingsError;

// Reads a whole scenario from YAML text (with --set overrides), through the same path as the CLI.
Scenario load(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  Settings settings = Settings::from_string(yaml, "test.yaml");
  for (const auto& o : overrides) settings.apply_override(o);
  return vtrial::read_scenario(settings);
}

// Runs `action`, expects a SettingsError, and returns its message ("" and a failure otherwise).
std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const SettingsError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a SettingsError";
  return "";
}

std::string scenario_error(const std::string& yaml, const std::vector<std::string>& overrides = {}) {
  return error_of([&] { load(yaml, overrides); });
}

void expect_contains(const std::string& message, std::initializer_list<const char*> parts) {
  for (const char* part : parts)
    EXPECT_NE(message.find(part), std::string::npos) << "missing '" << part << "' in: " << message;
}

// --- unknown keys -------------------------------------------------------------------------

TEST(Settings, UnknownTopLevelKeySuggestsAndListsSections) {
  const auto m = scenario_error("name: x\ntrail:\n  patients: 10\n");
  expect_contains(
      m, {"test.yaml:2:1:", "unknown key 'trail'", "did you mean 'trial'?", "accepted sections:", "analysis", "dropout",
          "mechanistic", "model", "name", "output", "parametric", "simulation", "trial"});
}

TEST(Settings, UnknownNestedKeySuggestsAndListsSiblings) {
  const auto m = scenario_error("trial:\n  patients: 10\n  folow_up_days: 30\n");
  expect_contains(m, {"test.yaml:3:3:", "unknown key 'trial.folow_up_days'", "did you mean 'follow_up_days'?",
                      "accepted keys under 'trial':", "follow_up_days, patients, visit_interval_days"});
}

TEST(Settings, UnknownDeeplyNestedKey) {
  const auto m = scenario_error("parametric:\n  il2:\n    hazard_ration: 2\n");
  expect_contains(m, {"test.yaml:3:5:", "unknown key 'parametric.il2.hazard_ration'", "did you mean 'hazard_ratio'?",
                      "accepted keys under 'parametric.il2':", "hazard_ratio, nk_change_mean"});
}

TEST(Settings, UnknownKeyFarFromAnyNameHasNoSuggestion) {
  const auto m = scenario_error("trial:\n  completely_different: 1\n");
  expect_contains(m, {"test.yaml:2:3:", "unknown key 'trial.completely_different'", "accepted keys under 'trial':"});
  EXPECT_EQ(m.find("did you mean"), std::string::npos) << m;
}

// --- wrong types --------------------------------------------------------------------------

TEST(Settings, TextWhereNumberExpected) {
  const auto m = scenario_error("trial:\n  follow_up_days: abc\n");
  expect_contains(m, {"test.yaml:2:19:", "trial.follow_up_days", "expected a number in [1, 3650]", "got 'abc'"});
}

TEST(Settings, TextWhereIntegerExpected) {
  const auto m = scenario_error("simulation:\n  trials: many\n");
  expect_contains(m, {"test.yaml:2:11:", "simulation.trials", "an integer from 1 to 100000000", "got 'many'"});
}

TEST(Settings, MappingWhereScalarExpected) {
  const auto m = scenario_error("trial:\n  patients:\n    a: 1\n");
  expect_contains(m, {"test.yaml:3:5:", "trial.patients", "expected an integer from 2 to 100000", "got a mapping"});
}

TEST(Settings, ListWhereScalarExpected) {
  const auto m = scenario_error("trial:\n  patients: [1, 2]\n");
  expect_contains(m, {"test.yaml:2:13:", "trial.patients", "expected an integer from 2 to 100000", "got a list"});
}

TEST(Settings, ListWhereChoiceExpected) {
  const auto m = scenario_error("model: [parametric]\n");
  expect_contains(m, {"test.yaml:1:8:", "model", "one of: parametric, mechanistic", "got a list"});
}

TEST(Settings, MappingWhereTextExpected) {
  const auto m = scenario_error("name:\n  first: x\n");
  expect_contains(m, {"test.yaml:2:3:", "name", "expected text", "got a mapping"});
}

TEST(Settings, IntegerGivenAsFraction) {
  const auto m = scenario_error("trial:\n  patients: 2.5\n");
  expect_contains(m, {"test.yaml:2:13:", "trial.patients", "expected an integer from 2 to 100000", "got '2.5'"});
}

// A scalar or list where a whole section is expected must not silently give the defaults.
TEST(Settings, ScalarWhereSectionExpected) {
  expect_contains(scenario_error("trial: 5\n"), {"test.yaml:1:", "trial"});
  expect_contains(scenario_error("parametric:\n  control: [1, 2]\n"), {"test.yaml:2:", "parametric.control"});
}

// --- ranges -------------------------------------------------------------------------------

TEST(Settings, IntegerBelowAndAboveRange) {
  expect_contains(scenario_error("trial:\n  patients: 1\n"),
                  {"test.yaml:2:13:", "trial.patients", "expected an integer from 2 to 100000", "got 1"});
  expect_contains(scenario_error("trial:\n  patients: 100001\n"),
                  {"test.yaml:2:13:", "trial.patients", "expected an integer from 2 to 100000", "got 100001"});
  expect_contains(scenario_error("simulation:\n  seed: -1\n"), {"simulation.seed", "from 0 to", "got -1"});
}

TEST(Settings, RealBelowAndAboveClosedRange) {
  expect_contains(scenario_error("trial:\n  follow_up_days: 0.5\n"),
                  {"test.yaml:2:19:", "trial.follow_up_days", "expected a number in [1, 3650]", "got 0.5"});
  expect_contains(scenario_error("trial:\n  follow_up_days: 3650.5\n"),
                  {"test.yaml:2:19:", "trial.follow_up_days", "expected a number in [1, 3650]", "got 3650.5"});
  expect_contains(scenario_error("mechanistic:\n  resistance:\n    fraction: 1.01\n"),
                  {"test.yaml:3:15:", "mechanistic.resistance.fraction", "a number in [0, 1]", "got 1.01"});
}

TEST(Settings, ClosedBoundsAreAccepted) {
  const auto sc = load(
      "trial:\n  follow_up_days: 1\n  visit_interval_days: 0\nmechanistic:\n  resistance:\n"
      "    fraction: 1\n");
  EXPECT_EQ(sc.trial.follow_up_days, 1);
  EXPECT_EQ(sc.trial.visit_interval_days, 0);
  EXPECT_EQ(sc.mechanistic.resistance_fraction, 1);
  EXPECT_EQ(load("trial:\n  patients: 2\n").trial.patients, 2);
  EXPECT_EQ(load("trial:\n  patients: 100000\n").trial.patients, 100000);
}

TEST(Settings, OpenBoundsAreRejected) {
  expect_contains(scenario_error("analysis:\n  alpha: 0\n"),
                  {"test.yaml:2:10:", "analysis.alpha", "expected a number in (0, 1)", "got 0"});
  expect_contains(scenario_error("analysis:\n  alpha: 1\n"),
                  {"test.yaml:2:10:", "analysis.alpha", "expected a number in (0, 1)", "got 1"});
  expect_contains(scenario_error("parametric:\n  il2:\n    hazard_ratio: 0\n"),
                  {"test.yaml:3:19:", "parametric.il2.hazard_ratio", "a number in (0, 100]", "got 0"});
  expect_contains(scenario_error("analysis:\n  interim:\n    days: [0]\n"),
                  {"analysis.interim.days", "expected a list of numbers in (0, 36500]", "got 0"});
  // A bound that works, not just one that parses (issue 16): an SD of 1e-308 broke the tests.
  expect_contains(scenario_error("parametric:\n  nk_change_sd: 1e-308\n"),
                  {"test.yaml:2:17:", "parametric.nk_change_sd", "[1e-06, 1000000]", "got 1e-308"});
  EXPECT_EQ(load("parametric:\n  il2:\n    hazard_ratio: 100\n").parametric.il2_hazard_ratio, 100);
  EXPECT_DOUBLE_EQ(load("analysis:\n  alpha: 0.999\n").analysis.alpha, 0.999);
}

TEST(Settings, NonFiniteNumbersAreRejected) {
  expect_contains(scenario_error("trial:\n  follow_up_days: inf\n"), {"trial.follow_up_days", "got inf"});
  expect_contains(scenario_error("trial:\n  follow_up_days: nan\n"), {"trial.follow_up_days", "got nan"});
  expect_contains(scenario_error("parametric:\n  il2:\n    nk_change_mean: 1e400\n"),
                  {"test.yaml:3:21:", "parametric.il2.nk_change_mean", "got '1e400'"});
}

TEST(Settings, RangeDescriptions) {
  EXPECT_EQ(Range::closed(1, 2).describe(), "a number in [1, 2]");
  EXPECT_EQ(Range::open_unit().describe(), "a number in (0, 1)");
  EXPECT_EQ(Range::probability().describe(), "a number in [0, 1]");
  EXPECT_EQ(Range::positive().describe(), "a number > 0");
  EXPECT_EQ(Range::at_least(3).describe(), "a number >= 3");
  EXPECT_EQ((Range{0, 1, false, true}).describe(), "a number in [0, 1)");
  EXPECT_TRUE(Range::at_least(3).contains(3));
  EXPECT_FALSE(Range::positive().contains(0));
  EXPECT_FALSE(Range::at_least(0).contains(std::nan("")));
  EXPECT_FALSE(Range::at_least(0).contains(INFINITY));
}

// --- choices, dates, booleans ----------------------------------------------------------------

TEST(Settings, BadModelChoiceListsAcceptedValues) {
  const auto m = scenario_error("model: pk\n");
  expect_contains(m, {"test.yaml:1:8:", "model", "expected one of: parametric, mechanistic", "got 'pk'"});
  EXPECT_EQ(load("model: mechanistic\n").model, vtrial::PatientModelKind::mechanistic);
}

TEST(Settings, DatesParseAndBadDatesAreRejected) {
  auto settings = Settings::from_string("start: 2000-03-01\nleap: 2024-02-29\n", "test.yaml");
  EXPECT_EQ(settings.date("start", "1970-01-01"), 11017);
  EXPECT_EQ(settings.date("leap", "1970-01-01"), 19782);
  EXPECT_EQ(settings.date("absent", "1970-01-01"), 0);
  settings.finish();
  for (const char* bad :
       {"2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025/01/01", "tomorrow", "2025-01-01x"}) {
    auto s = Settings::from_string(std::string("start: ") + bad + "\n", "test.yaml");
    const auto m = error_of([&] { s.date("start", "2025-01-01"); });
    expect_contains(m, {"test.yaml:1:8:", "start", "expected a date YYYY-MM-DD", bad});
  }
  auto listed = Settings::from_string("start: [2025-01-01]\n", "test.yaml");
  expect_contains(error_of([&] { listed.date("start", "2025-01-01"); }),
                  {"test.yaml:1:8:", "start", "expected a date YYYY-MM-DD", "got a list"});
}

TEST(Settings, Booleans) {
  auto s = Settings::from_string("a: true\nb: false\nc: yes please\n", "test.yaml");
  EXPECT_TRUE(s.boolean("a", false));
  EXPECT_FALSE(s.boolean("b", true));
  EXPECT_TRUE(s.boolean("d", true));
  expect_contains(error_of([&] { s.boolean("c", false); }),
                  {"test.yaml:3:4:", "c", "expected true or false", "got 'yes please'"});
}

// --- documents ------------------------------------------------------------------------------

TEST(Settings, InvalidYamlReportsLine) {
  const auto m = error_of([] { Settings::from_string("name: x\ntrial:\n  patients: [1, 2\n", "test.yaml"); });
  expect_contains(m, {"test.yaml:", "not valid YAML"});
  // The unterminated list opened on line 3; yaml-cpp reports where it noticed, at or after it.
  const auto line = std::stoi(m.substr(std::string("test.yaml:").size()));
  EXPECT_GE(line, 3) << m;
  expect_contains(error_of([] { Settings::from_string("name: x\ntrial:\n  patients: 10\n   bad: 2\n", "test.yaml"); }),
                  {"test.yaml:4:", "not valid YAML"});
}

TEST(Settings, NonMappingDocumentIsRejected) {
  for (const char* doc : {"- a\n- b\n", "hello\n", "42\n"}) {
    const auto m = error_of([&] { Settings::from_string(doc, "test.yaml"); });
    expect_contains(m, {"test.yaml", "must be a YAML mapping"});
  }
}

TEST(Settings, EmptyDocumentGivesAllDefaults) {
  const auto sc = load("");
  EXPECT_EQ(sc.trial.patients, 100);
  EXPECT_EQ(sc.simulation.trials, 10000);
  EXPECT_EQ(load("# only a comment\n").trial.patients, 100);
  EXPECT_EQ(load("trial:\n").trial.patients, 100);  // an empty section is allowed
}

TEST(Settings, MissingFileIsNamed) {
  const auto m = error_of([] { Settings::from_file("/nonexistent/dir/scenario.yaml"); });
  expect_contains(m, {"/nonexistent/dir/scenario.yaml", "cannot open"});
}

// --- --set overrides ------------------------------------------------------------------------

TEST(Settings, OverrideWinsAndIsResolved) {
  const auto sc = load("trial:\n  patients: 100\n", {"trial.patients=60", "analysis.alpha=0.1"});
  EXPECT_EQ(sc.trial.patients, 60);
  EXPECT_DOUBLE_EQ(sc.analysis.alpha, 0.1);
  EXPECT_NE(sc.resolved_yaml.find("patients: 60"), std::string::npos) << sc.resolved_yaml;
  EXPECT_EQ(sc.resolved_yaml.find("patients: 100"), std::string::npos) << sc.resolved_yaml;
  // Into a section the file does not have, and the last of two overrides wins.
  const auto sc2 = load("name: x\n", {"parametric.il2.hazard_ratio=2", "trial.patients=50", "trial.patients=52"});
  EXPECT_EQ(sc2.parametric.il2_hazard_ratio, 2);
  EXPECT_EQ(sc2.trial.patients, 52);
  EXPECT_EQ(sc2.name, "x");
}

TEST(Settings, OverrideWithBadValueNamesTheSetText) {
  const auto m = scenario_error("trial:\n  patients: 100\n", {"trial.patients=abc"});
  expect_contains(m,
                  {"--set trial.patients=abc", "trial.patients", "expected an integer from 2 to 100000", "got 'abc'"});
  EXPECT_EQ(m.find("test.yaml"), std::string::npos) << m;
  expect_contains(scenario_error("", {"analysis.alpha=1"}),
                  {"--set analysis.alpha=1", "analysis.alpha", "a number in (0, 1)", "got 1"});
  expect_contains(scenario_error("", {"model=pk"}), {"--set model=pk", "one of: parametric, mechanistic"});
}

TEST(Settings, OverrideWithUnknownKeyInKnownSection) {
  const auto m = scenario_error("trial:\n  patients: 100\n", {"trial.patiens=60"});
  expect_contains(m, {"--set trial.patiens=60", "unknown key 'trial.patiens'", "did you mean 'patients'?",
                      "accepted keys under 'trial':"});
}

TEST(Settings, OverrideWithUnknownSectionIsRejected) {
  const auto m = scenario_error("name: x\n", {"trail.patients=60"});
  expect_contains(m, {"unknown key 'trail'", "did you mean 'trial'?", "accepted sections:"});
}

// When --set creates a new (misspelt) section, the error names the --set text, not the file.
TEST(Settings, OverrideWithUnknownSectionNamesTheSetText) {
  expect_contains(scenario_error("name: x\n", {"trail.patients=60"}), {"--set trail.patients=60"});
}

TEST(Settings, MalformedOverride) {
  Settings s = Settings::from_string("", "test.yaml");
  expect_contains(error_of([&] { s.apply_override("foo"); }), {"--set foo", "expected key.path=value"});
  expect_contains(error_of([&] { s.apply_override("=5"); }), {"--set =5", "expected key.path=value"});
  expect_contains(error_of([&] { s.apply_override("trial.patients=[1"); }),
                  {"--set trial.patients=[1", "not valid YAML"});
}

TEST(Settings, OverrideBelowAScalarIsRejected) {
  Settings s = Settings::from_string("name: x\ntrial:\n  patients: 10\n", "test.yaml");
  expect_contains(error_of([&] { s.apply_override("name.first=5"); }),
                  {"--set name.first=5", "'name' is not a section"});
  expect_contains(error_of([&] { s.apply_override("trial.patients.x=5"); }),
                  {"--set trial.patients.x=5", "'patients' is not a section"});
}

// --- cross-key checks and the resolved scenario ----------------------------------------------

TEST(Settings, VisitIntervalMustNotExceedFollowUp) {
  const auto m = scenario_error("trial:\n  follow_up_days: 50\n  visit_interval_days: 100\n");
  expect_contains(m, {"test.yaml:3:24:", "trial.visit_interval_days", "must not exceed trial.follow_up_days", "50"});
  const auto via_set = scenario_error("trial:\n  follow_up_days: 50\n", {"trial.visit_interval_days=60"});
  expect_contains(via_set, {"--set trial.visit_interval_days=60", "must not exceed trial.follow_up_days"});
  EXPECT_EQ(load("trial:\n  follow_up_days: 50\n  visit_interval_days: 50\n").trial.visit_interval_days, 50);
}

TEST(Settings, ResolvedYamlHasDefaults) {
  const auto sc = load("name: x\ntrial:\n  patients: 40\n");
  for (const char* part :
       {"name: x", "model: parametric", "patients: 40", "follow_up_days: 84", "visit_interval_days: 7",
        "hazard_ratio: 1.5", "median_days_to_negative: 21", "mechanistic:", "rate_per_year:", "alpha:", "trials: 10000",
        "seed: 20250520", "patient_trials: 1", "trajectory_patients: 0"})
    EXPECT_NE(sc.resolved_yaml.find(part), std::string::npos) << "missing '" << part << "' in:\n" << sc.resolved_yaml;
}

TEST(Settings, ResolvedYamlRoundTrips) {
  const auto sc = load("name: x\ntrial:\n  patients: 40\nanalysis:\n  alpha: 0.025\nparametric:\n  shape: 1.3\n");
  const auto again = load(sc.resolved_yaml);
  EXPECT_EQ(again.resolved_yaml, sc.resolved_yaml);
  EXPECT_EQ(again.trial.patients, 40);
  EXPECT_EQ(again.analysis.alpha, 0.025);  // exact: the emitter writes enough digits
  EXPECT_EQ(again.parametric.shape, 1.3);
  EXPECT_EQ(again.dropout.rate_per_year, sc.dropout.rate_per_year);
}

TEST(Settings, FinishReportsUnreadKeysOnlyAfterReads) {
  Settings s = Settings::from_string("a:\n  b: 1\n  c: 2\n", "test.yaml");
  EXPECT_EQ(s.real("a.b", 0, Range::at_least(0)), 1);
  expect_contains(error_of([&] { s.finish(); }),
                  {"test.yaml:3:3:", "unknown key 'a.c'", "did you mean 'b'?", "accepted keys under 'a': b"});
  EXPECT_TRUE(s.has("a.c"));
  EXPECT_FALSE(s.has("a.d"));
  EXPECT_FALSE(s.has("a.b.c"));
}

// --- lists of mappings ----------------------------------------------------------------------

const char* const kArms =
    "arms:\n"
    "  - name: control\n"
    "    control: true\n"
    "    ratio: 1\n"
    "  - name: il2\n"
    "    ratio: 2\n"
    "    parametric: {hazard_ratio: 1.5}\n"
    "endpoints:\n"
    "  - name: nk28\n"
    "    outcome: nk_change\n"
    "    test: welch_t\n"
    "    comparisons: [il2 vs control]\n";

struct Arm {
  std::string name;
  bool control;
  double ratio;
  double hazard_ratio = 1;
};

// Reads arms and endpoints the way a scenario reader would, so finish() knows each item's keys.
std::vector<Arm> read_arms(Settings& s) {
  std::vector<Arm> arms;
  for (std::size_t i = 0, n = s.list_size("arms"); i < n; ++i) {
    const std::string at = "arms." + std::to_string(i) + ".";
    Arm a{s.text(at + "name", ""), s.boolean(at + "control", false), s.real(at + "ratio", 1, Range::positive())};
    if (!a.control) a.hazard_ratio = s.real(at + "parametric.hazard_ratio", 1, Range::positive());
    arms.push_back(a);
  }
  for (std::size_t i = 0, n = s.list_size("endpoints"); i < n; ++i) {
    const std::string at = "endpoints." + std::to_string(i) + ".";
    s.text(at + "name", "");
    s.choice(at + "outcome", "nk_change", {"nk_change", "viremia"});
    s.choice(at + "test", "welch_t", {"welch_t", "log_rank"});
    s.text_list(at + "comparisons", {}, {});
  }
  return arms;
}

std::string finish_error(const std::string& yaml) {
  Settings s = Settings::from_string(yaml, "test.yaml");
  read_arms(s);
  return error_of([&] { s.finish(); });
}

TEST(Settings, GettersIndexListItems) {
  Settings s =
      Settings::from_string(std::string(kArms) + "cohorts:\n  - {start: 2025-03-01, doses: [0.5, 1]}\n", "test.yaml");
  EXPECT_EQ(s.text("arms.0.name", ""), "control");
  EXPECT_TRUE(s.boolean("arms.0.control", false));
  EXPECT_EQ(s.integer("arms.0.ratio", 5, 1, 10), 1);
  EXPECT_EQ(s.real("arms.1.ratio", 1, Range::positive()), 2);
  EXPECT_EQ(s.real("arms.1.parametric.hazard_ratio", 1, Range::positive()), 1.5);
  EXPECT_EQ(s.choice("endpoints.0.test", "log_rank", {"welch_t", "log_rank"}), "welch_t");
  EXPECT_EQ(s.text_list("endpoints.0.comparisons", {}, {}), std::vector<std::string>{"il2 vs control"});
  EXPECT_EQ(s.real_list("cohorts.0.doses", {}, Range::positive()), (std::vector<double>{0.5, 1}));
  EXPECT_EQ(s.date("cohorts.0.start", "1970-01-01"), 20148);
  EXPECT_TRUE(s.has("arms.1"));
  EXPECT_TRUE(s.has("arms.1.parametric"));
  EXPECT_FALSE(s.has("arms.1.control"));
  EXPECT_FALSE(s.has("arms.2"));
  EXPECT_FALSE(s.has("arms.2.name"));
  // A key an item leaves out takes its fallback, which is recorded like any other.
  EXPECT_FALSE(s.boolean("arms.1.control", false));
  EXPECT_EQ(s.integer("arms.1.weight", 7, 0, 10), 7);
  EXPECT_NE(s.resolved_yaml().find("weight: 7"), std::string::npos) << s.resolved_yaml();
}

TEST(Settings, ListSizeCountsItemsAndRejectsOtherShapes) {
  auto s = Settings::from_string(std::string(kArms) + "none:\nempty: []\n", "test.yaml");
  EXPECT_EQ(s.list_size("arms"), 2u);
  EXPECT_EQ(s.list_size("endpoints"), 1u);
  EXPECT_EQ(s.list_size("absent"), 0u);
  EXPECT_EQ(s.list_size("none"), 0u);
  EXPECT_EQ(s.list_size("empty"), 0u);
  const auto size_error = [](const std::string& yaml, const std::string& path = "arms") {
    auto bad = Settings::from_string(yaml, "test.yaml");
    return error_of([&] { bad.list_size(path); });
  };
  expect_contains(size_error("arms: 5\n"), {"test.yaml:1:7: arms: expected a list of mappings, got a number"});
  expect_contains(size_error("arms: hello\n"), {"test.yaml:1:7: arms: expected a list of mappings, got 'hello'"});
  expect_contains(size_error("arms: {name: x}\n"), {"test.yaml:1:7: arms: expected a list of mappings, got a mapping"});
  expect_contains(size_error("arms: [control, il2]\n"),
                  {"test.yaml:1:8: arms[0]: expected a mapping of keys", "got 'control'"});
  expect_contains(size_error("arms:\n  - name: x\n  - 3\n"), {"test.yaml:3:5: arms[1]:", "got a number"});
  expect_contains(size_error("arms:\n  - [a]\n"), {"test.yaml:2:5: arms[0]:", "got a list"});
  expect_contains(size_error("arms:\n  -\n  - name: x\n"), {"arms[0]:", "got nothing"});
  expect_contains(size_error(kArms, "arms.0.name"), {"test.yaml:2:11: arms[0].name: expected a list of mappings"});
  expect_contains(size_error(kArms, "arms.4.doses"), {"arms[4]: no such item; 'arms' has 2 items"});
}

TEST(Settings, FinishChecksTheKeysOfListItems) {
  Settings ok = Settings::from_string(kArms, "test.yaml");
  EXPECT_EQ(read_arms(ok).size(), 2u);
  ok.finish();
  const std::string yaml = kArms;
  const auto insert_after = [](std::string text, const std::string& line, const std::string& added) {
    return text.insert(text.find(line) + line.size(), added);
  };
  expect_contains(finish_error(insert_after(yaml, "    ratio: 2\n", "    colour: red\n")),
                  {"test.yaml:7:5: unknown key 'arms[1].colour'",
                   "accepted keys under 'arms[1]': control, name, parametric, ratio"});
  expect_contains(finish_error(insert_after(yaml, "    ratio: 2\n", "    ratoi: 3\n")),
                  {"test.yaml:7:5:", "'arms[1].ratoi' (did you mean 'ratio'?)"});
  expect_contains(finish_error(insert_after(yaml, "comparisons: [il2 vs control]\n", "    alpah: 0.05\n")),
                  {"test.yaml:13:5: unknown key 'endpoints[0].alpah'", "accepted keys under 'endpoints[0]':"});
  expect_contains(finish_error(insert_after(yaml, "{hazard_ratio: 1.5", ", hazard_ration: 2")),
                  {"test.yaml:7:37: unknown key 'arms[1].parametric.hazard_ration'", "did you mean 'hazard_ratio'?",
                   "accepted keys under 'arms[1].parametric': hazard_ratio"});
  expect_contains(finish_error(insert_after(yaml, "  - name: control\n", "    name: placebo\n")),
                  {"test.yaml:3:5: key 'arms[0].name' is given twice"});
  // An item nobody read, and the keys of an item that were not read, are reported too.
  Settings unread = Settings::from_string(kArms, "test.yaml");
  unread.list_size("arms");
  unread.text("arms.0.name", "");
  expect_contains(error_of([&] { unread.finish(); }), {"test.yaml:3:5: unknown key 'arms[0].control'"});
  Settings items_unread = Settings::from_string("arms:\n  - name: a\n", "test.yaml");
  items_unread.list_size("arms");
  expect_contains(error_of([&] { items_unread.finish(); }),
                  {"test.yaml:2:5: unknown key 'arms[0].name'", "accepted keys under 'arms[0]': (none)"});
  // A key that is itself a list has no name to check; it is reported, not thrown as a YAML error.
  Settings complex_key = Settings::from_string("arms:\n  - {[a]: 1}\n", "test.yaml");
  complex_key.list_size("arms");
  expect_contains(error_of([&] { complex_key.finish(); }),
                  {"test.yaml:2:6: expected a key name under 'arms[0]', got a list"});
}

TEST(Settings, MessagesShowIndexedPaths) {
  Settings s = Settings::from_string("arms:\n  - name: a\n  - name: b\n    ratio: two\n    share: 2\n", "test.yaml");
  ASSERT_EQ(s.list_size("arms"), 2u);
  expect_contains(error_of([&] { s.real("arms.1.ratio", 1, Range::positive()); }),
                  {"test.yaml:4:12: arms[1].ratio: expected a number > 0, got 'two'"});
  expect_contains(error_of([&] { s.real("arms.1.share", 0.5, Range::probability()); }),
                  {"test.yaml:5:12: arms[1].share: expected a number in [0, 1], got 2"});
  expect_contains(error_of([&] { s.fail("arms.1.name", "must differ from arms[0].name"); }),
                  {"test.yaml:3:11: arms[1].name: must differ from arms[0].name"});
  expect_contains(error_of([&] { s.fail("arms.1", "is a second control arm"); }), {"test.yaml:3:5: arms[1]: is"});
  // Digits under a mapping are still an ordinary key.
  Settings keyed = Settings::from_string("levels:\n  1: low\n  2: high\n", "test.yaml");
  EXPECT_EQ(keyed.text("levels.1", ""), "low");
  expect_contains(error_of([&] { keyed.finish(); }), {"test.yaml:3:3: unknown key 'levels.2'"});
}

TEST(Settings, ResolvedYamlRoundTripsLists) {
  Settings s = Settings::from_string(kArms, "test.yaml");
  const auto arms = read_arms(s);
  s.finish();
  const std::string yaml = s.resolved_yaml();
  const YAML::Node doc = YAML::Load(yaml);
  ASSERT_TRUE(doc["arms"].IsSequence()) << yaml;
  ASSERT_EQ(doc["arms"].size(), 2u) << yaml;
  EXPECT_EQ(doc["arms"][1]["control"].as<std::string>(), "false") << yaml;  // the fallback, resolved
  EXPECT_EQ(doc["endpoints"][0]["comparisons"][0].as<std::string>(), "il2 vs control") << yaml;

  Settings again = Settings::from_string(yaml, "resolved.yaml");
  const auto arms_again = read_arms(again);
  again.finish();
  EXPECT_EQ(again.resolved_yaml(), yaml);
  ASSERT_EQ(arms_again.size(), arms.size());
  for (std::size_t i = 0; i < arms.size(); ++i) {
    EXPECT_EQ(arms_again[i].name, arms[i].name);
    EXPECT_EQ(arms_again[i].control, arms[i].control);
    EXPECT_EQ(arms_again[i].ratio, arms[i].ratio);
    EXPECT_EQ(arms_again[i].hazard_ratio, arms[i].hazard_ratio);
  }
  // No list given: the resolved scenario says so, and reads back as no items.
  Settings none = Settings::from_string("", "test.yaml");
  read_arms(none);
  EXPECT_NE(none.resolved_yaml().find("arms: []"), std::string::npos) << none.resolved_yaml();
  Settings none_again = Settings::from_string(none.resolved_yaml(), "resolved.yaml");
  EXPECT_TRUE(read_arms(none_again).empty());
  none_again.finish();
}

TEST(Settings, OverrideChangesAnItem) {
  Settings s = Settings::from_string(kArms, "test.yaml");
  s.apply_override("arms.1.ratio=3");
  s.apply_override("arms.1.parametric.hazard_ratio=2");
  const auto arms = read_arms(s);
  s.finish();
  EXPECT_EQ(arms[1].ratio, 3);
  EXPECT_EQ(arms[1].hazard_ratio, 2);
  EXPECT_EQ(arms[0].ratio, 1);
  const auto load_error = [](const std::vector<std::string>& overrides) {
    Settings bad = Settings::from_string(kArms, "test.yaml");
    for (const auto& o : overrides) bad.apply_override(o);
    return error_of([&] {
      read_arms(bad);
      bad.finish();
    });
  };
  expect_contains(load_error({"arms.1.ratio=abc"}), {"--set arms.1.ratio=abc: arms[1].ratio: expected a number > 0"});
  expect_contains(load_error({"arms.0.colour=red"}), {"--set arms.0.colour=red: unknown key 'arms[0].colour'"});
  // A whole item may be replaced; its keys then come from the --set text, not the file.
  expect_contains(load_error({"arms.1={name: x, ratio: 0}"}),
                  {"--set arms.1={name: x, ratio: 0}: arms[1].ratio: expected a number > 0, got 0"});
}

TEST(Settings, OverrideOutsideAListIsRejected) {
  const auto set_error = [](const std::string& assignment) {
    Settings s = Settings::from_string(kArms, "test.yaml");
    return error_of([&] { s.apply_override(assignment); });
  };
  const char* two = "'arms' has 2 items (arms[0] to arms[1])";
  expect_contains(set_error("arms.2.ratio=3"), {"--set arms.2.ratio=3: arms[2]: no such item; ", two});
  expect_contains(set_error("arms.5.ratio=3"), {"--set arms.5.ratio=3: arms[5]: no such item; ", two});
  expect_contains(set_error("arms.99999999999999999999999.ratio=3"), {"no such item; ", two});
  expect_contains(set_error("arms.-1.ratio=3"), {"'arms' is a list", "got '-1'", two});
  expect_contains(set_error("arms.01.ratio=3"), {"'arms' is a list", "got '01'", two});
  expect_contains(set_error("arms.ratio=3"), {"'arms' is a list", "got 'ratio'", two});
  expect_contains(set_error("arms.5=3"), {"arms[5]: no such item; ", two});
  expect_contains(set_error("endpoints.0.comparisons.1=x"),
                  {"endpoints[0].comparisons[1]: no such item; 'endpoints[0].comparisons' has 1 item"});
  expect_contains(set_error("arms.0.name.0=x"), {"--set arms.0.name.0=x: 'arms[0].name' is not a list"});
  expect_contains(set_error("arms.0.ratio.x=3"), {"--set arms.0.ratio.x=3: 'ratio' is not a section"});
  expect_contains(set_error("cohorts.0.size=3"), {"--set cohorts.0.size=3: cohorts[0]: no such item; "
                                                  "'cohorts' has no items"});
}

TEST(Settings, BadIndicesInGettersAreErrorsNotCrashes) {
  Settings s = Settings::from_string(kArms, "test.yaml");
  EXPECT_FALSE(s.has("arms.-1"));
  EXPECT_FALSE(s.has("arms.99999999999999999999999"));
  EXPECT_FALSE(s.has("arms.0.name.0"));
  expect_contains(error_of([&] { s.real("arms.5.ratio", 1, Range::positive()); }),
                  {"test.yaml:2:3: arms[5]: no such item; 'arms' has 2 items (arms[0] to arms[1])"});
  expect_contains(error_of([&] { s.real("arms.99999999999999999999999.ratio", 1, Range::positive()); }),
                  {"arms[99999999999999999999999]: no such item"});
  expect_contains(error_of([&] { s.text("cohorts.0.name", ""); }),
                  {"cohorts[0]: no such item; 'cohorts' has no items"});
  s.list_size("arms");
  expect_contains(error_of([&] { s.real("arms.-1.ratio", 1, Range::positive()); }),
                  {"test.yaml:2:3: arms: is a list; expected an item number after it, got '-1'"});
  // Item keys read from a list of scalars: the items are not mappings, which finish() reports.
  Settings scalars = Settings::from_string("arms: [a, b]\n", "test.yaml");
  EXPECT_EQ(scalars.text("arms.0.name", "x"), "x");
  expect_contains(error_of([&] { scalars.finish(); }),
                  {"test.yaml:1:8: 'arms[0]' is a section: expected a mapping of its keys, got 'a'"});
  EXPECT_FALSE(scalars.resolved_yaml().empty());
}

TEST(Settings, ScenarioFileValidates) {
  Settings s = Settings::from_file(std::string(VTRIAL_SOURCE_DIR) + "/scenarios/nct06971913.yaml");
  const auto sc = vtrial::read_scenario(s);
  EXPECT_EQ(sc.name, "nct06971913");
  EXPECT_EQ(sc.trial.patients, 100);
}

}  // namespace
