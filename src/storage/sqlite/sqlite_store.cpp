// SQLite adapter. Library exceptions become Error values here, at the boundary.
#include "storage/sqlite/sqlite_store.hpp"

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "storage/migrations.hpp"

namespace sengen::storage::sqlite {

namespace {

// --- SQL, one constant per statement -------------------------------------------------------

constexpr const char* kInsertSession =
    "INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
constexpr const char* kFindSession =
    "SELECT id_hash, account_id, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2";
constexpr const char* kExtendSession = "UPDATE sessions SET expires_at = $2 WHERE id_hash = $1";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE id_hash = $1";
constexpr const char* kPurgeSessions = "DELETE FROM sessions WHERE expires_at <= $1";

constexpr const char* kEnqueueMail =
    "INSERT INTO mail_outbox (recipient, subject, message, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4) "
    "RETURNING id";
constexpr const char* kSelectDueMail =
    "SELECT id FROM mail_outbox WHERE (state = 'pending' AND next_attempt_at <= $1) "
    "OR (state = 'sending' AND lease_until <= $1) ORDER BY next_attempt_at, id LIMIT $2";
constexpr const char* kLeaseMail =
    "UPDATE mail_outbox SET state = 'sending', lease_until = $2, worker = $3, attempts = attempts + 1 WHERE id = $1 "
    "RETURNING id, recipient, subject, message, state, attempts, created_at, next_attempt_at, sent_at, last_error";
constexpr const char* kMailSent =
    "UPDATE mail_outbox SET state = 'sent', sent_at = $3, lease_until = NULL, last_error = '' "
    "WHERE id = $1 AND worker = $2 AND state = 'sending'";
constexpr const char* kMailRetry =
    "UPDATE mail_outbox SET state = 'pending', next_attempt_at = $3, lease_until = NULL, last_error = $4 "
    "WHERE id = $1 AND worker = $2 AND state = 'sending'";
constexpr const char* kMailFailed =
    "UPDATE mail_outbox SET state = 'failed', lease_until = NULL, last_error = $3 "
    "WHERE id = $1 AND worker = $2 AND state = 'sending'";
constexpr const char* kListMail =
    "SELECT id, recipient, subject, message, state, attempts, created_at, next_attempt_at, sent_at, last_error "
    "FROM mail_outbox WHERE ($1 = '' OR state = $1) ORDER BY id DESC LIMIT $2";
constexpr const char* kRetryMail =
    "UPDATE mail_outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, worker = NULL "
    "WHERE id = $1 AND state = 'failed'";

constexpr const char* kInsertAudit =
    "INSERT INTO audit_events (at, actor, action, subject, ip, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
constexpr const char* kAuditForSubject =
    "SELECT id, at, actor, action, subject, ip, details FROM audit_events WHERE subject = $1 ORDER BY id LIMIT $2";

constexpr const char* kHitRateLimit =
    "INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3) "
    "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count";
constexpr const char* kPurgeRateLimits = "DELETE FROM rate_limits WHERE expires_at <= $1";

constexpr const char* kInsertAssessment =
    "INSERT INTO self_assessments (account_id, edition, answers, score, taken_at) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id";
constexpr const char* kListAssessments =
    "SELECT id, account_id, edition, answers, score, taken_at FROM self_assessments WHERE account_id = $1 "
    "ORDER BY taken_at DESC, id DESC LIMIT $2";
constexpr const char* kGetAssessment =
    "SELECT id, account_id, edition, answers, score, taken_at FROM self_assessments WHERE account_id = $1 AND id = $2";

// --- connections ---------------------------------------------------------------------------

// One connection with its cached prepared statements. Used by one thread at a time.
struct Connection {
    SQLite::Database db;
    std::map<const char*, std::unique_ptr<SQLite::Statement>> statements;

    explicit Connection(const std::string& path)
        : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX, 5000) {
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA foreign_keys=ON");
        db.exec("PRAGMA synchronous=FULL");
    }

