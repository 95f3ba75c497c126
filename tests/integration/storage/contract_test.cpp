// The storage contract: every behaviour of the repositories in domain/ports.hpp, run against each
// engine (a real SQLite file and a real throwaway PostgreSQL 15 cluster on 127.0.0.1). A test here
// states what any adapter must do; an engine-specific test is in engine_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::seconds;

OutgoingMail mail(const std::string& to, const std::string& subject = "件名") {
    return {to, subject, "Subject: x\r\n\r\nbody for " + to + "\r\n"};
}

class StorageContract : public StorageTest {};

INSTANTIATE_TEST_SUITE_P(Engines, StorageContract, ::testing::Values("sqlite", "postgres"), engine_name);

// --- sessions ------------------------------------------------------------------------------

TEST_P(StorageContract, session_is_found_until_the_moment_it_expires) {
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.sessions().create({"h1", std::nullopt, T0, T0 + seconds(3600), ""});
    }));
    auto at = [&](TimePoint now) {
        return read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("h1", now); });
    };
    auto before = at(T0 + seconds(3599));
    ASSERT_OK(before);
    ASSERT_TRUE(before->has_value());
    EXPECT_EQ((*before)->id_hash, "h1");
    EXPECT_FALSE((*before)->account_id.has_value());
    EXPECT_EQ((*before)->created_at, T0);
    EXPECT_EQ((*before)->expires_at, T0 + seconds(3600));
    auto at_expiry = at(T0 + seconds(3600));
    ASSERT_OK(at_expiry);
    EXPECT_FALSE(at_expiry->has_value());
}

TEST_P(StorageContract, session_keeps_its_account) {
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().create({"h1", 42, T0, T0 + seconds(60), ""}); }));
    auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("h1", T0); });
    ASSERT_OK(s);
    ASSERT_TRUE(s->has_value());
    EXPECT_EQ((*s)->account_id, std::optional<std::int64_t>(42));
}

TEST_P(StorageContract, unknown_session_is_not_found) {
    auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("nope", T0); });
    ASSERT_OK(s);
    EXPECT_FALSE(s->has_value());
}

TEST_P(StorageContract, session_with_a_taken_id_is_a_conflict_and_the_first_is_kept) {
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().create({"h1", 1, T0, T0 + seconds(60), ""}); }));
    auto again = write([&](Transaction& tx) { return tx.sessions().create({"h1", 2, T0, T0 + seconds(999), ""}); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::Conflict);
    auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("h1", T0); });
    ASSERT_OK(s);
    ASSERT_TRUE(s->has_value());
    EXPECT_EQ((*s)->account_id, std::optional<std::int64_t>(1));
    EXPECT_EQ((*s)->expires_at, T0 + seconds(60));
}

TEST_P(StorageContract, extended_session_lives_until_its_new_expiry) {
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.sessions().create({"h1", std::nullopt, T0, T0 + seconds(60), ""});
    }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().extend("h1", T0 + seconds(600), T0 + seconds(30)); }));
    auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("h1", T0 + seconds(599)); });
    ASSERT_OK(s);
    ASSERT_TRUE(s->has_value());
    EXPECT_EQ((*s)->expires_at, T0 + seconds(600));
}

TEST_P(StorageContract, removed_session_is_gone) {
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.sessions().create({"h1", std::nullopt, T0, T0 + seconds(60), ""});
    }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().remove("h1"); }));
    auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("h1", T0); });
    ASSERT_OK(s);
    EXPECT_FALSE(s->has_value());
}

