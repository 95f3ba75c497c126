// The storage contract of a declarant's code from an authenticator app and of the stage of a
// declarant's session (ADR 61, migration 0049), on every engine.
#include <gtest/gtest.h>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::seconds;

class DeclarantCodeContract : public StorageTest {
protected:
    std::int64_t account(const std::string& email) {
        auto a =
            write_value<Account>([&](Transaction& tx) { return tx.accounts().find_or_create(email, Lang::Ja, T0); });
        EXPECT_TRUE(a.has_value());
        return a ? a->id : 0;
    }
    AccountSecondFactor factor(std::int64_t id) {
        auto f = read<AccountSecondFactor>([&](Transaction& tx) { return tx.accounts().second_factor(id); });
        EXPECT_TRUE(f.has_value());
        return f.value_or(AccountSecondFactor{});
    }
};

INSTANTIATE_TEST_SUITE_P(Engines, DeclarantCodeContract, ::testing::Values("sqlite", "postgres"), engine_name);

TEST_P(DeclarantCodeContract, an_account_has_no_code_until_its_pending_secret_is_confirmed) {
    const auto id = account("owner@example.jp");
    EXPECT_FALSE(factor(id).set_up());
    EXPECT_EQ(factor(id).pending, "");
    auto not_pending = write([&](Transaction& tx) { return tx.accounts().confirm_totp(id, 5); });
    ASSERT_FALSE(not_pending);
    EXPECT_EQ(not_pending.error().code, "account.totp_not_pending");
    // The first pending secret stays: a QR code scanned before leaving the page still works.
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().set_totp_pending(id, "PENDINGONE"); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().set_totp_pending(id, "PENDINGTWO"); }));
    EXPECT_EQ(factor(id).pending, "PENDINGONE");
    EXPECT_FALSE(factor(id).set_up());
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().confirm_totp(id, 100); }));
    const auto set = factor(id);
    EXPECT_EQ(set.secret, "PENDINGONE");
    EXPECT_EQ(set.pending, "");
    EXPECT_EQ(set.last_step, 100);
    // Nothing new is made pending beside a confirmed code.
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().set_totp_pending(id, "PENDINGTHREE"); }));
    EXPECT_EQ(factor(id).pending, "");
    EXPECT_EQ(factor(id).secret, "PENDINGONE");
}

TEST_P(DeclarantCodeContract, a_step_is_accepted_once_and_only_after_the_last_one) {
    const auto id = account("steps@example.jp");
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().set_totp_pending(id, "SECRET"); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().confirm_totp(id, 100); }));
    auto accept = [&](std::int64_t step) {
        return write_value<bool>([&](Transaction& tx) { return tx.accounts().accept_totp_step(id, step); });
    };
    auto same = accept(100);
    ASSERT_OK(same);
    EXPECT_FALSE(*same);
    auto earlier = accept(99);
    ASSERT_OK(earlier);
    EXPECT_FALSE(*earlier);
    auto later = accept(101);
    ASSERT_OK(later);
    EXPECT_TRUE(*later);
    EXPECT_EQ(factor(id).last_step, 101);
}

TEST_P(DeclarantCodeContract, clearing_forgets_the_code_and_says_whether_there_was_one) {
    const auto id = account("clear@example.jp");
    const auto other = account("other@example.jp");
    auto clear = [&](std::int64_t who) {
        return write_value<bool>([&](Transaction& tx) { return tx.accounts().clear_totp(who); });
    };
    auto none = clear(id);
    ASSERT_OK(none);
    EXPECT_FALSE(*none);
    for (auto who : {id, other}) {
        ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().set_totp_pending(who, "SECRET"); }));
        ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().confirm_totp(who, 100); }));
    }
    auto cleared = clear(id);
    ASSERT_OK(cleared);
    EXPECT_TRUE(*cleared);
    EXPECT_FALSE(factor(id).set_up());
    EXPECT_EQ(factor(id).last_step, 0);
    EXPECT_TRUE(factor(other).set_up());
    // A pending secret alone is forgotten too, so the next set-up shows a new one.
    ASSERT_OK(write([&](Transaction& tx) { return tx.accounts().set_totp_pending(id, "HALFWAY"); }));
    auto pending = clear(id);
    ASSERT_OK(pending);
    EXPECT_TRUE(*pending);
    EXPECT_EQ(factor(id).pending, "");
}

TEST_P(DeclarantCodeContract, an_unknown_account_has_no_code) {
    EXPECT_FALSE(factor(987654).set_up());
    EXPECT_EQ(factor(987654).pending, "");
}

TEST_P(DeclarantCodeContract, a_session_keeps_its_stage_and_is_full_unless_told) {
    Session waiting{"waiting", 42, T0, T0 + seconds(900), ""};
    waiting.stage = SignInStage::SecondFactor;
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().create(waiting); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().create({"full", 42, T0, T0 + seconds(900), ""}); }));
    auto find = [&](const std::string& hash) {
        return read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find(hash, T0); });
    };
    auto w = find("waiting");
    ASSERT_OK(w);
    ASSERT_TRUE(w->has_value());
    EXPECT_EQ((*w)->stage, SignInStage::SecondFactor);
    auto f = find("full");
    ASSERT_OK(f);
    ASSERT_TRUE(f->has_value());
    EXPECT_EQ((*f)->stage, SignInStage::Full);
    auto listed = read<std::vector<Session>>([&](Transaction& tx) { return tx.sessions().list_of(42, T0); });
    ASSERT_OK(listed);
    ASSERT_EQ(listed->size(), 2u);
    for (const auto& s : *listed)
        EXPECT_EQ(s.stage, s.id_hash == "waiting" ? SignInStage::SecondFactor : SignInStage::Full);
}

}  // namespace
}  // namespace sengen::testing
