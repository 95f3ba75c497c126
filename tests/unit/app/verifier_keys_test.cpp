// Verifier keys: the secret is shown once and only its hash is kept; names are checked; a key is
// revoked by its number or its name, once; each change is in the audit log.
#include <gtest/gtest.h>

#include "../support/temp_dir.hpp"
#include "app/tokens.hpp"
#include "app/verifier_keys.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace sengen;
using namespace sengen::app;

namespace {

struct FixedClock final : Clock {
    TimePoint now() const override { return from_unix_seconds(1'800'000'000); }
};

std::vector<AuditEvent> audit_of(Store& store, const std::string& subject) {
    return store
        .query<std::vector<AuditEvent>>(TxMode::Read,
                                        [&](Transaction& tx) { return tx.audit().for_subject(subject, 10); })
        .value();
}

}  // namespace

TEST(VerifierKeys, a_key_is_plausible_only_in_its_own_form) {
    EXPECT_TRUE(plausible_verifier_key("sv_" + random_token()));
    EXPECT_FALSE(plausible_verifier_key(random_token()));
    EXPECT_FALSE(plausible_verifier_key("sv_short"));
    EXPECT_FALSE(plausible_verifier_key("sv_" + std::string(43, '!')));
}

TEST(VerifierKeys, create_keeps_only_the_hash_and_audits_revoke_by_name_or_number_once) {
    test_support::TempDir dir;
    auto store = storage::sqlite::SqliteStore::open(dir.path() + "/k.db").value();
    ASSERT_TRUE(store->migrate());
    FixedClock clock;
    VerifierKeys keys(*store, clock);

    auto made = keys.create("  補助金事務局 ", 1000, "operator:cli");
    ASSERT_TRUE(made) << made.error().code;
    EXPECT_TRUE(plausible_verifier_key(made->secret));
    EXPECT_EQ(made->key.name, "補助金事務局");
    auto stored = store->query<std::optional<VerifierKey>>(
        TxMode::Read, [&](Transaction& tx) { return tx.verifier_keys().find_by_hash(token_hash(made->secret)); });
    ASSERT_TRUE(stored && *stored);
    EXPECT_EQ((*stored)->key_hash, token_hash(made->secret));
    EXPECT_EQ((*stored)->ids_per_minute, 1000);
    const std::string subject = "verifier_key:" + std::to_string(made->key.id);
    ASSERT_EQ(audit_of(*store, subject).size(), 1u);
    EXPECT_EQ(audit_of(*store, subject)[0].action, "verifier_key.created");
    EXPECT_EQ(audit_of(*store, subject)[0].details.find(made->secret), std::string::npos);

    auto taken = keys.create("補助金事務局", 1000, "operator:cli");
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().code, "verifier_key.name_taken");
    auto invalid = keys.create(" ", 0, "operator:cli");
    ASSERT_FALSE(invalid);
    ASSERT_EQ(invalid.error().fields.size(), 2u);
    EXPECT_EQ(invalid.error().fields[0].field, "name");
    EXPECT_EQ(invalid.error().fields[1].field, "rate");

    auto other = keys.create("窓口", 10, "operator:cli");
    ASSERT_TRUE(other);
    auto by_name = keys.revoke("補助金事務局", "operator:cli");
    ASSERT_TRUE(by_name) << by_name.error().code;
    EXPECT_EQ(by_name->revoked_at, clock.now());
    auto by_number = keys.revoke(std::to_string(other->key.id), "operator:cli");
    ASSERT_TRUE(by_number) << by_number.error().code;
    auto again = keys.revoke("補助金事務局", "operator:cli");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "verifier_key.not_found");
    EXPECT_EQ(audit_of(*store, subject).back().action, "verifier_key.revoked");
    auto list = keys.list();
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_TRUE(list->at(0).revoked_at && list->at(1).revoked_at);
}