TEST_P(StorageContract, removing_every_session_of_an_account_leaves_the_others_and_counts_them) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (const auto& [hash, account] : std::vector<std::pair<std::string, std::optional<std::int64_t>>>{
                 {"mine1", 7}, {"mine2", 7}, {"theirs", 8}, {"anonymous", std::nullopt}})
            if (auto st = tx.sessions().create({hash, account, T0, T0 + seconds(600), ""}); !st) return st;
        return {};
    }));
    auto removed = write_value<std::size_t>([&](Transaction& tx) { return tx.sessions().remove_all_of(7); });
    ASSERT_OK(removed);
    EXPECT_EQ(*removed, 2u);
    for (const auto& [hash, present] : std::vector<std::pair<std::string, bool>>{
             {"mine1", false}, {"mine2", false}, {"theirs", true}, {"anonymous", true}}) {
        auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find(hash, T0); });
        ASSERT_OK(s);
        EXPECT_EQ(s->has_value(), present) << hash;
    }
}

TEST_P(StorageContract, an_accounts_sessions_are_listed_newest_first_with_where_they_came_from_and_when_used) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        Session older{"older", 7, T0, T0 + seconds(600), "{\"x\":1}"};
        older.client_label = "Firefox / Linux";
        older.client_network = "2001:db8:1:2::/64";
        Session newer{"newer", 7, T0 + seconds(60), T0 + seconds(600), ""};
        newer.client_label = "Safari / iPhone";
        newer.client_network = "192.0.2.7";
        for (const auto& s : {older, newer, Session{"expired", 7, T0, T0 + seconds(100), ""},
                              Session{"theirs", 8, T0, T0 + seconds(600), ""}})
            if (auto st = tx.sessions().create(s); !st) return st;
        return tx.sessions().extend("older", T0 + seconds(900), T0 + seconds(120));
    }));
    auto listed =
        read<std::vector<Session>>([&](Transaction& tx) { return tx.sessions().list_of(7, T0 + seconds(200)); });
    ASSERT_OK(listed);
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id_hash, "newer");
    EXPECT_EQ((*listed)[0].client_label, "Safari / iPhone");
    EXPECT_EQ((*listed)[0].client_network, "192.0.2.7");
    EXPECT_FALSE((*listed)[0].last_used_at.has_value());
    EXPECT_EQ((*listed)[1].id_hash, "older");
    EXPECT_EQ((*listed)[1].last_used_at, T0 + seconds(120));
    EXPECT_EQ((*listed)[1].client_network, "2001:db8:1:2::/64");
    EXPECT_TRUE((*listed)[1].data.empty());  // a list has no use for what each session keeps
}

TEST_P(StorageContract, purge_removes_only_expired_sessions_and_counts_them) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (int i = 0; i < 3; ++i)
            if (auto st = tx.sessions().create({"old" + std::to_string(i), std::nullopt, T0, T0 + seconds(10), ""});
                !st)
                return st;
        return tx.sessions().create({"live", std::nullopt, T0, T0 + seconds(100), ""});
    }));
    auto purged =
        write_value<std::size_t>([&](Transaction& tx) { return tx.sessions().purge_expired(T0 + seconds(10)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 3u);
    auto live = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find("live", T0); });
    ASSERT_OK(live);
    EXPECT_TRUE(live->has_value());
}

// --- mail outbox ---------------------------------------------------------------------------

TEST_P(StorageContract, enqueued_mail_is_pending_and_due_at_once) {
    auto id = enqueue(mail("a@example.jp", "受付確認"), T0);
    auto all = list_mail();
    ASSERT_EQ(all.size(), 1u);
    const auto& e = all[0];
    EXPECT_EQ(e.id, id);
    EXPECT_EQ(e.recipient, "a@example.jp");
    EXPECT_EQ(e.subject, "受付確認");
    EXPECT_EQ(e.message, "Subject: x\r\n\r\nbody for a@example.jp\r\n");
    EXPECT_EQ(e.state, OutboxEntry::State::Pending);
    EXPECT_EQ(e.attempts, 0);
    EXPECT_EQ(e.created_at, T0);
    EXPECT_EQ(e.next_attempt_at, T0);
    EXPECT_FALSE(e.sent_at.has_value());
    EXPECT_EQ(e.last_error, "");
}

