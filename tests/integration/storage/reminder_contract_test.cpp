// The storage contract of subsidy reminders (SubsidyReminderRepository, issue 13 point 5, ADR 41),
// on a real SQLite file and a real throwaway PostgreSQL cluster: subscriptions, the one reminder per
// subscription and round whichever node claims it (with the mail queued in the same transaction),
// and ending a subscription by its link.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::seconds;

class ReminderContract : public StorageTest {
protected:
    // A declaration held by a fresh account, as My Page shows it.
    std::int64_t declaration(const std::string& name) {
        auto account = write_value<Account>(
            [&](Transaction& tx) { return tx.accounts().find_or_create(name + "@example.jp", Lang::Ja, T0); });
        EXPECT_TRUE(account);
        Declaration d;
        d.state = {lifecycle::Status::Declared, 1};
        d.details.business_name = name;
        d.details.contact_email = name + "@example.jp";
        d.details.lang = Lang::Ja;
        d.account_id = account ? account->id : 0;
        d.terms_version = "2026-1";
        d.terms_agreed_at = T0;
        d.created_at = T0;
        d.confirm_token_hash = "confirm-" + name;
        d.confirm_expires_at = T0 + seconds(60);
        auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().create(d); });
        EXPECT_TRUE(id) << id.error().detail;
        accounts_[id.value_or(0)] = d.account_id.value_or(0);
        return id.value_or(0);
    }

    std::int64_t subscribe(std::int64_t declaration, const std::string& programme) {
        auto id = write_value<std::int64_t>([&](Transaction& tx) {
            return tx.subsidy_reminders().subscribe(declaration, accounts_[declaration], programme, T0);
        });
        EXPECT_TRUE(id) << id.error().detail;
        return id.value_or(0);
    }

    std::vector<SubsidySubscription> awaiting(Store& store, const std::string& programme, const std::string& round) {
        auto list = store.query<std::vector<SubsidySubscription>>(
            TxMode::Read, [&](Transaction& tx) { return tx.subsidy_reminders().awaiting(programme, round, 0, 100); });
        EXPECT_TRUE(list) << list.error().detail;
        return list.value_or(std::vector<SubsidySubscription>{});
    }

    // What send_one does: claims the reminder and, if this transaction got it, queues its mail.
    Result<bool> claim_and_queue(Store& store, std::int64_t subscription, const std::string& round,
                                 const std::string& token_hash) {
        return store.query<bool>(TxMode::Write, [&](Transaction& tx) -> Result<bool> {
            auto mine = tx.subsidy_reminders().claim(subscription, round, ReminderOutcome::Queued, token_hash, T0);
            if (!mine || !*mine) return mine;
            auto queued = tx.outbox().enqueue({"a@example.jp", "reminder", "message", "mail.round_reminder"}, T0);
            if (!queued) return fail(queued.error());
            return true;
        });
    }

    std::map<std::int64_t, std::int64_t> accounts_;  // declaration -> its account
};

TEST_P(ReminderContract, subscribing_twice_is_one_subscription) {
    const auto d = declaration("twice");
    const auto first = subscribe(d, "it-donyu");
    EXPECT_EQ(subscribe(d, "it-donyu"), first);
    subscribe(d, "akita-digital");
    auto slugs =
        read<std::vector<std::string>>([&](Transaction& tx) { return tx.subsidy_reminders().programmes_of(d); });
    ASSERT_OK(slugs);
    EXPECT_EQ(*slugs, (std::vector<std::string>{"akita-digital", "it-donyu"}));
}

TEST_P(ReminderContract, awaiting_lists_the_programmes_subscriptions_without_a_reminder_for_the_round) {
    const auto a = subscribe(declaration("a"), "p");
    const auto b = subscribe(declaration("b"), "p");
    subscribe(declaration("c"), "other");
    auto list = awaiting(*store_, "p", "round:1");
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, a);
    EXPECT_EQ(list[1].id, b);
    EXPECT_EQ(list[0].programme, "p");
    auto mine = claim_and_queue(*store_, a, "round:1", "hash-a");
    ASSERT_OK(mine);
    EXPECT_TRUE(*mine);
    list = awaiting(*store_, "p", "round:1");
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].id, b);
    // Another round of the same programme is another reminder.
    EXPECT_EQ(awaiting(*store_, "p", "round:2").size(), 2u);
    auto after = read<std::vector<SubsidySubscription>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().awaiting("p", "round:2", a, 100); });
    ASSERT_OK(after);
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ((*after)[0].id, b);
}

TEST_P(ReminderContract, a_second_node_never_claims_a_reminder_the_first_has_claimed) {
    const auto s = subscribe(declaration("once"), "p");
    auto other = open_other_node();
    ASSERT_OK(other);
    auto first = claim_and_queue(*store_, s, "round:1", "hash-1");
    ASSERT_OK(first);
    EXPECT_TRUE(*first);
    auto second = claim_and_queue(**other, s, "round:1", "hash-2");
    ASSERT_OK(second);
    EXPECT_FALSE(*second);
    EXPECT_TRUE(awaiting(**other, "p", "round:1").empty());
    EXPECT_EQ(list_mail().size(), 1u);
    auto outcome = read<std::optional<ReminderOutcome>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().outcome(s, "round:1"); });
    ASSERT_OK(outcome);
    EXPECT_EQ(*outcome, ReminderOutcome::Queued);
}

