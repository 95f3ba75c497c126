// PostgreSQL adapter. libpqxx exceptions become Error values here, at the boundary, with any
// password from the connection URL scrubbed from their text.
#include "storage/postgres/pg_store.hpp"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>

#include <pqxx/pqxx>

#include "storage/postgres/assessments.hpp"
#include "storage/postgres/policies.hpp"
#include "storage/postgres/registry.hpp"
#include "storage/sql.hpp"

namespace sengen::storage::postgres {

namespace {

using sql::Statement;

// The due mails, locked for this transaction; rows another transaction has locked (being leased
// by another worker or node right now) are skipped rather than waited for or leased twice.
constexpr Statement kSelectDueMail{"select_due_mail", SENGEN_SELECT_DUE_MAIL " FOR UPDATE SKIP LOCKED"};

// Every statement a connection prepares (libpqxx sends the PREPARE on first use).
constexpr const Statement* kStatements[] = {
    &sql::kInsertSession, &sql::kFindSession,     &sql::kExtendSession,  &sql::kDeleteSession, &sql::kPurgeSessions,
    &sql::kEnqueueMail,   &kSelectDueMail,        &sql::kLeaseMail,      &sql::kMailSent,      &sql::kMailRetry,
    &sql::kMailFailed,    &sql::kListMail,        &sql::kRetryMail,      &sql::kInsertAudit,   &sql::kAuditForSubject,
    &sql::kHitRateLimit,  &sql::kPurgeRateLimits, &sql::kSaveSessionData};

// The key of the advisory lock held while migrating: "sengen" in ASCII.
constexpr long long kMigrationLockKey = 0x73656e67656e;
constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at BIGINT NOT NULL)";
constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, EXTRACT(EPOCH FROM now())::BIGINT)";

// How long a transaction waits for a free connection when all `pool_size` are lent out.
constexpr std::chrono::seconds kPoolWait{10};

// --- secrets in the URL ------------------------------------------------------------------------

std::string percent_decode(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
            std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

struct Span {
    std::size_t begin, end;
};

// Where passwords are written in a postgresql:// URL. libpq reads the user part up to the first
// '@' or '/', and key=value parameters after '?'.
std::vector<Span> password_spans(std::string_view url) {
    std::vector<Span> out;
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return out;
    const std::size_t start = scheme + 3;
    const auto stop = url.find_first_of("@/", start);
    if (stop != std::string_view::npos && url[stop] == '@') {
        const auto colon = url.find(':', start);
        if (colon != std::string_view::npos && colon < stop) out.push_back({colon + 1, stop});
    }
    const auto query = url.find('?', start);
    if (query != std::string_view::npos) {
        std::size_t p = query + 1;
        while (p < url.size()) {
            auto amp = url.find('&', p);
            if (amp == std::string_view::npos) amp = url.size();
            const auto kv = url.substr(p, amp - p);
            const auto eq = kv.find('=');
            if (eq != std::string_view::npos && percent_decode(kv.substr(0, eq)) == "password")
                out.push_back({p + eq + 1, amp});
            p = amp + 1;
        }
    }
    return out;
}

void replace_all(std::string& s, std::string_view what, std::string_view with) {
    if (what.empty()) return;
    for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + with.size()))
        s.replace(pos, what.size(), with);
}

// --- connections -----------------------------------------------------------------------------

struct Connection {
    pqxx::connection conn;

    explicit Connection(const std::string& url) : conn(url) {
        // Notices such as "relation already exists, skipping" are not for the server's log.
        pqxx::nontransaction n(conn);
        n.exec("SET client_min_messages TO warning");
        for (const auto* s : kStatements) conn.prepare(std::string(s->name), std::string(s->text));
        for (std::size_t i = 0; i < kRegistryStatementCount; ++i)
            conn.prepare(std::string(kRegistryStatements[i]->name), std::string(kRegistryStatements[i]->text));
        for (std::size_t i = 0; i < kAssessmentStatementCount; ++i)
            conn.prepare(std::string(kAssessmentStatements[i]->name), std::string(kAssessmentStatements[i]->text));
        for (std::size_t i = 0; i < kPolicyStatementCount; ++i)
            conn.prepare(std::string(kPolicyStatements[i]->name), std::string(kPolicyStatements[i]->text));
    }
};

