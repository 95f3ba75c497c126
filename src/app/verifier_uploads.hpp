// A verifier's uploaded file of IDs (the bulk verification page, issue 12 point 7): reading it
// (UTF-8 or Shift_JIS, an optional header row recognised by its ID column's heading, up to three
// columns: ID, corporate number, date), the result of every row in input order (bad rows kept with their line number
// and reason), and the stored form of that result, from which the page and both downloads are made.
#pragma once
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/verifications.hpp"
#include "domain/csv_reader.hpp"
#include "domain/text_encoding.hpp"

namespace sengen::app {

inline constexpr std::size_t kUploadMaxRows = 10000;
inline constexpr std::size_t kUploadMaxBytes = std::size_t{800} * 1024;
// The result files echo every row as wide as the widest: without a bound on the columns, one row
// of many thousand commas among thousands of short rows would take gigabytes to write out.
inline constexpr std::size_t kUploadMaxColumns = 64;

// What became of one row. Found rows may still be Mismatch (the corporate number differs).
enum class RowOutcome { Found, NotFound, Mistyped, Mismatch, BadRow };
std::string_view to_string(RowOutcome o);  // "found", "not_found", "mistyped", "mismatch", "bad_row"

struct UploadRow {
    std::size_t line = 0;             // where the row starts in the file (1-based)
    std::vector<std::string> fields;  // the row's cells as read
    RowOutcome outcome = RowOutcome::BadRow;
    // Why: for BadRow "row.unterminated_quote", "row.no_id", "row.corporate_number", "row.date",
    // "id.malformed"; for Mistyped "id.check_digit"; for NotFound "id.other_registry" or
    // "verification.not_declared_on_date"; else "".
    std::string reason;
    // For a found row: the declaration as it stood (on the row's date, if it has one).
    int level = 0;
    std::string status;  // lifecycle::to_string
    std::string business_name;
    std::string declared_at;  // YYYY-MM-DD in Japan
    std::string level_since;
    std::optional<bool> corporate_number_matches;
};

struct UploadResult {
    text::Encoding encoding = text::Encoding::Utf8;
    std::optional<std::vector<std::string>> header;  // the header row, when the file had one
    std::size_t header_line = 0;                     // where it was (the first row not empty)
    std::size_t columns = 0;                         // the widest row's number of cells
    std::vector<UploadRow> rows;                     // in input order
    std::array<std::size_t, 5> counts{};             // by RowOutcome

    std::size_t count(RowOutcome o) const { return counts[static_cast<std::size_t>(o)]; }
};

// A file read but not yet verified: the rows, and for each row that can be verified, its item.
struct ReadUpload {
    UploadResult result;                  // rows with fields; bad rows already decided
    std::vector<VerificationItem> items;  // for the rows left undecided, in order
    std::vector<std::size_t> item_rows;   // the index in result.rows of each item
};

// Invalid with a field error on "file": "empty", "encoding" (neither UTF-8 nor Shift_JIS), "too_large"
// (over kUploadMaxBytes), "too_many_rows" (over kUploadMaxRows), "too_many_columns" (a row of more
// than kUploadMaxColumns cells).
Result<ReadUpload> read_upload(std::string_view bytes);

// Fills in the results of the verified items.
void apply_results(ReadUpload& upload, const Verified& verified);

// The stored form (JSON) and back; Unavailable "storage.corrupt" for text that is not one.
std::string to_stored(const UploadResult& r);
Result<UploadResult> from_stored(std::string_view text);

}  // namespace sengen::app