TEST_P(StorageContract, lease_marks_due_mail_sending_and_no_other_worker_gets_it) {
    auto id = enqueue(mail("a@example.jp"), T0);
    auto first = lease(T0, seconds(60), 10, "w1");
    ASSERT_EQ(first.size(), 1u);
    EXPECT_EQ(first[0].id, id);
    EXPECT_EQ(first[0].state, OutboxEntry::State::Sending);
    EXPECT_EQ(first[0].attempts, 1);
    EXPECT_EQ(first[0].message, "Subject: x\r\n\r\nbody for a@example.jp\r\n");
    EXPECT_TRUE(lease(T0 + seconds(59), seconds(60), 10, "w2").empty());
}

TEST_P(StorageContract, expired_lease_lets_another_worker_take_the_mail) {
    auto id = enqueue(mail("a@example.jp"), T0);
    ASSERT_EQ(lease(T0, seconds(60), 10, "w1").size(), 1u);
    auto second = lease(T0 + seconds(60), seconds(60), 10, "w2");
    ASSERT_EQ(second.size(), 1u);
    EXPECT_EQ(second[0].id, id);
    EXPECT_EQ(second[0].attempts, 2);
    // The first worker lost the lease: its outcome is ignored.
    ASSERT_OK(write([&](Transaction& tx) { return tx.outbox().mark_sent(id, "w1", T0 + seconds(61)); }));
    EXPECT_EQ(mail_by_id(id).state, OutboxEntry::State::Sending);
    ASSERT_OK(write([&](Transaction& tx) { return tx.outbox().mark_sent(id, "w2", T0 + seconds(62)); }));
    EXPECT_EQ(mail_by_id(id).state, OutboxEntry::State::Sent);
}

TEST_P(StorageContract, lease_takes_at_most_the_limit_oldest_due_first) {
    auto a = enqueue(mail("a@example.jp"), T0 + seconds(2));
    auto b = enqueue(mail("b@example.jp"), T0);
    auto c = enqueue(mail("c@example.jp"), T0 + seconds(1));
    enqueue(mail("later@example.jp"), T0 + seconds(100));
    auto got = lease(T0 + seconds(10), seconds(60), 2, "w1");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].id, b);
    EXPECT_EQ(got[1].id, c);
    auto rest = lease(T0 + seconds(10), seconds(60), 10, "w1");
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].id, a);
}

// Pending mails and mails whose lease ran out (a worker that stopped half-way) are one queue,
// oldest due first, within one limit.
TEST_P(StorageContract, mails_whose_lease_ran_out_take_their_turn_among_the_pending_ones) {
    auto stalled = enqueue(mail("stalled@example.jp"), T0);
    ASSERT_EQ(lease(T0, seconds(60), 10, "gone").size(), 1u);  // leased until T0 + 60 s, never sent
    auto b = enqueue(mail("b@example.jp"), T0 + seconds(10));
    auto c = enqueue(mail("c@example.jp"), T0 + seconds(20));
    EXPECT_TRUE(lease(T0 + seconds(5), seconds(60), 10, "w1").empty());  // the lease holds; b is not due
    auto got = lease(T0 + seconds(100), seconds(60), 2, "w1");
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].id, stalled);
    EXPECT_EQ(got[0].attempts, 2);
    EXPECT_EQ(got[1].id, b);
    auto rest = lease(T0 + seconds(100), seconds(60), 10, "w1");
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0].id, c);
}

TEST_P(StorageContract, sent_mail_records_when_and_is_never_leased_again) {
    auto id = enqueue(mail("a@example.jp"), T0);
    ASSERT_EQ(lease(T0, seconds(60), 10, "w1").size(), 1u);
    ASSERT_OK(write([&](Transaction& tx) { return tx.outbox().mark_sent(id, "w1", T0 + seconds(5)); }));
    auto e = mail_by_id(id);
    EXPECT_EQ(e.state, OutboxEntry::State::Sent);
    EXPECT_EQ(e.sent_at, std::optional<TimePoint>(T0 + seconds(5)));
    EXPECT_TRUE(lease(T0 + seconds(3600), seconds(60), 10, "w1").empty());
}

