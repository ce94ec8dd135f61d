#pragma once
// Calendar dates as days since 1970-01-01 (proleptic Gregorian), after Howard Hinnant's
// public-domain date algorithms: exact for any date, no time zones involved.
#include <cstdint>
#include <string>

namespace vtrial {

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);
// "YYYY-MM-DD" -> days; false if the text is not a valid date.
bool parse_date(const std::string& text, std::int64_t& days);
std::string format_date(std::int64_t days);

}  // namespace vtrial
