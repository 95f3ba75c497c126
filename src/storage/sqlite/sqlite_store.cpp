// SQLite adapter: the SqlConnection port over the C API (statements cached per connection, each
// $n written as SQLite's ?n, texts bound without copying), the connection pool, transactions,
// migrations, backup and restore. Library exceptions (from SQLiteCpp, used to open, migrate and
// copy databases) become Error values here, at the boundary.
#include "storage/sqlite/sqlite_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "storage/repositories.hpp"
#include "storage/sqlite/numbered_parameters.hpp"

namespace sengen::storage::sqlite {

namespace {

using sql::Statement;

// Transaction control, run through Connection::control.
constexpr Statement kBegin{"begin", "BEGIN"};
constexpr Statement kBeginImmediate{"begin_immediate", "BEGIN IMMEDIATE"};
constexpr Statement kCommit{"commit", "COMMIT"};
constexpr Statement kRollback{"rollback", "ROLLBACK"};
// Each write of a group (SqliteStore::Impl::write_in_group) is undone alone if it fails.
constexpr Statement kSavepoint{"savepoint", "SAVEPOINT one_write"};
constexpr Statement kReleaseSavepoint{"release_savepoint", "RELEASE one_write"};
constexpr Statement kRollbackToSavepoint{"rollback_to_savepoint", "ROLLBACK TO one_write"};

// TxMode::WriteMany. SQLite checks a foreign key on every row it inserts, and on a multi-row
// INSERT into a table that others refer to it also looks into each referring table for every row:
// with the sqlite3 shell, inserting 200,000 imported declarations took 3.9 times the CPU time with
// the checks on (bench/README.md). So the transaction runs with enforcement off (which SQLite
// allows to change only outside a transaction) and checks every reference in the database in one
// pass before it commits: any row returned by foreign_key_check fails the transaction, which then
// rolls back, as a row refused on insert would have.
constexpr Statement kForeignKeysOff{"foreign_keys_off", "PRAGMA foreign_keys = OFF"};
constexpr Statement kForeignKeysOn{"foreign_keys_on", "PRAGMA foreign_keys = ON"};
constexpr Statement kForeignKeyCheck{"foreign_key_check", "PRAGMA foreign_key_check"};

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
    "applied_at INTEGER NOT NULL)";
constexpr const char* kRecordMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, strftime('%s','now'))";
constexpr const char* kIsSengenDatabase =
    "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'";

Error unavailable(const std::string& what) { return Error::unavailable("storage.unavailable", what); }
Error unavailable(const std::exception& e) { return unavailable(std::string(e.what())); }

// The error of the last failed call on `db`: a unique or primary-key violation is a Conflict,
// anything else Unavailable (the same style as PostgreSQL's adapter).
Error last_error(sqlite3* db) {
    const int x = sqlite3_extended_errcode(db);
    if (x == SQLITE_CONSTRAINT_UNIQUE || x == SQLITE_CONSTRAINT_PRIMARYKEY)
        return Error::conflict("storage.conflict", sqlite3_errmsg(db));
    return unavailable(std::string(sqlite3_errmsg(db)));
}

// A prepared statement and the number of its parameters, $1 to $count.
struct Prepared {
    sqlite3_stmt* stmt = nullptr;
    std::size_t count = 0;

    Prepared() = default;
    Prepared(const Prepared&) = delete;
    Prepared& operator=(const Prepared&) = delete;
    ~Prepared() { sqlite3_finalize(stmt); }
};

// One connection with its cached prepared statements. Used by one thread at a time: SqliteStore
// lends it for one transaction under its pool's mutex, so the connection is opened without
// SQLite's own per-connection mutex (SQLITE_OPEN_NOMUTEX, "multi-thread" mode), which every
// sqlite3_* call on it would otherwise take and release.
struct Connection {
    SQLite::Database db;
    std::map<std::string_view, std::unique_ptr<Prepared>> statements;

    explicit Connection(const std::string& path)
        : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 5000) {
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA foreign_keys=ON");
        db.exec("PRAGMA synchronous=FULL");
        // Pages are read through a memory map rather than a read() call per page: a lookup in a
        // large registry touches pages that are not in this connection's page cache, and the
        // system call was most of its cost. The map only covers the first kMmapBytes of the file;
        // the rest is read as before. (SQLite: "Memory-Mapped I/O".) TxMode::ReadMany turns the
        // map off for its transaction: see map_pages.
        db.exec("PRAGMA mmap_size=" + std::to_string(kMmapBytes));
        // Temporary files in memory, above all the statement journal that a write transaction
        // keeps for each INSERT or UPDATE that may fail half-way (to undo that statement alone):
        // on disk it is written page by page, which made `sengen import` spend most of its time
        // in write(). SQLite decides where it goes when a transaction begins, so it is set here.
        db.exec("PRAGMA temp_store=MEMORY");
    }

