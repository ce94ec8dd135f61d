// Reading arms, randomization and endpoints from a scenario (models/scenario_arms.cpp,
// models/scenario_analysis.cpp, design/arms.cpp, design/endpoint.cpp): what a valid file
// gives, and that every mistake stops with a message naming the key path, its line and what
// is accepted, as docs/scenario.md promises.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "models/trial_analysis.hpp"
#include "scenario_fixture.hpp"

namespace vtrial {
namespace {

// Three arms 1:2:1 (sum 4), eight lines: what is appended starts on line 9.
const std::string kArms = R"(arms:
  - name: control
    control: true
  - name: il2_a
    ratio: 2
    parametric: {hazard_ratio: 1.3}
  - name: il2_b
    parametric: {hazard_ratio: 1.6, nk_change_mean: 25}
)";

// The message of the SettingsError reading `yaml` throws ("" if it reads fine).
std::string error_of(const std::string& yaml) {
  try {
    testing::scenario_from_yaml(yaml);
  } catch (const SettingsError& e) {
    return e.what();
  }
  return "";
}

#define EXPECT_MESSAGE(yaml, ...)                                                                 \
  do {                                                                                            \
    const std::string message = error_of(yaml);                                                   \
    ASSERT_FALSE(message.empty()) << "read without error";                                        \
    for (const char* part : {__VA_ARGS__})                                                        \
      EXPECT_NE(message.find(part), std::string::npos) << "'" << part << "' not in: " << message; \
  } while (0)

TEST(DesignScenario, ArmsWithRatiosAndAControl) {
  const Scenario sc = testing::scenario_from_yaml(kArms + "randomization: {block_size: 8}\n");
  ASSERT_EQ(sc.arms.size(), 3u);
  EXPECT_EQ(sc.arms[0].name, "control");
  EXPECT_TRUE(sc.arms[0].control);
  EXPECT_EQ(sc.arms[1].name, "il2_a");
  EXPECT_EQ(sc.arms[1].ratio, 2);
  EXPECT_FALSE(sc.arms[1].control);
  EXPECT_EQ(sc.arms[2].ratio, 1);  // default
  EXPECT_EQ(sc.block_size, 8);
  ASSERT_EQ(sc.treatments.size(), 3u);
  EXPECT_EQ(sc.treatments[0].parametric.hazard_ratio, 1.0);
  EXPECT_EQ(sc.treatments[1].parametric.hazard_ratio, 1.3);
  EXPECT_EQ(sc.treatments[2].parametric.hazard_ratio, 1.6);
  EXPECT_EQ(sc.treatments[2].parametric.nk_change_mean, 25);
  EXPECT_EQ(sc.treatments[1].parametric.nk_change_mean, sc.parametric.control_nk_change_mean);
  // Every endpoint tests both treatments against the control by default.
  for (const auto& e : sc.endpoints) EXPECT_EQ(e.comparisons, (std::vector<Comparison>{{1, 0}, {2, 0}})) << e.name;
  // Default block: the smallest multiple of 1 + 2 + 1 that is at least 4.
  EXPECT_EQ(testing::scenario_from_yaml(kArms).block_size, 4);
}

TEST(DesignScenario, TwoArmShorthandIsControlAndIl2WithItsValues) {
  const Scenario sc = testing::scenario_from_yaml("parametric: {il2: {hazard_ratio: 1.8, nk_change_mean: 40}}\n");
  ASSERT_EQ(sc.arms.size(), 2u);
  EXPECT_EQ(sc.arms[0].name, "control");
  EXPECT_TRUE(sc.arms[0].control);
  EXPECT_EQ(sc.arms[1].name, "il2");
  EXPECT_FALSE(sc.arms[1].control);
  EXPECT_EQ(sc.arms[0].ratio, 1);
  EXPECT_EQ(sc.arms[1].ratio, 1);
  EXPECT_EQ(sc.block_size, 4);
  EXPECT_EQ(sc.treatments[0].parametric.hazard_ratio, 1.0);
  EXPECT_EQ(sc.treatments[1].parametric.hazard_ratio, 1.8);
  EXPECT_EQ(sc.treatments[1].parametric.nk_change_mean, 40);
  EXPECT_EQ(sc.treatments[0].parametric.nk_change_mean, sc.parametric.control_nk_change_mean);
  EXPECT_EQ(sc.endpoints.front().comparisons, (std::vector<Comparison>{{1, 0}}));
}

TEST(DesignScenario, ControlMarkMustBeOnExactlyOneArm) {
  EXPECT_MESSAGE("arms:\n  - {name: a}\n  - {name: b}\n", "test.yaml:2:", "arms:", "exactly one arm", "0 are");
  EXPECT_MESSAGE("arms:\n  - {name: a, control: true}\n  - {name: b, control: true}\n", "arms:", "2 are");
  EXPECT_MESSAGE("arms:\n  - {name: a, control: true}\n", "arms:", "2 to 16 arms, got 1");
}

TEST(DesignScenario, ArmNamesAreUniqueIdentifiers) {
  EXPECT_MESSAGE("arms:\n  - {name: control, control: true}\n  - {name: control}\n", "test.yaml:3:", "arms[1].name",
                 "'control' is listed twice");
  EXPECT_MESSAGE("arms:\n  - {name: control, control: true}\n  - {name: IL-2}\n", "test.yaml:3:", "arms[1].name",
                 "lower-case", "got 'IL-2'");
  EXPECT_MESSAGE("arms:\n  - {name: control, control: true}\n  - {name: 2nd}\n", "arms[1].name", "got '2nd'");
  EXPECT_MESSAGE("arms:\n  - {name: control, control: true}\n  - {ratio: 2}\n", "arms[1].name", "got ''");
}

TEST(DesignScenario, RatiosAndBlockSize) {
  EXPECT_MESSAGE(kArms + "randomization: {block_size: 6}\n", "test.yaml:9:", "randomization.block_size",
                 "not a multiple of 4, the sum of the ratios in lowest terms");
  EXPECT_MESSAGE("arms:\n  - {name: control, control: true}\n  - {name: il2, ratio: 0}\n",
                 "test.yaml:3:", "arms[1].ratio", "from 1 to 100", "got 0");
  EXPECT_MESSAGE(
      "arms:\n  - {name: control, control: true}\n  - {name: il2, ratio: 2}\nrandomization: {block_size: 4}\n",
      "randomization.block_size", "not a multiple of 3");
  // 50:50 is 1:1: its default block is four, and a block of 100 is not needed.
  const Scenario halves =
      testing::scenario_from_yaml("arms:\n  - {name: control, control: true, ratio: 50}\n  - {name: il2, ratio: 50}\n");
  EXPECT_EQ(halves.block_size, 4);
  // A default block the ratios cannot fit is blamed on the arms, not on the unwritten key.
  EXPECT_MESSAGE(
      "arms:\n  - {name: control, control: true, ratio: 100}\n  - {name: a, ratio: 99}\n"
      "  - {name: b, ratio: 97}\n  - {name: c, ratio: 89}\n  - {name: d, ratio: 83}\n"
      "  - {name: e, ratio: 79}\n  - {name: f, ratio: 73}\n  - {name: g, ratio: 71}\n"
      "  - {name: h, ratio: 67}\n  - {name: i, ratio: 61}\n  - {name: j, ratio: 59}\n"
      "  - {name: k, ratio: 53}\n",
      "arms", "use smaller ratios");
}

const std::string kThreeArmEndpoint = kArms + "endpoints:\n  - ";  // the item is on line 10

TEST(DesignScenario, UnknownTestListsTheRegistry) {
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: nk_change, test: ttest}\n",
                 "test.yaml:10:", "endpoints[0].test", "logrank, cox_wald, cox_lr, welch_t, wilcoxon, fisher",
                 "'ttest'");
}