TEST_P(ReminderContract, two_nodes_claiming_at_once_queue_each_reminder_exactly_once) {
    std::vector<std::int64_t> subs;
    for (int i = 0; i < 12; ++i) subs.push_back(subscribe(declaration("n" + std::to_string(i)), "p"));
    auto other = open_other_node();
    ASSERT_OK(other);
    std::atomic<int> claimed{0}, errors{0};
    auto node = [&](Store& store, const std::string& name) {
        for (const auto s : subs) {
            auto mine = claim_and_queue(store, s, "year:2026", name + std::to_string(s));
            if (!mine)
                ++errors;
            else if (*mine)
                ++claimed;
        }
    };
    std::thread a(node, std::ref(*store_), "a");
    std::thread b(node, std::ref(**other), "b");
    a.join();
    b.join();
    EXPECT_EQ(errors.load(), 0);
    EXPECT_EQ(claimed.load(), 12);
    EXPECT_EQ(list_mail().size(), 12u);
    EXPECT_TRUE(awaiting(*store_, "p", "year:2026").empty());
}

TEST_P(ReminderContract, a_claim_rolled_back_leaves_the_reminder_to_claim_again) {
    const auto s = subscribe(declaration("rollback"), "p");
    auto st = write([&](Transaction& tx) -> Status {
        auto mine = tx.subsidy_reminders().claim(s, "round:1", ReminderOutcome::Queued, "h", T0);
        if (!mine) return fail(mine.error());
        EXPECT_TRUE(*mine);
        return fail(Error::unavailable("test.mail_failed"));
    });
    EXPECT_FALSE(st);
    EXPECT_EQ(awaiting(*store_, "p", "round:1").size(), 1u);
    auto again = claim_and_queue(*store_, s, "round:1", "h");
    ASSERT_OK(again);
    EXPECT_TRUE(*again);
}

TEST_P(ReminderContract, the_link_of_a_reminder_ends_its_subscription_once) {
    const auto d = declaration("link");
    const auto s = subscribe(d, "p");
    ASSERT_OK(claim_and_queue(*store_, s, "round:1", "link-hash"));
    auto found = read<std::optional<SubsidySubscription>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().find_by_token("link-hash"); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->declaration_id, d);
    EXPECT_EQ((*found)->programme, "p");

    auto other = open_other_node();
    ASSERT_OK(other);
    auto ended = (*other)->query<std::optional<SubsidySubscription>>(
        TxMode::Write, [&](Transaction& tx) { return tx.subsidy_reminders().unsubscribe_by_token("link-hash"); });
    ASSERT_OK(ended);
    ASSERT_TRUE(ended->has_value());
    EXPECT_EQ((*ended)->id, s);
    auto again = write_value<std::optional<SubsidySubscription>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().unsubscribe_by_token("link-hash"); });
    ASSERT_OK(again);
    EXPECT_FALSE(again->has_value());
    auto gone = read<std::optional<SubsidySubscription>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().find_by_token("link-hash"); });
    ASSERT_OK(gone);
    EXPECT_FALSE(gone->has_value());
    auto slugs =
        read<std::vector<std::string>>([&](Transaction& tx) { return tx.subsidy_reminders().programmes_of(d); });
    ASSERT_OK(slugs);
    EXPECT_TRUE(slugs->empty());
    // An ended subscription gets no reminder, even from a node that listed it before it ended.
    auto late = claim_and_queue(*store_, s, "round:2", "late");
    ASSERT_OK(late);
    EXPECT_FALSE(*late);
    // Subscribing again starts afresh.
    const auto renewed = subscribe(d, "p");
    EXPECT_NE(renewed, s);
    EXPECT_EQ(awaiting(*store_, "p", "round:1").size(), 1u);
}

TEST_P(ReminderContract, unsubscribing_a_declaration_says_whether_it_was_subscribed) {
    const auto d = declaration("plain");
    subscribe(d, "p");
    auto first = write_value<bool>([&](Transaction& tx) { return tx.subsidy_reminders().unsubscribe(d, "p"); });
    ASSERT_OK(first);
    EXPECT_TRUE(*first);
    auto second = write_value<bool>([&](Transaction& tx) { return tx.subsidy_reminders().unsubscribe(d, "p"); });
    ASSERT_OK(second);
    EXPECT_FALSE(*second);
    EXPECT_TRUE(awaiting(*store_, "p", "round:1").empty());
}

TEST_P(ReminderContract, a_round_open_when_subscribing_is_recorded_without_a_token) {
    const auto s = subscribe(declaration("known"), "p");
    auto mine = write_value<bool>([&](Transaction& tx) {
        return tx.subsidy_reminders().claim(s, "round:1", ReminderOutcome::OpenWhenSubscribed, "", T0);
    });
    ASSERT_OK(mine);
    EXPECT_TRUE(*mine);
    EXPECT_TRUE(awaiting(*store_, "p", "round:1").empty());
    auto outcome = read<std::optional<ReminderOutcome>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().outcome(s, "round:1"); });
    ASSERT_OK(outcome);
    EXPECT_EQ(*outcome, ReminderOutcome::OpenWhenSubscribed);
    auto none = read<std::optional<ReminderOutcome>>(
        [&](Transaction& tx) { return tx.subsidy_reminders().outcome(s, "round:2"); });
    ASSERT_OK(none);
    EXPECT_FALSE(none->has_value());
}

}  // namespace

INSTANTIATE_TEST_SUITE_P(Engines, ReminderContract, ::testing::Values("sqlite", "postgres"), engine_name);

}  // namespace sengen::testing
