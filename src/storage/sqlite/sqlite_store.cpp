// SQLite adapter. Library exceptions become Error values here, at the boundary.
#include "storage/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <vector>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "storage/sql.hpp"
#include "storage/sqlite/assessments.hpp"
#include "storage/sqlite/connection.hpp"
#include "storage/sqlite/policies.hpp"
#include "storage/sqlite/registry.hpp"

namespace sengen::storage::sqlite {

namespace {

using sql::Statement;

// The due mails. Writers are serialised by BEGIN IMMEDIATE, so no row lock is needed.
constexpr Statement kSelectDueMail{"select_due_mail", SENGEN_SELECT_DUE_MAIL};

// Transaction control, run through Connection::run.
constexpr Statement kBegin{"begin", "BEGIN"};
constexpr Statement kBeginImmediate{"begin_immediate", "BEGIN IMMEDIATE"};
constexpr Statement kCommit{"commit", "COMMIT"};
constexpr Statement kRollback{"rollback", "ROLLBACK"};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at INTEGER NOT NULL)";
constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, strftime('%s','now'))";
constexpr const char* kIsSengenDatabase =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'";

Error unavailable(const std::exception& e) { return Error::unavailable("storage.unavailable", e.what()); }

// A failed statement: a unique or primary-key violation is a Conflict, anything else Unavailable.
Error storage_error(const std::exception& e) {
    if (const auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
        const int x = se->getExtendedErrorCode();
        if (x == SQLITE_CONSTRAINT_UNIQUE || x == SQLITE_CONSTRAINT_PRIMARYKEY)
            return Error::conflict("storage.conflict", e.what());
    }
    return unavailable(e);
}

std::optional<OutboxEntry::State> parse_state(const std::string& s) {
    if (s == "pending") return OutboxEntry::State::Pending;
    if (s == "sending") return OutboxEntry::State::Sending;
    if (s == "sent") return OutboxEntry::State::Sent;
    if (s == "failed") return OutboxEntry::State::Failed;
    return std::nullopt;
}

// Columns: SENGEN_MAIL_COLUMNS
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

// Makes the last rename or creation in `dir` durable.
void sync_directory(const std::filesystem::path& dir) {
    int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
}

