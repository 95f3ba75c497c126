// Bulk writes (`sengen import`, `sengen seed`): one INSERT of many rows instead of one statement
// per row, on both engines through the ordinary SqlConnection port. Each size of statement is
// prepared once per connection and reused, so a long run costs one parse per size.
#pragma once
#include <array>
#include <cstddef>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "storage/sql_connection.hpp"

namespace sengen::storage {

// The parameters of one multi-row statement, filled row by row. Text made for a row (a search
// key, a joined list) is kept here until the statement has run, since a Param only views it.
class BatchParams {
public:
    void add(Param p) { params_.push_back(p); }
    std::string_view keep(std::string s) { return kept_.emplace_back(std::move(s)); }

    std::span<const Param> params() const { return params_; }
    void clear() {
        params_.clear();
        kept_.clear();
    }

private:
    std::vector<Param> params_;
    std::deque<std::string> kept_;  // a deque: what is kept never moves while more is added
};

// `INSERT INTO table (columns) VALUES (row), (row), ... tail` for up to kMaxRows rows a statement.
// Runs of any length are cut into statements of kMaxRows rows and, for the rest, of the smaller
// sizes in kSizes, so that few distinct statements are ever prepared. Build one per statement as a
// function-local static: connections cache each size under its name, which must outlive them.
class BatchedInsert {
public:
    // 256 rows a statement: a round trip and a statement's overhead shared by 256 rows, while
    // the widest row written this way (40 columns) stays under both engines' limits on parameters
    // (SQLite 32,766, PostgreSQL 65,535). See docs/adr/0039-bulk-writes-as-multi-row-inserts.md.
    static constexpr std::array<std::size_t, 4> kSizes = {256, 32, 4, 1};
    static constexpr std::size_t kMaxRows = kSizes[0];

    // `head` is everything up to and including VALUES, `tail` what follows the rows (RETURNING,
    // ON CONFLICT), `columns` the number of values in a row.
    BatchedInsert(std::string_view name, std::string_view head, std::size_t columns, std::string_view tail);

    // Inserts `count` rows: `bind(i, out)` adds row i's `columns` values to `out`, in order.
    // Rows the statements return (RETURNING) go to `on_row`, in no particular order. A failed
    // statement dooms the transaction (SqlConnection::run), so a failure leaves nothing behind
    // once the caller's transaction rolls back.
    Status run(SqlConnection& c, std::size_t count, const std::function<void(std::size_t, BatchParams&)>& bind,
               RowSink on_row = {}) const;

private:
    struct Sized {
        std::string name, text;
        std::size_t rows = 0;
    };
    std::size_t columns_;
    std::vector<Sized> sized_;  // one per kSizes, built once and never changed: statements view them
};

// PostgreSQL's COPY of `count` rows into `target` (SqlConnection::copy_rows), each row's values
// added by `bind(i, out)` as for BatchedInsert::run: one stream for the whole run instead of a
// statement per 256 rows, where a bulk write returns nothing (ADR 57).
Status copy_rows(SqlConnection& c, const sql::CopyTarget& target, std::size_t count,
                 const std::function<void(std::size_t, BatchParams&)>& bind);

}  // namespace sengen::storage
