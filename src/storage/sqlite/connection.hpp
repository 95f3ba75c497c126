// Internal to the SQLite adapter: one connection with its cached statements, and the binding
// helpers every repository uses.
#pragma once
#include <map>
#include <memory>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "domain/clock.hpp"

namespace sengen::storage::sqlite {

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

    // A statement left on a row keeps its read snapshot (and, in WAL mode, its view of the
    // database) open after COMMIT: the next transaction on this connection would miss rows that
    // other connections wrote since. Reset every statement before a transaction ends.
    void reset_statements() {
        for (auto& [sql, st] : statements) (void)st->tryReset();
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
inline std::optional<TimePoint> opt_time(const SQLite::Column& c) {
    if (c.isNull()) return std::nullopt;
    return from_unix_seconds(c.getInt64());
}

}  // namespace sengen::storage::sqlite
