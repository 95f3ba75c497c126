// Multi-row INSERT statements (see batched_insert.hpp).
#include "storage/batched_insert.hpp"

namespace sengen::storage {

BatchedInsert::BatchedInsert(std::string_view name, std::string_view head, std::size_t columns, std::string_view tail)
    : columns_(columns) {
    sized_.reserve(kSizes.size());
    for (std::size_t rows : kSizes) {
        Sized s;
        s.rows = rows;
        s.name = std::string(name) + "_x" + std::to_string(rows);
        s.text = std::string(head);
        std::size_t n = 0;
        for (std::size_t r = 0; r < rows; ++r) {
            s.text += r == 0 ? " (" : ", (";
            for (std::size_t k = 0; k < columns; ++k) {
                if (k > 0) s.text += ", ";
                s.text += '$';
                s.text += std::to_string(++n);
            }
            s.text += ')';
        }
        s.text += tail;
        sized_.push_back(std::move(s));
    }
}

Status BatchedInsert::run(SqlConnection& c, std::size_t count,
                          const std::function<void(std::size_t, BatchParams&)>& bind, RowSink on_row) const {
    BatchParams params;
    std::size_t done = 0;
    for (const auto& s : sized_) {
        while (count - done >= s.rows) {
            params.clear();
            for (std::size_t r = 0; r < s.rows; ++r) bind(done + r, params);
            // A binder that adds the wrong number of values is a bug of the repository calling.
            if (params.params().size() != s.rows * columns_)
                return fail(
                    Error::unavailable("storage.unavailable", s.name + ": rows bound with the wrong number of values"));
            if (auto ran = c.run(sql::Statement{s.name, s.text}, params.params(), on_row, Fetch::All); !ran)
                return fail(std::move(ran.error()));
            done += s.rows;
        }
    }
    return {};
}

Status copy_rows(SqlConnection& c, const sql::CopyTarget& target, std::size_t count,
                 const std::function<void(std::size_t, BatchParams&)>& bind) {
    BatchParams params;
    return c.copy_rows(target, count, [&](std::size_t i) {
        params.clear();
        bind(i, params);
        return params.params();
    });
}

}  // namespace sengen::storage
