// The mail outbox (table mail_outbox): SQL and row mapping. The one statement whose text differs
// between the engines is the selection of due mails: PostgreSQL locks the rows it leases.
#include <array>

#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

// Read by read_mail, in this order.
#define SENGEN_MAIL_COLUMNS \
    "id, recipient, subject, message, state, attempts, created_at, next_attempt_at, sent_at, last_error, kind"

constexpr Statement kEnqueue{"enqueue_mail",
                             "INSERT INTO mail_outbox (recipient, subject, message, created_at, next_attempt_at, kind) "
                             "VALUES ($1, $2, $3, $4, $4, $5) RETURNING id"};
// The due mails, oldest due first: pending and due, or being sent by a worker whose lease ran out.
// SQLite serialises writers with BEGIN IMMEDIATE, so no row lock is needed. Each kind of due mail
// is taken by itself, oldest first and at most $2 of it, and the two are then merged. Asked as
// one OR, SQLite gathered every due row from the index, read each one and sorted them all before
// it applied the limit, so a worker that fell behind paid for its whole backlog at every poll:
// under a flood of applications that was most of the database's time. The pending mails come
// straight off mail_outbox_due in order; the mails whose lease ran out are the few being sent.
constexpr Statement kSelectDue{
    "select_due_mail",
    "SELECT id FROM ("
    "SELECT * FROM (SELECT id, next_attempt_at FROM mail_outbox WHERE state = 'pending' AND next_attempt_at <= $1 "
    "ORDER BY next_attempt_at, id LIMIT $2) "
    "UNION ALL "
    "SELECT * FROM (SELECT id, next_attempt_at FROM mail_outbox WHERE state = 'sending' AND lease_until <= $1 "
    "ORDER BY next_attempt_at, id LIMIT $2)"
    ") ORDER BY next_attempt_at, id LIMIT $2"};
// PostgreSQL locks the due rows for this transaction; rows another transaction holds (being leased
// by another worker or node right now) are skipped rather than waited for or leased twice. The
// lock cannot follow a UNION, so the two kinds are asked as one OR here (tried as SQLite asks them,
// with the rows locked by id: no faster in bench/applications.sh, and a worker polling while
// another held the first due mails got fewer).
constexpr Statement kSelectDueLocked{"select_due_mail_locked",
                                     "SELECT id FROM mail_outbox WHERE (state = 'pending' AND next_attempt_at <= $1) "
                                     "OR (state = 'sending' AND lease_until <= $1) ORDER BY next_attempt_at, id "
                                     "LIMIT $2 FOR UPDATE SKIP LOCKED"};
constexpr Statement kLease{"lease_mail",
                           "UPDATE mail_outbox SET state = 'sending', lease_until = $2, worker = $3, "
                           "attempts = attempts + 1 WHERE id = $1 RETURNING " SENGEN_MAIL_COLUMNS};
constexpr Statement kSent{"mail_sent",
                          "UPDATE mail_outbox SET state = 'sent', sent_at = $3, lease_until = NULL, last_error = '' "
                          "WHERE id = $1 AND worker = $2 AND state = 'sending'"};
constexpr Statement kRetryLater{"mail_retry",
                                "UPDATE mail_outbox SET state = 'pending', next_attempt_at = $3, lease_until = NULL, "
                                "last_error = $4 WHERE id = $1 AND worker = $2 AND state = 'sending'"};
constexpr Statement kFailed{"mail_failed",
                            "UPDATE mail_outbox SET state = 'failed', lease_until = NULL, last_error = $3 "
                            "WHERE id = $1 AND worker = $2 AND state = 'sending'"};
constexpr Statement kList{"list_mail", "SELECT " SENGEN_MAIL_COLUMNS
                                       " FROM mail_outbox WHERE ($1 = '' OR state = $1) ORDER BY id DESC LIMIT $2"};
constexpr Statement kRetryFailed{"retry_mail",
                                 "UPDATE mail_outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, "
                                 "worker = NULL WHERE id = $1 AND state = 'failed'"};

constexpr std::array kStates{OutboxEntry::State::Pending, OutboxEntry::State::Sending, OutboxEntry::State::Sent,
                             OutboxEntry::State::Failed};

Result<OutboxEntry> read_mail(const Row& r) {
    OutboxEntry e;
    e.id = r.int64(0);
    e.recipient = r.string(1);
    e.subject = r.string(2);
    e.message = r.string(3);
    const auto state = r.text(4);
    const auto* known = std::find_if(kStates.begin(), kStates.end(), [&](auto s) { return to_string(s) == state; });
    if (known == kStates.end())
        return fail(corrupt("mail " + std::to_string(e.id) + ": unknown state '" + std::string(state) + "'"));
    e.state = *known;
    e.attempts = r.integer(5);
    e.created_at = r.time(6);
    e.next_attempt_at = r.time(7);
    e.sent_at = r.optional_time(8);
    e.last_error = r.string(9);
    e.kind = r.string(10);
    return e;
}

}  // namespace

Result<std::int64_t> SqlOutbox::enqueue(const OutgoingMail& m, TimePoint now) {
    auto id = first_int64(c_, kEnqueue, {m.recipient, m.subject, m.message, now, m.kind});
    if (!id) return fail(id.error());
    return id->value_or(0);
}

Result<std::vector<OutboxEntry>> SqlOutbox::lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                                      const std::string& worker) {
    const auto& select = c_.dialect() == Dialect::Postgres ? kSelectDueLocked : kSelectDue;
    auto ids = all(c_, select, {now, limit}, [](const Row& r) { return r.int64(0); });
    if (!ids) return fail(ids.error());
    std::vector<OutboxEntry> out;
    for (auto id : *ids) {
        auto leased = first(c_, kLease, {id, now + lease, worker}, read_mail);
        if (!leased) return fail(leased.error());
        if (*leased) out.push_back(std::move(**leased));
    }
    return out;
}

Status SqlOutbox::mark_sent(std::int64_t id, const std::string& worker, TimePoint now) {
    return perform(c_, kSent, {id, worker, now});
}

Status SqlOutbox::mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                             const std::string& error) {
    return perform(c_, kRetryLater, {id, worker, next_attempt_at, error});
}

Status SqlOutbox::mark_failed(std::int64_t id, const std::string& worker, const std::string& error) {
    return perform(c_, kFailed, {id, worker, error});
}

Result<std::vector<OutboxEntry>> SqlOutbox::list(std::optional<OutboxEntry::State> state, std::size_t limit) {
    return all(c_, kList, {state ? to_string(*state) : std::string_view(), limit}, read_mail);
}

Status SqlOutbox::retry(std::int64_t id, TimePoint now) {
    auto changed = execute(c_, kRetryFailed, {id, now});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("mail.not_failed", "no failed mail " + std::to_string(id)));
    return {};
}

}  // namespace sengen::storage