TEST_P(StorageContract, retried_mail_waits_for_its_next_attempt_and_keeps_the_error) {
    auto id = enqueue(mail("a@example.jp"), T0);
    ASSERT_EQ(lease(T0, seconds(60), 10, "w1").size(), 1u);
    ASSERT_OK(
        write([&](Transaction& tx) { return tx.outbox().mark_retry(id, "w1", T0 + seconds(300), "421 try later"); }));
    auto e = mail_by_id(id);
    EXPECT_EQ(e.state, OutboxEntry::State::Pending);
    EXPECT_EQ(e.next_attempt_at, T0 + seconds(300));
    EXPECT_EQ(e.last_error, "421 try later");
    EXPECT_TRUE(lease(T0 + seconds(299), seconds(60), 10, "w1").empty());
    auto again = lease(T0 + seconds(300), seconds(60), 10, "w2");
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 2);
}

TEST_P(StorageContract, failed_mail_stays_failed_until_an_operator_retries_it) {
    auto id = enqueue(mail("a@example.jp"), T0);
    ASSERT_EQ(lease(T0, seconds(60), 10, "w1").size(), 1u);
    ASSERT_OK(write([&](Transaction& tx) { return tx.outbox().mark_failed(id, "w1", "550 no such user"); }));
    auto e = mail_by_id(id);
    EXPECT_EQ(e.state, OutboxEntry::State::Failed);
    EXPECT_EQ(e.last_error, "550 no such user");
    EXPECT_TRUE(lease(T0 + seconds(86400), seconds(60), 10, "w1").empty());

    ASSERT_OK(write([&](Transaction& tx) { return tx.outbox().retry(id, T0 + seconds(500)); }));
    e = mail_by_id(id);
    EXPECT_EQ(e.state, OutboxEntry::State::Pending);
    EXPECT_EQ(e.attempts, 0);
    EXPECT_EQ(e.next_attempt_at, T0 + seconds(500));
    auto again = lease(T0 + seconds(500), seconds(60), 10, "w2");
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 1);
}

TEST_P(StorageContract, operator_retry_of_a_mail_that_has_not_failed_is_not_found) {
    auto id = enqueue(mail("a@example.jp"), T0);
    auto pending = write([&](Transaction& tx) { return tx.outbox().retry(id, T0); });
    ASSERT_FALSE(pending);
    EXPECT_EQ(pending.error().kind, Error::Kind::NotFound);
    auto missing = write([&](Transaction& tx) { return tx.outbox().retry(id + 1000, T0); });
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, Error::Kind::NotFound);
}

TEST_P(StorageContract, mail_list_is_newest_first_filtered_by_state_and_limited) {
    auto a = enqueue(mail("a@example.jp"), T0);
    auto b = enqueue(mail("b@example.jp"), T0);
    auto c = enqueue(mail("c@example.jp"), T0);
    ASSERT_EQ(lease(T0, seconds(60), 1, "w1").size(), 1u);  // a
    ASSERT_OK(write([&](Transaction& tx) { return tx.outbox().mark_failed(a, "w1", "550"); }));

    auto all = list_mail();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0].id, c);
    EXPECT_EQ(all[1].id, b);
    EXPECT_EQ(all[2].id, a);
    auto pending = list_mail(OutboxEntry::State::Pending);
    ASSERT_EQ(pending.size(), 2u);
    EXPECT_EQ(pending[0].id, c);
    auto failed = list_mail(OutboxEntry::State::Failed);
    ASSERT_EQ(failed.size(), 1u);
    EXPECT_EQ(failed[0].id, a);
    EXPECT_TRUE(list_mail(OutboxEntry::State::Sent).empty());
    auto one = list_mail(std::nullopt, 1);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_EQ(one[0].id, c);
}

