#include <gtest/gtest.h>

#include "web/dates.hpp"
#include "web/errors.hpp"

using namespace sengen;
using namespace sengen::web;

namespace {
// 2026-03-31T15:00:00Z: midnight at the start of 1 April 2026 in Japan.
const TimePoint kMidnightInJapan = from_unix_seconds(1774969200);
}  // namespace

TEST(Dates, the_day_in_japan_starts_at_fifteen_hundred_utc) {
    auto d = japan_date(kMidnightInJapan);
    EXPECT_EQ(d.year, 2026);
    EXPECT_EQ(d.month, 4);
    EXPECT_EQ(d.day, 1);
    auto before = japan_date(kMidnightInJapan - std::chrono::seconds(1));
    EXPECT_EQ(before.month, 3);
    EXPECT_EQ(before.day, 31);
}

TEST(Dates, new_year_in_japan_comes_nine_hours_before_new_year_in_utc) {
    auto d = japan_date(from_unix_seconds(1767193200));  // 2025-12-31T15:00:00Z
    EXPECT_EQ(d.year, 2026);
    EXPECT_EQ(d.month, 1);
    EXPECT_EQ(d.day, 1);
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

TEST(Dates, the_day_is_written_with_the_catalogue_pattern_of_each_language) {
    std::map<i18n::Lang, i18n::Messages> m;
    m[i18n::Lang::Ja] = {{"date.format", "{year}年{month}月{day}日"}, {"date.month.4", "4月"}};
    m[i18n::Lang::En] = {{"date.format", "{day} {month_name} {year}"}, {"date.month.4", "April"}};
    auto catalogue = i18n::Catalogue::build(m);
    ASSERT_TRUE(catalogue);
    EXPECT_EQ(format_japan_date(*catalogue, i18n::Lang::Ja, kMidnightInJapan), "2026年4月1日");
    EXPECT_EQ(format_japan_date(*catalogue, i18n::Lang::En, kMidnightInJapan), "1 April 2026");
}

TEST(ErrorMapping, id_problems_are_400_and_other_invalid_input_422) {
    EXPECT_EQ(http_status(Error::invalid({{"id", "check_digit"}}, "id.check_digit")), 400);
    EXPECT_EQ(http_status(Error::invalid({{"id", "id_format"}}, "id.malformed")), 400);
    EXPECT_EQ(http_status(Error::invalid({{"body", "malformed_json"}}, "request.malformed")), 400);
    EXPECT_EQ(http_status(Error::invalid({}, "request.unsupported_media_type")), 415);
    EXPECT_EQ(http_status(Error::invalid({{"business_name", "required"}}, "application.invalid")), 422);
    EXPECT_EQ(http_status(Error::conflict("declaration.duplicate_corporate_number")), 409);
    EXPECT_EQ(http_status(Error::not_found("declaration.not_found")), 404);
    EXPECT_EQ(http_status(Error::too_many("rate.search.ip")), 429);
}