    // The cached statement for `sql` (keyed by the constant's address), reset and unbound.
    SQLite::Statement& statement(const char* sql) {
        auto& st = statements[sql];
        if (!st) st = std::make_unique<SQLite::Statement>(db, sql);
        st->reset();
        st->clearBindings();
        return *st;
    }
};

// SQLite numbers "$n" parameters by first appearance, not by n; bind by name so that the same
// DML text as PostgreSQL's may use them in any order.
template <typename T>
void bind_at(SQLite::Statement& st, int n, const T& v) {
    st.bind("$" + std::to_string(n), v);
}
void bind_null(SQLite::Statement& st, int n) { st.bind("$" + std::to_string(n)); }
void bind_time(SQLite::Statement& st, int n, TimePoint t) { bind_at(st, n, static_cast<int64_t>(unix_seconds(t))); }

Error unavailable(const std::exception& e) { return Error::unavailable("storage.unavailable", e.what()); }

std::optional<OutboxEntry::State> parse_state(const std::string& s) {
    if (s == "pending") return OutboxEntry::State::Pending;
    if (s == "sending") return OutboxEntry::State::Sending;
    if (s == "sent") return OutboxEntry::State::Sent;
    if (s == "failed") return OutboxEntry::State::Failed;
    return std::nullopt;
}

// Columns: id, recipient, subject, message, state, attempts, created_at, next_attempt_at, sent_at, last_error
OutboxEntry read_mail(SQLite::Statement& st) {
    OutboxEntry e;
    e.id = st.getColumn(0).getInt64();
    e.recipient = st.getColumn(1).getString();
    e.subject = st.getColumn(2).getString();
    e.message = st.getColumn(3).getString();
    e.state = parse_state(st.getColumn(4).getString()).value_or(OutboxEntry::State::Pending);
    e.attempts = st.getColumn(5).getInt();
    e.created_at = from_unix_seconds(st.getColumn(6).getInt64());
    e.next_attempt_at = from_unix_seconds(st.getColumn(7).getInt64());
    if (!st.getColumn(8).isNull()) e.sent_at = from_unix_seconds(st.getColumn(8).getInt64());
    e.last_error = st.getColumn(9).getString();
    return e;
}

// --- repositories over one connection inside one transaction --------------------------------

// Columns: id, account_id, edition, answers, score, taken_at
Result<SavedAssessment> read_assessment(SQLite::Statement& st) {
    SavedAssessment a;
    a.id = st.getColumn(0).getInt64();
    a.account_id = st.getColumn(1).getInt64();
    a.edition = st.getColumn(2).getString();
    auto answers = assessment::decode_answers(st.getColumn(3).getString());
    if (!answers) return fail(Error::unavailable("storage.corrupt", answers.error().detail));
    a.answers = std::move(*answers);
    a.score = st.getColumn(4).getInt();
    a.taken_at = from_unix_seconds(st.getColumn(5).getInt64());
    return a;
}

// Kept apart from SqliteTx because its list() and get() would overload the outbox's.
class SqliteAssessments final : public AssessmentRepository {
public:
    explicit SqliteAssessments(Connection& c) : c_(c) {}
    Result<std::int64_t> save(std::int64_t account_id, const std::string& edition, const assessment::Answers& answers,
                              int score, TimePoint taken_at) override {
        auto& st = c_.statement(kInsertAssessment);
        bind_at(st, 1, static_cast<int64_t>(account_id));
        bind_at(st, 2, edition);
        bind_at(st, 3, assessment::encode_answers(answers));
        bind_at(st, 4, score);
        bind_time(st, 5, taken_at);
        st.executeStep();
        const std::int64_t id = st.getColumn(0).getInt64();
        st.reset();  // a RETURNING statement left mid-step would block COMMIT
        return id;
    }
    Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit) override {
        auto& st = c_.statement(kListAssessments);
        bind_at(st, 1, static_cast<int64_t>(account_id));
        bind_at(st, 2, static_cast<int64_t>(limit));
        std::vector<SavedAssessment> out;
        while (st.executeStep()) {
            auto a = read_assessment(st);
            if (!a) return fail(a.error());
            out.push_back(std::move(*a));
        }
        return out;
    }
    Result<std::optional<SavedAssessment>> get(std::int64_t account_id, std::int64_t id) override {
        auto& st = c_.statement(kGetAssessment);
        bind_at(st, 1, static_cast<int64_t>(account_id));
        bind_at(st, 2, static_cast<int64_t>(id));
        if (!st.executeStep()) return std::optional<SavedAssessment>{};
        auto a = read_assessment(st);
        st.reset();
        if (!a) return fail(a.error());
        return std::optional<SavedAssessment>{std::move(*a)};
    }

private:
    Connection& c_;
};