std::optional<OutboxEntry::State> parse_state(const std::string& s) {
    if (s == "pending") return OutboxEntry::State::Pending;
    if (s == "sending") return OutboxEntry::State::Sending;
    if (s == "sent") return OutboxEntry::State::Sent;
    if (s == "failed") return OutboxEntry::State::Failed;
    return std::nullopt;
}

TimePoint time_at(const pqxx::field& f) { return from_unix_seconds(f.as<std::int64_t>()); }

// Columns: SENGEN_MAIL_COLUMNS
OutboxEntry read_mail(const pqxx::row& r) {
    OutboxEntry e;
    e.id = r[0].as<std::int64_t>();
    e.recipient = r[1].as<std::string>();
    e.subject = r[2].as<std::string>();
    e.message = r[3].as<std::string>();
    e.state = parse_state(r[4].as<std::string>()).value_or(OutboxEntry::State::Pending);
    e.attempts = r[5].as<int>();
    e.created_at = time_at(r[6]);
    e.next_attempt_at = time_at(r[7]);
    if (!r[8].is_null()) e.sent_at = time_at(r[8]);
    e.last_error = r[9].as<std::string>();
    return e;
}

}  // namespace

// The pool, and the translation of libpqxx exceptions.
struct PgStore::Impl {
    std::string url;
    unsigned max_size = 1;
    std::mutex mutex;
    std::condition_variable freed;
    std::vector<std::unique_ptr<Connection>> idle;
    unsigned open = 0;  // idle + lent out

    // A library exception as an Error, secrets removed. Sets `broken` when the connection is
    // no longer usable (it is then dropped rather than returned to the pool).
    Error error(const std::exception& e, bool& broken) const {
        // libpq's messages run over several lines ("...failed: ...\n\tIs the server running...").
        std::string what = scrub_secrets(e.what(), url);
        for (auto& ch : what)
            if (ch == '\n' || ch == '\t') ch = ' ';
        while (!what.empty() && what.back() == ' ') what.pop_back();
        if (dynamic_cast<const pqxx::broken_connection*>(&e) || dynamic_cast<const pqxx::in_doubt_error*>(&e)) {
            broken = true;
            return Error::unavailable("storage.unavailable", what);
        }
        if (const auto* se = dynamic_cast<const pqxx::sql_error*>(&e)) {
            const auto& state = se->sqlstate();
            if (state == "23505") return Error::conflict("storage.conflict", what);  // unique_violation
            // Class 08 (connection exception) and 57P (operator intervention: shutdown, ...).
            if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0) broken = true;
        }
        return Error::unavailable("storage.unavailable", what);
    }

    Error connect_error(const std::exception& e) const {
        bool ignored = false;
        Error err = error(e, ignored);
        err.detail = "cannot connect to " + redact_url(url) + ": " + err.detail;
        return err;
    }

    // A connection lent for the scope of one transaction.
    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<Connection> c) : impl_(&impl), c_(std::move(c)) {}
        ~Lease() {
            if (!c_) return;
            if (!broken_ && c_->conn.is_open()) {
                std::lock_guard lock(impl_->mutex);
                impl_->idle.push_back(std::move(c_));
            } else {
                c_.reset();  // closes it, outside the lock
                std::lock_guard lock(impl_->mutex);
                --impl_->open;
            }
            impl_->freed.notify_one();
        }
        Lease(Lease&& o) noexcept : impl_(o.impl_), c_(std::move(o.c_)), broken_(o.broken_) {}
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *c_; }
        Connection* operator->() { return c_.get(); }
        void mark_broken() { broken_ = true; }

    private:
        Impl* impl_;
        std::unique_ptr<Connection> c_;
        bool broken_ = false;
    };

    Result<Lease> lease() {
        std::unique_lock lock(mutex);
        if (!freed.wait_for(lock, kPoolWait, [&] { return !idle.empty() || open < max_size; }))
            return fail(Error::unavailable("storage.pool_exhausted", "all " + std::to_string(max_size) +
                                                                         " PostgreSQL connections stayed busy for " +
                                                                         std::to_string(kPoolWait.count()) +
                                                                         " s (pg-pool-size)"));
        if (!idle.empty()) {
            auto c = std::move(idle.back());
            idle.pop_back();
            return Lease(*this, std::move(c));
        }
        ++open;
        lock.unlock();
        try {
            return Lease(*this, std::make_unique<Connection>(url));
        } catch (const std::exception& e) {
            {
                std::lock_guard relock(mutex);
                --open;
            }
            freed.notify_one();
            return fail(connect_error(e));
        }
    }
};

