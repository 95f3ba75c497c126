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

TEST(Housekeeping, used_or_expired_links_and_applications_never_confirmed_are_removed) {
    test_support::TempDir dir;
    auto store = storage::sqlite::SqliteStore::open(dir.path() + "/h.db").value();
    ASSERT_TRUE(store->migrate());
    using std::chrono::hours;
    using std::chrono::minutes;
    const auto t0 = from_unix_seconds(1'800'000'000);
    auto application = [&](const std::string& token, TimePoint expires) {
        Declaration d;
        d.state = {lifecycle::Status::AwaitingConfirmation, 1};
        d.details.business_name = "商店";
        d.details.business_name_kana = "ショウテン";
        d.details.contact_email = "a@example.jp";
        d.terms_version = "2026-1";
        d.terms_agreed_at = t0;
        d.created_at = t0;
        d.confirm_token_hash = token;
        d.confirm_expires_at = expires;
        return d;
    };
    ASSERT_TRUE(store->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        for (const auto& [hash, expires] :
             {std::pair{"used", t0 + hours(1)}, {"expired", t0 + minutes(15)}, std::pair{"fresh", t0 + hours(50)}})
            if (auto r = tx.signin_tokens().create({hash, "a@example.jp", "/mypage", expires}, t0); !r) return r;
        if (auto r = tx.signin_tokens().consume("used", t0); !r) return fail(r.error());
        // Expired two days before the pass (past the grace), expired an hour before (within it), live.
        for (const auto& [hash, expires] : {std::pair{"gone", t0}, {"late", t0 + hours(47)}, {"live", t0 + hours(72)}})
            if (auto r = tx.declarations().create(application(hash, expires)); !r) return fail(r.error());
        return {};
    }));
    const auto pass = t0 + hours(48);
    auto removed = app::purge_expired(*store, pass);
    ASSERT_TRUE(removed) << removed.error().detail;
    EXPECT_EQ(*removed, 3u);  // the used and the expired sign-in link, one application
    auto left =
        store->query<std::vector<std::string>>(TxMode::Read, [&](Transaction& tx) -> Result<std::vector<std::string>> {
            std::vector<std::string> out;
            for (const char* h : {"gone", "late", "live"}) {
                auto d = tx.declarations().find_by_confirm_token(h);
                if (!d) return fail(d.error());
                if (*d) out.push_back(h);
            }
            return out;
        });
    ASSERT_TRUE(left);
    EXPECT_EQ(*left, (std::vector<std::string>{"late", "live"}));
    EXPECT_EQ(*app::purge_expired(*store, pass), 0u);
}
