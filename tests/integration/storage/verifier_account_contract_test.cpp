// The storage contract of verifier accounts, their sessions, their uploads' results and the
// requests waiting for an address to be proved (issue 12 point 7, migrations 0033, 0037, 0043 and 0044),
// on every engine.
#include <gtest/gtest.h>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::seconds;

class VerifierAccountContract : public StorageTest {
protected:
    std::int64_t key(const std::string& name) {
        VerifierKey k;
        k.name = name;
        k.key_hash = "hash-" + name;
        k.ids_per_minute = 100;
        k.created_at = T0;
        auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_keys().create(k); });
        EXPECT_TRUE(id.has_value());
        return id.value_or(0);
    }
    Result<std::int64_t> account(std::int64_t key_id, const std::string& email) {
        VerifierAccount a;
        a.key_id = key_id;
        a.email = email;
        a.password_hash = "$argon2id$stub";
        a.created_at = T0;
        return write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_accounts().create(a); });
    }
};

INSTANTIATE_TEST_SUITE_P(Engines, VerifierAccountContract, ::testing::Values("sqlite", "postgres"), engine_name);

TEST_P(VerifierAccountContract, an_address_has_one_account_read_with_its_key) {
    const auto k = key("補助金事務局");
    ASSERT_OK(account(k, "clerk@example.jp"));
    auto again = account(k, "clerk@example.jp");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "verifier_account.exists");
    auto found = read<std::optional<VerifierAccount>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_by_email("clerk@example.jp"); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->key_id, k);
    EXPECT_EQ((*found)->key_name, "補助金事務局");
    EXPECT_EQ((*found)->password_hash, "$argon2id$stub");
    EXPECT_FALSE((*found)->key_revoked);
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_keys().revoke(k, T0 + seconds(1)); }));
    found = read<std::optional<VerifierAccount>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_by_email("clerk@example.jp"); });
    ASSERT_OK(found);
    EXPECT_TRUE((*found)->key_revoked);
}

TEST_P(VerifierAccountContract, a_registration_is_found_until_taken_once_or_expired_and_then_purged) {
    const auto k = key("登録窓口");
    VerifierRegistration g{"reg-hash-1", k, "new@example.jp", "$argon2id$stub", T0, T0 + seconds(60)};
    VerifierRegistration other{"reg-hash-2", k, "new@example.jp", "$argon2id$other", T0, T0 + seconds(30)};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().save_registration(g); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().save_registration(other); }));
    auto found = read<std::optional<VerifierRegistration>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_registration("reg-hash-1", T0 + seconds(10)); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->key_id, k);
    EXPECT_EQ((*found)->email, "new@example.jp");
    EXPECT_EQ((*found)->password_hash, "$argon2id$stub");
    EXPECT_EQ((*found)->created_at, T0);
    EXPECT_EQ((*found)->expires_at, T0 + seconds(60));
    // Finding leaves it; taking removes it, so a second take finds nothing.
    auto taken = write_value<std::optional<VerifierRegistration>>(
        [&](Transaction& tx) { return tx.verifier_accounts().take_registration("reg-hash-1", T0 + seconds(10)); });
    ASSERT_OK(taken);
    ASSERT_TRUE(taken->has_value());
    EXPECT_EQ((*taken)->password_hash, "$argon2id$stub");
    taken = write_value<std::optional<VerifierRegistration>>(
        [&](Transaction& tx) { return tx.verifier_accounts().take_registration("reg-hash-1", T0 + seconds(10)); });
    ASSERT_OK(taken);
    EXPECT_FALSE(taken->has_value());
    // Expired, it is neither found nor taken, and the purge deletes it.
    found = read<std::optional<VerifierRegistration>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_registration("reg-hash-2", T0 + seconds(30)); });
    ASSERT_OK(found);
    EXPECT_FALSE(found->has_value());
    taken = write_value<std::optional<VerifierRegistration>>(
        [&](Transaction& tx) { return tx.verifier_accounts().take_registration("reg-hash-2", T0 + seconds(30)); });
    ASSERT_OK(taken);
    EXPECT_FALSE(taken->has_value());
    auto purged =
        write_value<std::size_t>([&](Transaction& tx) { return tx.verifier_accounts().purge(T0 + seconds(30)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 1u);
}

TEST_P(VerifierAccountContract, a_session_carries_its_account_and_key_until_it_expires_or_is_removed) {
    const auto k = key("窓口");
    auto id = account(k, "a@example.jp");
    ASSERT_OK(id);
    VerifierSession s{"sess-1", *id, T0, T0 + seconds(60), {}, 0, {}, false};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(s); }));
    auto found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-1", T0 + seconds(30)); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->email, "a@example.jp");
    EXPECT_EQ((*found)->key_id, k);
    EXPECT_EQ((*found)->key_name, "窓口");
    EXPECT_FALSE((*found)->key_revoked);
    // Expired at its expiry; slid, it lives on; removed, it is gone.
    found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-1", T0 + seconds(60)); });
    ASSERT_OK(found);
    EXPECT_FALSE(found->has_value());
    ASSERT_OK(
        write([&](Transaction& tx) { return tx.verifier_accounts().extend_session("sess-1", T0 + seconds(120)); }));
    found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-1", T0 + seconds(90)); });
    ASSERT_OK(found);
    EXPECT_TRUE(found->has_value());
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().remove_session("sess-1"); }));
    found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-1", T0 + seconds(90)); });
    ASSERT_OK(found);
    EXPECT_FALSE(found->has_value());
}