namespace {

// --- repositories over one connection inside one transaction --------------------------------

class PgTx final : public Transaction, SessionRepository, OutboxRepository, AuditRepository, RateLimitRepository {
public:
    PgTx(pqxx::transaction_base& t, const PgStore::Impl& impl)
        : t_(t), impl_(impl), declarations_(t), accounts_(t), signin_tokens_(t), assessments_(t), policies_(t) {}
    DeclarationRepository& declarations() override { return declarations_; }
    AccountRepository& accounts() override { return accounts_; }
    SignInTokenRepository& signin_tokens() override { return signin_tokens_; }
    AssessmentRepository& assessments() override { return assessments_; }
    PolicyRepository& policies() override { return policies_; }
    SessionRepository& sessions() override { return *this; }
    OutboxRepository& outbox() override { return *this; }
    AuditRepository& audit() override { return *this; }
    RateLimitRepository& rate_limits() override { return *this; }

    // The error of the first failed statement: PostgreSQL aborts the transaction there, so later
    // calls fail with the same error and the transaction rolls back.
    const std::optional<Error>& failure() const { return failed_; }
    bool connection_broken() const { return broken_; }

    // Sessions
    Status create(const Session& s) override {
        return guarded([&]() -> Status {
            auto r = exec(sql::kInsertSession, s.id_hash, s.account_id, secs(s.created_at), secs(s.expires_at));
            if (r.affected_rows() == 0) return fail(Error::conflict("session.exists", "a session with this id exists"));
            return {};
        });
    }
    Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) override {
        return guarded([&]() -> Result<std::optional<Session>> {
            auto r = exec(sql::kFindSession, id_hash, secs(now));
            if (r.empty()) return std::optional<Session>{};
            Session s;
            s.id_hash = r[0][0].as<std::string>();
            if (!r[0][1].is_null()) s.account_id = r[0][1].as<std::int64_t>();
            s.created_at = time_at(r[0][2]);
            s.expires_at = time_at(r[0][3]);
            s.data = r[0][4].as<std::string>();
            return std::optional<Session>{s};
        });
    }
    Status save_data(const std::string& id_hash, const std::string& data) override {
        return guarded([&]() -> Status {
            exec(sql::kSaveSessionData, id_hash, data);
            return {};
        });
    }
    Status extend(const std::string& id_hash, TimePoint expires_at) override {
        return guarded([&]() -> Status {
            exec(sql::kExtendSession, id_hash, secs(expires_at));
            return {};
        });
    }
    Status remove(const std::string& id_hash) override {
        return guarded([&]() -> Status {
            exec(sql::kDeleteSession, id_hash);
            return {};
        });
    }
    Result<std::size_t> purge_expired(TimePoint now) override {
        return guarded([&]() -> Result<std::size_t> { return exec(sql::kPurgeSessions, secs(now)).affected_rows(); });
    }

