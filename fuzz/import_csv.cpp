// Fuzz target: the CSV reader of `sengen import` and of the verifiers' upload
// (domain/csv_reader.hpp). Whatever the bytes, reading ends, in both treatments of empty rows;
// line numbers only grow; a record left open by a quote is the last one read; the records read,
// written back with RFC 4180 quoting, read back to the same fields; a limit keeps the first records
// and says so; the parts split_records cuts for the import's checking threads join to the whole text.
#include <string>
#include <vector>

#include "domain/csv_reader.hpp"
#include "domain/text.hpp"
#include "fuzz_check.hpp"

namespace {

namespace csv = sengen::csv;

void check(std::string_view text, csv::EmptyRows empty_rows) {
    std::vector<std::vector<std::string>> records;
    std::size_t last_line = 0;
    bool open = false;
    const auto read = csv::for_each_record(text, {.empty_rows = empty_rows}, [&](csv::Record& r) {
        FUZZ_CHECK(!open);  // nothing follows a record whose quote never closed
        FUZZ_CHECK(r.line > last_line);
        last_line = r.line;
        open = r.unterminated_quote;
        records.push_back(r.fields);
    });
    FUZZ_CHECK(read.records == records.size());
    FUZZ_CHECK(open == (read.unterminated_quote_line != 0));
    if (open) {
        FUZZ_CHECK(read.unterminated_quote_line >= last_line);
        return;
    }
    std::string written;
    for (const auto& fields : records) {
        for (std::size_t i = 0; i < fields.size(); ++i)
            written += (i ? "," : "") + sengen::text::double_quoted(fields[i]);
        written += "\r\n";
    }
    const auto again = csv::read_records(written, {.empty_rows = empty_rows});
    FUZZ_CHECK(again.unterminated_quote_line == 0);
    FUZZ_CHECK(again.records.size() == records.size());
    for (std::size_t i = 0; i < records.size(); ++i) FUZZ_CHECK(again.records[i].fields == records[i]);
    if (!records.empty()) {
        const auto limited = csv::read_records(text, {.max_records = records.size() - 1, .empty_rows = empty_rows});
        FUZZ_CHECK(limited.over_limit);
        FUZZ_CHECK(limited.records.size() == records.size() - 1);
        for (std::size_t i = 0; i < limited.records.size(); ++i) FUZZ_CHECK(limited.records[i].fields == records[i]);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(text, csv::EmptyRows::AreRecords);
    check(text, csv::EmptyRows::Skipped);
    for (std::size_t parts : {1u, 2u, 5u}) {
        const auto split = csv::split_records(text, parts);
        std::string joined;
        for (const auto& p : split) joined += p.text;
        FUZZ_CHECK(joined == text);
    }
    return 0;
}
