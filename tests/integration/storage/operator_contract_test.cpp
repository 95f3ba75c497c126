// The storage contract of operator accounts, their recovery codes and sessions, and the console's
// audit query (issue 12), on every engine.
#include <gtest/gtest.h>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::seconds;

class OperatorContract : public StorageTest {
protected:
    std::int64_t create(const std::string& email, OperatorRole role = OperatorRole::Staff,
                        const std::string& setup = "setup-hash") {
        auto id = write_value<std::int64_t>(
            [&](Transaction& tx) { return tx.operators().create(email, role, setup, T0 + seconds(3600), T0); });
        EXPECT_TRUE(id.has_value());
        return id.value_or(0);
    }
    Result<std::optional<OperatorSession>> session(const std::string& hash, TimePoint now) {
        return read<std::optional<OperatorSession>>(
            [&](Transaction& tx) { return tx.operators().find_session(hash, now); });
    }
};

INSTANTIATE_TEST_SUITE_P(Engines, OperatorContract, ::testing::Values("sqlite", "postgres"), engine_name);

TEST_P(OperatorContract, an_address_has_one_operator_account) {
    create("a@example.jp", OperatorRole::Admin, "h-a");
    auto again = write_value<std::int64_t>([&](Transaction& tx) {
        return tx.operators().create("a@example.jp", OperatorRole::Staff, "h-b", T0 + seconds(60), T0);
    });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "operator.exists");
    auto found = read<std::optional<OperatorAccount>>(
        [&](Transaction& tx) { return tx.operators().find_by_email("a@example.jp"); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->role, OperatorRole::Admin);
    EXPECT_TRUE((*found)->password_hash.empty());
}

TEST_P(OperatorContract, a_set_up_link_is_found_until_it_expires_and_used_once) {
    const auto id = create("b@example.jp");
    auto find = [&](TimePoint now) {
        return read<std::optional<OperatorAccount>>(
            [&](Transaction& tx) { return tx.operators().find_by_setup_token("setup-hash", now); });
    };
    ASSERT_TRUE(find(T0 + seconds(3599))->has_value());
    EXPECT_FALSE(find(T0 + seconds(3600))->has_value());
    ASSERT_OK(write([&](Transaction& tx) { return tx.operators().complete_setup(id, "setup-hash", "pw", "SECRET"); }));
    auto twice = write([&](Transaction& tx) { return tx.operators().complete_setup(id, "setup-hash", "pw2", "S2"); });
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, Error::Kind::NotFound);
    EXPECT_FALSE(find(T0)->has_value());
    auto account = read<std::optional<OperatorAccount>>([&](Transaction& tx) { return tx.operators().find(id); });
    EXPECT_EQ((*account)->password_hash, "pw");
    EXPECT_EQ((*account)->totp_pending, "SECRET");
}

TEST_P(OperatorContract, confirming_totp_keeps_the_secret_and_each_recovery_code_works_once) {
    const auto id = create("c@example.jp");
    ASSERT_OK(write([&](Transaction& tx) { return tx.operators().complete_setup(id, "setup-hash", "pw", "SECRET"); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.operators().confirm_totp(id, 100, {"r1", "r2"}); }));
    auto account = read<std::optional<OperatorAccount>>([&](Transaction& tx) { return tx.operators().find(id); });
    EXPECT_EQ((*account)->totp_secret, "SECRET");
    EXPECT_TRUE((*account)->totp_pending.empty());
    EXPECT_EQ((*account)->totp_last_step, 100);
    auto use = [&](const std::string& h) {
        return write_value<bool>([&](Transaction& tx) { return tx.operators().use_recovery_code(id, h, T0); });
    };
    EXPECT_TRUE(*use("r1"));
    EXPECT_FALSE(*use("r1"));
    EXPECT_FALSE(*use("unknown"));
    EXPECT_TRUE(*use("r2"));
}

TEST_P(OperatorContract, a_totp_step_is_accepted_only_after_the_last_one) {
    const auto id = create("d@example.jp");
    auto accept = [&](std::int64_t step) {
        return write_value<bool>([&](Transaction& tx) { return tx.operators().accept_totp_step(id, step); });
    };
    EXPECT_TRUE(*accept(10));
    EXPECT_FALSE(*accept(10));
    EXPECT_FALSE(*accept(9));
    EXPECT_TRUE(*accept(11));
}

TEST_P(OperatorContract, a_session_carries_its_operators_role_until_it_expires_or_is_removed) {
    const auto id = create("e@example.jp", OperatorRole::Admin);
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.operators().create_session({"s1", id, OperatorStage::Full, T0, T0 + seconds(60), {}, {}});
    }));
    auto found = session("s1", T0 + seconds(59));
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->role, OperatorRole::Admin);
    EXPECT_EQ((*found)->stage, OperatorStage::Full);
    EXPECT_EQ((*found)->email, "e@example.jp");
    EXPECT_FALSE(session("s1", T0 + seconds(60))->has_value());
    ASSERT_OK(write(
        [&](Transaction& tx) { return tx.operators().extend_session("s1", T0 + seconds(120), T0 + seconds(30)); }));
    EXPECT_TRUE(session("s1", T0 + seconds(100))->has_value());
    ASSERT_OK(write([&](Transaction& tx) { return tx.operators().remove_session("s1"); }));
    EXPECT_FALSE(session("s1", T0)->has_value());
}

