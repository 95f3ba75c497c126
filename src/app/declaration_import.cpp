// Checking and writing an import file (see declaration_import.hpp).
#include "app/declaration_import.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <span>
#include <thread>
#include <unordered_map>

#include "app/registry_context.hpp"
#include "app/transparency_log.hpp"
#include "domain/text.hpp"

namespace sengen::app {

namespace {

// What a worker found in one chunk of the file and, on an import that writes, what writing its
// good rows needs that can be made before the transaction: each declaration's record salt and
// its transparency log entry. The good rows' declarations are kept side by side (not as
// import::Row), so that each chunk is written as it stands, a span at a time.
struct Checked {
    std::vector<Declaration> declarations;
    std::vector<std::size_t> lines;  // the line of each declaration
    // What the checks across the file need of each good row, kept once the chunk is written and
    // its declarations let go; DuplicateCheck views them, so the vector never grows once made.
    std::vector<import::RowKeys> keys;
    std::vector<import::Problem> problems;
    std::vector<std::string> salts;      // made only while the file is good so far
    std::vector<PreparedEntry> entries;  // likewise
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

// The keys of a checked chunk's good rows (Checked::keys), made once all of them are read.
void keep_keys(Checked& c) {
    c.keys.reserve(c.declarations.size());
    for (std::size_t i = 0; i < c.declarations.size(); ++i)
        c.keys.push_back(import::keys_of(c.declarations[i], c.lines[i]));
}

void check_part(const csv::Part& part, const import::Header& header, const import::Rules& rules, Checked& out) {
    // A record per line at most: room for every row at once, instead of moving the rows (about a
    // kilobyte each) every time the vector grows; and DuplicateCheck views their IDs.
    const auto most = static_cast<std::size_t>(std::count(part.text.begin(), part.text.end(), '\n')) + 1;
    out.declarations.reserve(most);
    out.lines.reserve(most);
    const auto read = csv::for_each_record(part.text, {.first_line = part.first_line}, [&](csv::Record& r) {
        if (r.unterminated_quote) return;  // reported below, not checked as a row: its fields ran on
        check_one(r, header, rules, out);
    });
    if (read.unterminated_quote_line != 0) out.unterminated = read.unterminated_quote_line;
    keep_keys(out);
}

// Lets go of what writing a chunk needed, once it is written: an import of a million rows
// would otherwise hold every declaration (about a kilobyte each) until the end.
void release_written(Checked& c) {
    std::vector<Declaration>().swap(c.declarations);
    std::vector<std::size_t>().swap(c.lines);
    std::vector<std::string>().swap(c.salts);
    std::vector<PreparedEntry>().swap(c.entries);
}

// The salts and log entries of a chunk's rows (see Checked). The log entries carry the time of
// the import, as append_to_log would give them.
Status prepare_writes(Checked& c, const ImportSettings& settings, TimePoint now) {
    c.salts.reserve(c.declarations.size());
    c.entries.reserve(c.declarations.size());
    for (const Declaration& d : c.declarations) {
        c.salts.push_back(new_record_salt());
        auto entry = prepare_entry(settings.log_origin, d, tlog::LogEvent::Imported, c.salts.back(), now);
        if (!entry) return fail(entry.error());
        c.entries.push_back(std::move(*entry));
    }
    return {};
}

// About a mebibyte of the file per chunk: a few thousand rows, small enough that writing starts
// soon after reading does, large enough that the chunks' hand-over costs nothing.
constexpr std::size_t kChunkBytes = std::size_t{1} << 20;

// Checks the file's chunks on worker threads (as many as the machine has cores, at most four)
// while the caller takes them in file order (`take`) to look for repeats and write them. Workers
// claim chunks in order, so the chunk the caller waits for is always among the first being
// checked, and never more than two chunks a worker past it, so that a writer slower than the
// checks does not leave the whole file's rows waiting in memory. With `prepare`, each worker also
// makes its good rows' salts and log entries, as long as no problem has been found anywhere.
class ChunkChecker {
public:
    ChunkChecker(std::span<const csv::Part> parts, std::vector<Checked>& chunks, const import::Header& header,
                 const import::Rules& rules, const ImportSettings* prepare, TimePoint now)
        : parts_(parts),
          chunks_(chunks),
          header_(header),
          rules_(rules),
          prepare_(prepare),
          now_(now),
          ready_(parts.size(), 0) {
        const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
        workers_left_ = std::min(threads, parts.size() - 1);
        ahead_ = 2 * workers_left_;
        for (std::size_t i = 0; i < workers_left_; ++i) workers_.emplace_back([this] { work(); });
    }
    ChunkChecker(const ChunkChecker&) = delete;
    ChunkChecker& operator=(const ChunkChecker&) = delete;
    ~ChunkChecker() {
        stop();
        for (auto& w : workers_) w.join();
    }