TEST(DesignScenario, TestMustReadTheOutcomesKindOfData) {
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: dropped_out, test: welch_t}\n", "endpoints[0].test",
                 "'welch_t' reads continuous", "'dropped_out' gives binary", "accepted: fisher");
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: time_to_negative, test: fisher}\n", "endpoints[0].test",
                 "accepted: logrank, cox_wald, cox_lr");
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: nk_change, test: logrank}\n", "accepted: welch_t, wilcoxon");
  // by_day turns a time-to-event outcome into binary data.
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: time_to_negative, test: logrank, by_day: 28}\n",
                 "endpoints[0].test", "with by_day", "accepted: fisher");
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: nk_change, test: welch_t, horizon_days: 28}\n",
                 "endpoints[0].horizon_days", "time-to-event");
  EXPECT_EQ(error_of(kThreeArmEndpoint + "{name: e, outcome: time_to_negative, test: fisher, by_day: 28}\n"), "");
}

TEST(DesignScenario, UnknownOutcomeListsTheDeclaredOutcomes) {
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, outcome: viral_load, test: logrank}\n",
                 "test.yaml:10:", "endpoints[0].outcome", "time_to_negative, nk_change, dropped_out", "'viral_load'");
}

TEST(DesignScenario, ComparisonsNameTwoDifferentArms) {
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, comparisons: [il2_a versus control]}\n", "endpoints[0].comparisons",
                 "'<arm> vs <arm>'", "control, il2_a, il2_b", "got 'il2_a versus control'");
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, comparisons: [il2_c vs control]}\n", "endpoints[0].comparisons",
                 "got 'il2_c vs control'");
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, comparisons: [il2_a vs il2_a]}\n", "endpoints[0].comparisons",
                 "two different arms", "got 'il2_a vs il2_a'");
  EXPECT_MESSAGE(kThreeArmEndpoint + "{name: e, comparisons: [il2_a vs control, il2_a vs control]}\n",
                 "endpoints[0].comparisons", "listed twice");
  const Scenario sc = testing::scenario_from_yaml(kThreeArmEndpoint + "{name: e, comparisons: [' il2_b vs il2_a ']}\n");
  EXPECT_EQ(sc.endpoints[0].comparisons, (std::vector<Comparison>{{2, 1}}));
}

