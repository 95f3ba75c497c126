// The storage contract of supporters (SupportRepository, issue 13 point 6, ADR 42) on a real SQLite
// file and a real throwaway PostgreSQL cluster: invitations found and accepted once by their hash,
// never after they expire or are cancelled; one live support per account and declaration; ending a
// support shows at once, also to another node.
#include <gtest/gtest.h>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const support::Rights kDetails = support::Rights().with(support::Right::EditDetails);
const support::Rights kBoth = support::default_rights();

class SupportContract : public StorageTest {
protected:
    std::int64_t account(const std::string& email) {
        auto a =
            write_value<Account>([&](Transaction& tx) { return tx.accounts().find_or_create(email, Lang::Ja, T0); });
        EXPECT_TRUE(a) << a.error().detail;
        return a ? a->id : 0;
    }

    // A declared declaration held by `owner`.
    std::int64_t declaration(const std::string& name, std::int64_t owner) {
        Declaration d;
        d.state = {lifecycle::Status::Declared, 1};
        d.details.business_name = name;
        d.details.contact_email = name + "@example.jp";
        d.details.lang = Lang::Ja;
        d.account_id = owner;
        d.terms_version = "2026-1";
        d.terms_agreed_at = T0;
        d.created_at = T0;
        d.confirm_token_hash = "confirm-" + name;
        d.confirm_expires_at = T0 + seconds(60);
        auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().create(d); });
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }

    std::int64_t invite(std::int64_t declaration, std::int64_t owner, const std::string& email, const std::string& hash,
                        support::Rights rights = kDetails) {
        SupportInvitation i{0, declaration, email, rights, owner, hash, T0, T0 + hours(24)};
        auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.supports().invite(i); });
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }

    std::optional<SupportInvitation> accept(const std::string& hash, TimePoint now) {
        auto i = write_value<std::optional<SupportInvitation>>(
            [&](Transaction& tx) { return tx.supports().accept_invitation(hash, now); });
        EXPECT_TRUE(i) << i.error().detail;
        return i.value_or(std::nullopt);
    }

    std::int64_t start(std::int64_t declaration, std::int64_t account, support::Rights rights) {
        auto id = write_value<std::int64_t>(
            [&](Transaction& tx) { return tx.supports().start(declaration, account, rights, T0); });
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }

    std::optional<Support> live(Store& store, std::int64_t declaration, std::int64_t account) {
        auto s = store.query<std::optional<Support>>(
            TxMode::Read, [&](Transaction& tx) { return tx.supports().live(declaration, account); });
        EXPECT_TRUE(s) << s.error().detail;
        return s.value_or(std::nullopt);
    }
};

TEST_P(SupportContract, an_invitation_is_found_by_its_hash_and_accepted_once) {
    const auto owner = account("owner@example.jp");
    const auto d = declaration("once", owner);
    const auto id = invite(d, owner, "helper@example.jp", "hash-once", kBoth);
    auto found = read<std::optional<SupportInvitation>>(
        [&](Transaction& tx) { return tx.supports().find_invitation("hash-once", T0 + seconds(1)); });
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->id, id);
    EXPECT_EQ((*found)->declaration_id, d);
    EXPECT_EQ((*found)->email, "helper@example.jp");
    EXPECT_EQ((*found)->rights, kBoth);
    EXPECT_EQ((*found)->invited_by, owner);
    EXPECT_EQ((*found)->expires_at, T0 + hours(24));

    auto first = accept("hash-once", T0 + seconds(2));
    ASSERT_TRUE(first);
    EXPECT_EQ(first->id, id);
    EXPECT_FALSE(accept("hash-once", T0 + seconds(3))) << "a link works once";
    auto gone = read<std::optional<SupportInvitation>>(
        [&](Transaction& tx) { return tx.supports().find_invitation("hash-once", T0 + seconds(3)); });
    ASSERT_OK(gone);
    EXPECT_FALSE(*gone);
    auto pending = read<std::vector<SupportInvitation>>(
        [&](Transaction& tx) { return tx.supports().pending_invitations(d, T0 + seconds(3)); });
    ASSERT_OK(pending);
    EXPECT_TRUE(pending->empty());
}

TEST_P(SupportContract, an_expired_or_cancelled_invitation_is_never_accepted) {
    const auto owner = account("owner2@example.jp");
    const auto d = declaration("expiring", owner);
    invite(d, owner, "late@example.jp", "hash-late");
    const auto cancelled = invite(d, owner, "unwanted@example.jp", "hash-cancelled");
    const auto kept = invite(d, owner, "kept@example.jp", "hash-kept");

    EXPECT_FALSE(accept("hash-late", T0 + hours(24))) << "expired at expires_at";

    const auto other = declaration("other", owner);
    auto wrong = write_value<bool>(
        [&](Transaction& tx) { return tx.supports().cancel_invitation(cancelled, other, T0 + seconds(1)); });
    ASSERT_OK(wrong);
    EXPECT_FALSE(*wrong) << "an invitation is cancelled through its own declaration only";
    auto done = write_value<bool>(
        [&](Transaction& tx) { return tx.supports().cancel_invitation(cancelled, d, T0 + seconds(1)); });
    ASSERT_OK(done);
    EXPECT_TRUE(*done);
    auto again = write_value<bool>(
        [&](Transaction& tx) { return tx.supports().cancel_invitation(cancelled, d, T0 + seconds(2)); });
    ASSERT_OK(again);
    EXPECT_FALSE(*again);
    EXPECT_FALSE(accept("hash-cancelled", T0 + seconds(3)));

    auto pending = read<std::vector<SupportInvitation>>(
        [&](Transaction& tx) { return tx.supports().pending_invitations(d, T0 + seconds(3)); });
    ASSERT_OK(pending);
    ASSERT_EQ(pending->size(), 2u);  // the late one has not expired yet at this instant
    EXPECT_EQ((*pending)[1].id, kept);
    auto later = read<std::vector<SupportInvitation>>(
        [&](Transaction& tx) { return tx.supports().pending_invitations(d, T0 + hours(25)); });
    ASSERT_OK(later);
    EXPECT_TRUE(later->empty());
}