    // Outbox
    Result<std::int64_t> enqueue(const OutgoingMail& m, TimePoint now) override {
        return guarded([&]() -> Result<std::int64_t> {
            return exec(sql::kEnqueueMail, m.recipient, m.subject, m.message, secs(now))[0][0].as<std::int64_t>();
        });
    }
    Result<std::vector<OutboxEntry>> lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                               const std::string& worker) override {
        return guarded([&]() -> Result<std::vector<OutboxEntry>> {
            auto due = exec(kSelectDueMail, secs(now), static_cast<std::int64_t>(limit));
            std::vector<OutboxEntry> out;
            for (const auto& row : due) {
                auto r = exec(sql::kLeaseMail, row[0].as<std::int64_t>(), secs(now + lease), worker);
                if (!r.empty()) out.push_back(read_mail(r[0]));
            }
            return out;
        });
    }
    Status mark_sent(std::int64_t id, const std::string& worker, TimePoint now) override {
        return guarded([&]() -> Status {
            exec(sql::kMailSent, id, worker, secs(now));
            return {};
        });
    }
    Status mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                      const std::string& error) override {
        return guarded([&]() -> Status {
            exec(sql::kMailRetry, id, worker, secs(next_attempt_at), error);
            return {};
        });
    }
    Status mark_failed(std::int64_t id, const std::string& worker, const std::string& error) override {
        return guarded([&]() -> Status {
            exec(sql::kMailFailed, id, worker, error);
            return {};
        });
    }
    Result<std::vector<OutboxEntry>> list(std::optional<OutboxEntry::State> state, std::size_t limit) override {
        return guarded([&]() -> Result<std::vector<OutboxEntry>> {
            auto r = exec(sql::kListMail, state ? std::string(to_string(*state)) : std::string(),
                          static_cast<std::int64_t>(limit));
            std::vector<OutboxEntry> out;
            for (const auto& row : r) out.push_back(read_mail(row));
            return out;
        });
    }
    Status retry(std::int64_t id, TimePoint now) override {
        return guarded([&]() -> Status {
            if (exec(sql::kRetryMail, id, secs(now)).affected_rows() == 0)
                return fail(Error::not_found("mail.not_failed", "no failed mail " + std::to_string(id)));
            return {};
        });
    }

    // Audit
    Result<std::int64_t> record(const AuditEvent& e) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto r = exec(sql::kInsertAudit, secs(e.at), e.actor, e.action, e.subject, e.ip,
                          e.details.empty() ? std::string("{}") : e.details);
            return r[0][0].as<std::int64_t>();
        });
    }
    Result<std::vector<AuditEvent>> for_subject(const std::string& subject, std::size_t limit) override {
        return guarded([&]() -> Result<std::vector<AuditEvent>> {
            std::vector<AuditEvent> out;
            for (const auto& row : exec(sql::kAuditForSubject, subject, static_cast<std::int64_t>(limit))) {
                AuditEvent e;
                e.id = row[0].as<std::int64_t>();
                e.at = time_at(row[1]);
                e.actor = row[2].as<std::string>();
                e.action = row[3].as<std::string>();
                e.subject = row[4].as<std::string>();
                e.ip = row[5].as<std::string>();
                e.details = row[6].as<std::string>();
                out.push_back(std::move(e));
            }
            return out;
        });
    }

    // Rate limits
    Result<std::int64_t> hit(const std::string& key, TimePoint window_start, TimePoint expires_at) override {
        return guarded([&]() -> Result<std::int64_t> {
            return exec(sql::kHitRateLimit, key, secs(window_start), secs(expires_at))[0][0].as<std::int64_t>();
        });
    }
    Result<std::size_t> purge_windows(TimePoint now) override {
        return guarded([&]() -> Result<std::size_t> { return exec(sql::kPurgeRateLimits, secs(now)).affected_rows(); });
    }

private:
    static std::int64_t secs(TimePoint t) { return unix_seconds(t); }

    template <typename... Args>
    pqxx::result exec(const Statement& s, Args&&... args) {
        return t_.exec_prepared(std::string(s.name), std::forward<Args>(args)...);
    }

    // Runs one repository call; a library exception becomes an Error and dooms the transaction.
    template <typename F>
    auto guarded(F&& f) -> decltype(f()) {
        if (failed_) return fail(*failed_);
        try {
            return f();
        } catch (const std::exception& e) {
            failed_ = impl_.error(e, broken_);
            return fail(*failed_);
        }
    }

    pqxx::transaction_base& t_;
    const PgStore::Impl& impl_;
    std::optional<Error> failed_;
    bool broken_ = false;
    PgDeclarations declarations_;
    PgAccounts accounts_;
    PgSignInTokens signin_tokens_;
    PgAssessments assessments_;
    PgPolicies policies_;
};

}  // namespace

