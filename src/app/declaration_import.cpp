// Checking and writing an import file (see declaration_import.hpp).
#include "app/declaration_import.hpp"

#include <algorithm>
#include <span>
#include <thread>
#include <unordered_map>

#include "app/registry_context.hpp"
#include "app/transparency_log.hpp"
#include "domain/text.hpp"

namespace sengen::app {

namespace {

// What one thread found in its part of the file. The good rows' declarations are kept side by
// side (not as import::Row), so that the parts are written as they stand, a span at a time,
// without gathering a million declarations of about a kilobyte each into one vector first.
struct Checked {
    std::vector<Declaration> declarations;
    std::vector<std::size_t> lines;  // the line of each declaration
    std::vector<import::Problem> problems;
    std::size_t records = 0;
    std::optional<std::size_t> unterminated;  // the line of a quote that never ends
};

// The record's row, when it has no problem.
void check_one(const csv::Record& r, const import::Header& header, const import::Rules& rules, Checked& out) {
    ++out.records;
    if (auto row = import::check_record(r, header, rules, out.problems)) {
        out.declarations.push_back(std::move(row->declaration));
        out.lines.push_back(row->line);
    }
}

void check_part(const csv::Part& part, const import::Header& header, const import::Rules& rules, Checked& out) {
    // A record per line at most: room for every row at once, instead of moving the rows (about a
    // kilobyte each) every time the vector grows.
    const auto most = static_cast<std::size_t>(std::count(part.text.begin(), part.text.end(), '\n')) + 1;
    out.declarations.reserve(most);
    out.lines.reserve(most);
    const auto read = csv::for_each_record(part.text, {.first_line = part.first_line}, [&](csv::Record& r) {
        if (r.unterminated_quote) return;  // reported below, not checked as a row: its fields ran on
        check_one(r, header, rules, out);
    });
    if (read.unterminated_quote_line != 0) out.unterminated = read.unterminated_quote_line;
}

// Every check that needs no database, over the whole text: the header, each row (the parts of
// the file on as many threads as the machine has cores, at most four: checking the fields is most
// of an import's work), repeats.
std::vector<Checked> check_text(std::string_view text, const import::Rules& rules, ImportReport& report) {
    if (!text::valid_utf8(text)) {
        // Most likely Shift_JIS, as Excel in Japan saves "CSV": the export writes UTF-8, and
        // guessing an encoding could silently garble names.
        report.problems.push_back({0, "", "not_utf8"});
        return {};
    }
    const std::size_t threads =
        text.size() < (1u << 20) ? 1 : std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
    const auto parts = csv::split_records(text, threads + 1);
    std::optional<import::Header> header;
    bool header_read = false;
    // The first part is meant to hold the header alone, but split_records cuts only at LF: a file
    // whose lines end in a bare CR is one part, and its rows come here after the header. They are
    // checked like any other part's, never passed over.
    Checked after_header;
    const auto first = csv::for_each_record(parts[0].text, {}, [&](csv::Record& r) {
        if (r.unterminated_quote) return;  // reported below
        if (!header_read) {
            header_read = true;
            if (auto h = import::read_header(r, report.problems)) header = *h;
            return;
        }
        if (!header) return;  // the header's problems refuse the file already
        check_one(r, *header, rules, after_header);
    });
    if (first.unterminated_quote_line != 0) {
        report.problems.push_back({first.unterminated_quote_line, "", "unterminated_quote"});
        return {};
    }
    if (!header_read) {
        report.problems.push_back({0, "", "empty_file"});
        return {};
    }
    if (!header) return {};
    std::vector<Checked> checked(parts.size());
    checked[0] = std::move(after_header);
    std::vector<std::thread> workers;
    for (std::size_t i = 1; i < parts.size(); ++i) {
        if (i + 1 == parts.size())
            check_part(parts[i], *header, rules, checked[i]);  // the last part on this thread
        else
            workers.emplace_back([&, i] { check_part(parts[i], *header, rules, checked[i]); });
    }
    for (auto& w : workers) w.join();
    std::size_t kept = 0, total = 0;
    while (kept < checked.size()) {
        Checked& c = checked[kept++];
        report.rows += c.records;
        total += c.declarations.size();
        report.problems.insert(report.problems.end(), c.problems.begin(), c.problems.end());
        if (c.unterminated) {
            // Nothing after an unended quote can be read as it was meant.
            report.problems.push_back({*c.unterminated, "", "unterminated_quote"});
            break;
        }
    }
    checked.resize(kept);
    import::DuplicateCheck repeats(total);
    for (const auto& c : checked)
        for (std::size_t i = 0; i < c.declarations.size(); ++i)
            repeats.add(c.declarations[i], c.lines[i], report.problems);
    return checked;
}

std::size_t count_rows(const std::vector<Checked>& parts) {
    std::size_t n = 0;
    for (const auto& c : parts) n += c.declarations.size();
    return n;
}

// Collisions with what this registry holds: an ID taken (by a declaration of any status), or a
// corporate number with a live declaration here while the row would be live too.
Status check_against(Transaction& tx, const std::vector<Checked>& parts, ImportReport& report) {
    const std::size_t count = count_rows(parts);
    if (count == 0) return {};
    std::unordered_map<std::string_view, std::size_t> ids;
    std::unordered_map<std::string_view, std::size_t> numbers;
    ids.reserve(count);
    std::string lowest, highest;
    for (const auto& c : parts)
        for (std::size_t i = 0; i < c.declarations.size(); ++i) {
            const auto& d = c.declarations[i];
            const auto& id = d.public_id->digits();
            ids.emplace(id, c.lines[i]);
            if (lowest.empty() || id < lowest) lowest = id;
            if (highest.empty() || id > highest) highest = id;
            if (!d.details.corporate_number.empty() && lifecycle::is_live(d.state.status))
                numbers.emplace(d.details.corporate_number, c.lines[i]);
        }
    auto found = tx.imports().ids_between(lowest, highest, [&](std::string_view id) {
        if (auto it = ids.find(id); it != ids.end())
            report.problems.push_back({it->second, "declaration_id", "id_taken"});
    });
    if (!found) return found;
    if (numbers.empty()) return {};
    return tx.imports().live_corporate_numbers([&](std::string_view number) {
        if (auto it = numbers.find(number); it != numbers.end())
            report.problems.push_back({it->second, "corporate_number", "corporate_number_taken"});
    });
}

std::string imported_details(int level) {
    return R"({"level":)" + std::to_string(level) + R"(,"status":")" +
           std::string(lifecycle::to_string(lifecycle::Status::Declared)) + "\"}";
}

// One part of the rows: their accounts, the declarations, and the history the public replays
// (domain/declaration_history.hpp): issued here at the level it had on declared_at, a step up on
// level_since when the level rose later (as history::implied_events reads a declaration's dates);
// a stop or revocation is completed from ended_at by the replay itself.
Status write_part(Transaction& tx, std::span<Declaration> part, const ImportSettings& settings, TimePoint now,
                  std::vector<AuditEvent>& history) {
    if (auto ok = tx.imports().attach_accounts(part, now); !ok) return ok;
    // Each declaration's record salt is stored with its row, not written into it again when it
    // is logged (ADR 57).
    std::vector<std::string> salts;
    salts.reserve(part.size());
    for (std::size_t i = 0; i < part.size(); ++i) salts.push_back(new_record_salt());
    if (auto ok = tx.imports().insert_all(part, salts); !ok) return ok;
    // One transparency log entry per declaration, in the import's transaction (ADR 46).
    std::vector<LoggedEvent> logged;
    logged.reserve(part.size());
    for (std::size_t i = 0; i < part.size(); ++i) logged.push_back({&part[i], tlog::LogEvent::Imported, salts[i]});
    if (auto appended = append_to_log(tx, settings.log_origin, logged, now); !appended) return fail(appended.error());
    static const std::string imported_status(lifecycle::to_string(lifecycle::Status::Declared));
    history.clear();
    for (const Declaration& d : part) {
        const bool rose_later = *d.level_since > *d.declared_at && d.state.level > 1;
        AuditEvent& e = history.emplace_back();
        e.actor = settings.actor;
        e.subject = "declaration:" + std::to_string(d.id);
        e.at = *d.declared_at;
        e.action = "declaration.imported";
        e.details = imported_details(rose_later ? 1 : d.state.level);
        if (rose_later) {
            AuditEvent& up = history.emplace_back();
            up.actor = settings.actor;
            up.subject = history[history.size() - 2].subject;
            up.at = *d.level_since;
            up.action = "declaration.step_up";
            up.details = json_of(
                {{"from_level", "1"}, {"to_level", std::to_string(d.state.level)}, {"status", imported_status}});
        }
    }
    return tx.audit().record_all(history);
}

Status write_rows(Transaction& tx, std::vector<Checked>& parts, const ImportSettings& settings, TimePoint now) {
    // Serials of IDs in this registry's own scheme, so that issuing never repeats one.
    std::vector<std::int64_t> serials;
    for (const auto& c : parts)
        for (const auto& d : c.declarations)
            if (d.public_id->leading_digit() == settings.own_leading_digit) serials.push_back(d.public_id->serial());
    std::sort(serials.begin(), serials.end());
    if (auto ok = tx.imports().reserve_serials(serials, now); !ok) return ok;

    // In parts of kPart rows, each written as a few multi-row statements (accounts, declarations,
    // history), straight from where the check left them.
    constexpr std::size_t kPart = 8192;
    std::vector<AuditEvent> history;
    for (auto& c : parts)
        for (std::size_t from = 0; from < c.declarations.size(); from += kPart) {
            const auto part = std::span(c.declarations).subspan(from, std::min(kPart, c.declarations.size() - from));
            if (auto ok = write_part(tx, part, settings, now, history); !ok) return ok;
        }
    // The operator's action itself, at the time it happened.
    AuditEvent summary{0,
                       now,
                       settings.actor,
                       "declarations.import",
                       "",
                       "",
                       json_of({{"rows", std::to_string(count_rows(parts))}, {"file", settings.source}})};
    if (auto a = tx.audit().record(summary); !a) return fail(a.error());
    return {};
}

void sort_problems(ImportReport& report) {
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const import::Problem& a, const import::Problem& b) { return a.line < b.line; });
}

}  // namespace

