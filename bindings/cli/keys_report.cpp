#include "bindings/cli/keys_report.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>

namespace vtrial::cli {

void print_keys_table(std::ostream& out, const std::map<std::string, KeyDomain>& keys) {
  std::size_t key_width = 3, value_width = 5;
  for (const auto& [key, domain] : keys) {
    key_width = std::max(key_width, key.size());
    value_width = std::max(value_width, std::min<std::size_t>(domain.value.size(), 24));
  }
  // A long value (a list of endpoints) runs past its column rather than widening every line.
  const auto pad = [](const std::string& s, std::size_t width) {
    return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
  };
  out << pad("key", key_width) << "  " << pad("value", value_width) << "  accepted\n";
  for (const auto& [key, domain] : keys)
    out << pad(key, key_width) << "  " << pad(domain.value, value_width) << "  " << domain.describe << "\n";
}

Json keys_json(const std::map<std::string, KeyDomain>& keys) {
  Json list = Json::array();
  for (const auto& [key, domain] : keys) {
    Json k = {{"key", key}, {"kind", kind_name(domain.kind)}, {"value", domain.value}, {"accepted", domain.describe}};
    switch (domain.kind) {
      case KeyDomain::Kind::real:
      case KeyDomain::Kind::real_list:
        // An unbounded end is null (JSON has no infinity).
        k["low"] = std::isinf(domain.range.low) ? Json() : Json(domain.range.low);
        k["high"] = std::isinf(domain.range.high) ? Json() : Json(domain.range.high);
        k["low_open"] = domain.range.low_open;
        k["high_open"] = domain.range.high_open;
        break;
      case KeyDomain::Kind::integer:
        k["low"] = domain.integer_low;
        k["high"] = domain.integer_high;
        break;
      case KeyDomain::Kind::choice:
      case KeyDomain::Kind::boolean:
      case KeyDomain::Kind::text_list:
        k["values"] = domain.accepted;
        break;
      case KeyDomain::Kind::text:
      case KeyDomain::Kind::date:
        break;
    }
    list.push_back(std::move(k));
  }
  return Json{{"keys", list}};
}

}  // namespace vtrial::cli