TEST_P(VerifierAccountContract, an_upload_is_its_accounts_only_and_purged_with_sessions_once_expired) {
    const auto k = key("窓口");
    auto mine = account(k, "a@example.jp");
    auto theirs = account(k, "b@example.jp");
    ASSERT_OK(mine);
    ASSERT_OK(theirs);
    const std::string content = R"({"rows":[{"fields":["自己宣言ID"]}]})";
    VerifierUpload u{"ref-1", *mine, T0, T0 + seconds(3600), content};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().save_upload(u); }));
    VerifierSession s{"sess-2", *mine, T0, T0 + seconds(60), {}, 0, {}, false};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(s); }));
    auto found = read<std::optional<VerifierUpload>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_upload("ref-1", *mine, T0 + seconds(10)); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->content, content);
    auto other = read<std::optional<VerifierUpload>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_upload("ref-1", *theirs, T0 + seconds(10)); });
    ASSERT_OK(other);
    EXPECT_FALSE(other->has_value());
    // At T0 + 60 s the session has expired, the upload not yet.
    auto purged =
        write_value<std::size_t>([&](Transaction& tx) { return tx.verifier_accounts().purge(T0 + seconds(60)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 1u);
    purged =
        write_value<std::size_t>([&](Transaction& tx) { return tx.verifier_accounts().purge(T0 + seconds(3600)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 1u);
    found = read<std::optional<VerifierUpload>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_upload("ref-1", *mine, T0); });
    ASSERT_OK(found);
    EXPECT_FALSE(found->has_value());
}

TEST_P(VerifierAccountContract, accounts_are_listed_by_key_and_address_with_their_status) {
    const auto k1 = key("一");
    const auto k2 = key("二");
    auto b = account(k1, "b@example.jp");
    auto a = account(k1, "a@example.jp");
    auto c = account(k2, "c@example.jp");
    ASSERT_OK(b);
    ASSERT_OK(a);
    ASSERT_OK(c);
    auto all = read<std::vector<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().list({}); });
    ASSERT_OK(all);
    ASSERT_EQ(all->size(), 3u);
    EXPECT_EQ((*all)[0].email, "a@example.jp");
    EXPECT_EQ((*all)[1].email, "b@example.jp");
    EXPECT_EQ((*all)[2].email, "c@example.jp");
    EXPECT_EQ((*all)[2].key_name, "二");
    EXPECT_FALSE((*all)[0].disabled_at);
    EXPECT_FALSE((*all)[0].last_signed_in_at);
    auto of_k2 = read<std::vector<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().list(k2); });
    ASSERT_OK(of_k2);
    ASSERT_EQ(of_k2->size(), 1u);
    EXPECT_EQ((*of_k2)[0].id, *c);
    // A session notes the sign-in; a revoked key shows on its accounts.
    VerifierSession s{"sess-3", *a, T0 + seconds(5), T0 + seconds(60), {}, 0, {}, false};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(s); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_keys().revoke(k1, T0 + seconds(6)); }));
    auto found =
        read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*a); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->email, "a@example.jp");
    ASSERT_TRUE((*found)->last_signed_in_at);
    EXPECT_EQ(*(*found)->last_signed_in_at, T0 + seconds(5));
    EXPECT_TRUE((*found)->key_revoked);
    found = read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(0); });
    ASSERT_OK(found);
    EXPECT_FALSE(found->has_value());
}

