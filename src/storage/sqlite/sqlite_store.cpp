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

constexpr const char* kInsertSession =
    "INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
constexpr const char* kFindSession =
    "SELECT id_hash, account_id, created_at, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > $2";
constexpr const char* kExtendSession = "UPDATE sessions SET expires_at = $2 WHERE id_hash = $1";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE id_hash = $1";
constexpr const char* kPurgeSessions = "DELETE FROM sessions WHERE expires_at <= $1";

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
void bind(SQLite::Statement& st, int n, const T& v) {
    st.bind("$" + std::to_string(n), v);
}
void bind_null(SQLite::Statement& st, int n) { st.bind("$" + std::to_string(n)); }

Error unavailable(const std::exception& e) { return Error::unavailable("storage.unavailable", e.what()); }

}  // namespace

struct SqliteStore::Impl {
    std::string path;
    std::mutex mutex;
    std::vector<std::unique_ptr<Connection>> idle;

    // A connection lent to the caller for the scope of one operation.
    class Lease {
    public:
        Lease(Impl& impl, std::unique_ptr<Connection> c) : impl_(impl), c_(std::move(c)) {}
        ~Lease() {
            std::lock_guard lock(impl_.mutex);
            if (impl_.idle.size() < 64) impl_.idle.push_back(std::move(c_));
        }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection* operator->() { return c_.get(); }

    private:
        Impl& impl_;
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

Result<std::unique_ptr<SqliteStore>> open(const std::string& path) {
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
                c->db.exec("COMMIT");
                continue;
            }
            c->db.exec(std::string(m.sql));
            SQLite::Statement ins(
                c->db, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, strftime('%s','now'))");
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

Status SqliteStore::create(const Session& s) {
    try {
        auto c = impl_->lease();
        auto& st = c->statement(kInsertSession);
        bind(st, 1, s.id_hash);
        if (s.account_id)
            bind(st, 2, static_cast<int64_t>(*s.account_id));
        else
            bind_null(st, 2);
        bind(st, 3, static_cast<int64_t>(unix_seconds(s.created_at)));
        bind(st, 4, static_cast<int64_t>(unix_seconds(s.expires_at)));
        st.exec();
        return {};
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

Result<std::optional<Session>> SqliteStore::find(const std::string& id_hash, TimePoint now) {
    try {
        auto c = impl_->lease();
        auto& st = c->statement(kFindSession);
        bind(st, 1, id_hash);
        bind(st, 2, static_cast<int64_t>(unix_seconds(now)));
        if (!st.executeStep()) return std::optional<Session>{};
        Session s;
        s.id_hash = st.getColumn(0).getString();
        if (!st.getColumn(1).isNull()) s.account_id = st.getColumn(1).getInt64();
        s.created_at = from_unix_seconds(st.getColumn(2).getInt64());
        s.expires_at = from_unix_seconds(st.getColumn(3).getInt64());
        return std::optional<Session>{s};
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

Status SqliteStore::extend(const std::string& id_hash, TimePoint expires_at) {
    try {
        auto c = impl_->lease();
        auto& st = c->statement(kExtendSession);
        bind(st, 1, id_hash);
        bind(st, 2, static_cast<int64_t>(unix_seconds(expires_at)));
        st.exec();
        return {};
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

Status SqliteStore::remove(const std::string& id_hash) {
    try {
        auto c = impl_->lease();
        auto& st = c->statement(kDeleteSession);
        bind(st, 1, id_hash);
        st.exec();
        return {};
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

Result<std::size_t> SqliteStore::purge_expired(TimePoint now) {
    try {
        auto c = impl_->lease();
        auto& st = c->statement(kPurgeSessions);
        bind(st, 1, static_cast<int64_t>(unix_seconds(now)));
        return static_cast<std::size_t>(st.exec());
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
}

}  // namespace sengen::storage::sqlite
