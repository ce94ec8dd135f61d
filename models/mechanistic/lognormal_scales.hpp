#pragma once
// The log-scale standard deviations sqrt(ln(1 + cv^2)) of the mechanistic patient's log-normal
// draws, computed once per parameter set: a patient and the candidates screened for it use
// them 20 to 30 times, and each is a log1p and a square root (the values are the same).
#include <cmath>

#include "models/mechanistic/mechanistic_params.hpp"

namespace vtrial {

struct LognormalScales {
  static double of(double cv) { return std::sqrt(std::log1p(cv * cv)); }

  explicit LognormalScales(const MechanisticParams& p)
      : weight(of(p.population.weight_cv)),
        prednisone(of(p.population.prednisone_cv)),
        creatinine(of(p.population.creatinine_cv)),
        nk(of(p.nk.cv)),
        sledai(of(p.population.sledai_cv)),
        rho(of(p.virus.rho_cv)),
        d0(of(p.virus.d0_cv)),
        ec50(of(p.gcv.ec50_cv)),
        kill(of(p.nk.kill_cv)),
        cl(of(p.gcv.cl_cv)),
        v(of(p.gcv.v_cv)),
        nk_measurement(of(p.nk.measurement_cv)) {}

  double weight, prednisone, creatinine, nk, sledai;  // the population (population.hpp)
  double rho, d0, ec50, kill, cl, v;                  // between-patient kinetics
  double nk_measurement;                              // flow cytometry (pcr_assay.hpp)
};

}  // namespace vtrial
