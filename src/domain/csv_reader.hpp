// Reading CSV text (RFC 4180, as spreadsheets write it), for both readers of outside CSV: the
// verifiers' upload (app/verifier_uploads.hpp) and `sengen import` (app/declaration_import.hpp).
// Fields are separated by commas, records by CR LF, LF or a lone CR; a field in double quotes may
// hold commas, line breaks and doubled quotes. Lenient where spreadsheets are (a quote inside an
// unquoted field, or text after a closing quote, is kept as typed); strict where data would be
// lost (a quote left open is reported with the line it opened on, never silently joined to the
// rest of the file). Pure: it works on UTF-8 text already decoded (domain/text_encoding.hpp).
#pragma once
#include <cstddef>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace sengen::csv {

struct Record {
    std::size_t line = 0;  // the line (1-based) the record starts on, as a spreadsheet numbers rows
    std::vector<std::string> fields;
    bool unterminated_quote = false;  // a quoted field ran to the end of the text
};

// Whether a line of empty fields only (",,") is a record. Spreadsheets write such lines for rows
// that only ever had formatting; a blank line is never a record.
enum class EmptyRows {
    AreRecords,  // reported like any other row (the import: a file that is checked cell by cell)
    Skipped,     // not read (the verifiers' upload, saved from a spreadsheet by hand)
};

struct Options {
    std::size_t first_line = 1;  // the line the text starts on (a part of a larger file: split_records)
    std::size_t max_records = std::numeric_limits<std::size_t>::max();
    EmptyRows empty_rows = EmptyRows::AreRecords;
};

struct Summary {
    std::size_t records = 0;  // handed to the caller
    bool over_limit = false;  // there were more than `max_records`; the rest were not read
    // The line a quote opened on that never closed (0: none). The record holding it was the last
    // one handed over, flagged `unterminated_quote`, with the rest of the text in its last field.
    std::size_t unterminated_quote_line = 0;
};

// Hands each record of `text` to `each`, in order (the record is reused between calls: move
// what is kept). A UTF-8 byte order mark at the start is skipped. Reads at most
// `options.max_records` records.
Summary for_each_record(std::string_view text, const Options& options, const std::function<void(Record&)>& each);

struct Records {
    std::vector<Record> records;
    bool over_limit = false;
    std::size_t unterminated_quote_line = 0;
};
// The records of `text`, collected.
Records read_records(std::string_view text, const Options& options);

// A part of a CSV text that begins at the start of a record, and the line it begins on.
struct Part {
    std::string_view text;
    std::size_t first_line = 1;
};
// Cuts `text` into up to `parts` pieces of about equal size, each ending at the end of a record (a
// line feed outside quotes), so that each can be read by its own thread. The first piece is the
// first record alone (a header); the rest share the others.
std::vector<Part> split_records(std::string_view text, std::size_t parts);

}  // namespace sengen::csv