Result<std::unique_ptr<PgStore>> PgStore::open(const std::string& url, unsigned pool_size) {
    auto impl = std::make_unique<Impl>();
    impl->url = url;
    impl->max_size = std::max(1u, pool_size);
    try {
        impl->idle.push_back(std::make_unique<Connection>(url));
        impl->open = 1;
    } catch (const std::exception& e) {
        return fail(impl->connect_error(e));
    }
    return std::unique_ptr<PgStore>(new PgStore(std::move(impl)));
}

PgStore::PgStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PgStore::~PgStore() = default;

Status PgStore::ping() {
    auto c = impl_->lease();
    if (!c) return fail(c.error());
    try {
        pqxx::nontransaction n((*c)->conn);
        n.exec("SELECT 1");
        return {};
    } catch (const std::exception& e) {
        bool broken = false;
        auto err = impl_->error(e, broken);
        if (broken) c->mark_broken();
        return fail(std::move(err));
    }
}

Status PgStore::transact(TxMode mode, const std::function<Status(Transaction&)>& work) {
    auto c = impl_->lease();
    if (!c) return fail(c.error());
    bool broken = false;
    Status result;
    try {
        std::unique_ptr<pqxx::transaction_base> t;
        if (mode == TxMode::Write)
            t = std::make_unique<pqxx::work>((*c)->conn);
        else if (mode == TxMode::Read)
            t = std::make_unique<pqxx::read_transaction>((*c)->conn);
        else  // TxMode::Single: one statement, atomic by itself; no BEGIN and COMMIT round trips.
            t = std::make_unique<pqxx::nontransaction>((*c)->conn);
        PgTx tx(*t, *impl_);
        try {
            result = work(tx);
            if (result && tx.failure()) result = fail(*tx.failure());
        } catch (const std::exception& e) {
            result = fail(impl_->error(e, broken));
        }
        broken = broken || tx.connection_broken();
        if (result)
            t->commit();
        else
            t->abort();
    } catch (const std::exception& e) {
        // BEGIN, COMMIT or ROLLBACK failed.
        auto err = impl_->error(e, broken);
        if (result) result = fail(std::move(err));
    }
    if (broken) c->mark_broken();
    return result;
}

Result<std::vector<std::string>> PgStore::apply_migrations(const std::vector<Migration>& migrations) {
    // A connection of its own: the session lock lives and dies with it.
    std::unique_ptr<Connection> c;
    try {
        c = std::make_unique<Connection>(impl_->url);
    } catch (const std::exception& e) {
        return fail(impl_->connect_error(e));
    }
    bool ignored = false;
    try {
        pqxx::nontransaction n(c->conn);
        n.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
    } catch (const std::exception& e) {
        return fail(impl_->error(e, ignored));
    }
    try {
        pqxx::work w(c->conn);
        w.exec(kCreateMigrationsTable);
        w.commit();
    } catch (const std::exception& e) {
        return fail(impl_->error(e, ignored));
    }
    std::vector<std::string> applied;
    for (const auto& m : migrations) {
        try {
            pqxx::work w(c->conn);
            if (!w.exec_params(std::string(sql::kMigrationApplied), m.version).empty()) continue;
            w.exec(std::string(m.sql));
            w.exec_params(kRecordMigration, m.version, m.name);
            w.commit();
            applied.push_back(m.name);
        } catch (const std::exception& e) {
            Error err = impl_->error(e, ignored);
            return fail(Error::unavailable("storage.migration_failed", m.name + ": " + err.detail));
        }
    }
    try {
        pqxx::nontransaction n(c->conn);
        n.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    } catch (const std::exception&) {
        // Closing the connection below releases the lock as well.
    }
    return applied;
}

std::string redact_url(std::string_view url) {
    std::string out(url);
    auto spans = password_spans(url);
    for (auto it = spans.rbegin(); it != spans.rend(); ++it) out.replace(it->begin, it->end - it->begin, "***");
    return out;
}

std::string scrub_secrets(std::string message, std::string_view url) {
    if (url.empty()) return message;
    replace_all(message, url, redact_url(url));
    for (const auto& s : password_spans(url)) {
        const auto raw = url.substr(s.begin, s.end - s.begin);
        if (raw.empty()) continue;
        replace_all(message, raw, "***");
        replace_all(message, percent_decode(raw), "***");
    }
    return message;
}

}  // namespace sengen::storage::postgres