    // The chunk k (from 1; 0 is the header's), once checked; nullptr once the checking stopped
    // before it (stop()). The caller is done with the chunks before k.
    Checked* take(std::size_t k) {
        std::unique_lock lock(mutex_);
        taken_ = k;
        room_.notify_all();
        done_.wait(lock, [&] { return ready_[k] != 0 || workers_left_ == 0; });
        return ready_[k] != 0 ? &chunks_[k] : nullptr;
    }
    // No worker makes salts and entries from now on: the file will not be written.
    void bad_file() { bad_ = true; }
    // No worker starts another chunk (after an unended quote nothing can be read as meant).
    void stop() {
        std::lock_guard lock(mutex_);
        stop_ = true;
        bad_ = true;
        room_.notify_all();
    }
    // The first error a worker met making entries, if any.
    std::optional<Error> failure() {
        std::lock_guard lock(mutex_);
        return failure_;
    }

private:
    void work() {
        for (;;) {
            std::size_t k = 0;
            {
                // At most ahead_ chunks past the one the caller writes: checked rows wait in memory
                // (about a kilobyte each) for as long as the writing is behind.
                std::unique_lock lock(mutex_);
                room_.wait(lock, [&] { return stop_ || next_ <= taken_ + ahead_; });
                k = next_++;
            }
            if (k >= parts_.size() || stop_) break;
            Checked& c = chunks_[k];
            check_part(parts_[k], header_, rules_, c);
            if (!c.problems.empty() || c.unterminated) bad_ = true;
            std::optional<Error> failed;
            if (prepare_ && !bad_)
                if (auto ok = prepare_writes(c, *prepare_, now_); !ok) failed = ok.error();
            std::lock_guard lock(mutex_);
            if (failed && !failure_) failure_ = std::move(failed);
            ready_[k] = 1;
            done_.notify_all();
        }
        std::lock_guard lock(mutex_);
        --workers_left_;
        done_.notify_all();
    }

