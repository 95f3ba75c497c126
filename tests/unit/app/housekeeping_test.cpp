#include <gtest/gtest.h>

#include "../support/temp_dir.hpp"
#include "app/housekeeping.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace sengen;

TEST(Housekeeping, expired_sessions_and_old_rate_windows_are_removed_and_live_ones_kept) {
    test_support::TempDir dir;
    auto store = storage::sqlite::SqliteStore::open(dir.path() + "/h.db").value();
    ASSERT_TRUE(store->migrate());
    const auto t0 = from_unix_seconds(1'800'000'000);
    ASSERT_TRUE(store->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto r = tx.sessions().create({"old", std::nullopt, t0, t0 + std::chrono::minutes(1), ""}); !r) return r;
        if (auto r = tx.sessions().create({"live", std::nullopt, t0, t0 + std::chrono::hours(9), ""}); !r) return r;
        if (auto r = tx.rate_limits().hit("k", t0, t0 + std::chrono::minutes(2)); !r) return fail(r.error());
        return {};
    }));
    auto removed = app::purge_expired(*store, t0 + std::chrono::hours(1));
    ASSERT_TRUE(removed) << removed.error().detail;
    EXPECT_EQ(*removed, 2u);
    auto live = store->query<std::optional<Session>>(
        TxMode::Read, [&](Transaction& tx) { return tx.sessions().find("live", t0 + std::chrono::hours(1)); });
    ASSERT_TRUE(live);
    EXPECT_TRUE(live->has_value());
    EXPECT_EQ(*app::purge_expired(*store, t0 + std::chrono::hours(1)), 0u);
}