class SqliteTx final : public Transaction, SessionRepository, OutboxRepository, AuditRepository, RateLimitRepository {
public:
    explicit SqliteTx(Connection& c) : c_(c), assessments_(c) {}
    SessionRepository& sessions() override { return *this; }
    OutboxRepository& outbox() override { return *this; }
    AuditRepository& audit() override { return *this; }
    RateLimitRepository& rate_limits() override { return *this; }
    AssessmentRepository& assessments() override { return assessments_; }

    // Sessions
    Status create(const Session& s) override {
        auto& st = c_.statement(kInsertSession);
        bind_at(st, 1, s.id_hash);
        if (s.account_id)
            bind_at(st, 2, static_cast<int64_t>(*s.account_id));
        else
            bind_null(st, 2);
        bind_time(st, 3, s.created_at);
        bind_time(st, 4, s.expires_at);
        st.exec();
        return {};
    }
    Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) override {
        auto& st = c_.statement(kFindSession);
        bind_at(st, 1, id_hash);
        bind_time(st, 2, now);
        if (!st.executeStep()) return std::optional<Session>{};
        Session s;
        s.id_hash = st.getColumn(0).getString();
        if (!st.getColumn(1).isNull()) s.account_id = st.getColumn(1).getInt64();
        s.created_at = from_unix_seconds(st.getColumn(2).getInt64());
        s.expires_at = from_unix_seconds(st.getColumn(3).getInt64());
        return std::optional<Session>{s};
    }
    Status extend(const std::string& id_hash, TimePoint expires_at) override {
        auto& st = c_.statement(kExtendSession);
        bind_at(st, 1, id_hash);
        bind_time(st, 2, expires_at);
        st.exec();
        return {};
    }
    Status remove(const std::string& id_hash) override {
        auto& st = c_.statement(kDeleteSession);
        bind_at(st, 1, id_hash);
        st.exec();
        return {};
    }
    Result<std::size_t> purge_expired(TimePoint now) override {
        auto& st = c_.statement(kPurgeSessions);
        bind_time(st, 1, now);
        return static_cast<std::size_t>(st.exec());
    }

    // Outbox
    Result<std::int64_t> enqueue(const OutgoingMail& m, TimePoint now) override {
        auto& st = c_.statement(kEnqueueMail);
        bind_at(st, 1, m.recipient);
        bind_at(st, 2, m.subject);
        bind_at(st, 3, m.message);
        bind_time(st, 4, now);
        st.executeStep();
        return st.getColumn(0).getInt64();
    }
    Result<std::vector<OutboxEntry>> lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                               const std::string& worker) override {
        std::vector<std::int64_t> ids;
        {
            auto& st = c_.statement(kSelectDueMail);
            bind_time(st, 1, now);
            bind_at(st, 2, static_cast<int64_t>(limit));
            while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
        }
        std::vector<OutboxEntry> out;
        for (auto id : ids) {
            auto& st = c_.statement(kLeaseMail);
            bind_at(st, 1, static_cast<int64_t>(id));
            bind_time(st, 2, now + lease);
            bind_at(st, 3, worker);
            if (st.executeStep()) out.push_back(read_mail(st));
        }
        return out;
    }
    Status mark_sent(std::int64_t id, const std::string& worker, TimePoint now) override {
        auto& st = c_.statement(kMailSent);
        bind_at(st, 1, static_cast<int64_t>(id));
        bind_at(st, 2, worker);
        bind_time(st, 3, now);
        st.exec();
        return {};
    }
    Status mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                      const std::string& error) override {
        auto& st = c_.statement(kMailRetry);
        bind_at(st, 1, static_cast<int64_t>(id));
        bind_at(st, 2, worker);
        bind_time(st, 3, next_attempt_at);
        bind_at(st, 4, error);
        st.exec();
        return {};
    }
    Status mark_failed(std::int64_t id, const std::string& worker, const std::string& error) override {
        auto& st = c_.statement(kMailFailed);
        bind_at(st, 1, static_cast<int64_t>(id));
        bind_at(st, 2, worker);
        bind_at(st, 3, error);
        st.exec();
        return {};
    }
    Result<std::vector<OutboxEntry>> list(std::optional<OutboxEntry::State> state, std::size_t limit) override {
        auto& st = c_.statement(kListMail);
        bind_at(st, 1, state ? std::string(to_string(*state)) : std::string());
        bind_at(st, 2, static_cast<int64_t>(limit));
        std::vector<OutboxEntry> out;
        while (st.executeStep()) out.push_back(read_mail(st));
        return out;
    }
    Status retry(std::int64_t id, TimePoint now) override {
        auto& st = c_.statement(kRetryMail);
        bind_at(st, 1, static_cast<int64_t>(id));
        bind_time(st, 2, now);
        if (st.exec() == 0) return fail(Error::not_found("mail.not_failed", "no failed mail " + std::to_string(id)));
        return {};
    }

    // Audit
    Result<std::int64_t> record(const AuditEvent& e) override {
        auto& st = c_.statement(kInsertAudit);
        bind_time(st, 1, e.at);
        bind_at(st, 2, e.actor);
        bind_at(st, 3, e.action);
        bind_at(st, 4, e.subject);
        bind_at(st, 5, e.ip);
        bind_at(st, 6, e.details.empty() ? std::string("{}") : e.details);
        st.executeStep();
        return st.getColumn(0).getInt64();
    }
    Result<std::vector<AuditEvent>> for_subject(const std::string& subject, std::size_t limit) override {
        auto& st = c_.statement(kAuditForSubject);
        bind_at(st, 1, subject);
        bind_at(st, 2, static_cast<int64_t>(limit));
        std::vector<AuditEvent> out;
        while (st.executeStep()) {
            AuditEvent e;
            e.id = st.getColumn(0).getInt64();
            e.at = from_unix_seconds(st.getColumn(1).getInt64());
            e.actor = st.getColumn(2).getString();
            e.action = st.getColumn(3).getString();
            e.subject = st.getColumn(4).getString();
            e.ip = st.getColumn(5).getString();
            e.details = st.getColumn(6).getString();
            out.push_back(std::move(e));
        }
        return out;
    }

    // Rate limits
    Result<std::int64_t> hit(const std::string& key, TimePoint window_start, TimePoint expires_at) override {
        auto& st = c_.statement(kHitRateLimit);
        bind_at(st, 1, key);
        bind_time(st, 2, window_start);
        bind_time(st, 3, expires_at);
        st.executeStep();
        return st.getColumn(0).getInt64();
    }
    Result<std::size_t> purge_windows(TimePoint now) override {
        auto& st = c_.statement(kPurgeRateLimits);
        bind_time(st, 1, now);
        return static_cast<std::size_t>(st.exec());
    }

