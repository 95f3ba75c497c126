#include <gtest/gtest.h>

#include "domain/dates.hpp"

using namespace sengen;
using namespace sengen::dates;

namespace {
// 2026-03-31T15:00:00Z: midnight at the start of 1 April 2026 in Japan.
const TimePoint kMidnightInJapan = from_unix_seconds(1774969200);
}  // namespace

TEST(Dates, the_day_in_japan_starts_at_fifteen_hundred_utc) {
    EXPECT_EQ(japan_date(kMidnightInJapan), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(japan_date(kMidnightInJapan - std::chrono::seconds(1)), (CivilDate{2026, 3, 31}));
    EXPECT_EQ(japan_midnight({2026, 4, 1}), kMidnightInJapan);
}

TEST(Dates, new_year_in_japan_comes_nine_hours_before_new_year_in_utc) {
    EXPECT_EQ(japan_date(from_unix_seconds(1767193200)), (CivilDate{2026, 1, 1}));  // 2025-12-31T15:00:00Z
}

TEST(Dates, today_is_the_day_in_japan_written_yyyy_mm_dd) {
    EXPECT_EQ(japan_iso_date(kMidnightInJapan), "2026-04-01");
    EXPECT_EQ(japan_iso_date(kMidnightInJapan - std::chrono::seconds(1)), "2026-03-31");
    EXPECT_EQ(iso_date({2026, 12, 9}), "2026-12-09");
}

TEST(Dates, an_iso_date_is_read_only_when_the_day_exists) {
    EXPECT_EQ(parse_iso_date("2024-02-29"), (CivilDate{2024, 2, 29}));
    EXPECT_FALSE(parse_iso_date("2025-02-29"));
    EXPECT_FALSE(parse_iso_date("2026-13-01"));
    EXPECT_FALSE(parse_iso_date("2026-4-1"));
    EXPECT_FALSE(parse_iso_date("2026/04/01"));
    EXPECT_FALSE(parse_iso_date("２０２６-04-01"));
    EXPECT_FALSE(parse_iso_date(""));
}

TEST(Dates, rfc3339_is_utc_with_z_to_the_second) {
    EXPECT_EQ(rfc3339_utc(kMidnightInJapan), "2026-03-31T15:00:00Z");
    EXPECT_EQ(rfc3339_utc(kMidnightInJapan + std::chrono::milliseconds(999)), "2026-03-31T15:00:00Z");
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(0)), "1970-01-01T00:00:00Z");
}

TEST(Dates, rfc3339_across_a_leap_day_and_before_1970) {
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(1709251199)), "2024-02-29T23:59:59Z");
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(1709251200)), "2024-03-01T00:00:00Z");
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(951782400)), "2000-02-29T00:00:00Z");
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(-1)), "1969-12-31T23:59:59Z");
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(-5364662400)), "1800-01-01T00:00:00Z");
    EXPECT_EQ(rfc3339_utc(from_unix_seconds(7258118399)), "2199-12-31T23:59:59Z");
}

TEST(Dates, a_person_reads_the_day_in_one_format_per_language) {
    EXPECT_EQ(display_japan_date(Lang::Ja, kMidnightInJapan), "2026年4月1日");
    EXPECT_EQ(display_japan_date(Lang::En, kMidnightInJapan), "1 April 2026");
    EXPECT_EQ(display(Lang::Ja, {2026, 12, 31}), "2026年12月31日");
    EXPECT_EQ(display(Lang::En, {2026, 12, 31}), "31 December 2026");
    EXPECT_EQ(display(Lang::En, {2027, 1, 9}), "9 January 2027");
    // A month in the same style (the statistics' months).
    EXPECT_EQ(display_month(Lang::Ja, {2026, 4, 1}), "2026年4月");
    EXPECT_EQ(display_month(Lang::En, {2026, 4, 1}), "April 2026");
}

TEST(Dates, typed_gregorian_dates_in_the_usual_japanese_forms) {
    EXPECT_EQ(parse_typed_date("2026-04-01"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("２０２６／４／２"), (CivilDate{2026, 4, 2}));
    EXPECT_EQ(parse_typed_date("2026年4月3日"), (CivilDate{2026, 4, 3}));
    EXPECT_EQ(parse_typed_date("2026.4.4"), (CivilDate{2026, 4, 4}));
    EXPECT_FALSE(parse_typed_date("4/5/2026"));
    EXPECT_FALSE(parse_typed_date("2026/13/1"));
    EXPECT_FALSE(parse_typed_date("26/4/1"));
}

TEST(Dates, typed_japanese_era_dates_are_read) {
    EXPECT_EQ(parse_typed_date("令和8年4月1日"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("令和元年5月1日"), (CivilDate{2019, 5, 1}));
    EXPECT_EQ(parse_typed_date("R8.4.1"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("R8/4/1"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("r8-4-1"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("Ｒ８．４．１"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("令和８年４月１日"), (CivilDate{2026, 4, 1}));
    EXPECT_EQ(parse_typed_date("H31.4.30"), (CivilDate{2019, 4, 30}));
    EXPECT_EQ(parse_typed_date("平成31年4月30日"), (CivilDate{2019, 4, 30}));
    EXPECT_EQ(parse_typed_date("平成元年1月8日"), (CivilDate{1989, 1, 8}));
    EXPECT_EQ(parse_typed_date("\u32FF8年4月1日"), (CivilDate{2026, 4, 1}));  // ㋿, one character
}

TEST(Dates, era_dates_outside_their_era_are_refused) {
    EXPECT_FALSE(parse_typed_date("平成32年1月1日"));
    EXPECT_FALSE(parse_typed_date("H31.5.1"));          // 令和 had begun
    EXPECT_FALSE(parse_typed_date("令和1年4月1日"));    // before 令和 began
    EXPECT_FALSE(parse_typed_date("令和元年4月30日"));  // the last day of 平成
    EXPECT_FALSE(parse_typed_date("平成元年1月7日"));   // the last day of 昭和
    EXPECT_FALSE(parse_typed_date("令和0年5月1日"));
    EXPECT_FALSE(parse_typed_date("令和8年2月30日"));
    EXPECT_FALSE(parse_typed_date("令和2026年4月1日"));
    EXPECT_FALSE(parse_typed_date("X8.4.1"));
}
