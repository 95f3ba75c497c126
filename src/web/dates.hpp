// Dates as people and programs read them: the calendar day in Japan time, written the way each
// language writes dates ("2026年4月1日", "1 April 2026"), and RFC 3339 timestamps for the API.
#pragma once
#include <string>

#include "domain/clock.hpp"
#include "i18n/catalogue.hpp"

namespace sengen::web {

struct CivilDate {
    int year = 1970, month = 1, day = 1;
};

// The calendar day at `t` in Japan Standard Time (UTC+9 all year; Japan has no daylight saving).
CivilDate japan_date(TimePoint t);

// The day in the catalogue's words: "date.format" with {year}, {month}, {day} and {month_name}
// ("date.month.<n>").
std::string format_japan_date(const i18n::Catalogue& catalogue, i18n::Lang lang, TimePoint t);

// RFC 3339 §5.6 "date-time" in UTC, to the second: "2026-03-31T15:00:00Z".
std::string rfc3339_utc(TimePoint t);

}  // namespace sengen::web
