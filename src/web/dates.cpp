#include "web/dates.hpp"

#include <chrono>

namespace sengen::web {

namespace {

struct UtcFields {
    int year, month, day, hour, minute, second;
};

// The UTC calendar fields of `t`, whole seconds, by arithmetic (std::chrono's calendar) rather
// than gmtime_r, which takes glibc's process-wide time-zone lock on every call.
UtcFields utc_fields(TimePoint t) {
    using namespace std::chrono;
    const sys_seconds secs{seconds{unix_seconds(t)}};
    const auto day = floor<days>(secs);
    const year_month_day ymd{day};
    const hh_mm_ss hms{secs - day};
    return {static_cast<int>(ymd.year()),
            static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day())),
            static_cast<int>(hms.hours().count()),
            static_cast<int>(hms.minutes().count()),
            static_cast<int>(hms.seconds().count())};
}

// `width` digits of a non-negative v, zero-padded, at `at`.
void put_digits(char* at, int v, int width) {
    for (int i = width - 1; i >= 0; --i, v /= 10) at[i] = static_cast<char>('0' + v % 10);
}

}  // namespace

CivilDate japan_date(TimePoint t) {
    const UtcFields f = utc_fields(t + std::chrono::hours(9));
    return {f.year, f.month, f.day};
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
    // By hand: with snprintf, the two timestamps of an API response were 7% of its instructions.
    // A TimePoint (nanoseconds from 1970 in 64 bits) lies within the years 1677-2262: four digits.
    const UtcFields f = utc_fields(t);
    std::string out = "0000-00-00T00:00:00Z";
    put_digits(&out[0], f.year, 4);
    put_digits(&out[5], f.month, 2);
    put_digits(&out[8], f.day, 2);
    put_digits(&out[11], f.hour, 2);
    put_digits(&out[14], f.minute, 2);
    put_digits(&out[17], f.second, 2);
    return out;
}

}  // namespace sengen::web
