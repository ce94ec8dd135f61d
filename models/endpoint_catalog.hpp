#pragma once
// Every endpoint of NCT06971913 that vtrial can analyse, with the test behind it. The scenario's
// `analysis.endpoints` picks which ones a run computes (all by default): fewer endpoints, faster
// trials.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "models/scenario.hpp"

namespace vtrial {

enum class EndpointKind {
  duration_logrank,   // log-rank on observed duration of viremia; estimate: O/E hazard ratio
  duration_cox_wald,  // Cox PH (Efron ties), Wald test; estimate: hazard ratio exp(beta)
  duration_cox_lr,    // the same fit, likelihood-ratio test
  nk_welch,           // Welch t on NK change; estimate: mean difference IL-2 - control
  nk_wilcoxon,        // Wilcoxon rank-sum on NK change; estimate: P(IL-2 > control)
  clinical_response,  // Fisher exact on SLEDAI response; estimate: difference in proportions
  ae_neutropenia,     // Fisher exact on each adverse event; estimate: difference in proportions
  ae_thrombocytopenia,
  ae_injection_site_reaction,
  ae_fever,
};

struct EndpointInfo {
  EndpointKind kind;
  std::string_view name;
  bool needs_lupus_and_safety;
};

inline constexpr std::array<EndpointInfo, 10> kEndpointCatalog = {{
    {EndpointKind::duration_logrank, "duration_of_viremia", false},
    {EndpointKind::duration_cox_wald, "duration_of_viremia_cox", false},
    {EndpointKind::duration_cox_lr, "duration_of_viremia_cox_lr", false},
    {EndpointKind::nk_welch, "nk_change", false},
    {EndpointKind::nk_wilcoxon, "nk_change_wilcoxon", false},
    {EndpointKind::clinical_response, "clinical_response", true},
    {EndpointKind::ae_neutropenia, "ae_neutropenia", true},
    {EndpointKind::ae_thrombocytopenia, "ae_thrombocytopenia", true},
    {EndpointKind::ae_injection_site_reaction, "ae_injection_site_reaction", true},
    {EndpointKind::ae_fever, "ae_fever", true},
}};

// Names of the endpoints the given patient model can support.
std::vector<std::string> available_endpoints(PatientModelKind model);
const EndpointInfo& endpoint_info(std::string_view name);

}  // namespace vtrial