TEST_P(StorageContract, concurrent_workers_on_two_nodes_never_lease_one_mail_twice) {
    constexpr int kMails = 120;
    for (int i = 0; i < kMails; ++i) enqueue(mail("m" + std::to_string(i) + "@example.jp"), T0);
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kWorkers = 6;
    std::vector<std::vector<std::int64_t>> leased(kWorkers);
    std::vector<std::string> problems(kWorkers);
    std::vector<std::thread> threads;
    for (int w = 0; w < kWorkers; ++w) {
        threads.emplace_back([&, w] {
            Store& node = w % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            const std::string worker = "worker-" + std::to_string(w);
            for (;;) {
                auto got = node.query<std::vector<OutboxEntry>>(
                    TxMode::Write, [&](Transaction& tx) { return tx.outbox().lease_due(T0, seconds(600), 3, worker); });
                if (!got) {
                    problems[w] = got.error().code + ": " + got.error().detail;
                    return;
                }
                if (got->empty()) return;
                for (const auto& e : *got) leased[w].push_back(e.id);
            }
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& p : problems) EXPECT_EQ(p, "");
    std::vector<std::int64_t> all;
    for (const auto& l : leased) all.insert(all.end(), l.begin(), l.end());
    // A worker may stop early when the rest are locked by others; the remainder is still due.
    auto rest = lease(T0, seconds(600), kMails, "sweeper");
    for (const auto& e : rest) all.push_back(e.id);
    std::set<std::int64_t> unique(all.begin(), all.end());
    EXPECT_EQ(unique.size(), all.size()) << "a mail was leased to two workers";
    EXPECT_EQ(unique.size(), static_cast<std::size_t>(kMails));
    int busy_workers = 0;
    for (const auto& l : leased) busy_workers += l.empty() ? 0 : 1;
    EXPECT_GE(busy_workers, 1);
}

// --- audit -----------------------------------------------------------------------------------

// The log is append-only on both engines (migration 0032): UPDATE, DELETE and (PostgreSQL)
// TRUNCATE fail even for the owner of the table, and the failed statement changes nothing.
TEST_P(StorageContract, audit_events_cannot_be_updated_or_deleted) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        auto r = tx.audit().record({0, T0, "operator:3", "declaration.revoke", "declaration:7", "192.0.2.1", "{}"});
        if (!r) return fail(r.error());
        return {};
    }));
    std::vector<std::string> attempts = {"UPDATE audit_events SET actor = 'someone else'", "DELETE FROM audit_events",
                                         "DELETE FROM audit_events WHERE action = 'declaration.revoke'"};
    if (postgres()) attempts.push_back("TRUNCATE audit_events");
    int version = 9100;
    for (const auto& sql : attempts) {
        const std::string name = std::to_string(version) + "_rewrite_audit.sql";
        auto r = store_->apply_migrations({storage::Migration{version++, name, sql}});
        ASSERT_FALSE(r) << sql << " succeeded";
        EXPECT_EQ(r.error().code, "storage.migration_failed") << sql;
        EXPECT_NE(r.error().detail.find("append-only"), std::string::npos) << r.error().detail;
    }
    auto events = audit_of("declaration:7");
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].actor, "operator:3");
}

TEST_P(StorageContract, audit_events_between_two_instants_come_in_id_order_page_by_page) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (int i = 0; i < 5; ++i)
            if (auto r = tx.audit().record({0, T0 + seconds(i * 10), "system", "a" + std::to_string(i), "", "", "{}"});
                !r)
                return fail(r.error());
        return {};
    }));
    // [T0+10, T0+40): a1, a2, a3; two per page.
    auto page = read<std::vector<AuditEvent>>(
        [&](Transaction& tx) { return tx.audit().between(T0 + seconds(10), T0 + seconds(40), 0, 2); });
    ASSERT_OK(page);
    ASSERT_EQ(page->size(), 2u);
    EXPECT_EQ((*page)[0].action, "a1");
    EXPECT_EQ((*page)[1].action, "a2");
    auto next = read<std::vector<AuditEvent>>(
        [&](Transaction& tx) { return tx.audit().between(T0 + seconds(10), T0 + seconds(40), (*page)[1].id, 2); });
    ASSERT_OK(next);
    ASSERT_EQ(next->size(), 1u);
    EXPECT_EQ((*next)[0].action, "a3");
}

