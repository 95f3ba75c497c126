// The limits shared by every node (counted in the database), on a real SQLite store.
#include <gtest/gtest.h>

#include <cstdio>

#include "../support/temp_dir.hpp"
#include "app/rate_limit.hpp"
#include "app/registry_context.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace sengen;
using namespace sengen::app;

namespace {

// Each test on a freshly migrated SQLite store of its own.
class RateLimit : public ::testing::Test {
protected:
    void SetUp() override {
        sqlite_ = storage::sqlite::SqliteStore::open(dir_.path() + "/r.db").value();
        ASSERT_TRUE(sqlite_->migrate());
    }
    test_support::TempDir dir_;
    std::unique_ptr<storage::sqlite::SqliteStore> sqlite_;
};

}  // namespace

TEST_F(RateLimit, an_ipv6_client_cannot_dodge_a_limit_by_changing_address_within_its_64) {
    auto& store = sqlite_;
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

TEST_F(RateLimit, a_mapped_ipv4_address_counts_as_the_ipv4_address) {
    auto& store = sqlite_;
    const RateRule& rule = limits::kApplyPerIp;
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    for (int n = 0; n < rule.limit; ++n)
        ASSERT_TRUE(enforce(*store, rule, n % 2 ? "192.0.2.7" : "::ffff:192.0.2.7", t));
    EXPECT_FALSE(enforce(*store, rule, "192.0.2.7", t));
    EXPECT_TRUE(enforce(*store, rule, "192.0.2.8", t));
}

TEST_F(RateLimit, a_rule_that_counts_values_keeps_them_whole) {
    auto& store = sqlite_;
    const RateRule rule{"test.value", 1, std::chrono::hours(1)};
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    // A value that happens to look like an address is not widened to its network.
    ASSERT_TRUE(enforce(*store, rule, "2001:db8::1", t));
    EXPECT_TRUE(enforce(*store, rule, "2001:db8::2", t));
    EXPECT_FALSE(enforce(*store, rule, "2001:db8::1", t));
}

namespace {

// A store that counts the transactions it is asked for, and passes them on.
class CountingStore : public Store {
public:
    explicit CountingStore(Store& inner) : inner_(inner) {}
    std::string engine() const override { return inner_.engine(); }
    Status ping() override { return inner_.ping(); }
    Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) override {
        ++transactions;
        return inner_.transact(mode, work);
    }
    int transactions = 0;

private:
    Store& inner_;
};

}  // namespace

TEST_F(RateLimit, a_subject_refused_is_refused_again_from_memory_without_the_database) {
    auto& sqlite = sqlite_;
    CountingStore store(*sqlite);
    RefusalMemo memo;
    const RateRule rule{"test.memo", 3, std::chrono::hours(1)};
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    for (int n = 0; n < rule.limit; ++n) ASSERT_TRUE(enforce(store, memo, rule, "198.51.100.1", t));
    auto first = enforce(store, memo, rule, "198.51.100.1", t);
    ASSERT_FALSE(first);
    EXPECT_EQ(first.error().code, "rate.test.memo");
    const int before = store.transactions;
    for (int n = 0; n < 100; ++n) {
        auto again = enforce(store, memo, rule, "198.51.100.1", t + std::chrono::minutes(59));
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().kind, Error::Kind::TooMany);
        EXPECT_EQ(again.error().code, "rate.test.memo");
    }
    EXPECT_EQ(store.transactions, before);  // answered without the database
    // Another subject is still counted in the database.
    EXPECT_TRUE(enforce(store, memo, rule, "198.51.100.2", t));
    EXPECT_EQ(store.transactions, before + 1);
    // The next window still holds the four hits the database counted (sliding window); the one
    // after it no longer does.
    EXPECT_FALSE(enforce(store, memo, rule, "198.51.100.1", t + std::chrono::hours(1)));
    EXPECT_EQ(store.transactions, before + 2);
    EXPECT_TRUE(enforce(store, memo, rule, "198.51.100.1", t + std::chrono::hours(2)));
}

