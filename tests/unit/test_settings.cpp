// Scenario validation: every error names where (file:line:column, or the --set text), which key,
// and what is accepted. Messages are checked by substring so wording around them may change.
#include "engine/settings.hpp"

#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>
#include <vector>

#include <gtest/gtest.h>

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
  for (const char* part : parts) EXPECT_NE(message.find(part), std::string::npos) << "missing '" << part << "' in: " << message;
}

// --- unknown keys -------------------------------------------------------------------------

TEST(Settings, UnknownTopLevelKeySuggestsAndListsSections) {
  const auto m = scenario_error("name: x\ntrail:\n  patients: 10\n");
  expect_contains(m, {"test.yaml:2:1:", "unknown key 'trail'", "did you mean 'trial'?", "accepted sections:",
                      "analysis", "dropout", "mechanistic", "model", "name", "output", "parametric", "simulation",
                      "trial"});
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
  const auto sc = load("trial:\n  follow_up_days: 1\n  visit_interval_days: 0\nmechanistic:\n  resistance:\n"
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
  expect_contains(scenario_error("parametric:\n  nk_change_sd: 0\n"),
                  {"test.yaml:2:17:", "parametric.nk_change_sd", "expected a number > 0", "got 0"});
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
  for (const char* bad : {"2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "2025/01/01", "tomorrow",
                          "2025-01-01x"}) {
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
  expect_contains(m, {"--set trial.patients=abc", "trial.patients", "expected an integer from 2 to 100000", "got 'abc'"});
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
  expect_contains(error_of([&] { s.apply_override("name.first=5"); }), {"--set name.first=5", "'name' is not a section"});
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
  for (const char* part : {"name: x", "model: parametric", "patients: 40", "follow_up_days: 84",
                           "visit_interval_days: 7", "hazard_ratio: 1.5", "median_days_to_negative: 21",
                           "mechanistic:", "rate_per_year:", "alpha:", "trials: 10000", "seed: 20250520",
                           "patient_trials: 1", "trajectory_patients: 0"})
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
  expect_contains(error_of([&] { s.finish(); }), {"test.yaml:3:3:", "unknown key 'a.c'", "did you mean 'b'?",
                                                  "accepted keys under 'a': b"});
  EXPECT_TRUE(s.has("a.c"));
  EXPECT_FALSE(s.has("a.d"));
  EXPECT_FALSE(s.has("a.b.c"));
}

TEST(Settings, ScenarioFileValidates) {
  Settings s = Settings::from_file(std::string(VTRIAL_SOURCE_DIR) + "/scenarios/nct06971913.yaml");
  const auto sc = vtrial::read_scenario(s);
  EXPECT_EQ(sc.name, "nct06971913");
  EXPECT_EQ(sc.trial.patients, 100);
}

}  // namespace