Result<ImportReport> import_declarations(Store& store, const content::RegistryContent& content, const Clock& clock,
                                         std::string_view text, ImportMode mode, const ImportSettings& settings) {
    const auto now = clock.now();
    import::Rules rules{&content, settings.own_leading_digit, dates::japan_iso_date(now)};
    ImportReport report;
    auto parts = check_text(text, rules, report);
    if (!report.problems.empty()) {
        sort_problems(report);
        return report;
    }
    // The collisions are checked in the transaction that writes, so that nothing can take an ID
    // or a number between the check and the write (SQLite's write transaction excludes other
    // writers; on PostgreSQL the unique indexes refuse what slips in, and the import rolls back).
    auto ran =
        store.transact(mode == ImportMode::Write ? TxMode::WriteMany : TxMode::Read, [&](Transaction& tx) -> Status {
            if (auto ok = check_against(tx, parts, report); !ok) return ok;
            if (!report.problems.empty() || mode == ImportMode::DryRun) return {};
            return write_rows(tx, parts, settings, now);
        });
    if (!ran) return fail(ran.error());
    sort_problems(report);
    if (report.problems.empty() && mode == ImportMode::Write) report.imported = count_rows(parts);
    return report;
}

std::string_view describe(const import::Problem& p) {
    static const std::unordered_map<std::string_view, std::string_view> kText = {
        {"not_utf8", "the file is not UTF-8 (a CSV saved by Excel in Japan is Shift_JIS: save it as \"CSV UTF-8\")"},
        {"empty_file", "the file is empty"},
        {"unterminated_quote", "a quoted cell starting on this line never ends"},
        {"unknown_column", "this column is not one of the export's"},
        {"duplicate_column", "this column appears twice in the header"},
        {"missing_column", "this column is missing from the header"},
        {"cell_count", "the row does not have as many cells as the header"},
        {"required", "required, but empty"},
        {"invalid_choice", "not one of the values this registry knows"},
        {"id_format", "not an 11-digit declaration ID"},
        {"id_scheme",
         "the check digit does not hold: not an ID of sengen's scheme, which this registry cannot keep "
         "(ADR 36)"},
        {"other_registry", "an ID of another registry named in the operator profile; it cannot be kept here"},
        {"id_taken", "this declaration ID is taken in this registry already"},
        {"duplicate_in_file", "repeats an earlier row of the file"},
        {"corporate_number_taken", "a live declaration with this corporate number exists in this registry"},
        {"import_status", "only declared, stopped and revoked declarations can be imported"},
        {"invalid_date", "not a date (YYYY-MM-DD)"},
        {"future_date", "later than today"},
        {"date_order", "earlier than the date it follows (created_at <= declared_at <= level_since <= ended_at)"},
        {"not_for_status", "only a stopped or revoked declaration has an end date or reason"},
        {"check_digit", "the check digit does not hold"},
        {"corporate_number_format", "a corporate number has 13 digits"},
        {"not_for_sole_proprietor", "a sole proprietor has no corporate number"},
        {"katakana_only", "write the reading in katakana"},
        {"postal_code_format", "a postal code has 7 digits"},
        {"invalid_email", "not an e-mail address"},
        {"phone_format", "not a telephone number"},
        {"invalid_url", "not an http(s) address"},
        {"too_long", "too long"},
        {"invalid_characters", "holds control or invisible characters"},
        {"too_old", "earlier than 2017-01-01"},
    };
    auto it = kText.find(p.code);
    return it == kText.end() ? std::string_view(p.code) : it->second;
}

}  // namespace sengen::app
