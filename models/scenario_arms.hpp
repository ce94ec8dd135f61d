#pragma once
// Reading the arms, their treatments and the randomization block from a scenario, with the
// two-arm shorthand that NCT06971913's first scenarios (and their --set lines) use.
#include "models/scenario.hpp"

namespace vtrial {

class Settings;

// Fills sc.arms, sc.treatments and sc.block_size. Needs sc.parametric and sc.mechanistic read.
void read_arms_and_treatments(Settings& settings, Scenario& sc);

}  // namespace vtrial