    std::span<const csv::Part> parts_;
    std::vector<Checked>& chunks_;
    const import::Header& header_;
    const import::Rules& rules_;
    const ImportSettings* prepare_;
    TimePoint now_;
    std::vector<char> ready_;  // under mutex_
    std::optional<Error> failure_;
    std::mutex mutex_;
    std::condition_variable done_;  // a chunk is ready, or the last worker stopped
    std::condition_variable room_;  // the caller took a chunk, or the checking stops
    std::size_t next_ = 1;          // the next chunk to check; under mutex_
    std::size_t taken_ = 0;         // the chunk the caller took last; under mutex_
    std::size_t ahead_ = 0;
    std::atomic<bool> stop_{false}, bad_{false};
    std::size_t workers_left_ = 0;  // under mutex_ once the workers run
    std::vector<std::thread> workers_;
};

std::size_t count_rows(const std::vector<Checked>& parts) {
    std::size_t n = 0;
    for (const auto& c : parts) n += c.keys.size();
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
        for (const import::RowKeys& k : c.keys) {
            ids.emplace(k.id, k.line);
            if (lowest.empty() || k.id < lowest) lowest = k.id;
            if (highest.empty() || k.id > highest) highest = k.id;
            if (!k.live_number.empty()) numbers.emplace(k.live_number, k.line);
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

// One part of a chunk's rows: their serials (IDs in this registry's own scheme, so that issuing
// never repeats one), their accounts, the declarations, and their log entries. Each row keeps the
// past its public history replays (imported on declared_at at the level it had then, a step up on
// level_since when the level rose later: history::imported_events, ADR 0064); a stop or
// revocation is completed from ended_at by the replay itself.
Status write_part(Transaction& tx, std::span<Declaration> part, std::span<const std::string> salts,
                  std::span<PreparedEntry> entries, const ImportSettings& settings, TimePoint now) {
    std::vector<std::int64_t> serials;
    for (const auto& d : part)
        if (d.public_id->leading_digit() == settings.own_leading_digit) serials.push_back(d.public_id->serial());
    std::sort(serials.begin(), serials.end());
    if (auto ok = tx.imports().reserve_serials(serials, now); !ok) return ok;
    if (auto ok = tx.imports().attach_accounts(part, now); !ok) return ok;
    // Each declaration's record salt is stored with its row, not written into it again when it
    // is logged (ADR 57).
    if (auto ok = tx.imports().insert_all(part, salts, now); !ok) return ok;
    // One transparency log entry per declaration, in the import's transaction (ADR 46).
    if (auto appended = append_prepared(tx, part, entries, now); !appended) return fail(appended.error());
    return {};
}

// A chunk's rows, in parts of kPart rows, each written as a few multi-row statements.
Status write_chunk(Transaction& tx, Checked& c, const ImportSettings& settings, TimePoint now) {
    if (c.salts.size() != c.declarations.size() || c.entries.size() != c.declarations.size())
        return fail(Error::unavailable("import.not_prepared", "a chunk's log entries were not made"));
    constexpr std::size_t kPart = 8192;
    for (std::size_t from = 0; from < c.declarations.size(); from += kPart) {
        const auto n = std::min(kPart, c.declarations.size() - from);
        if (auto ok = write_part(tx, std::span(c.declarations).subspan(from, n), std::span(c.salts).subspan(from, n),
                                 std::span(c.entries).subspan(from, n), settings, now);
            !ok)
            return ok;
    }
    release_written(c);
    return {};
}

void sort_problems(ImportReport& report) {
    std::stable_sort(report.problems.begin(), report.problems.end(),
                     [](const import::Problem& a, const import::Problem& b) { return a.line < b.line; });
}

// The header, and the rows that came with it in the first chunk (a file whose lines end in a bare
// CR is one chunk: split_records cuts only at LF). nullopt when the file is refused already.
std::optional<import::Header> read_first_chunk(std::string_view first_chunk, const import::Rules& rules,
                                               Checked& after_header, ImportReport& report) {
    std::optional<import::Header> header;
    bool header_read = false;
    const auto first = csv::for_each_record(first_chunk, {}, [&](csv::Record& r) {
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
        return std::nullopt;
    }
    if (!header_read) {
        report.problems.push_back({0, "", "empty_file"});
        return std::nullopt;
    }
    return header;
}

// Takes a checked chunk into the report: its rows, its problems, and the repeats of earlier rows.
// False when nothing after it can be read (an unended quote).
bool take_into_report(Checked& c, import::DuplicateCheck& repeats, ImportReport& report) {
    report.rows += c.records;
    report.problems.insert(report.problems.end(), c.problems.begin(), c.problems.end());
    if (c.unterminated) {
        // Nothing after an unended quote can be read as it was meant.
        report.problems.push_back({*c.unterminated, "", "unterminated_quote"});
        return false;
    }
    for (const import::RowKeys& k : c.keys) repeats.add(k, report.problems);
    return true;
}

}  // namespace

// The file is cut into chunks of about kChunkBytes that worker threads check while this thread
// takes them in file order: it looks for repeats across the file and, on an import that writes
// and while no problem has been found, writes each chunk at once, in the one transaction of the
// whole import. A problem anywhere means nothing is written: the transaction rolls back, and the
// rest of the file is still checked, so that the report names every bad row. Collisions with
// what the registry holds are left to its unique indexes (an ID, a live corporate number) while
// writing; when one refuses a row, the transaction rolls back and the collisions are then looked
// up as the dry run does, to name the rows. A dry run looks them up directly.
Result<ImportReport> import_declarations(Store& store, const content::RegistryContent& content, const Clock& clock,
                                         std::string_view text, ImportMode mode, const ImportSettings& settings) {
    const auto now = clock.now();
    import::Rules rules{&content, settings.own_leading_digit, dates::japan_iso_date(now)};
    ImportReport report;
    if (!text::valid_utf8(text)) {
        // Most likely Shift_JIS, as Excel in Japan saves "CSV": the export writes UTF-8, and
        // guessing an encoding could silently garble names.
        report.problems.push_back({0, "", "not_utf8"});
        return report;
    }
    const auto parts = csv::split_records(text, std::max<std::size_t>(2, text.size() / kChunkBytes + 2));
    std::vector<Checked> chunks(parts.size());
    const auto header = read_first_chunk(parts[0].text, rules, chunks[0], report);
    if (!header) {
        sort_problems(report);
        return report;
    }
    keep_keys(chunks[0]);
    const bool writing = mode == ImportMode::Write;
    import::DuplicateCheck repeats(text.size() / 200);
    std::optional<Error> write_failure;  // the database refused a write (a collision, most likely)
    bool all_read = false;
    {
        ChunkChecker checker(parts, chunks, *header, rules, writing ? &settings : nullptr, now);
        // The rows that came with the header are checked on this thread, and made ready here.
        if (!chunks[0].problems.empty()) checker.bad_file();
        if (writing && report.problems.empty() && chunks[0].problems.empty())
            if (auto ok = prepare_writes(chunks[0], settings, now); !ok) return fail(ok.error());
        auto each_chunk = [&](const std::function<Status(Checked&)>& write) -> Status {
            for (std::size_t k = 0; k < chunks.size(); ++k) {
                Checked* c = k == 0 ? &chunks[0] : checker.take(k);
                if (c == nullptr) break;
                if (!take_into_report(*c, repeats, report)) {
                    checker.stop();
                    break;
                }
                if (!report.problems.empty()) checker.bad_file();
                if (report.problems.empty() && !write_failure && write)
                    if (auto ok = write(*c); !ok) {
                        write_failure = ok.error();
                        checker.bad_file();
                    }
            }
            all_read = true;
            return {};
        };
        if (!writing) {
            each_chunk({});
        } else {
            auto ran = store.transact(TxMode::WriteMany, [&](Transaction& tx) -> Status {
                auto read = each_chunk([&](Checked& c) -> Status {
                    if (auto failed = checker.failure()) return fail(*failed);
                    return write_chunk(tx, c, settings, now);
                });
                if (!read) return read;
                if (write_failure) return fail(*write_failure);
                if (!report.problems.empty()) return fail(Error::invalid({}, "import.refused"));  // rolls back
                // The operator's action itself, at the time it happened.
                AuditEvent summary{0,
                                   now,
                                   settings.actor,
                                   "declarations.import",
                                   "",
                                   "",
                                   json_of({{"rows", std::to_string(count_rows(chunks))}, {"file", settings.source}})};
                if (auto a = tx.audit().record(summary); !a) return fail(a.error());
                return {};
            });
            if (!all_read) return fail(ran.error());  // the transaction never began
            if (ran) {
                report.imported = count_rows(chunks);
                return report;
            }
            if (!write_failure && report.problems.empty()) return fail(ran.error());  // the commit failed
        }
    }
    if (!report.problems.empty()) {
        sort_problems(report);
        return report;
    }
    // A dry run, or a write that the database refused: which rows collide with the registry.
    auto checked = store.transact(TxMode::Read, [&](Transaction& tx) { return check_against(tx, chunks, report); });
    if (!checked) return fail(checked.error());
    sort_problems(report);
    if (write_failure && report.problems.empty()) return fail(*write_failure);  // not a collision
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
