// The sliding window every rate limit is checked against (domain/rate_window.hpp).
#include <gtest/gtest.h>

#include "domain/rate_window.hpp"

using namespace sengen::rate_window;

namespace {
constexpr std::int64_t kWindow = 900;                                     // a quarter of an hour
constexpr std::int64_t kStart = 1'800'000'000 - 1'800'000'000 % kWindow;  // a window's first second
}  // namespace

TEST(RateWindow, windows_are_aligned_to_the_epoch_so_every_node_agrees) {
    EXPECT_EQ(start(kStart, kWindow), kStart);
    EXPECT_EQ(start(kStart + kWindow - 1, kWindow), kStart);
    EXPECT_EQ(start(kStart + kWindow, kWindow), kStart + kWindow);
}

TEST(RateWindow, a_burst_just_before_a_boundary_counts_in_full_just_after_it) {
    // Five hits in the last second of a window; one more in the first second of the next: six.
    EXPECT_EQ(sliding_count(1, 5, kStart, kWindow), 6);
    EXPECT_EQ(sliding_count(1, 5, kStart + 1, kWindow), 6);  // 5 x 899/900, rounded up
}

TEST(RateWindow, the_previous_window_weighs_less_as_the_current_one_goes_on) {
    EXPECT_EQ(sliding_count(1, 6, kStart + kWindow / 2, kWindow), 4);  // 1 + 3
    EXPECT_EQ(sliding_count(1, 6, kStart + kWindow / 3, kWindow), 5);  // 1 + 4
    EXPECT_EQ(sliding_count(1, 6, kStart + kWindow - 1, kWindow), 2);  // 1 + 6/900, rounded up
    EXPECT_EQ(sliding_count(7, 0, kStart + 10, kWindow), 7);           // nothing before: this window's
}

TEST(RateWindow, a_refusal_lasts_exactly_until_the_sliding_count_is_back_within_the_limit) {
    constexpr std::int64_t limit = 5;
    for (std::int64_t previous = 0; previous <= 12; ++previous)
        for (std::int64_t current = 1; current <= 7; ++current)
            for (std::int64_t at : {kStart, kStart + 1, kStart + 299, kStart + 450, kStart + 899}) {
                if (sliding_count(current, previous, at, kWindow) <= limit) continue;  // not refused
                const auto until = refused_until(current, previous, at, kWindow, limit);
                ASSERT_GT(until, at);
                ASSERT_LE(until, kStart + kWindow);
                // Refused at every second before `until` (with no more hits) ...
                for (std::int64_t t = at; t < until; ++t)
                    ASSERT_GT(sliding_count(current, previous, t, kWindow), limit) << current << " " << previous;
                // ... and within the limit from it on, unless this window alone is over it.
                if (until < kStart + kWindow)
                    EXPECT_LE(sliding_count(current, previous, until, kWindow), limit) << current << " " << previous;
                else
                    EXPECT_TRUE(current > limit ||
                                sliding_count(current, previous, kStart + kWindow - 1, kWindow) > limit);
            }
}
