// RFC 4180 reading (see csv_reader.hpp). The import reads files of a million rows through it, so
// it scans with find and a loop of its own for separators, and reuses the strings of one record for the next.
#include "domain/csv_reader.hpp"

#include <algorithm>

namespace sengen::csv {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool skipped(const Record& r, std::size_t used, EmptyRows empty_rows) {
    if (r.unterminated_quote) return false;  // never dropped: the caller reports it
    if (used == 1) return r.fields[0].empty();
    if (empty_rows == EmptyRows::AreRecords) return false;
    return std::all_of(r.fields.begin(), r.fields.begin() + static_cast<std::ptrdiff_t>(used),
                       [](const std::string& f) { return f.empty(); });
}

// The end of the record that holds position `from` when `quoted` says whether `from` is inside a
// quoted field: just past the first line feed outside quotes at or after it (or the text's end).
std::size_t end_of_record(std::string_view text, std::size_t from, bool quoted) {
    for (std::size_t i = from; i < text.size(); ++i) {
        if (text[i] == '"')
            quoted = !quoted;
        else if (text[i] == '\n' && !quoted)
            return i + 1;
    }
    return text.size();
}

// The first separator (comma, CR or LF) at or after `from`, or the text's end. A loop of its own:
// find_first_of calls memchr on the three separators for every byte of the file.
std::size_t end_of_field(std::string_view text, std::size_t from) {
    for (std::size_t i = from; i < text.size(); ++i)
        if (text[i] == ',' || text[i] == '\r' || text[i] == '\n') return i;
    return text.size();
}

}  // namespace

Summary for_each_record(std::string_view text, const Options& options, const std::function<void(Record&)>& each) {
    if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
    Summary summary;
    Record record;
    std::size_t line = options.first_line;
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        record.line = line;
        record.unterminated_quote = false;
        std::size_t used = 0;  // fields of `record.fields` filled so far (their strings are reused)
        for (;;) {
            if (used == record.fields.size()) record.fields.emplace_back();
            std::string& field = record.fields[used++];
            field.clear();
            if (i < n && text[i] == '"') {
                // A quoted field: up to the closing quote, "" standing for one quote.
                const std::size_t opened = line;
                ++i;
                for (;;) {
                    auto q = text.find('"', i);
                    if (q == std::string_view::npos) {
                        record.unterminated_quote = true;
                        summary.unterminated_quote_line = opened;
                        q = n;
                    }
                    line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(i),
                                                                text.begin() + static_cast<std::ptrdiff_t>(q), '\n'));
                    field.append(text.substr(i, q - i));
                    i = std::min(n, q + 1);
                    if (q < n && i < n && text[i] == '"') {
                        field += '"';
                        ++i;
                        continue;
                    }
                    break;
                }
                if (record.unterminated_quote) break;
                // Anything between the closing quote and the separator is kept as typed.
                const auto end = end_of_field(text, i);
                field.append(text.substr(i, end - i));
                i = end;
            } else {
                const auto end = end_of_field(text, i);
                field.assign(text.substr(i, end - i));
                i = end;
            }
            if (i < n && text[i] == ',') {
                ++i;
                continue;
            }
            break;
        }
        // The line end: CR LF, LF or a lone CR (old Mac files), or the end of the text.
        if (i < n && text[i] == '\r') ++i;
        if (i < n && text[i] == '\n') ++i;
        ++line;
        record.fields.resize(used);
        if (skipped(record, used, options.empty_rows)) continue;
        if (summary.records == options.max_records) {
            summary.over_limit = true;
            summary.unterminated_quote_line = 0;  // not read
            break;
        }
        ++summary.records;
        each(record);
    }
    return summary;
}

Records read_records(std::string_view text, const Options& options) {
    Records out;
    const auto summary = for_each_record(text, options, [&](Record& r) { out.records.push_back(std::move(r)); });
    out.over_limit = summary.over_limit;
    out.unterminated_quote_line = summary.unterminated_quote_line;
    return out;
}

std::vector<Part> split_records(std::string_view text, std::size_t parts) {
    std::vector<Part> out;
    std::size_t at = end_of_record(text, 0, false);
    out.push_back({text.substr(0, at), 1});
    std::size_t line = 2;
    const std::size_t rest = text.size() - at;
    const std::size_t each = parts > 1 ? rest / (parts - 1) + 1 : rest;
    while (at < text.size()) {
        std::size_t cut = std::min(text.size(), at + each);
        if (cut < text.size()) {
            // Inside quotes at `cut` when the quotes since `at` (a record's start) are odd.
            const bool quoted = std::count(text.begin() + static_cast<std::ptrdiff_t>(at),
                                           text.begin() + static_cast<std::ptrdiff_t>(cut), '"') %
                                    2 ==
                                1;
            cut = end_of_record(text, cut, quoted);
        }
        out.push_back({text.substr(at, cut - at), line});
        line += static_cast<std::size_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(at),
                                                    text.begin() + static_cast<std::ptrdiff_t>(cut), '\n'));
        at = cut;
    }
    return out;
}

}  // namespace sengen::csv
