// The public statistics' per-node cache: counted once, reused until the time is up, then
// counted again; the months are the last 24 in Japan, zeros included.
#include <gtest/gtest.h>

#include "../mail/fixtures.hpp"
#include "app/statistics.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace sengen::app {
namespace {

using mail::testing::ManualClock;
using mail::testing::TempDir;

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().code << ": " << (r).error().detail

// 2026-04-01T00:00:00+09:00.
const TimePoint kStart = from_unix_seconds(1'774'969'200);

class StatisticsTest : public ::testing::Test {
protected:
    TempDir dir;
    std::unique_ptr<storage::sqlite::SqliteStore> store = mail::testing::open_migrated(dir);
    ManualClock clock{kStart};
};

TEST_F(StatisticsTest, figures_are_counted_once_and_reused_until_the_time_is_up) {
    StatisticsCache cache(*store, clock, std::chrono::seconds(300));
    auto first = cache.get();
    ASSERT_OK(first);
    clock.advance(std::chrono::seconds(299));
    auto again = cache.get();
    ASSERT_OK(again);
    EXPECT_EQ(again->get(), first->get()) << "counted again before the time was up";
    clock.advance(std::chrono::seconds(1));
    auto later = cache.get();
    ASSERT_OK(later);
    EXPECT_NE(later->get(), first->get());
    EXPECT_EQ((*later)->computed_at, kStart + std::chrono::seconds(300));
}

TEST_F(StatisticsTest, the_last_24_months_in_japan_are_listed_with_zeros_and_both_levels) {
    auto s = compute_statistics(*store, kStart);
    ASSERT_OK(s);
    ASSERT_EQ(s->issued_by_month.size(), 24u);
    EXPECT_EQ(s->issued_by_month.front().first, "2024-05");
    EXPECT_EQ(s->issued_by_month.back().first, "2026-04");
    for (const auto& [month, n] : s->issued_by_month) EXPECT_EQ(n, 0) << month;
    EXPECT_EQ(s->by_level, (std::vector<std::pair<int, std::int64_t>>{{1, 0}, {2, 0}}));
    EXPECT_EQ(s->in_force, 0);
}

}  // namespace
}  // namespace sengen::app
