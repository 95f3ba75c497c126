// Ports: what the core needs from the outside world. Adapters in storage/ and mail/ implement
// them; only main chooses which.
//
// Storage works in transactions: `Store::transact` runs a function with a Transaction whose
// repositories all share one database transaction, so a change and the mail or audit event it
// causes commit together or not at all.
#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/assessment/answer.hpp"
#include "domain/error.hpp"
#include "domain/session.hpp"

namespace sengen {

class SessionRepository {
public:
    virtual ~SessionRepository() = default;
    virtual Status create(const Session& s) = 0;
    // The live session with this hash, or nullopt when absent or expired at `now`.
    virtual Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) = 0;
    virtual Status extend(const std::string& id_hash, TimePoint expires_at) = 0;
    virtual Status remove(const std::string& id_hash) = 0;
    virtual Result<std::size_t> purge_expired(TimePoint now) = 0;
};

// A mail waiting to be sent: the complete RFC 5322 message, built when it was queued.
struct OutgoingMail {
    std::string recipient;  // envelope recipient (one address)
    std::string subject;    // for operators' listings (decoded text)
    std::string message;    // headers and body, CRLF line ends
};

struct OutboxEntry {
    enum class State { Pending, Sending, Sent, Failed };
    std::int64_t id = 0;
    std::string recipient;
    std::string subject;
    std::string message;
    State state = State::Pending;
    int attempts = 0;
    TimePoint created_at;
    TimePoint next_attempt_at;
    std::optional<TimePoint> sent_at;
    std::string last_error;
};

std::string_view to_string(OutboxEntry::State s);

class OutboxRepository {
public:
    virtual ~OutboxRepository() = default;
    virtual Result<std::int64_t> enqueue(const OutgoingMail& m, TimePoint now) = 0;
    // Takes up to `limit` mails that are due (pending with next_attempt_at <= now, or sending
    // with an expired lease) and marks them sending, leased to `worker` until now + lease. No
    // mail is leased to two workers at once, on any engine, from any node.
    virtual Result<std::vector<OutboxEntry>> lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                                       const std::string& worker) = 0;
    // The outcome of one attempt by the worker holding the lease (ignored if it lost the lease).
    virtual Status mark_sent(std::int64_t id, const std::string& worker, TimePoint now) = 0;
    virtual Status mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                              const std::string& error) = 0;
    virtual Status mark_failed(std::int64_t id, const std::string& worker, const std::string& error) = 0;
    // Newest first; all states when `state` is empty.
    virtual Result<std::vector<OutboxEntry>> list(std::optional<OutboxEntry::State> state, std::size_t limit) = 0;
    // An operator's retry of a failed mail: pending again, due now, attempts reset. NotFound if
    // there is no failed mail with that id.
    virtual Status retry(std::int64_t id, TimePoint now) = 0;
};

// Who did what to what, when and from where. Every lifecycle event and operator action.
struct AuditEvent {
    std::int64_t id = 0;
    TimePoint at;
    std::string actor;    // "anonymous", "account:12", "operator:3", "system"
    std::string action;   // "declaration.issued", "session.started", ...
    std::string subject;  // "declaration:10000000018", "" when none
    std::string ip;       // "" when not from a request
    std::string details;  // JSON object text
};

class AuditRepository {
public:
    virtual ~AuditRepository() = default;
    virtual Result<std::int64_t> record(const AuditEvent& e) = 0;
    // Oldest first.
    virtual Result<std::vector<AuditEvent>> for_subject(const std::string& subject, std::size_t limit) = 0;
};

// Fixed-window counters shared by every node.
class RateLimitRepository {
public:
    virtual ~RateLimitRepository() = default;
    // Adds one to the counter of `key` in the window starting at `window_start` and returns the
    // new count. Atomic across nodes.
    virtual Result<std::int64_t> hit(const std::string& key, TimePoint window_start, TimePoint expires_at) = 0;
    virtual Result<std::size_t> purge_windows(TimePoint now) = 0;
};

// Self-assessments saved by signed-in accounts, each with the questionnaire edition it answered.
struct SavedAssessment {
    std::int64_t id = 0;
    std::int64_t account_id = 0;
    std::string edition;
    assessment::Answers answers;
    int score = 0;
    TimePoint taken_at;
};

class AssessmentRepository {
public:
    virtual ~AssessmentRepository() = default;
    // Stores one result and returns its id.
    virtual Result<std::int64_t> save(std::int64_t account_id, const std::string& edition,
                                      const assessment::Answers& answers, int score, TimePoint taken_at) = 0;
    // The account's results, newest first.
    virtual Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit) = 0;
    // One result, only if it belongs to the account (nullopt otherwise, so that ids of other
    // accounts cannot be probed).
    virtual Result<std::optional<SavedAssessment>> get(std::int64_t account_id, std::int64_t id) = 0;
};

// The repositories of one open transaction.
class Transaction {
public:
    virtual ~Transaction() = default;
    virtual SessionRepository& sessions() = 0;
    virtual OutboxRepository& outbox() = 0;
    virtual AuditRepository& audit() = 0;
    virtual RateLimitRepository& rate_limits() = 0;
    virtual AssessmentRepository& assessments() = 0;
};

enum class TxMode { Read, Write };

class Store {
public:
    virtual ~Store() = default;
    virtual std::string engine() const = 0;  // "sqlite" or "postgresql"
    virtual Status ping() = 0;
    // Runs `work` in one transaction: commits when it succeeds, rolls back when it returns an
    // error or throws (the exception is turned into an Unavailable error). Writes are serialised
    // on SQLite; on PostgreSQL they run under READ COMMITTED with row locks.
    virtual Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) = 0;

    // Convenience: a value computed inside a transaction.
    template <typename T, typename F>
    Result<T> query(TxMode mode, F&& f) {
        std::optional<T> out;
        auto st = transact(mode, [&](Transaction& tx) -> Status {
            auto r = f(tx);
            if (!r) return fail(r.error());
            out = std::move(*r);
            return {};
        });
        if (!st) return fail(st.error());
        return std::move(*out);
    }
};

}  // namespace sengen
