// The operator's export of every declaration, as CSV or as an Excel workbook (`sengen export`,
// and later a console button: both formats write to a stream or a file the caller chooses).
#pragma once
#include <cstddef>
#include <ostream>
#include <string>

#include "domain/ports.hpp"

namespace sengen::app {

enum class ExportFormat { Csv, Xlsx };

// Every declaration whatever its status, oldest first, one row each under a header row; the
// columns are listed in docs/operations.md. This holds personal data (contacts): it is for the
// operator only. Dates are days in Japan, YYYY-MM-DD. Returns the number of declarations.
//
// CSV: UTF-8 with a byte order mark, CRLF line ends (RFC 4180), every text cell quoted as needed
// and neutralised against formula injection (render::csv_cell). The BOM is what makes Excel in
// Japan read the file as UTF-8 instead of Shift_JIS.
Result<std::size_t> export_declarations_csv(Store& store, std::ostream& out);

// .xlsx through libxlsxwriter in its constant-memory mode (rows go to a temporary file as they
// are written, so memory stays flat for any number of rows). Writes the workbook to `path`.
Result<std::size_t> export_declarations_xlsx(Store& store, const std::string& path);

}  // namespace sengen::app
