// The protocol on its own (models/mechanistic/protocol.hpp), without a virus: dosing and holds,
// visit windows, the end-of-participation rules, IL-2 reactions per injection, and the order of
// simultaneous events.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "models/mechanistic/protocol.hpp"

namespace vtrial {
namespace {

using K = ProtocolEventKind;

const MechanisticTreatment kGcv{.gcv_dose_mg_per_kg = 5, .gcv_interval_hours = 24, .il2_dose_miu = 0};
const MechanisticTreatment kGcvIl2{.gcv_dose_mg_per_kg = 5, .gcv_interval_hours = 24, .il2_dose_miu = 1};

TrialDesign weekly(double interval = 7) {
  return {.patients = 100, .follow_up_days = 84, .visit_interval_days = interval};
}

// All events to the end of participation; the PCR turns negative at visit `negative_at` (0 = never).
std::vector<ProtocolEvent> drain(PatientProtocol& protocol, std::uint32_t negative_at = 0) {
  std::vector<ProtocolEvent> events;
  ProtocolEvent e;
  while (protocol.next(e)) {
    events.push_back(e);
    if (e.kind == K::visit) protocol.visit_result(e, e.visit == negative_at);
  }
  return events;
}

std::vector<ProtocolEvent> of_kind(const std::vector<ProtocolEvent>& events, K kind) {
  std::vector<ProtocolEvent> out;
  for (const auto& e : events)
    if (e.kind == kind) out.push_back(e);
  return out;
}

TEST(MechProtocol, DailyInfusionsAndWeeklyVisitsToTheEndOfFollowUp) {
  PatientProtocol protocol(weekly(), DropoutParams{0}, MechanisticParams{});
  protocol.start({1, 0, 0}, kGcv);
  const auto events = drain(protocol);
  const auto visits = of_kind(events, K::visit), starts = of_kind(events, K::dose_start),
             ends = of_kind(events, K::dose_end);
  ASSERT_EQ(visits.size(), 12u);  // 12 x 7 = 84 days; none after, so censored at visit 12
  for (std::uint32_t k = 1; k <= 12; ++k) {
    EXPECT_EQ(visits[k - 1].visit, k);
    EXPECT_NEAR(visits[k - 1].time, 7.0 * k, 1.0);
  }
  EXPECT_EQ(events.back().kind, K::visit);
  for (std::size_t d = 0; d < starts.size(); ++d) {
    EXPECT_EQ(starts[d].time, static_cast<double>(d));
    EXPECT_TRUE(starts[d].given);
  }
  for (std::size_t d = 0; d < ends.size(); ++d) EXPECT_EQ(ends[d].time, static_cast<double>(d) + 1.0 / 24);
  EXPECT_EQ(protocol.infusions_started(), starts.size());
  EXPECT_FALSE(protocol.continuous_observation());
}

TEST(MechProtocol, NegativePcrEndsParticipation) {
  PatientProtocol protocol(weekly(), DropoutParams{0}, MechanisticParams{});
  protocol.start({1, 0, 1}, kGcv);
  const auto events = drain(protocol, 3);
  EXPECT_EQ(events.back().kind, K::visit);
  EXPECT_EQ(events.back().visit, 3u);
  EXPECT_EQ(of_kind(events, K::visit).size(), 3u);
}

TEST(MechProtocol, SevereCytopeniaHoldsDosingAndMovesPendingOnsets) {
  PatientProtocol protocol(weekly(), DropoutParams{0}, MechanisticParams{});  // hold_days 5
  protocol.start({1, 0, 2}, kGcv);
  protocol.schedule_exposure_onset(AdverseEvent::neutropenia, 3.5);
  protocol.schedule_exposure_onset(AdverseEvent::thrombocytopenia, 10);
  std::vector<ProtocolEvent> adverse, starts;
  ProtocolEvent e;
  while (protocol.next(e)) {
    if (e.kind == K::visit) protocol.visit_result(e, false);
    if (e.kind == K::dose_start) starts.push_back(e);
    if (e.kind != K::adverse_event) continue;
    adverse.push_back(e);
    if (e.adverse == AdverseEvent::neutropenia) protocol.hold_dosing(e.time);  // severe
  }
  // Dosing stops for 5 days from 3.5: the starts on days 4-8 pass without infusion.
  for (const auto& s : starts) EXPECT_EQ(s.given, s.time < 3.5 || s.time >= 8.5) << s.time;
  // The thrombocytopenia due after 10 exposure days comes 5 days later; its old booking still
  // comes out (the biology advances to it) but is marked superseded.
  ASSERT_EQ(adverse.size(), 3u);
  EXPECT_EQ(adverse[0].time, 3.5);
  EXPECT_FALSE(adverse[0].superseded);
  EXPECT_EQ(adverse[1].time, 10);
  EXPECT_TRUE(adverse[1].superseded);
  EXPECT_EQ(adverse[2].time, 15);
  EXPECT_EQ(adverse[2].adverse, AdverseEvent::thrombocytopenia);
  EXPECT_FALSE(adverse[2].superseded);
}

TEST(MechProtocol, MissedVisitAfterDropoutEndsWithoutAssessment) {
  // Dropout about every 10 days on average, so most patients leave within the follow-up.
  PatientProtocol protocol(weekly(), DropoutParams{36.525}, MechanisticParams{});
  int dropped = 0;
  for (std::uint64_t slot = 0; slot < 40; ++slot) {
    protocol.start({1, 0, slot}, kGcv);
    const auto events = drain(protocol);
    const double d = protocol.dropout_day();
    for (const auto& v : of_kind(events, K::visit)) EXPECT_LE(v.time, d);
    if (events.back().kind != K::end) continue;
    ++dropped;
    EXPECT_TRUE(events.back().dropped_out);
    EXPECT_FALSE(events.back().assess);
    EXPECT_GT(events.back().time, d);
  }
  EXPECT_GT(dropped, 20);
}

TEST(MechProtocol, ContinuousObservationEndsAtFollowUpOrDropout) {
  PatientProtocol protocol(weekly(0), DropoutParams{0}, MechanisticParams{});
  protocol.start({1, 0, 0}, kGcv);
  EXPECT_TRUE(protocol.continuous_observation());
  auto events = drain(protocol);
  EXPECT_TRUE(of_kind(events, K::visit).empty());
  EXPECT_EQ(events.back().kind, K::end);
  EXPECT_EQ(events.back().time, 84);
  EXPECT_TRUE(events.back().assess);
  EXPECT_FALSE(events.back().dropped_out);

  PatientProtocol leaving(weekly(0), DropoutParams{365.25}, MechanisticParams{});  // ~1 per day
  leaving.start({1, 0, 0}, kGcv);
  events = drain(leaving);
  EXPECT_EQ(events.back().time, leaving.dropout_day());
  EXPECT_TRUE(events.back().dropped_out);
  EXPECT_TRUE(events.back().assess);
}

TEST(MechProtocol, Il2ReactionsComeAtTheirInjectionOnIl2ArmsOnly) {
  for (const auto& treatment : {kGcv, kGcvIl2}) {
    PatientProtocol protocol(weekly(), DropoutParams{0}, MechanisticParams{});
    protocol.start({1, 0, 0}, treatment);
    protocol.schedule_at_injection(AdverseEvent::injection_site_reaction, 3);  // day 4 (every 2 days)
    protocol.schedule_at_injection(AdverseEvent::fever, 0);                    // never
    protocol.schedule_at_injection(AdverseEvent::fever, 43);                   // day 84: after follow-up
    const auto adverse = of_kind(drain(protocol), K::adverse_event);
    if (!protocol.gives_il2()) {
      EXPECT_TRUE(adverse.empty());
      continue;
    }
    ASSERT_EQ(adverse.size(), 1u);
    EXPECT_EQ(adverse[0].adverse, AdverseEvent::injection_site_reaction);
    EXPECT_EQ(adverse[0].time, 4);
  }
}

TEST(MechProtocol, SimultaneousEventsRunDoseThenVisitThenSample) {
  MechanisticParams params;
  params.visit_jitter_days = 0;  // visits on the day grid, with the doses and the samples
  PatientProtocol protocol(weekly(), DropoutParams{0}, params);
  protocol.start({1, 0, 0}, kGcv);
  protocol.sample_every(0.25);
  const auto events = drain(protocol, 1);
  std::vector<K> at7;
  for (const auto& e : events)
    if (e.time == 7) at7.push_back(e.kind);
  // The negative visit ends participation before the sample at its instant.
  EXPECT_EQ(at7, (std::vector<K>{K::dose_start, K::visit}));
  EXPECT_EQ(events.back().kind, K::visit);
}

TEST(MechProtocol, NoGanciclovirNoDoses) {
  PatientProtocol protocol(weekly(), DropoutParams{0}, MechanisticParams{});
  protocol.start({1, 0, 0}, {.gcv_dose_mg_per_kg = 0, .gcv_interval_hours = 24, .il2_dose_miu = 1});
  const auto events = drain(protocol);
  EXPECT_TRUE(of_kind(events, K::dose_start).empty());
  EXPECT_TRUE(of_kind(events, K::dose_end).empty());
  EXPECT_EQ(protocol.infusions_started(), 0u);
  EXPECT_EQ(of_kind(events, K::visit).size(), 12u);
}

}  // namespace
}  // namespace vtrial
