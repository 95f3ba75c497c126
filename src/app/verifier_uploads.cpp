// Reading a verifier's file and keeping its results (see verifier_uploads.hpp).
#include "app/verifier_uploads.hpp"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "domain/dates.hpp"
#include "domain/identifiers.hpp"
#include "domain/text.hpp"

namespace sengen::app {

namespace {

constexpr std::size_t kIdColumn = 0, kCorporateColumn = 1, kDateColumn = 2;

std::string cell(const std::vector<std::string>& fields, std::size_t i) {
    return i < fields.size() ? std::string(text::trim_wide(fields[i])) : std::string();
}

// The headings a file's ID column may carry: the page's example (自己宣言ID), the result files'
// own heading in either language (so that a result file can be uploaded again), and the usual
// alternatives. Compared after width folding, in lower case, without spaces, '_' or '-'.
bool is_id_heading(std::string_view first_cell) {
    static constexpr std::array<std::string_view, 6> kHeadings{"id",       "自己宣言id",   "宣言id",
                                                               "宣言番号", "自己宣言番号", "declarationid"};
    std::string folded;
    for (char c : text::fold_for_numbers(text::trim_wide(first_cell))) {
        if (c == ' ' || c == '_' || c == '-') continue;
        folded += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return std::find(kHeadings.begin(), kHeadings.end(), folded) != kHeadings.end();
}

Error file_error(const char* code) { return Error::invalid({{"file", code}}, "verifier_upload.invalid"); }

}  // namespace

std::string_view to_string(RowOutcome o) {
    switch (o) {
        case RowOutcome::Found:
            return "found";
        case RowOutcome::NotFound:
            return "not_found";
        case RowOutcome::Mistyped:
            return "mistyped";
        case RowOutcome::Mismatch:
            return "mismatch";
        case RowOutcome::BadRow:
            return "bad_row";
    }
    return "bad_row";
}

Result<ReadUpload> read_upload(std::string_view bytes) {
    if (bytes.size() > kUploadMaxBytes) return fail(file_error("too_large"));
    auto decoded = text::decode_spreadsheet_text(bytes);
    if (!decoded) return fail(file_error("encoding"));
    auto records =
        csv::read_records(decoded->utf8, {.max_records = kUploadMaxRows + 1, .empty_rows = csv::EmptyRows::Skipped});
    if (records.over_limit) return fail(file_error("too_many_rows"));
    for (const auto& rec : records.records)
        if (rec.fields.size() > kUploadMaxColumns) return fail(file_error("too_many_columns"));
    ReadUpload out;
    auto& result = out.result;
    result.encoding = decoded->encoding;
    auto& recs = records.records;
    std::size_t first = 0;
    // A heading is a first row whose first cell names the ID column. Any other first row is data,
    // so that a mistyped first ID ("abc") is reported as a bad row rather than taken as a heading.
    if (!recs.empty() && !recs[0].unterminated_quote && !recs[0].fields.empty() &&
        is_id_heading(recs[0].fields[kIdColumn])) {
        result.header = recs[0].fields;
        result.header_line = recs[0].line;
        result.columns = recs[0].fields.size();
        first = 1;
    }
    if (recs.size() == first) return fail(file_error("empty"));
    if (recs.size() - first > kUploadMaxRows) return fail(file_error("too_many_rows"));
    result.rows.reserve(recs.size() - first);
    for (std::size_t i = first; i < recs.size(); ++i) {
        auto& rec = recs[i];
        result.columns = std::max(result.columns, rec.fields.size());
        UploadRow row;
        row.line = rec.line;
        row.fields = std::move(rec.fields);
        const auto id = cell(row.fields, kIdColumn);
        const auto corporate = cell(row.fields, kCorporateColumn);
        const auto day = cell(row.fields, kDateColumn);
        VerificationItem item;
        item.typed_id = id;
        if (rec.unterminated_quote) {
            row.reason = "row.unterminated_quote";
        } else if (id.empty()) {
            row.reason = "row.no_id";
        } else if (!corporate.empty()) {
            auto digits = text::digits_only(corporate);
            if (!digits || digits->size() != 13 || CorporateNumber::check(*digits))
                row.reason = "row.corporate_number";
            else
                item.corporate_number = *digits;
        }
        if (row.reason.empty() && !day.empty()) {
            item.at = dates::parse_typed_date(day);
            if (!item.at) row.reason = "row.date";
        }
        if (row.reason.empty()) {
            out.items.push_back(std::move(item));
            out.item_rows.push_back(result.rows.size());
        }
        result.rows.push_back(std::move(row));
    }
    return out;
}

void apply_results(ReadUpload& upload, const Verified& verified) {
    auto& result = upload.result;
    for (std::size_t i = 0; i < upload.item_rows.size() && i < verified.results.size(); ++i) {
        auto& row = result.rows[upload.item_rows[i]];
        const auto& r = verified.results[i];
        switch (r.error) {
            case ItemError::Malformed:
                row.outcome = RowOutcome::BadRow;
                row.reason = error_code(r.error);
                continue;
            case ItemError::CheckDigit:
                row.outcome = RowOutcome::Mistyped;
                row.reason = error_code(r.error);
                continue;
            case ItemError::OtherRegistry:
                row.outcome = RowOutcome::NotFound;
                row.reason = error_code(r.error);
                continue;
            case ItemError::None:
                break;
        }
        if (!r.found) {
            row.outcome = RowOutcome::NotFound;
            continue;
        }
        const auto& p = verified.found[*r.found].view;
        const bool dated = upload.items[i].at.has_value();
        if (dated && !r.state_at) {
            row.outcome = RowOutcome::NotFound;
            row.reason = "verification.not_declared_on_date";
            continue;
        }
        const auto state = dated ? *r.state_at : lifecycle::State{p.status, p.level};
        row.level = state.level;
        row.status = lifecycle::to_string(state.status);
        row.business_name = p.business_name;
        row.declared_at = dates::japan_iso_date(p.declared_at);
        row.level_since = dates::japan_iso_date(p.level_since);
        row.corporate_number_matches = r.corporate_number_matches;
        row.outcome = r.corporate_number_matches == false ? RowOutcome::Mismatch : RowOutcome::Found;
    }
    result.counts = {};
    for (const auto& row : result.rows) ++result.counts[static_cast<std::size_t>(row.outcome)];
}

std::string to_stored(const UploadResult& r) {
    nlohmann::json j;
    j["encoding"] = r.encoding == text::Encoding::ShiftJis ? "shift_jis" : "utf-8";
    if (r.header) {
        j["header"] = *r.header;
        j["header_line"] = r.header_line;
    }
    j["columns"] = r.columns;
    auto& rows = j["rows"] = nlohmann::json::array();
    for (const auto& row : r.rows) {
        nlohmann::json o{{"line", row.line}, {"fields", row.fields}, {"outcome", to_string(row.outcome)}};
        if (!row.reason.empty()) o["reason"] = row.reason;
        if (row.level) {
            o["level"] = row.level;
            o["status"] = row.status;
            o["business_name"] = row.business_name;
            o["declared_at"] = row.declared_at;
            o["level_since"] = row.level_since;
        }
        if (row.corporate_number_matches) o["corporate_number_matches"] = *row.corporate_number_matches;
        rows.push_back(std::move(o));
    }
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<UploadResult> from_stored(std::string_view text) {
    auto corrupt = [] { return fail(Error::unavailable("storage.corrupt", "unreadable verifier upload")); };
    const auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
    if (!j.is_object()) return corrupt();
    try {
        UploadResult r;
        r.encoding = j.at("encoding") == "shift_jis" ? text::Encoding::ShiftJis : text::Encoding::Utf8;
        if (j.contains("header")) {
            r.header = j.at("header").get<std::vector<std::string>>();
            r.header_line = j.value("header_line", std::size_t{1});
        }
        r.columns = j.at("columns").get<std::size_t>();
        for (const auto& o : j.at("rows")) {
            UploadRow row;
            row.line = o.at("line").get<std::size_t>();
            row.fields = o.at("fields").get<std::vector<std::string>>();
            const auto outcome = o.at("outcome").get<std::string>();
            for (auto candidate : {RowOutcome::Found, RowOutcome::NotFound, RowOutcome::Mistyped, RowOutcome::Mismatch,
                                   RowOutcome::BadRow})
                if (to_string(candidate) == outcome) row.outcome = candidate;
            row.reason = o.value("reason", std::string());
            row.level = o.value("level", 0);
            row.status = o.value("status", std::string());
            row.business_name = o.value("business_name", std::string());
            row.declared_at = o.value("declared_at", std::string());
            row.level_since = o.value("level_since", std::string());
            if (o.contains("corporate_number_matches"))
                row.corporate_number_matches = o.at("corporate_number_matches").get<bool>();
            ++r.counts[static_cast<std::size_t>(row.outcome)];
            r.rows.push_back(std::move(row));
        }
        return r;
    } catch (const nlohmann::json::exception&) {
        return corrupt();
    }
}

}  // namespace sengen::app