// Copies the database at `source` into a new file `target` with the online backup API (which
// reads through SQLite, so a committed write-ahead log is included).
void copy_database(SQLite::Database& source, const std::string& target) {
    std::filesystem::remove(target);
    SQLite::Database out(target, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    SQLite::Backup backup(out, source);
    backup.executeStep(-1);
}

// Renames `temp` over `target` durably, after checking the copy.
void put_in_place(const std::string& temp, const std::string& target) {
    {
        int fd = ::open(temp.c_str(), O_RDONLY);
        if (fd < 0) throw std::runtime_error("cannot open " + temp + " to sync it");
        const int rc = ::fsync(fd);
        ::close(fd);
        if (rc != 0) throw std::runtime_error("cannot sync " + temp);
    }
    std::filesystem::rename(temp, target);
    sync_directory(std::filesystem::path(target).parent_path());
}

// --- repositories over one connection inside one transaction --------------------------------

class SqliteTx final : public Transaction, SessionRepository, OutboxRepository, AuditRepository, RateLimitRepository {
public:
    explicit SqliteTx(Connection& c)
        : c_(c), declarations_(c), accounts_(c), signin_tokens_(c), assessments_(c), policies_(c) {}
    DeclarationRepository& declarations() override { return declarations_; }
    AccountRepository& accounts() override { return accounts_; }
    SignInTokenRepository& signin_tokens() override { return signin_tokens_; }
    AssessmentRepository& assessments() override { return assessments_; }
    PolicyRepository& policies() override { return policies_; }
    SessionRepository& sessions() override { return *this; }
    OutboxRepository& outbox() override { return *this; }
    AuditRepository& audit() override { return *this; }
    RateLimitRepository& rate_limits() override { return *this; }

    // The error of the first failed statement. Like PostgreSQL, a transaction in which a
    // statement failed can only roll back: later calls fail with the same error.
    const std::optional<Error>& failure() const { return failed_; }

    // Sessions
    Status create(const Session& s) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kInsertSession);
            bind_at(st, 1, s.id_hash);
            if (s.account_id)
                bind_at(st, 2, static_cast<int64_t>(*s.account_id));
            else
                bind_null(st, 2);
            bind_time(st, 3, s.created_at);
            bind_time(st, 4, s.expires_at);
            if (st.exec() == 0) return fail(Error::conflict("session.exists", "a session with this id exists"));
            return {};
        });
    }
    Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) override {
        return guarded([&]() -> Result<std::optional<Session>> {
            auto& st = c_.statement(sql::kFindSession);
            bind_at(st, 1, id_hash);
            bind_time(st, 2, now);
            if (!st.executeStep()) return std::optional<Session>{};
            Session s;
            s.id_hash = st.getColumn(0).getString();
            if (!st.getColumn(1).isNull()) s.account_id = st.getColumn(1).getInt64();
            s.created_at = from_unix_seconds(st.getColumn(2).getInt64());
            s.expires_at = from_unix_seconds(st.getColumn(3).getInt64());
            s.data = st.getColumn(4).getString();
            return std::optional<Session>{s};
        });
    }
    Status save_data(const std::string& id_hash, const std::string& data) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kSaveSessionData);
            bind_at(st, 1, id_hash);
            bind_at(st, 2, data);
            st.exec();
            return {};
        });
    }
    Status extend(const std::string& id_hash, TimePoint expires_at) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kExtendSession);
            bind_at(st, 1, id_hash);
            bind_time(st, 2, expires_at);
            st.exec();
            return {};
        });
    }
    Status remove(const std::string& id_hash) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kDeleteSession);
            bind_at(st, 1, id_hash);
            st.exec();
            return {};
        });
    }
    Result<std::size_t> purge_expired(TimePoint now) override {
        return guarded([&]() -> Result<std::size_t> {
            auto& st = c_.statement(sql::kPurgeSessions);
            bind_time(st, 1, now);
            return static_cast<std::size_t>(st.exec());
        });
    }

    // Outbox
    Result<std::int64_t> enqueue(const OutgoingMail& m, TimePoint now) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto& st = c_.statement(sql::kEnqueueMail);
            bind_at(st, 1, m.recipient);
            bind_at(st, 2, m.subject);
            bind_at(st, 3, m.message);
            bind_time(st, 4, now);
            st.executeStep();
            return st.getColumn(0).getInt64();
        });
    }
    Result<std::vector<OutboxEntry>> lease_due(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                               const std::string& worker) override {
        return guarded([&]() -> Result<std::vector<OutboxEntry>> {
            std::vector<std::int64_t> ids;
            {
                auto& st = c_.statement(kSelectDueMail);
                bind_time(st, 1, now);
                bind_at(st, 2, static_cast<int64_t>(limit));
                while (st.executeStep()) ids.push_back(st.getColumn(0).getInt64());
            }
            std::vector<OutboxEntry> out;
            for (auto id : ids) {
                auto& st = c_.statement(sql::kLeaseMail);
                bind_at(st, 1, static_cast<int64_t>(id));
                bind_time(st, 2, now + lease);
                bind_at(st, 3, worker);
                if (st.executeStep()) out.push_back(read_mail(st));
            }
            return out;
        });
    }
    Status mark_sent(std::int64_t id, const std::string& worker, TimePoint now) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kMailSent);
            bind_at(st, 1, static_cast<int64_t>(id));
            bind_at(st, 2, worker);
            bind_time(st, 3, now);
            st.exec();
            return {};
        });
    }
    Status mark_retry(std::int64_t id, const std::string& worker, TimePoint next_attempt_at,
                      const std::string& error) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kMailRetry);
            bind_at(st, 1, static_cast<int64_t>(id));
            bind_at(st, 2, worker);
            bind_time(st, 3, next_attempt_at);
            bind_at(st, 4, error);
            st.exec();
            return {};
        });
    }
    Status mark_failed(std::int64_t id, const std::string& worker, const std::string& error) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kMailFailed);
            bind_at(st, 1, static_cast<int64_t>(id));
            bind_at(st, 2, worker);
            bind_at(st, 3, error);
            st.exec();
            return {};
        });
    }
    Result<std::vector<OutboxEntry>> list(std::optional<OutboxEntry::State> state, std::size_t limit) override {
        return guarded([&]() -> Result<std::vector<OutboxEntry>> {
            auto& st = c_.statement(sql::kListMail);
            bind_at(st, 1, state ? std::string(to_string(*state)) : std::string());
            bind_at(st, 2, static_cast<int64_t>(limit));
            std::vector<OutboxEntry> out;
            while (st.executeStep()) out.push_back(read_mail(st));
            return out;
        });
    }
    Status retry(std::int64_t id, TimePoint now) override {
        return guarded([&]() -> Status {
            auto& st = c_.statement(sql::kRetryMail);
            bind_at(st, 1, static_cast<int64_t>(id));
            bind_time(st, 2, now);
            if (st.exec() == 0)
                return fail(Error::not_found("mail.not_failed", "no failed mail " + std::to_string(id)));
            return {};
        });
    }

    // Audit
    Result<std::int64_t> record(const AuditEvent& e) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto& st = c_.statement(sql::kInsertAudit);
            bind_time(st, 1, e.at);
            bind_at(st, 2, e.actor);
            bind_at(st, 3, e.action);
            bind_at(st, 4, e.subject);
            bind_at(st, 5, e.ip);
            bind_at(st, 6, e.details.empty() ? std::string("{}") : e.details);
            st.executeStep();
            return st.getColumn(0).getInt64();
        });
    }
    Result<std::vector<AuditEvent>> for_subject(const std::string& subject, std::size_t limit) override {
        return guarded([&]() -> Result<std::vector<AuditEvent>> {
            auto& st = c_.statement(sql::kAuditForSubject);
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
        });
    }

    // Rate limits
    Result<std::int64_t> hit(const std::string& key, TimePoint window_start, TimePoint expires_at) override {
        return guarded([&]() -> Result<std::int64_t> {
            auto& st = c_.statement(sql::kHitRateLimit);
            bind_at(st, 1, key);
            bind_time(st, 2, window_start);
            bind_time(st, 3, expires_at);
            st.executeStep();
            return st.getColumn(0).getInt64();
        });
    }
    Result<std::size_t> purge_windows(TimePoint now) override {
        return guarded([&]() -> Result<std::size_t> {
            auto& st = c_.statement(sql::kPurgeRateLimits);
            bind_time(st, 1, now);
            return static_cast<std::size_t>(st.exec());
        });
    }

