#include <gtest/gtest.h>

#include <cstdio>

#include "app/local_rate_limit.hpp"
#include "app/registry_context.hpp"

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

TEST(LocalRateLimiter, a_burst_across_a_window_boundary_is_counted_as_one) {
    LocalRateLimiter l;
    const auto boundary = kStart + std::chrono::minutes(10);
    for (int n = 0; n < 3; ++n) ASSERT_TRUE(l.hit(kRule, "a", boundary - std::chrono::seconds(1)));
    // A fixed window would start again from zero here; the sliding one still holds the three.
    EXPECT_FALSE(l.hit(kRule, "a", boundary));
    EXPECT_FALSE(l.hit(kRule, "a", boundary + std::chrono::seconds(1)));
    EXPECT_TRUE(l.hit(kRule, "b", boundary));
}

TEST(LocalRateLimiter, the_window_before_weighs_less_as_time_passes_and_nothing_two_windows_on) {
    LocalRateLimiter l;
    for (int n = 0; n < 3; ++n) ASSERT_TRUE(l.hit(kRule, "a", kStart));
    // Half-way through the next window the three weigh as two (1.5, rounded up): one hit more.
    EXPECT_TRUE(l.hit(kRule, "a", kStart + std::chrono::minutes(15)));
    EXPECT_FALSE(l.hit(kRule, "a", kStart + std::chrono::minutes(15)));

    LocalRateLimiter m;
    for (int n = 0; n < 4; ++n) (void)m.hit(kRule, "a", kStart);
    EXPECT_FALSE(m.hit(kRule, "a", kStart + std::chrono::minutes(10) - std::chrono::seconds(1)));
    // Two windows on (one skipped), nothing is left of the first.
    for (int n = 0; n < 3; ++n) EXPECT_TRUE(m.hit(kRule, "a", kStart + std::chrono::minutes(20)));
    EXPECT_FALSE(m.hit(kRule, "a", kStart + std::chrono::minutes(20)));
}

TEST(LocalRateLimiter, a_full_table_forgets_the_least_recent_subject_and_still_counts_new_ones) {
    // A small table (64 subjects per shard), so that filling it is quick; the default holds 2^16.
    LocalRateLimiter l(64);
    const RateRule one{"one.ip", 1, std::chrono::minutes(10)};
    // Far more subjects than the shards hold: each is counted, the oldest forgotten to make room.
    const std::size_t many = 16 * 64 * 4;
    for (std::size_t n = 0; n < many; ++n) ASSERT_TRUE(l.hit(one, "s" + std::to_string(n), kStart));
    // A subject that comes once the table is full is counted, not let through.
    EXPECT_TRUE(l.hit(one, "late", kStart));
    EXPECT_FALSE(l.hit(one, "late", kStart));
    // The most recent subjects are still known; memory stays within the cap.
    EXPECT_FALSE(l.hit(one, "s" + std::to_string(many - 1), kStart));
    EXPECT_LE(l.tracked(), 16U * 64U);
}

TEST(LocalRateLimiter, a_client_that_keeps_hitting_is_never_the_one_forgotten) {
    LocalRateLimiter l(4);  // four subjects per shard: 64 in all
    const RateRule rule{"busy.ip", 50, std::chrono::minutes(10)};
    int refused_at = 0;
    for (int n = 1; n <= 200 && refused_at == 0; ++n) {
        // 600 one-off subjects in all push through the table, three between two hits of the busy
        // client: fewer than a shard holds, so the busy one is always more recent than the oldest.
        for (int k = 0; k < 3; ++k) (void)l.hit(rule, "crowd" + std::to_string(n * 10 + k), kStart);
        if (!l.hit(rule, "busy", kStart)) refused_at = n;
    }
    EXPECT_EQ(refused_at, 51);
    EXPECT_LE(l.tracked(), 64U);
}

TEST(LocalRateLimiter, an_ipv6_client_is_counted_by_its_64_and_a_mapped_address_as_ipv4) {
    LocalRateLimiter l;
    const RateRule& rule = limits::kLookupPerIp;
    const TimePoint t = from_unix_seconds(1800000000 - 1800000000 % 3600);
    // Every hit from another address of the same /64.
    for (int n = 0; n < rule.limit; ++n) {
        char addr[64];
        std::snprintf(addr, sizeof addr, "2001:db8:1:2:%x:%x::1", n / 65536, n % 65536);
        ASSERT_TRUE(l.hit(rule, addr, t)) << n;
    }
    auto refused = l.hit(rule, "2001:db8:1:2:ffff:ffff:ffff:ffff", t);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "rate.lookup.ip");
    EXPECT_TRUE(l.hit(rule, "2001:db8:1:3::1", t));  // the next /64 is another client

    for (int n = 0; n < rule.limit; ++n) ASSERT_TRUE(l.hit(rule, n % 2 ? "192.0.2.7" : "::ffff:192.0.2.7", t));
    EXPECT_FALSE(l.hit(rule, "192.0.2.7", t));
    EXPECT_TRUE(l.hit(rule, "192.0.2.8", t));  // IPv4 addresses count one by one
}
