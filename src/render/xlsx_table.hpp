// One table as an Excel workbook through libxlsxwriter (ADR 35): a bold header row, then rows of
// text or number cells. Both the operator's export of declarations and the verifiers' result
// files write through here. Constant-memory mode: rows go to a temporary file as they are added,
// so memory stays flat for any number of rows.
#pragma once
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace sengen::render {

struct XlsxCell {
    std::string_view text;              // written as a string cell (never evaluated) unless empty
    std::optional<double> number = {};  // written as a number instead, when set
};

// The longest start of `text` that fits in one Excel cell: 32,767 characters, counted in UTF-16
// units as Excel counts them, cut between characters. libxlsxwriter refuses a longer string, and
// Excel could not show one; a file a verifier uploads may well hold such a cell.
std::string_view excel_cell_text(std::string_view text);

class XlsxTable {
public:
    // A new workbook at `path` with one sheet named `sheet` and the header row.
    static Result<XlsxTable> create(const std::string& path, const std::string& sheet,
                                    std::span<const std::string_view> header);
    XlsxTable(XlsxTable&&) noexcept;
    XlsxTable& operator=(XlsxTable&&) noexcept;
    ~XlsxTable();

    Status add_row(std::span<const XlsxCell> cells);
    // Writes the file; the table is unusable afterwards.
    Status close();

private:
    struct State;
    explicit XlsxTable(std::unique_ptr<State> s);
    std::unique_ptr<State> s_;
};

// The bytes of the workbook that `write` writes to the path it is given (a private temporary
// file, read back and removed), for an HTTP download.
Result<std::string> workbook_bytes(const std::function<Status(const std::string& path)>& write);

// The workbook of one table as bytes (written to a temporary file, read back and removed), for an
// HTTP download. `rows` holds the cells of each row.
Result<std::string> xlsx_bytes(const std::string& sheet, std::span<const std::string_view> header,
                               std::span<const std::vector<XlsxCell>> rows);

}  // namespace sengen::render