TEST_P(SupportContract, one_live_support_per_account_and_declaration_and_ending_shows_at_once_on_every_node) {
    const auto owner = account("owner3@example.jp");
    const auto helper = account("helper3@example.jp");
    const auto d = declaration("supported", owner);
    const auto first = start(d, helper, kDetails);
    // A second acceptance by the same account keeps the support and gives it the new rights.
    EXPECT_EQ(start(d, helper, kBoth), first);
    auto other = open_other_node();
    ASSERT_OK(other);
    auto s = live(**other, d, helper);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->id, first);
    EXPECT_EQ(s->email, "helper3@example.jp");
    EXPECT_EQ(s->rights, kBoth);
    EXPECT_FALSE(s->ended_at);
    EXPECT_FALSE(live(*store_, d, owner)) << "the owner is no supporter";

    auto mine = read<std::vector<Support>>([&](Transaction& tx) { return tx.supports().live_of_account(helper); });
    ASSERT_OK(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ((*mine)[0].declaration_id, d);

    auto ended = write_value<bool>([&](Transaction& tx) { return tx.supports().end(first, d, T0 + seconds(5)); });
    ASSERT_OK(ended);
    EXPECT_TRUE(*ended);
    EXPECT_FALSE(live(**other, d, helper)) << "another node sees the end at once";
    auto twice = write_value<bool>([&](Transaction& tx) { return tx.supports().end(first, d, T0 + seconds(6)); });
    ASSERT_OK(twice);
    EXPECT_FALSE(*twice);
    mine = read<std::vector<Support>>([&](Transaction& tx) { return tx.supports().live_of_account(helper); });
    ASSERT_OK(mine);
    EXPECT_TRUE(mine->empty());

    // The ended support stays in the declaration's record; a new one may start beside it.
    const auto second = start(d, helper, {});
    EXPECT_NE(second, first);
    auto all = read<std::vector<Support>>([&](Transaction& tx) { return tx.supports().of_declaration(d); });
    ASSERT_OK(all);
    ASSERT_EQ(all->size(), 2u);
    EXPECT_EQ((*all)[0].id, first);
    ASSERT_TRUE((*all)[0].ended_at);
    EXPECT_EQ(*(*all)[0].ended_at, T0 + seconds(5));
    EXPECT_EQ((*all)[1].id, second);
    EXPECT_EQ((*all)[1].rights, support::Rights());
    EXPECT_FALSE((*all)[1].ended_at);
}

TEST_P(SupportContract, a_support_is_ended_through_its_own_declaration_only) {
    const auto owner = account("owner4@example.jp");
    const auto helper = account("helper4@example.jp");
    const auto d = declaration("mine", owner);
    const auto other = declaration("theirs", owner);
    const auto s = start(d, helper, kDetails);
    auto wrong = write_value<bool>([&](Transaction& tx) { return tx.supports().end(s, other, T0); });
    ASSERT_OK(wrong);
    EXPECT_FALSE(*wrong);
    EXPECT_TRUE(live(*store_, d, helper));
}

TEST_P(SupportContract, an_application_filled_in_by_a_supporter_is_taken_once) {
    const auto owner = account("owner5@example.jp");
    const auto helper = account("helper5@example.jp");
    const auto d = declaration("applied", owner);
    const auto plain = declaration("plain", owner);
    ASSERT_OK(write([&](Transaction& tx) { return tx.supports().note_application(d, helper, T0); }));
    auto taken =
        write_value<std::optional<std::int64_t>>([&](Transaction& tx) { return tx.supports().take_application(d); });
    ASSERT_OK(taken);
    ASSERT_TRUE(*taken);
    EXPECT_EQ(**taken, helper);
    auto again =
        write_value<std::optional<std::int64_t>>([&](Transaction& tx) { return tx.supports().take_application(d); });
    ASSERT_OK(again);
    EXPECT_FALSE(*again);
    auto none = write_value<std::optional<std::int64_t>>(
        [&](Transaction& tx) { return tx.supports().take_application(plain); });
    ASSERT_OK(none);
    EXPECT_FALSE(*none);
}

INSTANTIATE_TEST_SUITE_P(Engines, SupportContract, ::testing::Values("sqlite", "postgres"), engine_name);

}  // namespace
}  // namespace sengen::testing