    static constexpr long long kMmapBytes = 1LL << 30;

    sqlite3* handle() const { return db.getHandle(); }

    // Whether this connection reads pages through the memory map (kMmapBytes) or with read().
    // A commit by any other connection makes SQLite drop a reader's whole map when that reader
    // next begins a transaction (the pager's "database changed" reset), and every page is then
    // faulted in again. For a lookup of a few pages that costs little; for a bulk verification,
    // which touches a couple of thousand scattered pages right after its own call was recorded
    // (a commit), the page faults were over two thirds of the request's CPU time. Read with
    // read() it took 8.7 ms of CPU per 1000 IDs over 1,000,000 declarations instead of 28 ms
    // (bench/README.md). Changed between transactions only, when no page of the map is in use.
    void map_pages(bool on) {
        sqlite3_int64 limit = on ? kMmapBytes : 0;
        (void)sqlite3_file_control(handle(), "main", SQLITE_FCNTL_MMAP_SIZE, &limit);
    }

    // Whether a row of foreign_key_check came back: a reference that does not hold.
    Result<bool> references_broken() {
        auto p = prepared(kForeignKeyCheck);
        if (!p) return fail(p.error());
        const int rc = sqlite3_step((*p)->stmt);
        sqlite3_reset((*p)->stmt);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) return fail(last_error(handle()));
        return false;
    }

    // The cached statement, prepared on first use. Prepared first, then cached: a statement that
    // fails to prepare (a missing table) leaves no entry behind.
    Result<Prepared*> prepared(const Statement& s) {
        if (auto it = statements.find(s.name); it != statements.end()) return it->second.get();
        auto numbered = numbered_parameters(s.text);
        if (!numbered) return fail(unavailable(std::string(s.name) + ": parameters must be written $1, $2, ..."));
        auto p = std::make_unique<Prepared>();
        if (sqlite3_prepare_v3(handle(), numbered->first.data(), static_cast<int>(numbered->first.size()),
                               SQLITE_PREPARE_PERSISTENT, &p->stmt, nullptr) != SQLITE_OK)
            return fail(last_error(handle()));
        // Any other kind of parameter (?, :name, @name) would be numbered after the largest $n.
        p->count = numbered->second;
        if (static_cast<std::size_t>(sqlite3_bind_parameter_count(p->stmt)) != p->count)
            return fail(unavailable(std::string(s.name) + ": parameters must be written $1, $2, ..."));
        return statements.emplace(s.name, std::move(p)).first->second.get();
    }

    // Runs a statement without parameters or rows (BEGIN, COMMIT, ROLLBACK), prepared once per
    // connection: sqlite3_exec would parse its text again on every transaction.
    Status control(const Statement& s) {
        auto p = prepared(s);
        if (!p) return fail(p.error());
        const int rc = sqlite3_step((*p)->stmt);
        sqlite3_reset((*p)->stmt);
        if (rc != SQLITE_DONE) return fail(last_error(handle()));
        return {};
    }
};

// The row a statement is on.
class SqliteRow final : public Row {
public:
    explicit SqliteRow(sqlite3_stmt* st) : st_(st) {}
    bool is_null(int column) const override { return sqlite3_column_type(st_, column) == SQLITE_NULL; }
    std::int64_t int64(int column) const override { return sqlite3_column_int64(st_, column); }
    std::string_view text(int column) const override {
        const auto* p = sqlite3_column_text(st_, column);  // before _bytes, as SQLite asks
        if (p == nullptr) return {};
        return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st_, column))};
    }

private:
    sqlite3_stmt* st_;
};

// The port on one connection for one transaction. Like PostgreSQL, a transaction in which a
// statement failed can only roll back: later calls fail with the same error.
class SqliteSql final : public SqlConnection {
public:
    explicit SqliteSql(Connection& c) : c_(c) {}
    Dialect dialect() const override { return Dialect::Sqlite; }
    const std::optional<Error>& failure() const { return failed_; }