private:
    // Runs one repository call; a library exception becomes an Error and dooms the transaction.
    template <typename F>
    auto guarded(F&& f) -> decltype(f()) {
        if (failed_) return fail(*failed_);
        try {
            return f();
        } catch (const std::exception& e) {
            failed_ = storage_error(e);
            return fail(*failed_);
        }
    }

    Connection& c_;
    std::optional<Error> failed_;
    SqliteDeclarations declarations_;
    SqliteAccounts accounts_;
    SqliteSignInTokens signin_tokens_;
    SqliteAssessments assessments_;
    SqlitePolicies policies_;
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

namespace {

// SQLite counts the memory it uses (sqlite3_memory_used) under one process-wide mutex taken on
// every allocation and free: with two threads serving lookups it was the most contended lock of
// the server (a futex wait for most requests). sengen never reads those counts. sqlite3_config
// only takes effect before SQLite initialises, that is before the process opens its first
// database; if something opened one earlier, the counts simply stay on.
void turn_off_memory_statistics() {
    static std::once_flag once;
    std::call_once(once, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path) {
    turn_off_memory_statistics();
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
        // TxMode::Single: the one statement runs in SQLite's autocommit mode, a transaction by itself.
        if (mode != TxMode::Single) (*c)->run(mode == TxMode::Write ? kBeginImmediate : kBegin);
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
    Status result;
    try {
        SqliteTx tx(**c);
        result = work(tx);
        if (result && tx.failure()) result = fail(*tx.failure());
    } catch (const std::exception& e) {
        // The registry's repositories let library exceptions through to here: a unique
        // violation is a Conflict, as it is from the other repositories and on PostgreSQL.
        result = fail(storage_error(e));
    }
    try {
        (*c)->finish_statements();
        if (mode != TxMode::Single) (*c)->run(result ? kCommit : kRollback);
    } catch (const std::exception& e) {
        c->discard();
        if (result) return fail(unavailable(e));
    }
    return result;
}

Result<std::vector<std::string>> SqliteStore::apply_migrations(const std::vector<Migration>& migrations) {
    std::vector<std::string> applied;
    std::optional<Impl::Lease> c;
    try {
        c.emplace(impl_->lease());
        (*c)->db.exec(kCreateMigrationsTable);
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
    auto& db = (*c)->db;
    for (const auto& m : migrations) {
        try {
            db.exec("BEGIN IMMEDIATE");
            SQLite::Statement q(db, std::string(sql::kMigrationApplied));
            q.bind("$1", m.version);
            if (q.executeStep()) {
                q.reset();
                db.exec("COMMIT");
                continue;
            }
            q.reset();
            db.exec(std::string(m.sql));
            SQLite::Statement ins(db, kRecordMigration);
            ins.bind("$1", m.version);
            ins.bind("$2", m.name);
            ins.exec();
            db.exec("COMMIT");
            applied.push_back(m.name);
        } catch (const std::exception& e) {
            try {
                db.exec("ROLLBACK");
            } catch (...) {
                c->discard();
            }
            return fail(Error::unavailable("storage.migration_failed", m.name + ": " + e.what()));
        }
    }
    // Statements cached before a migration may describe the old schema; start afresh.
    if (!applied.empty()) (*c)->statements.clear();
    return applied;
}

Status SqliteStore::backup_to(const std::string& target_path) {
    const std::string temp = target_path + ".partial";
    try {
        {
            auto c = impl_->lease();
            copy_database(c->db, temp);
        }
        auto check = integrity_check(temp);
        if (!check) throw std::runtime_error(check.error().detail);
        if (*check != "ok") throw std::runtime_error("the copy fails its integrity check: " + *check);
        put_in_place(temp, target_path);
        return {};
    } catch (const std::exception& e) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        return fail(Error::unavailable("storage.backup_failed", e.what()));
    }
}

Result<std::string> SqliteStore::integrity_check(const std::string& path) {
    try {
        if (!std::filesystem::is_regular_file(path)) throw std::runtime_error("no such file");
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

Status SqliteStore::restore(const std::string& source_path, const std::string& target_path) {
    auto refused = [](std::string why) {
        return fail(Error{Error::Kind::Invalid, "storage.restore_refused", why, {}});
    };
    std::error_code ec;
    if (std::filesystem::equivalent(source_path, target_path, ec))
        return refused("the backup and the database are the same file");
    auto check = integrity_check(source_path);
    if (!check) return refused("not a readable SQLite database (" + check.error().detail + ")");
    if (*check != "ok") return refused("the file fails SQLite's integrity check:\n" + *check);
    const std::string temp = target_path + ".restoring";
    try {
        SQLite::Database source(source_path, SQLite::OPEN_READONLY);
        if (!SQLite::Statement(source, kIsSengenDatabase).executeStep())
            return refused("an SQLite database, but not a sengen one (no schema_migrations table)");
        auto parent = std::filesystem::path(target_path).parent_path();
        if (!parent.empty()) std::filesystem::create_directories(parent);
        copy_database(source, temp);
        // A log left beside the old file would be replayed into the new one.
        for (const char* suffix : {"-wal", "-shm", "-journal"}) std::filesystem::remove(target_path + suffix);
        put_in_place(temp, target_path);
        return {};
    } catch (const std::exception& e) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        return fail(Error::unavailable("storage.restore_failed", e.what()));
    }
}

}  // namespace sengen::storage::sqlite
