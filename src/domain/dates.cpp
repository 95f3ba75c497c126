// Calendar arithmetic with std::chrono's civil calendar rather than gmtime_r, which takes glibc's
// process-wide time-zone lock on every call (the public lookup prints two timestamps per answer).
#include "domain/dates.hpp"

#include <array>
#include <chrono>
#include <vector>

#include "domain/text.hpp"

namespace sengen::dates {

namespace {

struct UtcFields {
    int year, month, day, hour, minute, second;
};

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

constexpr auto kJapanOffset = std::chrono::hours(9);

constexpr std::array<const char*, 12> kEnglishMonths = {"January",   "February", "March",    "April",
                                                        "May",       "June",     "July",     "August",
                                                        "September", "October",  "November", "December"};

}  // namespace

CivilDate japan_date(TimePoint t) {
    const UtcFields f = utc_fields(t + kJapanOffset);
    return {f.year, f.month, f.day};
}

TimePoint japan_midnight(CivilDate d) {
    using namespace std::chrono;
    const year_month_day ymd{year(d.year), month(static_cast<unsigned>(d.month)), day(static_cast<unsigned>(d.day))};
    return sys_days(ymd) - kJapanOffset;
}

std::string iso_date(CivilDate d) {
    // Years outside 0-9999 cannot come from a TimePoint (1677-2262) nor from parse_iso_date.
    std::string out = "0000-00-00";
    put_digits(&out[0], d.year, 4);
    put_digits(&out[5], d.month, 2);
    put_digits(&out[8], d.day, 2);
    return out;
}

std::string japan_iso_date(TimePoint t) { return iso_date(japan_date(t)); }

std::optional<CivilDate> parse_iso_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    auto number = [&](std::size_t at, std::size_t n) -> std::optional<int> {
        int v = 0;
        for (std::size_t i = at; i < at + n; ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
            v = v * 10 + (s[i] - '0');
        }
        return v;
    };
    const auto y = number(0, 4), m = number(5, 2), d = number(8, 2);
    if (!y || !m || !d) return std::nullopt;
    using namespace std::chrono;
    const year_month_day ymd{year(*y), month(static_cast<unsigned>(*m)), day(static_cast<unsigned>(*d))};
    if (!ymd.ok()) return std::nullopt;
    return CivilDate{*y, *m, *d};
}

namespace {

// The two eras a date typed today can be in: the first and last day of each, and the Gregorian
// year before its first year (so that era year 1, 元年, is `offset + 1`). Heisei began on
// 1989-01-08 and ended on 2019-04-30; Reiwa began on 2019-05-01 (the Cabinet Office's
// announcements of the era names).
struct Era {
    std::string_view kanji, letter;  // 令和, R
    int offset;
    CivilDate first, last;
};
constexpr std::array<Era, 2> kEras{{
    {"令和", "R", 2018, {2019, 5, 1}, {9999, 12, 31}},
    {"平成", "H", 1988, {1989, 1, 8}, {2019, 4, 30}},
}};

constexpr bool before(const CivilDate& a, const CivilDate& b) {
    return a.year != b.year ? a.year < b.year : a.month != b.month ? a.month < b.month : a.day < b.day;
}

}  // namespace

std::optional<CivilDate> parse_typed_date(std::string_view typed) {
    // NFKC folds full-width digits and letters, and the one-character era signs (U+32FF, U+337B)
    // into their two kanji.
    std::string s = std::string(text::trim_wide(text::fold_for_numbers(typed)));
    const Era* era = nullptr;
    for (const auto& e : kEras) {
        if (s.starts_with(e.kanji)) {
            s.erase(0, e.kanji.size());
        } else if (!s.empty() && (s[0] == e.letter[0] || s[0] == e.letter[0] - 'A' + 'a')) {
            s.erase(0, 1);
        } else {
            continue;
        }
        era = &e;
        break;
    }
    // 元年, the first year of an era, is written with a kanji rather than a 1.
    if (era && s.starts_with("元")) s.replace(0, std::string_view("元").size(), "1");
    for (std::string_view from : {"年", "月"})
        for (auto at = s.find(from); at != std::string::npos; at = s.find(from)) s.replace(at, from.size(), "-");
    if (auto at = s.find("日"); at != std::string::npos && at + std::string_view("日").size() == s.size()) s.erase(at);
    std::vector<std::string> parts(1);
    for (char c : s) {
        if (c == '-' || c == '/' || c == '.') {
            parts.emplace_back();
        } else if (c >= '0' && c <= '9') {
            parts.back() += c;
        } else if (c != ' ') {
            return std::nullopt;
        }
    }
    auto short_part = [](const std::string& p) { return !p.empty() && p.size() <= 2; };
    if (parts.size() != 3 || !short_part(parts[1]) || !short_part(parts[2])) return std::nullopt;
    if (era ? !short_part(parts[0]) : parts[0].size() != 4) return std::nullopt;
    int year = std::stoi(parts[0]);
    if (era) {
        if (year < 1) return std::nullopt;
        year += era->offset;
    }
    auto two = [](const std::string& p) { return p.size() == 1 ? "0" + p : p; };
    auto day = parse_iso_date(std::to_string(year) + "-" + two(parts[1]) + "-" + two(parts[2]));
    if (day && era && (before(*day, era->first) || before(era->last, *day))) return std::nullopt;
    return day;
}

std::string display(Lang lang, CivilDate d) {
    if (lang == Lang::Ja)
        return std::to_string(d.year) + "年" + std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
    return std::to_string(d.day) + " " + kEnglishMonths.at(static_cast<std::size_t>(d.month - 1)) + " " +
           std::to_string(d.year);
}

std::string display_japan_date(Lang lang, TimePoint t) { return display(lang, japan_date(t)); }

std::string display_month(Lang lang, CivilDate d) {
    if (lang == Lang::Ja) return std::to_string(d.year) + "年" + std::to_string(d.month) + "月";
    return std::string(kEnglishMonths.at(static_cast<std::size_t>(d.month - 1))) + " " + std::to_string(d.year);
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

}  // namespace sengen::dates
