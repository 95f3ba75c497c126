// Internal to the SQLite adapter: one connection with its cached statements, and the binding
// helpers every repository uses.
#pragma once
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "domain/clock.hpp"
#include "storage/sql.hpp"

namespace sengen::storage::sqlite {

// One connection with its cached prepared statements. Used by one thread at a time: SqliteStore
// lends it for one transaction under its pool's mutex, so the connection is opened without
// SQLite's own per-connection mutex (SQLITE_OPEN_NOMUTEX, "multi-thread" mode), which every
// sqlite3_* call on it would otherwise take and release.
struct Connection {
    SQLite::Database db;
    std::map<std::string_view, std::unique_ptr<SQLite::Statement>> statements;
    // The cached statements handed out since the last finish_statements.
    std::vector<SQLite::Statement*> used;

    explicit Connection(const std::string& path)
        : db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, 5000) {
        db.exec("PRAGMA journal_mode=WAL");
        db.exec("PRAGMA foreign_keys=ON");
        db.exec("PRAGMA synchronous=FULL");
        // Pages are read through a memory map rather than a read() call per page: a lookup in a
        // large registry touches pages that are not in this connection's page cache, and the
        // system call was most of its cost. The map only covers the first kMmapBytes of the file;
        // the rest is read as before. (SQLite: "Memory-Mapped I/O".)
        db.exec("PRAGMA mmap_size=" + std::to_string(kMmapBytes));
    }

    static constexpr long long kMmapBytes = 1LL << 30;

    // The cached statement, reset and unbound.
    SQLite::Statement& statement(const sql::Statement& s) {
        auto it = statements.find(s.name);
        if (it == statements.end()) {
            // Prepared first, then cached: a statement that fails to prepare (a missing table)
            // leaves no empty entry behind.
            auto prepared = std::make_unique<SQLite::Statement>(db, std::string(s.text));
            it = statements.emplace(s.name, std::move(prepared)).first;
        }
        auto& st = it->second;
        st->reset();
        st->clearBindings();
        used.push_back(st.get());
        return *st;
    }

    // Runs a statement without parameters or rows (BEGIN, COMMIT, ROLLBACK), prepared once per
    // connection: sqlite3_exec would parse its text again on every transaction. An error from the
    // statement's previous run (a BEGIN IMMEDIATE that timed out) is not raised again.
    void run(const sql::Statement& s) {
        auto it = statements.find(s.name);
        if (it == statements.end())
            it = statements.emplace(s.name, std::make_unique<SQLite::Statement>(db, std::string(s.text))).first;
        (void)it->second->tryReset();
        it->second->exec();
    }

    // Ends every statement still stepping (a RETURNING or SELECT read only to its first row):
    // SQLite refuses to COMMIT while a write statement is in progress, and a statement left on a
    // row keeps its read snapshot open.
    void finish_statements() {
        for (auto* st : used) st->reset();
        used.clear();
    }
};

// SQLite numbers "$n" parameters by first appearance, not by n; bind by name so that the same
// DML text as PostgreSQL's may use them in any order.
template <typename T>
void bind_at(SQLite::Statement& st, int n, const T& v) {
    st.bind("$" + std::to_string(n), v);
}
inline void bind_null(SQLite::Statement& st, int n) { st.bind("$" + std::to_string(n)); }
inline void bind_time(SQLite::Statement& st, int n, TimePoint t) {
    bind_at(st, n, static_cast<int64_t>(unix_seconds(t)));
}
inline void bind_opt_time(SQLite::Statement& st, int n, const std::optional<TimePoint>& t) {
    if (t)
        bind_time(st, n, *t);
    else
        bind_null(st, n);
}

}  // namespace sengen::storage::sqlite
