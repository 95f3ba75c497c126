// The seam between the repositories (written once, in repositories/) and the two engines (sqlite/,
// postgres/): run one named statement inside the current transaction, with typed parameters bound
// to its $n placeholders, and read the rows it returns. Each engine implements SqlConnection once.
#pragma once
#include <concepts>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "domain/clock.hpp"
#include "domain/error.hpp"

namespace sengen::storage {

namespace sql {

// A statement and the name it is cached (SQLite) or prepared (PostgreSQL) under. `$1..$n` mean
// the same on both engines, as do RETURNING and ON CONFLICT; times are whole Unix seconds.
struct Statement {
    std::string_view name;
    std::string_view text;
};

// A table and the columns a bulk COPY fills, in the order each row gives its values (PostgreSQL
// only, SqlConnection::copy_rows). Names from the repository's own constants, never from data.
struct CopyTarget {
    std::string_view table;
    std::span<const std::string_view> columns;
};

}  // namespace sql

// Which engine's SQL a connection speaks, for the few statements whose text differs.
enum class Dialect { Sqlite, Postgres };

// One value bound to a placeholder. Text is viewed, not copied: it lives as long as the call
// that binds it (a temporary lives to the end of the full expression, so `{std::string(...)}` is fine).
struct Param {
    enum class Kind : std::uint8_t { Null, Integer, Text };
    Kind kind = Kind::Null;
    std::int64_t integer = 0;
    std::string_view text;

    Param(std::nullopt_t) {}  // NOLINT(google-explicit-constructor): parameters convert implicitly
    template <std::integral T>
    requires(!std::same_as<T, bool>) Param(T v)
        : kind(Kind::Integer), integer(static_cast<std::int64_t>(v)) {}    // NOLINT
    Param(TimePoint t) : kind(Kind::Integer), integer(unix_seconds(t)) {}  // NOLINT
    Param(std::string_view s) : kind(Kind::Text), text(s) {}               // NOLINT
    Param(const std::string& s) : kind(Kind::Text), text(s) {}             // NOLINT
    Param(const char* s) : kind(Kind::Text), text(s) {}                    // NOLINT
    template <typename T>
    Param(const std::optional<T>& v) : Param(v ? Param(*v) : Param(std::nullopt)) {}  // NOLINT
};

// The current row of a result, columns numbered from 0 in the order of the SELECT or RETURNING list.
class Row {
public:
    virtual bool is_null(int column) const = 0;
    // 0 for NULL.
    virtual std::int64_t int64(int column) const = 0;
    // "" for NULL. Valid until the next row is read.
    virtual std::string_view text(int column) const = 0;

    std::string string(int column) const { return std::string(text(column)); }
    int integer(int column) const { return static_cast<int>(int64(column)); }
    TimePoint time(int column) const { return from_unix_seconds(int64(column)); }
    std::optional<TimePoint> optional_time(int column) const {
        return is_null(column) ? std::nullopt : std::optional<TimePoint>(time(column));
    }
    std::optional<std::int64_t> optional_int64(int column) const {
        return is_null(column) ? std::nullopt : std::optional<std::int64_t>(int64(column));
    }
    std::optional<std::string> optional_string(int column) const {
        return is_null(column) ? std::nullopt : std::optional<std::string>(string(column));
    }

protected:
    ~Row() = default;
};

// What a statement's caller does with each row: a reference to a callable taking `const Row&` and
// returning Status (an error stops the reading). Not owning, so no allocation; it lives for one call.
class RowSink {
public:
    RowSink() = default;
    // The requires clause keeps copies and moves of a RowSink away from this constructor; clang-tidy
    // 14 does not read requires clauses, hence bugprone-forwarding-reference-overload below.
    template <typename F>
    requires(!std::same_as<std::remove_cvref_t<F>, RowSink>)
        RowSink(F&& f)  // NOLINT(google-explicit-constructor,bugprone-forwarding-reference-overload)
        : object_(const_cast<void*>(static_cast<const void*>(&f))),
          call_([](void* o, const Row& r) -> Status { return (*static_cast<std::remove_reference_t<F>*>(o))(r); }) {}

    explicit operator bool() const { return call_ != nullptr; }
    Status operator()(const Row& r) const { return call_(object_, r); }

private:
    void* object_ = nullptr;
    Status (*call_)(void*, const Row&) = nullptr;
};

// How many rows of the result the caller reads.
enum class Fetch { All, First };

// One database connection inside one transaction (see Store::transact for the modes).
class SqlConnection {
public:
    virtual Dialect dialect() const = 0;