    Result<std::size_t> run(const Statement& s, std::span<const Param> params, RowSink on_row, Fetch fetch) override {
        if (failed_) return fail(*failed_);
        auto p = c_.prepared(s);
        if (!p) return doom(p.error());
        sqlite3_stmt* st = (*p)->stmt;
        if (params.size() != (*p)->count)
            return doom(unavailable(std::string(s.name) + ": takes " + std::to_string((*p)->count) +
                                    " parameters, given " + std::to_string(params.size())));
        // Whatever happens below, even an exception from `on_row`, nothing is left stepping: SQLite
        // refuses to COMMIT while a write statement is in progress, a statement left on a row (a
        // RETURNING or SELECT read to its first row only) would keep its read snapshot open, and
        // one left mid-way could not be bound again.
        struct ResetOnExit {
            sqlite3_stmt* st;
            ~ResetOnExit() { sqlite3_reset(st); }
        } reset_on_exit{st};
        for (std::size_t i = 0; i < params.size(); ++i)
            if (bind(st, static_cast<int>(i + 1), params[i]) != SQLITE_OK) return doom(last_error(c_.handle()));
        // Every $n is bound on every run, so a text bound without copying by an earlier call (now
        // gone) is never read.
        SqliteRow row(st);
        Status read;
        int rc = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (on_row && !(read = on_row(row))) break;
            if (fetch == Fetch::First) break;
        }
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) return doom(last_error(c_.handle()));
        const std::size_t changed = rc == SQLITE_DONE && !sqlite3_stmt_readonly(st)
                                        ? static_cast<std::size_t>(sqlite3_changes(c_.handle()))
                                        : 0;
        if (!read) return fail(read.error());
        return changed;
    }

private:
    static int bind(sqlite3_stmt* st, int at, const Param& p) {
        switch (p.kind) {
            case Param::Kind::Integer:
                return sqlite3_bind_int64(st, at, p.integer);
            case Param::Kind::Text:
                // SQLITE_STATIC: the text outlives this run (see Param); a null pointer would bind NULL.
                return sqlite3_bind_text(st, at, p.text.data() ? p.text.data() : "", static_cast<int>(p.text.size()),
                                         SQLITE_STATIC);
            case Param::Kind::Null:
                break;
        }
        return sqlite3_bind_null(st, at);
    }

    tl::unexpected<Error> doom(Error e) {
        failed_ = std::move(e);
        return fail(*failed_);
    }

    Connection& c_;
    std::optional<Error> failed_;
};

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

    // --- Group commit (docs/adr/0062-sqlite-writes-commit-in-groups.md) ---------------------------
    //
    // Every commit of a write transaction waits for fdatasync of the write-ahead log, and SQLite
    // cannot share one sync between transactions: applications were about 1.4 ms each, nearly all
    // of it waiting for the disk. So the process's TxMode::Write transactions are run together:
    // whoever finds no group committing takes every write waiting (its own included) and runs
    // them one after another in one transaction, each inside its own savepoint, then commits once.
    // A write that fails is rolled back to its savepoint alone, as its own transaction would have
    // been; the others commit. Each caller gets its own result only after the commit, so nothing
    // is reported stored before it is durable. Writers of other processes still queue on SQLite's
    // lock as before.
    struct PendingWrite {
        const std::function<Status(Transaction&)>* work;
        Status result;
        bool done = false;
    };
    static constexpr std::size_t kMaxGroup = 64;
    std::mutex group_mutex;
    std::condition_variable group_done;
    std::vector<PendingWrite*> waiting;
    bool committing = false;
    std::uint64_t groups_committed = 0, writes_committed = 0;  // under group_mutex

    Status write_in_group(const std::function<Status(Transaction&)>& work);
    void commit_group(const std::vector<PendingWrite*>& group);
};

namespace {
// Set while this thread runs a group: a write transaction begun inside one of its writes would wait
// for the group it is part of.
thread_local bool running_group = false;
}  // namespace

Status SqliteStore::Impl::write_in_group(const std::function<Status(Transaction&)>& work) {
    if (running_group) return fail(unavailable("a write transaction inside another write transaction"));
    PendingWrite me{&work, {}, false};
    std::unique_lock lock(group_mutex);
    waiting.push_back(&me);
    while (!me.done) {
        if (committing) {
            group_done.wait(lock);
            continue;
        }
        committing = true;
        const auto take = std::min(waiting.size(), kMaxGroup);
        std::vector<PendingWrite*> group(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(take));
        waiting.erase(waiting.begin(), waiting.begin() + static_cast<std::ptrdiff_t>(take));
        lock.unlock();
        running_group = true;
        commit_group(group);
        running_group = false;
        lock.lock();
        ++groups_committed;
        writes_committed += group.size();
        for (auto* w : group) w->done = true;
        committing = false;
        group_done.notify_all();
    }
    return std::move(me.result);
}

