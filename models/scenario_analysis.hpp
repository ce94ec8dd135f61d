#pragma once
// Reading the analysis of a scenario: its endpoints (declared, or the catalog), which of them a
// run computes, the multiplicity family and the interim plan.
#include "models/scenario.hpp"

namespace vtrial {

class Settings;

// Fills sc.endpoints and sc.analysis. Needs sc.model, sc.arms and sc.trial read.
void read_analysis(Settings& settings, Scenario& sc);

}  // namespace vtrial
