// Reading CSV text (RFC 4180, as spreadsheets write it): fields separated by commas, records by
// CR LF or LF, a field in double quotes may hold commas, line breaks and doubled quotes. Lenient
// where spreadsheets are (a quote inside an unquoted field is kept as it is); strict where data
// would be lost (a quote left open is reported, never silently joined to the rest of the file).
// Pure: it works on UTF-8 text already decoded (domain/text_encoding.hpp).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sengen::csv {

struct Record {
    std::size_t line = 0;  // the line (1-based) the record starts on, as a spreadsheet numbers rows
    std::vector<std::string> fields;
    bool unterminated_quote = false;  // a quoted field ran to the end of the text
};

struct Records {
    std::vector<Record> records;
    bool over_limit = false;  // more than `max_records` non-blank records; the rest were not read
};

// The records of `text`, in order. A blank line, or a line of empty fields only (",,", which
// spreadsheets write for rows that only ever had formatting), is no record. At most `max_records`
// records are returned; `over_limit` says there were more.
Records read_records(std::string_view text, std::size_t max_records);

}  // namespace sengen::csv
