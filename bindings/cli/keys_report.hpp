#pragma once
// `vtrial validate --keys`: every key a scenario has, its resolved value and what it accepts,
// as a table for a person or one JSON object for a script (the key-range test reads it).
#include <iosfwd>
#include <map>
#include <string>

#include "bindings/cli/report.hpp"
#include "engine/settings.hpp"

namespace vtrial::cli {

void print_keys_table(std::ostream& out, const std::map<std::string, KeyDomain>& keys);
Json keys_json(const std::map<std::string, KeyDomain>& keys);

}  // namespace vtrial::cli
