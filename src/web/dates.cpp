#include "web/dates.hpp"

#include <cstdio>
#include <ctime>

namespace sengen::web {

namespace {

std::tm utc_tm(TimePoint t) {
    const std::time_t secs = static_cast<std::time_t>(unix_seconds(t));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    return tm;
}

}  // namespace

CivilDate japan_date(TimePoint t) {
    const std::tm tm = utc_tm(t + std::chrono::hours(9));
    return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
}

std::string format_japan_date(const i18n::Catalogue& catalogue, i18n::Lang lang, TimePoint t) {
    const CivilDate d = japan_date(t);
    return catalogue.format(lang, "date.format",
                            {{"year", std::to_string(d.year)},
                             {"month", std::to_string(d.month)},
                             {"day", std::to_string(d.day)},
                             {"month_name", catalogue.text(lang, "date.month." + std::to_string(d.month))}});
}

std::string rfc3339_utc(TimePoint t) {
    const std::tm tm = utc_tm(t);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

}  // namespace sengen::web
