// RFC 4180 reading (see csv_reader.hpp).
#include "domain/csv_reader.hpp"

#include <algorithm>

namespace sengen::csv {

namespace {

bool blank(const Record& r) {
    return std::all_of(r.fields.begin(), r.fields.end(), [](const std::string& f) { return f.empty(); });
}

}  // namespace

Records read_records(std::string_view text, std::size_t max_records) {
    Records out;
    std::size_t i = 0;
    std::size_t line = 1;
    const auto n = text.size();
    while (i < n) {
        Record rec;
        rec.line = line;
        std::string field;
        bool end_of_record = false;
        while (!end_of_record) {
            field.clear();
            if (i < n && text[i] == '"') {
                // A quoted field: up to the closing quote, "" standing for one quote.
                ++i;
                bool closed = false;
                while (i < n) {
                    const char c = text[i++];
                    if (c == '"') {
                        if (i < n && text[i] == '"') {
                            field += '"';
                            ++i;
                        } else {
                            closed = true;
                            break;
                        }
                    } else {
                        if (c == '\n') ++line;
                        field += c;
                    }
                }
                if (!closed) rec.unterminated_quote = true;
            }
            // The unquoted part (or what follows a closing quote, kept as typed).
            while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
            rec.fields.push_back(field);
            if (i >= n) {
                end_of_record = true;
            } else if (text[i] == ',') {
                ++i;
            } else {
                // CR LF, LF, or a lone CR (old Mac files) ends the record.
                if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
                ++i;
                ++line;
                end_of_record = true;
            }
        }
        if (blank(rec) && !rec.unterminated_quote) continue;
        if (out.records.size() == max_records) {
            out.over_limit = true;
            break;
        }
        out.records.push_back(std::move(rec));
    }
    return out;
}

}  // namespace sengen::csv