TEST_P(VerifierAccountContract, a_disabled_account_loses_its_sessions_at_once_and_is_disabled_once) {
    const auto k = key("窓口");
    auto id = account(k, "a@example.jp");
    auto other = account(k, "b@example.jp");
    ASSERT_OK(id);
    ASSERT_OK(other);
    for (const char* hash : {"sess-a1", "sess-a2"}) {
        VerifierSession s{hash, *id, T0, T0 + seconds(600), {}, 0, {}, false};
        ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(s); }));
    }
    VerifierSession theirs{"sess-b", *other, T0, T0 + seconds(600), {}, 0, {}, false};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(theirs); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().disable(*id, T0 + seconds(10)); }));
    for (const char* hash : {"sess-a1", "sess-a2"}) {
        auto found = read<std::optional<VerifierSession>>(
            [&](Transaction& tx) { return tx.verifier_accounts().find_session(hash, T0 + seconds(11)); });
        ASSERT_OK(found);
        EXPECT_FALSE(found->has_value()) << hash;
    }
    auto kept = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-b", T0 + seconds(11)); });
    ASSERT_OK(kept);
    EXPECT_TRUE(kept->has_value());
    auto found = read<std::optional<VerifierAccount>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_by_email("a@example.jp"); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    ASSERT_TRUE((*found)->disabled_at);
    EXPECT_EQ(*(*found)->disabled_at, T0 + seconds(10));
    // A session made after all the same (a sign-in racing the disabling) is never found.
    VerifierSession late{"sess-a3", *id, T0 + seconds(12), T0 + seconds(600), {}, 0, {}, false};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(late); }));
    auto late_found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-a3", T0 + seconds(13)); });
    ASSERT_OK(late_found);
    EXPECT_FALSE(late_found->has_value());
    auto again = write([&](Transaction& tx) { return tx.verifier_accounts().disable(*id, T0 + seconds(20)); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "verifier_account.not_found");
    auto none = write([&](Transaction& tx) { return tx.verifier_accounts().disable(*other + 1000, T0); });
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().code, "verifier_account.not_found");
}

// The second factor (migration 0044, ADR 0056): a secret pending until confirmed, then a step
// accepted once; a session keeps its stage, and only a Full one counts as a sign-in.
TEST_P(VerifierAccountContract, a_second_factor_is_pending_until_confirmed_and_each_step_is_accepted_once) {
    const auto k = key("二要素窓口");
    auto id = account(k, "mfa@example.jp");
    ASSERT_OK(id);
    auto find = [&] {
        auto found = read<std::optional<VerifierAccount>>(
            [&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*id); });
        EXPECT_TRUE(found && found->has_value());
        return found && *found ? **found : VerifierAccount{};
    };
    EXPECT_EQ(find().totp_secret, "");
    EXPECT_EQ(find().totp_pending, "");
    auto not_pending = write([&](Transaction& tx) { return tx.verifier_accounts().confirm_totp(*id, 5); });
    ASSERT_FALSE(not_pending);
    EXPECT_EQ(not_pending.error().code, "verifier_account.totp_not_pending");
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().set_totp_pending(*id, "PENDINGONE"); }));
    // A secret already pending stays: the set-up page shows the same one however often it is asked.
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().set_totp_pending(*id, "PENDINGTWO"); }));
    EXPECT_EQ(find().totp_pending, "PENDINGONE");
    EXPECT_EQ(find().totp_secret, "");
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().confirm_totp(*id, 100); }));
    EXPECT_EQ(find().totp_secret, "PENDINGONE");
    EXPECT_EQ(find().totp_pending, "");
    EXPECT_EQ(find().totp_last_step, 100);
    // Confirmed, an account takes no new pending secret.
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().set_totp_pending(*id, "PENDINGTWO"); }));
    EXPECT_EQ(find().totp_pending, "");
    auto accept = [&](std::int64_t step) {
        auto ok =
            write_value<bool>([&](Transaction& tx) { return tx.verifier_accounts().accept_totp_step(*id, step); });
        EXPECT_TRUE(ok.has_value());
        return ok.value_or(false);
    };
    EXPECT_FALSE(accept(100));
    EXPECT_FALSE(accept(99));
    EXPECT_TRUE(accept(101));
    EXPECT_FALSE(accept(101));
    EXPECT_EQ(find().totp_last_step, 101);
    // A made account may carry its pending secret from the start.
    VerifierAccount a;
    a.key_id = k;
    a.email = "mfa2@example.jp";
    a.password_hash = "$argon2id$stub";
    a.created_at = T0;
    a.totp_pending = "FROMTHESTART";
    auto made = write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_accounts().create(a); });
    ASSERT_OK(made);
    auto second =
        read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*made); });
    ASSERT_OK(second);
    EXPECT_EQ((*second)->totp_pending, "FROMTHESTART");
}

