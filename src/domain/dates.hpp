// Dates in Japan time, the one place that knows them: the calendar day in Japan of an instant,
// that day as YYYY-MM-DD (for forms, stored columns and the API), the day as a person reads it in
// each language, and RFC 3339 timestamps. Pure: every function takes the instant; none reads a clock.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"
#include "domain/lang.hpp"

namespace sengen::dates {

struct CivilDate {
    int year = 1970, month = 1, day = 1;
    friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// The calendar day at `t` in Japan Standard Time: UTC+9 all year, as Japan keeps no daylight
// saving time.
CivilDate japan_date(TimePoint t);

// The first instant of `d` in Japan (its midnight, 15:00 UTC the day before).
TimePoint japan_midnight(CivilDate d);

// ISO 8601 calendar date, "2026-04-01": what a date input posts and what the API and the stored
// columns hold.
std::string iso_date(CivilDate d);

// The day in Japan at `t` as YYYY-MM-DD: "today" when `t` is the clock's now.
std::string japan_iso_date(TimePoint t);

// A YYYY-MM-DD date that exists in the calendar; nullopt for anything else.
std::optional<CivilDate> parse_iso_date(std::string_view s);

// A day as people type it in Japan, in full or half width: 2026-04-01, 2026/4/1, 2026.4.1,
// 2026年4月1日, or in the Japanese era calendar: 令和8年4月1日, 令和元年5月1日, R8.4.1, R8/4/1,
// 平成31年4月30日, H31.4.30. An era date outside its era's span (平成32年, 令和1年4月1日) is
// nullopt, as is anything else that is not a day in the calendar.
std::optional<CivilDate> parse_typed_date(std::string_view typed);

// The day as a person reads it, one format per language, on every page, mail and PDF:
// Japanese "2026年4月1日" (no padding, as in official documents), English "1 April 2026".
std::string display(Lang lang, CivilDate d);
std::string display_japan_date(Lang lang, TimePoint t);  // display(lang, japan_date(t))
// A month in the same style: "2026年4月", "April 2026" (the day of `d` is not shown).
std::string display_month(Lang lang, CivilDate d);

// RFC 3339 §5.6 "date-time" in UTC, to the second: "2026-03-31T15:00:00Z".
std::string rfc3339_utc(TimePoint t);

}  // namespace sengen::dates