TEST_P(StorageContract, audit_events_of_a_subject_come_oldest_first_with_every_field) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (int i = 0; i < 3; ++i) {
            AuditEvent e{0,
                         T0 + seconds(i),
                         "operator:3",
                         "declaration.step" + std::to_string(i),
                         "declaration:10000000018",
                         "192.0.2.1",
                         R"({"n":)" + std::to_string(i) + "}"};
            if (auto r = tx.audit().record(e); !r) return fail(r.error());
        }
        auto other = tx.audit().record({0, T0, "system", "declaration.issued", "declaration:2", "", ""});
        if (!other) return fail(other.error());
        return {};
    }));
    auto events = read<std::vector<AuditEvent>>(
        [&](Transaction& tx) { return tx.audit().for_subject("declaration:10000000018", 10); });
    ASSERT_OK(events);
    ASSERT_EQ(events->size(), 3u);
    for (int i = 0; i < 3; ++i) {
        const auto& e = (*events)[static_cast<std::size_t>(i)];
        EXPECT_EQ(e.at, T0 + seconds(i));
        EXPECT_EQ(e.actor, "operator:3");
        EXPECT_EQ(e.action, "declaration.step" + std::to_string(i));
        EXPECT_EQ(e.subject, "declaration:10000000018");
        EXPECT_EQ(e.ip, "192.0.2.1");
        EXPECT_EQ(e.details, R"({"n":)" + std::to_string(i) + "}");
        if (i > 0) {
            EXPECT_GT(e.id, (*events)[static_cast<std::size_t>(i - 1)].id);
        }
    }
    auto limited = read<std::vector<AuditEvent>>(
        [&](Transaction& tx) { return tx.audit().for_subject("declaration:10000000018", 2); });
    ASSERT_OK(limited);
    ASSERT_EQ(limited->size(), 2u);
    EXPECT_EQ((*limited)[0].action, "declaration.step0");
    auto other =
        read<std::vector<AuditEvent>>([&](Transaction& tx) { return tx.audit().for_subject("declaration:2", 10); });
    ASSERT_OK(other);
    ASSERT_EQ(other->size(), 1u);
    EXPECT_EQ((*other)[0].details, "{}");
}

// --- rate limits -----------------------------------------------------------------------------

TEST_P(StorageContract, rate_limit_hits_in_one_window_count_up) {
    for (std::int64_t n = 1; n <= 3; ++n) {
        auto c = hit("signin:192.0.2.1", T0, T0 + seconds(60));
        EXPECT_EQ(c, n);
    }
}

TEST_P(StorageContract, rate_limit_windows_and_keys_are_counted_apart) {
    EXPECT_EQ(hit("k1", T0, T0 + seconds(60)), 1);
    EXPECT_EQ(hit("k1", T0, T0 + seconds(60)), 2);
    EXPECT_EQ(hit("k1", T0 + seconds(60), T0 + seconds(120)), 1);
    EXPECT_EQ(hit("k2", T0, T0 + seconds(60)), 1);
    EXPECT_EQ(hit("k1", T0, T0 + seconds(60)), 3);
}

