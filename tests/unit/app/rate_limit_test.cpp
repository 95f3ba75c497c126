// The limits shared by every node (counted in the database), on a real SQLite store.
#include <gtest/gtest.h>

#include <cstdio>

#include "../support/temp_dir.hpp"
#include "app/rate_limit.hpp"
#include "app/registry_context.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace sengen;
using namespace sengen::app;

TEST(RateLimit, an_ipv6_client_cannot_dodge_a_limit_by_changing_address_within_its_64) {
    test_support::TempDir dir;
    auto store = storage::sqlite::SqliteStore::open(dir.path() + "/r.db").value();
    ASSERT_TRUE(store->migrate());
    const RateRule& rule = limits::kSigninPerIp;
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    for (int n = 0; n < rule.limit; ++n) {
        char addr[64];
        std::snprintf(addr, sizeof addr, "2001:db8:aa:bb:%x::%x", n, n + 1);
        ASSERT_TRUE(enforce(*store, rule, addr, t)) << n;
    }
    auto refused = enforce(*store, rule, "2001:db8:aa:bb:dead:beef:0:1", t);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(refused.error().code, "rate.signin.ip");
    EXPECT_TRUE(enforce(*store, rule, "2001:db8:aa:bc::1", t));  // another /64
}

TEST(RateLimit, a_mapped_ipv4_address_counts_as_the_ipv4_address) {
    test_support::TempDir dir;
    auto store = storage::sqlite::SqliteStore::open(dir.path() + "/r.db").value();
    ASSERT_TRUE(store->migrate());
    const RateRule& rule = limits::kApplyPerIp;
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    for (int n = 0; n < rule.limit; ++n)
        ASSERT_TRUE(enforce(*store, rule, n % 2 ? "192.0.2.7" : "::ffff:192.0.2.7", t));
    EXPECT_FALSE(enforce(*store, rule, "192.0.2.7", t));
    EXPECT_TRUE(enforce(*store, rule, "192.0.2.8", t));
}

TEST(RateLimit, a_rule_that_counts_values_keeps_them_whole) {
    test_support::TempDir dir;
    auto store = storage::sqlite::SqliteStore::open(dir.path() + "/r.db").value();
    ASSERT_TRUE(store->migrate());
    const RateRule rule{"test.value", 1, std::chrono::hours(1)};
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    // A value that happens to look like an address is not widened to its network.
    ASSERT_TRUE(enforce(*store, rule, "2001:db8::1", t));
    EXPECT_TRUE(enforce(*store, rule, "2001:db8::2", t));
    EXPECT_FALSE(enforce(*store, rule, "2001:db8::1", t));
}