TEST_P(VerifierAccountContract, a_reset_forgets_the_second_factor_and_ends_the_sessions_of_an_active_account_only) {
    const auto k = key("再設定窓口");
    auto id = account(k, "reset@example.jp");
    ASSERT_OK(id);
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().set_totp_pending(*id, "SECRETONE"); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().confirm_totp(*id, 100); }));
    VerifierSession s{"sess-reset", *id, T0, T0 + seconds(60), {}, 0, {}, false, SignInStage::Full};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(s); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().reset_totp(*id); }));
    auto found =
        read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*id); });
    ASSERT_OK(found);
    EXPECT_EQ((*found)->totp_secret, "");
    EXPECT_EQ((*found)->totp_pending, "");
    auto session = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-reset", T0 + seconds(1)); });
    ASSERT_OK(session);
    EXPECT_FALSE(session->has_value());
    // A new secret may be pending again; a disabled or unknown account is not reset.
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().set_totp_pending(*id, "SECRETTWO"); }));
    found =
        read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*id); });
    EXPECT_EQ((*found)->totp_pending, "SECRETTWO");
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().disable(*id, T0 + seconds(2)); }));
    for (const auto target : {*id, *id + 1000}) {
        auto refused = write([&](Transaction& tx) { return tx.verifier_accounts().reset_totp(target); });
        EXPECT_EQ(refused ? std::string("done") : refused.error().code, "verifier_account.not_found") << target;
    }
}

TEST_P(VerifierAccountContract, a_session_keeps_its_stage_and_only_a_full_one_counts_as_signed_in) {
    const auto k = key("段階窓口");
    auto id = account(k, "stage@example.jp");
    ASSERT_OK(id);
    VerifierSession pending{"sess-setup", *id, T0, T0 + seconds(60), {}, 0, {}, false, SignInStage::TotpSetup};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(pending); }));
    auto found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-setup", T0 + seconds(1)); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->stage, SignInStage::TotpSetup);
    auto account_now =
        read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*id); });
    ASSERT_OK(account_now);
    EXPECT_FALSE((*account_now)->last_signed_in_at.has_value());
    VerifierSession full{"sess-full", *id, T0 + seconds(5), T0 + seconds(60), {}, 0, {}, false, SignInStage::Full};
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_accounts().create_session(full); }));
    found = read<std::optional<VerifierSession>>(
        [&](Transaction& tx) { return tx.verifier_accounts().find_session("sess-full", T0 + seconds(6)); });
    ASSERT_OK(found);
    EXPECT_EQ((*found)->stage, SignInStage::Full);
    account_now =
        read<std::optional<VerifierAccount>>([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(*id); });
    ASSERT_OK(account_now);
    EXPECT_EQ((*account_now)->last_signed_in_at, T0 + seconds(5));
}

}  // namespace
}  // namespace sengen::testing