TEST_P(StorageContract, a_rate_limit_window_is_read_without_counting) {
    hit("k1", T0, T0 + seconds(120));
    hit("k1", T0, T0 + seconds(120));
    hit("k2", T0, T0 + seconds(120));
    auto read = [&](const std::string& key, TimePoint start) {
        auto c = write_value<std::int64_t>([&](Transaction& tx) { return tx.rate_limits().count(key, start); });
        EXPECT_TRUE(c);
        return c ? *c : -1;
    };
    EXPECT_EQ(read("k1", T0), 2);
    EXPECT_EQ(read("k1", T0), 2);  // reading adds nothing
    EXPECT_EQ(read("k2", T0), 1);
    EXPECT_EQ(read("k1", T0 + seconds(60)), 0);  // a window with no hits
    EXPECT_EQ(read("k3", T0), 0);                // a key never hit
}

TEST_P(StorageContract, purge_drops_only_expired_windows) {
    hit("k1", T0, T0 + seconds(60));
    hit("k2", T0, T0 + seconds(60));
    hit("k1", T0 + seconds(60), T0 + seconds(120));
    auto purged =
        write_value<std::size_t>([&](Transaction& tx) { return tx.rate_limits().purge_windows(T0 + seconds(60)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 2u);
    EXPECT_EQ(hit("k1", T0 + seconds(60), T0 + seconds(120)), 2);  // the live window survived
    EXPECT_EQ(hit("k1", T0, T0 + seconds(60)), 1);                 // the expired one was dropped
}

TEST_P(StorageContract, concurrent_hits_from_two_nodes_are_all_counted) {
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kThreads = 4, kHits = 25;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            for (int i = 0; i < kHits; ++i) {
                auto r = node.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) {
                    return tx.rate_limits().hit("burst", T0, T0 + seconds(60));
                });
                if (!r) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(hit("burst", T0, T0 + seconds(60)), kThreads * kHits + 1);
}

// --- transactions ----------------------------------------------------------------------------

TEST_P(StorageContract, error_returned_by_the_work_rolls_back_every_write) {
    auto st = write([&](Transaction& tx) -> Status {
        if (auto r = tx.outbox().enqueue(mail("a@example.jp"), T0); !r) return fail(r.error());
        if (auto r = tx.audit().record({0, T0, "system", "mail.queued", "s", "", ""}); !r) return fail(r.error());
        return fail(Error::invalid({{"field", "bad"}}, "test.refused"));
    });
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "test.refused");
    EXPECT_TRUE(list_mail().empty());
    EXPECT_TRUE(audit_of("s").empty());
}

TEST_P(StorageContract, exception_thrown_by_the_work_rolls_back_and_is_unavailable) {
    auto st = write([&](Transaction& tx) -> Status {
        if (auto r = tx.outbox().enqueue(mail("a@example.jp"), T0); !r) return fail(r.error());
        if (auto r = tx.audit().record({0, T0, "system", "mail.queued", "s", "", ""}); !r) return fail(r.error());
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Unavailable);
    EXPECT_TRUE(list_mail().empty());
    EXPECT_TRUE(audit_of("s").empty());
}

TEST_P(StorageContract, a_queued_mail_keeps_its_kind_for_the_listing) {
    auto m = mail("kind@example.jp");
    m.kind = "mail.revoked";
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        if (auto r = tx.outbox().enqueue(m, T0); !r) return fail(r.error());
        return {};
    }));
    auto listed = read<std::vector<OutboxEntry>>([](Transaction& tx) { return tx.outbox().list(std::nullopt, 10); });
    ASSERT_OK(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].kind, "mail.revoked");
}

TEST_P(StorageContract, commit_makes_both_writes_visible_to_another_node) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        if (auto r = tx.outbox().enqueue(mail("a@example.jp"), T0); !r) return fail(r.error());
        if (auto r = tx.audit().record({0, T0, "system", "mail.queued", "s", "", ""}); !r) return fail(r.error());
        return {};
    }));
    auto other = open_other_node();
    ASSERT_TRUE(other);
    auto mails = (*other)->query<std::vector<OutboxEntry>>(
        TxMode::Read, [](Transaction& tx) { return tx.outbox().list(std::nullopt, 10); });
    ASSERT_OK(mails);
    EXPECT_EQ(mails->size(), 1u);
    auto events = (*other)->query<std::vector<AuditEvent>>(
        TxMode::Read, [](Transaction& tx) { return tx.audit().for_subject("s", 10); });
    ASSERT_OK(events);
    EXPECT_EQ(events->size(), 1u);
}