void SqliteStore::Impl::commit_group(const std::vector<PendingWrite*>& group) {
    auto fail_all = [&](const Error& e) {
        for (auto* w : group) w->result = fail(e);
    };
    std::optional<Lease> c;
    try {
        c.emplace(lease());
    } catch (const std::exception& e) {
        return fail_all(unavailable(e));
    }
    if (auto begun = (*c)->control(kBeginImmediate); !begun) return fail_all(begun.error());
    // When the transaction itself is lost half-way (SQLite rolls it back by itself on a full disk
    // or an I/O error, or a savepoint statement fails), every write of the group is lost with it:
    // none was reported stored, so each caller gets the error.
    auto lose_all = [&](const Error& e) {
        if (!sqlite3_get_autocommit((*c)->handle())) (void)(*c)->control(kRollback);
        c->discard();
        fail_all(e);
    };
    for (auto* w : group) {
        if (auto saved = (*c)->control(kSavepoint); !saved) return lose_all(saved.error());
        SqliteSql sql(**c);
        Status result;
        try {
            SqlTransaction tx(sql);
            result = (*w->work)(tx);
            if (result && sql.failure()) result = fail(*sql.failure());
        } catch (const std::exception& e) {
            result = fail(unavailable(e));
        }
        if (sqlite3_get_autocommit((*c)->handle()))
            return lose_all(result ? unavailable("the transaction was rolled back") : result.error());
        if (!result)
            if (auto undone = (*c)->control(kRollbackToSavepoint); !undone) return lose_all(undone.error());
        if (auto released = (*c)->control(kReleaseSavepoint); !released) return lose_all(released.error());
        w->result = std::move(result);
    }
    if (auto committed = (*c)->control(kCommit); !committed) {
        lose_all(committed.error());
    }
}

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

SqliteStore::GroupCommits SqliteStore::group_commits() const {
    std::lock_guard lock(impl_->group_mutex);
    return {impl_->groups_committed, impl_->writes_committed, impl_->waiting.size()};
}

Status SqliteStore::transact(TxMode mode, const std::function<Status(Transaction&)>& work) {
    if (mode == TxMode::Write) return impl_->write_in_group(work);
    std::optional<Impl::Lease> c;
    try {
        c.emplace(impl_->lease());
    } catch (const std::exception& e) {
        return fail(unavailable(e));
    }
    // TxMode::Single: the one statement runs in SQLite's autocommit mode, a transaction by itself.
    const bool many = mode == TxMode::ReadMany;
    const bool bulk = mode == TxMode::WriteMany;
    // A connection whose settings could not be put back is closed rather than lent again.
    auto restore = [&]() -> Status {
        if (many) (*c)->map_pages(true);
        if (bulk)
            if (auto on = (*c)->control(kForeignKeysOn); !on) {
                c->discard();
                return on;
            }
        return {};
    };
    if (many) (*c)->map_pages(false);
    if (bulk) {
        if (auto off = (*c)->control(kForeignKeysOff); !off) {
            (void)restore();
            return off;
        }
    }
    if (mode != TxMode::Single)
        if (auto begun = (*c)->control(mode == TxMode::Write || bulk ? kBeginImmediate : kBegin); !begun) {
            (void)restore();
            return begun;
        }
    SqliteSql sql(**c);
    Status result;
    try {
        SqlTransaction tx(sql);
        result = work(tx);
        if (result && sql.failure()) result = fail(*sql.failure());
    } catch (const std::exception& e) {
        result = fail(unavailable(e));
    }
    if (result && bulk) {
        auto broken = (*c)->references_broken();
        if (!broken)
            result = fail(broken.error());
        else if (*broken)
            result = fail(unavailable("FOREIGN KEY constraint failed"));  // as SQLite reports it per row
    }
    if (mode != TxMode::Single) {
        if (auto ended = (*c)->control(result ? kCommit : kRollback); !ended) {
            c->discard();  // closed, with its setting
            return result ? ended : result;
        }
    }
    if (auto restored = restore(); !restored && result) return restored;
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
            SQLite::Statement q(db, std::string(kMigrationApplied));
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
        return fail(Error{Error::Kind::Invalid, "storage.restore_refused", std::move(why), {}});
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
