#pragma once
// What the protocol measures: plasma CMV DNA by quantitative PCR and the NK count by flow
// cytometry. PCR error is normal on the log10 scale (docs/model.md [S38]: 0.07-0.11 analytic,
// about 0.15 with biological variation); a result below the lower limit of quantification is
// reported "negative", which ends treatment and participation. NK counts carry a log-normal
// error with the given CV (assumption: typical flow-cytometry precision).
#include <cmath>

namespace vtrial {

struct PcrResult {
  double log10_copies_per_ml = 0;  // the measured value, meaningful when quantifiable
  bool negative = false;           // below the LLOQ
};

inline PcrResult measure_pcr(double true_log10_copies_per_ml, double log10_sd, double log10_lloq, double z) {
  const double y = true_log10_copies_per_ml + log10_sd * z;
  return {y, y < log10_lloq};
}

// `log_sd`: the error's SD on the log scale, sqrt(ln(1 + CV^2)) (LognormalScales::nk_measurement).
inline double measure_nk(double true_cells_per_ul, double log_sd, double z) {
  return true_cells_per_ul * std::exp(log_sd * z);
}

}  // namespace vtrial