TEST(DesignScenario, ShorthandKeysConflictWithArms) {
  EXPECT_MESSAGE(kArms + "parametric: {il2: {hazard_ratio: 2}}\n", "test.yaml:9:", "parametric.il2.hazard_ratio",
                 "two-arm shorthand");
  EXPECT_MESSAGE(kArms + "parametric: {il2: {nk_change_mean: 2}}\n", "parametric.il2.nk_change_mean", "shorthand");
  EXPECT_MESSAGE(kArms + "mechanistic: {il2: {dose_miu: 2}}\n", "mechanistic.il2.dose_miu", "shorthand");
  EXPECT_MESSAGE("arms:\n  - {name: control, control: true, parametric: {hazard_ratio: 2}}\n  - {name: il2}\n",
                 "arms[0].parametric.hazard_ratio", "control arm");
}

TEST(DesignScenario, InterimNeedsTwoArms) {
  EXPECT_MESSAGE(kArms + "analysis: {interim: {enabled: true}}\n", "analysis.interim.enabled", "two-arm log-rank",
                 "'duration_of_viremia'");
  EXPECT_EQ(error_of("analysis: {interim: {enabled: true}}\n"), "");
}

TEST(DesignScenario, KeySecondariesTestThePrimarysComparisons) {
  EXPECT_MESSAGE(kArms + R"(endpoints:
  - {name: p, outcome: time_to_negative, test: logrank}
  - {name: s, outcome: nk_change, test: welch_t, comparisons: [il2_a vs control]}
analysis: {key_secondary: [s]}
)",
                 "analysis.key_secondary", "'s' must test the same comparisons as the primary 'p'");
}

// A key secondary listed twice would put the same hypothesis in the family twice (Holm across
// endpoints would then multiply by 3 for a family of 2). Accepted before 7f6fc94.
TEST(DesignScenario, KeySecondaryListedTwiceIsAnError) {
  EXPECT_MESSAGE("analysis: {key_secondary: [nk_change, nk_change]}\n", "analysis.key_secondary", "nk_change");
}

// When no declared endpoint is one the model fills, analysis.endpoints had an empty list of
// accepted names, which Settings::text_list reads as "any name": the parametric model then ran
// a Fisher test on clinical_response, an outcome it never fills (all zeros). Accepted before
// 7f6fc94; now an error either way.
TEST(DesignScenario, EndpointTheModelCannotFillIsAnErrorEvenWhenNoneIsFillable) {
  const std::string declared = "endpoints:\n  - {name: cr, outcome: clinical_response, test: fisher}\n";
  // With a fillable endpoint beside it, cr is refused (the list of accepted names is [nk]).
  EXPECT_MESSAGE(declared + "  - {name: nk, outcome: nk_change, test: welch_t}\nanalysis: {endpoints: [cr]}\n",
                 "analysis.endpoints", "nk", "got 'cr'");
  // Alone, it must be refused too (the parametric model is the default), named or not.
  EXPECT_MESSAGE(declared + "analysis: {endpoints: [cr]}\n", "endpoints");
  EXPECT_MESSAGE(declared, "endpoints", "time_to_negative, nk_change, dropped_out");
  EXPECT_EQ(error_of("model: mechanistic\n" + declared), "");
}

// Every column of /trials once: a scenario whose endpoint columns (<name>_p, _estimate, _reject)
// would meet another column must be refused. Bug: the name check of read_analysis compares
// only power names (endpoints, family values, group_sequential), not the trial's other columns,
// so an endpoint called gs with interim looks gives gs_reject twice (the endpoint's and the
// monitor's), and an arm il2_p makes km_median_il2_p both a KM column and an endpoint's p.
TEST(DesignScenario, EveryResultColumnHasItsOwnName) {
  const std::string gs = R"(endpoints:
  - {name: duration_of_viremia, outcome: time_to_negative, test: logrank}
  - {name: gs, outcome: nk_change, test: welch_t}
analysis: {interim: {enabled: true}}
)";
  const std::string km = R"(arms:
  - {name: control, control: true}
  - {name: il2_p}
endpoints:
  - {name: duration_of_viremia, outcome: time_to_negative, test: logrank}
  - {name: km_median_il2, outcome: nk_change, test: welch_t, comparisons: [il2_p vs control]}
)";
  for (const std::string& yaml : {gs, km, std::string(kArms)}) {
    if (!error_of(yaml).empty()) continue;  // refused: fine
    const TrialAnalysis analysis(testing::scenario_from_yaml(yaml));
    std::set<std::string> seen;
    for (const auto& c : analysis.schema().columns)
      EXPECT_TRUE(seen.insert(c.name).second) << "column '" << c.name << "' twice in:\n" << yaml;
  }
}

}  // namespace
}  // namespace vtrial
