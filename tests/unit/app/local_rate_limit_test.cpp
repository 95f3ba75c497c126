#include <gtest/gtest.h>

#include "app/local_rate_limit.hpp"

using namespace sengen;
using namespace sengen::app;

namespace {
const RateRule kRule{"test.ip", 3, std::chrono::minutes(10)};
const TimePoint kStart = from_unix_seconds(1800000000);  // on a 10-minute boundary
}  // namespace

TEST(LocalRateLimiter, refuses_past_the_limit_within_a_window) {
    LocalRateLimiter l;
    for (int n = 0; n < 3; ++n) EXPECT_TRUE(l.hit(kRule, "a", kStart + std::chrono::seconds(n)));
    auto r = l.hit(kRule, "a", kStart + std::chrono::seconds(5));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(r.error().code, "rate.test.ip");
    EXPECT_TRUE(l.hit(kRule, "b", kStart));
    // Another rule counts apart.
    EXPECT_TRUE(l.hit(RateRule{"other.ip", 3, std::chrono::minutes(10)}, "a", kStart));
}

TEST(LocalRateLimiter, a_new_window_starts_from_zero) {
    LocalRateLimiter l;
    for (int n = 0; n < 4; ++n) (void)l.hit(kRule, "a", kStart);
    EXPECT_FALSE(l.hit(kRule, "a", kStart + std::chrono::minutes(10) - std::chrono::seconds(1)));
    EXPECT_TRUE(l.hit(kRule, "a", kStart + std::chrono::minutes(10)));
}

TEST(LocalRateLimiter, memory_is_bounded_by_letting_new_subjects_through_uncounted) {
    LocalRateLimiter l;
    const RateRule one{"one.ip", 1, std::chrono::minutes(10)};
    // Far more subjects than the shards hold: every new one past the cap is let through.
    const std::size_t many = 16 * LocalRateLimiter::kMaxSubjectsPerShard + 1000;
    for (std::size_t n = 0; n < many; ++n) ASSERT_TRUE(l.hit(one, "s" + std::to_string(n), kStart));
    // A subject counted before the shards filled is still limited.
    EXPECT_FALSE(l.hit(one, "s0", kStart));
}
