// Fuzz target: the CSV reader of `sengen import` (domain/declaration_import.hpp). Whatever the
// bytes, reading ends; the records read, written back with RFC 4180 quoting, read back to the same
// cells; the parts split_records cuts for the checking threads join to the whole text, each
// starting on the line after the previous part's last.
#include <string>
#include <vector>

#include "domain/declaration_import.hpp"
#include "fuzz_check.hpp"

namespace {

using sengen::import::CsvRecord;

std::string quoted(const std::string& cell) {
    std::string out = "\"";
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    std::vector<std::vector<std::string>> records;
    std::size_t last_line = 0;
    const auto read = sengen::import::read_csv(text, [&](CsvRecord& r) {
        FUZZ_CHECK(r.line > last_line);
        last_line = r.line;
        records.push_back(r.cells);
    });
    if (read) {
        std::string written;
        for (const auto& cells : records) {
            for (std::size_t i = 0; i < cells.size(); ++i) written += (i ? "," : "") + quoted(cells[i]);
            written += "\r\n";
        }
        std::vector<std::vector<std::string>> again;
        FUZZ_CHECK(sengen::import::read_csv(written, [&](CsvRecord& r) { again.push_back(r.cells); }));
        FUZZ_CHECK(again == records);
    }
    for (std::size_t parts : {1u, 2u, 5u}) {
        const auto split = sengen::import::split_records(text, parts);
        std::string joined;
        for (const auto& p : split) joined += p.text;
        FUZZ_CHECK(joined == text);
    }
    return 0;
}