TEST_P(StorageContract, writes_are_invisible_to_other_transactions_until_commit) {
    auto other = open_other_node();
    ASSERT_TRUE(other);
    std::optional<std::size_t> seen_inside;
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        if (auto r = tx.outbox().enqueue(mail("a@example.jp"), T0); !r) return fail(r.error());
        auto seen = (*other)->query<std::vector<OutboxEntry>>(
            TxMode::Read, [](Transaction& otx) { return otx.outbox().list(std::nullopt, 10); });
        if (!seen) return fail(seen.error());
        seen_inside = seen->size();
        return {};
    }));
    EXPECT_EQ(seen_inside, std::optional<std::size_t>(0));
    EXPECT_EQ(list_mail().size(), 1u);
}

// --- migrations ------------------------------------------------------------------------------

TEST_P(StorageContract, migrations_apply_every_embedded_file_once_then_nothing) {
    std::vector<std::string> expected;
    for (const auto& m : storage::migrations_for(migration_set())) expected.push_back(m.name);
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(first_migration_run_, expected);
    auto again = store_->migrate();
    ASSERT_OK(again);
    EXPECT_TRUE(again->empty());
}

TEST_P(StorageContract, broken_migration_rolls_back_names_its_file_and_stops_the_run) {
    const std::vector<storage::Migration> broken = {
        {9001, "9001_good.sql", "CREATE TABLE t_good (x INTEGER);"},
        {9002, "9002_broken.sql", "CREATE TABLE t_partial (x INTEGER); CREATE TABLE t_bad (x NO_SUCH_TYPE ("},
        {9003, "9003_after.sql", "CREATE TABLE t_after (x INTEGER);"},
    };
    auto failed = store_->apply_migrations(broken);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "storage.migration_failed");
    EXPECT_EQ(failed.error().detail.rfind("9002_broken.sql: ", 0), 0u) << failed.error().detail;

    // 9001 stays applied; 9002 left nothing behind (t_partial can be created again); 9003 never ran.
    const std::vector<storage::Migration> fixed = {
        {9001, "9001_good.sql", "CREATE TABLE t_good (x INTEGER);"},
        {9002, "9002_fixed.sql", "CREATE TABLE t_partial (x INTEGER);"},
        {9003, "9003_after.sql", "CREATE TABLE t_after (x INTEGER);"},
    };
    auto applied = store_->apply_migrations(fixed);
    ASSERT_OK(applied);
    EXPECT_EQ(*applied, (std::vector<std::string>{"9002_fixed.sql", "9003_after.sql"}));
}

TEST_P(StorageContract, two_nodes_migrating_at_once_apply_each_migration_exactly_once) {
    auto target = fresh_target();
    ASSERT_TRUE(target);
    auto a = open(*target);
    auto b = open(*target);
    ASSERT_TRUE(a && b);
    Result<std::vector<std::string>> ra, rb;
    std::thread ta([&] { ra = (*a)->migrate(); });
    std::thread tb([&] { rb = (*b)->migrate(); });
    ta.join();
    tb.join();
    ASSERT_OK(ra);
    ASSERT_OK(rb);
    std::vector<std::string> all = *ra;
    all.insert(all.end(), rb->begin(), rb->end());
    std::sort(all.begin(), all.end());
    std::vector<std::string> expected;
    for (const auto& m : storage::migrations_for(migration_set())) expected.push_back(m.name);
    EXPECT_EQ(all, expected);
}

}  // namespace
}  // namespace sengen::testing