private:
    Connection& c_;
    SqliteAssessments assessments_;
};

}  // namespace

struct SqliteStore::Impl {
    std::string path;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;

    // A connection lent to the caller for the scope of one transaction.
    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<Connection> c) : impl_(&impl), c_(std::move(c)) {}
        ~Lease() {
            if (!c_) return;
            std::lock_guard lock(impl_->mutex);
            if (impl_->idle.size() < 64) impl_->idle.push_back(std::move(c_));
        }
        Lease(Lease&&) = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *c_; }
        Connection* operator->() { return c_.get(); }
        void discard() { c_.reset(); }  // after an error that may have left it in a bad state

    private:
        Impl* impl_;
        std::unique_ptr<Connection> c_;
    };

    Lease lease() {
        {
            std::lock_guard lock(mutex);
            if (!idle.empty()) {
                auto c = std::move(idle.back());
                idle.pop_back();
                return Lease(*this, std::move(c));
            }
        }
        return Lease(*this, std::make_unique<Connection>(path));
    }
};

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
    try {
        auto parent = std::filesystem::path(path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        auto impl = std::make_unique<SqliteStore::Impl>();
        impl->path = path;
        impl->idle.push_back(std::make_unique<Connection>(path));  // fails here if unusable
        return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteStore::~SqliteStore() = default;

Status SqliteStore::ping() {
    try {
        auto c = impl_->lease();
        c->db.execAndGet("SELECT 1");
        return {};
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

Status SqliteStore::transact(TxMode mode, const std::function<Status(Transaction&)>& work) {
    std::optional<Impl::Lease> c;
    try {
        c.emplace(impl_->lease());
        (*c)->db.exec(mode == TxMode::Write ? "BEGIN IMMEDIATE" : "BEGIN");
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
    Status result;
    try {
        SqliteTx tx(**c);
        result = work(tx);
    } catch (const std::exception& e) {
        result = fail(unavailable(e));
    }
    try {
        (*c)->db.exec(result ? "COMMIT" : "ROLLBACK");
    } catch (const std::exception& e) {
        c->discard();
        if (result) return fail(unavailable(e));
    }
    return result;
}

Result<std::vector<std::string>> SqliteStore::migrate() {
    std::vector<std::string> applied;
    auto c = impl_->lease();
    try {
        c->db.exec(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at INTEGER NOT NULL)");
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
    for (const auto& m : migrations_for("sqlite")) {
        try {
            // BEGIN IMMEDIATE takes the write lock first, so two processes cannot both apply.
            c->db.exec("BEGIN IMMEDIATE");
            SQLite::Statement q(c->db, "SELECT 1 FROM schema_migrations WHERE version = ?");
            q.bind(1, m.version);
            if (q.executeStep()) {
                q.reset();
                c->db.exec("COMMIT");
                continue;
            }
            q.reset();
            c->db.exec(std::string(m.sql));
            SQLite::Statement ins(c->db,
                                  "INSERT INTO schema_migrations (version, name, applied_at) "
                                  "VALUES (?, ?, strftime('%s','now'))");
            ins.bind(1, m.version);
            ins.bind(2, m.name);
            ins.exec();
            c->db.exec("COMMIT");
            applied.push_back(m.name);
        } catch (const std::exception& e) {
            try {
                c->db.exec("ROLLBACK");
            } catch (...) {
            }
            return fail(Error::unavailable("storage.migration_failed", m.name + ": " + e.what()));
        }
    }
    return applied;
}

Status SqliteStore::backup_to(const std::string& target_path) {
    try {
        auto c = impl_->lease();
        SQLite::Database target(target_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        SQLite::Backup backup(target, c->db);
        backup.executeStep(-1);
        return {};
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

Result<std::string> SqliteStore::integrity_check(const std::string& path) {
    try {
        SQLite::Database db(path, SQLite::OPEN_READONLY);
        SQLite::Statement st(db, "PRAGMA integrity_check");
        std::string out;
        while (st.executeStep()) out += st.getColumn(0).getString() + "\n";
        if (!out.empty()) out.pop_back();
        return out;
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

}  // namespace sengen::storage::sqlite