TEST_P(OperatorContract, an_operators_full_sessions_are_listed_and_all_but_one_can_be_removed) {
    const auto id = create("f@example.jp");
    const auto other = create("g@example.jp", OperatorRole::Staff, "setup-g");
    ASSERT_OK(write([&](Transaction& tx) { return tx.operators().complete_setup(id, "setup-hash", "pw", "S"); }));
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        OperatorSession a{"a", id, OperatorStage::Full, T0, T0 + seconds(600), {}, {}};
        a.client_label = "Firefox / Linux";
        a.client_network = "192.0.2.1";
        for (const auto& s :
             {a, OperatorSession{"b", id, OperatorStage::Full, T0 + seconds(10), T0 + seconds(600), {}, {}},
              OperatorSession{"pending", id, OperatorStage::SecondFactor, T0, T0 + seconds(600), {}, {}},
              OperatorSession{"theirs", other, OperatorStage::Full, T0, T0 + seconds(600), {}, {}}})
            if (auto r = tx.operators().create_session(s); !r) return r;
        return tx.operators().extend_session("a", T0 + seconds(900), T0 + seconds(40));
    }));
    auto listed = read<std::vector<OperatorSession>>(
        [&](Transaction& tx) { return tx.operators().list_sessions(id, T0 + seconds(60)); });
    ASSERT_OK(listed);
    ASSERT_EQ(listed->size(), 2u);  // not the one still waiting for its code, not another's
    EXPECT_EQ((*listed)[0].id_hash, "b");
    EXPECT_EQ((*listed)[1].id_hash, "a");
    EXPECT_EQ((*listed)[1].client_label, "Firefox / Linux");
    EXPECT_EQ((*listed)[1].client_network, "192.0.2.1");
    EXPECT_EQ((*listed)[1].last_used_at, T0 + seconds(40));

    auto removed = write_value<std::size_t>(
        [&](Transaction& tx) { return tx.operators().remove_sessions_of(id, std::string("a")); });
    ASSERT_OK(removed);
    EXPECT_EQ(*removed, 2u);
    EXPECT_TRUE(session("a", T0)->has_value());
    EXPECT_FALSE(session("b", T0)->has_value());
    EXPECT_TRUE(session("theirs", T0)->has_value());
    ASSERT_OK(write([&](Transaction& tx) { return tx.operators().set_password(id, "pw-new"); }));
    auto account = read<std::optional<OperatorAccount>>([&](Transaction& tx) { return tx.operators().find(id); });
    EXPECT_EQ((*account)->password_hash, "pw-new");
    // An account not set up yet has no password to replace.
    EXPECT_EQ(write([&](Transaction& tx) { return tx.operators().set_password(other, "x"); }).error().kind,
              Error::Kind::NotFound);
    auto all =
        write_value<std::size_t>([&](Transaction& tx) { return tx.operators().remove_sessions_of(id, std::nullopt); });
    EXPECT_EQ(*all, 1u);
}

TEST_P(OperatorContract, the_audit_query_filters_and_pages_newest_first) {
    for (int i = 0; i < 5; ++i)
        ASSERT_OK(write([&](Transaction& tx) -> Status {
            AuditEvent e{0,
                         T0 + seconds(i * 86400),
                         i % 2 ? "operator:1" : "system",
                         "x.done",
                         "declaration:" + std::to_string(i),
                         "",
                         "{}"};
            auto r = tx.audit().record(e);
            if (!r) return fail(r.error());
            return {};
        }));
    auto query = [&](AuditQuery q) {
        return read<std::vector<AuditEvent>>([&](Transaction& tx) { return tx.console().audit(q); });
    };
    AuditQuery by_actor;
    by_actor.actor = "system";
    auto system = query(by_actor);
    ASSERT_OK(system);
    ASSERT_EQ(system->size(), 3u);
    EXPECT_EQ((*system)[0].subject, "declaration:4");
    AuditQuery page;
    page.limit = 2;
    auto first = query(page);
    ASSERT_EQ(first->size(), 3u);  // one more than the page: there is a next page
    EXPECT_EQ((*first)[0].subject, "declaration:4");
    AuditQuery dated;
    dated.from = T0 + seconds(86400);
    dated.until = T0 + seconds(3 * 86400);
    auto in_range = query(dated);
    ASSERT_EQ(in_range->size(), 2u);
    EXPECT_EQ((*in_range)[0].subject, "declaration:2");
    AuditQuery by_subject;
    by_subject.subject = "declaration:3";
    EXPECT_EQ(query(by_subject)->size(), 1u);
}

}  // namespace
}  // namespace sengen::testing