TEST_F(RateLimit, a_burst_across_a_window_boundary_is_refused_as_one) {
    // Five bad passwords just before a quarter-hour ends and a sixth just after it: with a fixed
    // window the sixth would start a new count. It is refused, on every node (the database counts).
    auto& store = sqlite_;
    const RateRule rule{"test.signin", 5, std::chrono::minutes(15)};
    const auto boundary = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 900 + 900);
    for (int n = 0; n < 5; ++n)
        ASSERT_TRUE(enforce(*store, rule, "target@example.jp", boundary - std::chrono::seconds(1)));
    auto sixth = enforce(*store, rule, "target@example.jp", boundary);
    ASSERT_FALSE(sixth);
    EXPECT_EQ(sixth.error().code, "rate.test.signin");
    // Counted in the caller's transaction too.
    auto in_tx = store->transact(TxMode::Write, [&](Transaction& tx) {
        return enforce_in(tx, rule, "target@example.jp", boundary + std::chrono::minutes(1));
    });
    ASSERT_FALSE(in_tx);
    EXPECT_EQ(in_tx.error().kind, Error::Kind::TooMany);
    // Two windows on, the burst no longer counts.
    EXPECT_TRUE(enforce(*store, rule, "target@example.jp", boundary + std::chrono::minutes(15)));
}

TEST_F(RateLimit, a_refusal_from_memory_ends_when_the_sliding_count_is_back_within_the_limit) {
    auto& sqlite = sqlite_;
    CountingStore store(*sqlite);
    RefusalMemo memo;
    const RateRule rule{"test.memo", 4, std::chrono::hours(1)};
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    for (int n = 0; n < 4; ++n) ASSERT_TRUE(enforce(store, memo, rule, "198.51.100.9", t));
    // Next window: 1 + 4 x (1 - elapsed) passes 4 until a quarter of the window has gone by.
    const auto next = t + std::chrono::hours(1);
    ASSERT_FALSE(enforce(store, memo, rule, "198.51.100.9", next));
    const int before = store.transactions;
    EXPECT_FALSE(enforce(store, memo, rule, "198.51.100.9", next + std::chrono::seconds(899)));
    EXPECT_EQ(store.transactions, before);  // from memory
    EXPECT_TRUE(enforce(store, memo, rule, "198.51.100.9", next + std::chrono::seconds(900 + 900)));
    EXPECT_EQ(store.transactions, before + 1);  // the database decided
}

TEST_F(RateLimit, the_refusal_memory_is_bounded_and_forgetting_only_costs_a_database_hit) {
    RefusalMemo memo(4);
    for (int n = 0; n < 4; ++n) memo.remember("old" + std::to_string(n), 100, 200);
    memo.remember("new", 250, 300);  // the four old windows have ended: they make room
    EXPECT_EQ(memo.size(), 1u);
    EXPECT_TRUE(memo.refused("new", 250));
    EXPECT_FALSE(memo.refused("new", 300));
    for (int n = 0; n < 3; ++n) memo.remember("live" + std::to_string(n), 250, 300);
    memo.remember("one more", 250, 300);  // full of live windows: all are forgotten
    EXPECT_EQ(memo.size(), 1u);
    EXPECT_TRUE(memo.refused("one more", 250));

    // Forgotten, a subject is counted in the database again, which still refuses it.
    auto& sqlite = sqlite_;
    CountingStore store(*sqlite);
    const RateRule rule{"test.memo", 1, std::chrono::hours(1)};
    const auto t = from_unix_seconds(1'800'000'000 - 1'800'000'000 % 3600);
    RefusalMemo tiny(1);
    ASSERT_TRUE(enforce(store, tiny, rule, "a", t));
    ASSERT_FALSE(enforce(store, tiny, rule, "a", t));  // "a" remembered
    ASSERT_TRUE(enforce(store, tiny, rule, "b", t));
    ASSERT_FALSE(enforce(store, tiny, rule, "b", t));  // "b" remembered, "a" forgotten
    EXPECT_EQ(tiny.size(), 1u);
    const int before = store.transactions;
    EXPECT_FALSE(enforce(store, tiny, rule, "b", t));  // from memory
    EXPECT_EQ(store.transactions, before);
    auto a = enforce(store, tiny, rule, "a", t);  // from the database
    ASSERT_FALSE(a);
    EXPECT_EQ(a.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(store.transactions, before + 1);
}
