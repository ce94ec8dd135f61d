#include "models/endpoint_catalog.hpp"

namespace vtrial {

const std::vector<CatalogEndpoint>& endpoint_catalog() {
  static const std::vector<CatalogEndpoint> catalog = {
      {"duration_of_viremia", "time_to_negative", "logrank"},
      {"duration_of_viremia_cox", "time_to_negative", "cox_wald"},
      {"duration_of_viremia_cox_lr", "time_to_negative", "cox_lr"},
      {"nk_change", "nk_change", "welch_t"},
      {"nk_change_wilcoxon", "nk_change", "wilcoxon"},
      {"clinical_response", "clinical_response", "fisher"},
      {"ae_neutropenia", "ae_neutropenia", "fisher"},
      {"ae_thrombocytopenia", "ae_thrombocytopenia", "fisher"},
      {"ae_injection_site_reaction", "ae_injection_site_reaction", "fisher"},
      {"ae_fever", "ae_fever", "fisher"},
  };
  return catalog;
}

}  // namespace vtrial