    // Runs `statement` with params[0] bound to $1, params[1] to $2, ..., and hands each row it
    // returns to `on_row` (only the first with Fetch::First). Returns the number of rows the
    // statement inserted, updated or deleted (not meaningful for a SELECT).
    //
    // A failed statement dooms the transaction on both engines: this call and every later one
    // return its error, and the transaction rolls back. A unique violation is a Conflict
    // ("storage.conflict"); anything else is Unavailable ("storage.unavailable"). An error returned
    // by `on_row` is returned as it is and does not doom the transaction.
    virtual Result<std::size_t> run(const sql::Statement& statement, std::span<const Param> params, RowSink on_row,
                                    Fetch fetch) = 0;

    // PostgreSQL's `COPY table (columns) FROM STDIN` of `count` rows inside the current
    // transaction: `row(i)` gives row i's values (valid until the next call), one per column, sent
    // as COPY data (escaped by the adapter, never part of a statement's text). Fails, and dooms
    // the transaction, as `run` does; a unique violation is a Conflict. Only PostgreSQL's adapter
    // has it (ADR 57): elsewhere it is a bug to call, and returns an error.
    virtual Status copy_rows(const sql::CopyTarget& target, std::size_t count,
                             const std::function<std::span<const Param>(std::size_t)>& row) {
        (void)target, (void)count, (void)row;
        return fail(Error::unavailable("storage.unavailable", "COPY is PostgreSQL's alone"));
    }

protected:
    ~SqlConnection() = default;
};

// --- what the repositories write -----------------------------------------------------------------

// Runs a statement for its effect; the number of rows it changed.
inline Result<std::size_t> execute(SqlConnection& c, const sql::Statement& s, std::initializer_list<Param> params) {
    return c.run(s, params, {}, Fetch::All);
}

// Runs a statement for its effect, whatever the number of rows it changed.
inline Status perform(SqlConnection& c, const sql::Statement& s, std::initializer_list<Param> params) {
    if (auto ran = c.run(s, params, {}, Fetch::All); !ran) return fail(std::move(ran.error()));
    return {};
}

namespace detail {
// The value of a row mapper's result: a mapper returns T, or Result<T> when reading can fail.
template <typename R>
struct Mapped {
    using type = R;
    static Result<R> wrap(R&& v) { return std::move(v); }
};
template <typename T>
struct Mapped<Result<T>> {
    using type = T;
    static Result<T> wrap(Result<T>&& v) { return std::move(v); }
};
template <typename F>
using MappedT = typename Mapped<std::invoke_result_t<F&, const Row&>>::type;
}  // namespace detail

// The first row, mapped by `map` (T or Result<T> from a Row); nullopt when there is none.
template <typename F>
Result<std::optional<detail::MappedT<F>>> first(SqlConnection& c, const sql::Statement& s,
                                                std::initializer_list<Param> params, F&& map) {
    using T = detail::MappedT<F>;
    std::optional<T> out;
    auto read = [&](const Row& r) -> Status {
        auto v = detail::Mapped<std::invoke_result_t<F&, const Row&>>::wrap(map(r));
        if (!v) return fail(std::move(v.error()));
        out.emplace(std::move(*v));
        return {};
    };
    if (auto ran = c.run(s, params, read, Fetch::First); !ran) return fail(std::move(ran.error()));
    return out;
}

// Every row, mapped by `map`.
template <typename F>
Result<std::vector<detail::MappedT<F>>> all(SqlConnection& c, const sql::Statement& s,
                                            std::initializer_list<Param> params, F&& map) {
    std::vector<detail::MappedT<F>> out;
    auto read = [&](const Row& r) -> Status {
        auto v = detail::Mapped<std::invoke_result_t<F&, const Row&>>::wrap(map(r));
        if (!v) return fail(std::move(v.error()));
        out.push_back(std::move(*v));
        return {};
    };
    if (auto ran = c.run(s, params, read, Fetch::All); !ran) return fail(std::move(ran.error()));
    return out;
}

// The first column of the first row as an integer (COUNT(*), RETURNING id); nullopt when no row.
inline Result<std::optional<std::int64_t>> first_int64(SqlConnection& c, const sql::Statement& s,
                                                       std::initializer_list<Param> params) {
    return first(c, s, params, [](const Row& r) { return r.int64(0); });
}

// A value read from the database that the code cannot map (an unknown status, an undecodable
// document): the data is damaged or newer than this binary.
inline Error corrupt(std::string detail) { return Error::unavailable("storage.corrupt", std::move(detail)); }

// A LIKE pattern that finds `s` anywhere in a value, with ! escaping LIKE's own characters (the
// statement says `ESCAPE '!'`).
inline std::string like_contains(const std::string& s) {
    std::string out = "%";
    for (char c : s) {
        if (c == '%' || c == '_' || c == '!') out += '!';
        out += c;
    }
    return out + "%";
}

}  // namespace sengen::storage
