// Declarations (tables declarations, declaration_changes, declaration_serials): SQL and row
// mapping. Which statuses count as live or listed is the domain's answer (lifecycle.hpp), turned
// into each statement's `status IN (...)` once, when the statement is first used.
#include "domain/email.hpp"
#include "domain/error_codes.hpp"
#include "domain/text.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

std::string status_list(bool (*pred)(lifecycle::Status)) {
    std::string out;
    for (auto s : lifecycle::statuses_where(pred))
        out += (out.empty() ? "'" : ", '") + std::string(lifecycle::to_string(s)) + "'";
    return out;
}

namespace {

using sql::Statement;

// Read by read_declaration, in this order.
#define SENGEN_DECLARATION_COLUMNS                                                                                 \
    "id, public_id, status, level, account_id, entity_type, corporate_number, business_name, business_name_kana, " \
    "postal_code, prefecture, address, industry, employees, representative_title, representative_name, "           \
    "contact_name, contact_email, phone, website, purposes, principles_edition, assessment_date, policy_url, "     \
    "lang, terms_version, terms_agreed_at, created_at, declared_at, level_since, ended_at, end_reason, "           \
    "confirm_token_hash, confirm_expires_at"
// What public_view needs, read by read_public.
#define SENGEN_PUBLIC_COLUMNS                                                                                       \
    "public_id, business_name, business_name_kana, prefecture, level, status, declared_at, level_since, ended_at, " \
    "end_reason, policy_url, created_at"
// The filters of the public search, shared by its statements, pages and counts: every one takes
// $1 the name's key, $2 its LIKE pattern, $3 a prefecture, $4 a level (and a page $5, $6).
#define SENGEN_SEARCH_NAME " AND ($1 = '' OR name_key LIKE $2 ESCAPE '!' OR kana_key LIKE $2 ESCAPE '!')"
#define SENGEN_SEARCH_PLACE " AND ($3 = '' OR prefecture = $3) AND ($4 = 0 OR level = $4)"

constexpr Statement kInsert{
    "insert_declaration",
    "INSERT INTO declarations (status, level, entity_type, corporate_number, business_name, business_name_kana, "
    "name_key, kana_key, postal_code, prefecture, address, industry, employees, representative_title, "
    "representative_name, contact_name, contact_email, phone, website, purposes, principles_edition, "
    "assessment_date, policy_url, lang, terms_version, terms_agreed_at, created_at, confirm_token_hash, "
    "confirm_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
    "$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29) RETURNING id"};
constexpr Statement kFind{"find_declaration", "SELECT " SENGEN_DECLARATION_COLUMNS " FROM declarations WHERE id = $1"};
constexpr Statement kFindByPublicId{"find_declaration_by_public_id",
                                    "SELECT " SENGEN_DECLARATION_COLUMNS " FROM declarations WHERE public_id = $1"};
// "<> ''": the condition of the partial index that serves it (migration 0050).
constexpr Statement kFindByToken{"find_declaration_by_token",
                                 "SELECT " SENGEN_DECLARATION_COLUMNS
                                 " FROM declarations WHERE confirm_token_hash = $1 AND confirm_token_hash <> ''"};
constexpr Statement kForAccount{"declarations_for_account",
                                "SELECT " SENGEN_DECLARATION_COLUMNS
                                " FROM declarations WHERE account_id = $1 ORDER BY id DESC"};
constexpr Statement kWithStatus{"declarations_by_status", "SELECT " SENGEN_DECLARATION_COLUMNS
                                                          " FROM declarations WHERE status = $1 ORDER BY id LIMIT $2"};
constexpr Statement kPageAfter{"declarations_page_after", "SELECT " SENGEN_DECLARATION_COLUMNS
                                                          " FROM declarations WHERE id > $1 ORDER BY id LIMIT $2"};
constexpr Statement kNextSerial{"next_serial",
                                "INSERT INTO declaration_serials (issued_at) VALUES ($1) RETURNING serial"};
constexpr Statement kSaveState{
    "save_state",
    "UPDATE declarations SET status = $2, level = $3, public_id = $4, account_id = $5, declared_at = $6, "
    "level_since = $7, ended_at = $8, end_reason = $9 WHERE id = $1 AND status = $10 AND level = $11"};
constexpr Statement kSaveDetails{
    "save_details",
    "UPDATE declarations SET entity_type = $2, corporate_number = $3, business_name = $4, business_name_kana = $5, "
    "name_key = $6, kana_key = $7, postal_code = $8, prefecture = $9, address = $10, industry = $11, "
    "employees = $12, representative_title = $13, representative_name = $14, contact_name = $15, "
    "contact_email = $16, phone = $17, website = $18, purposes = $19, assessment_date = $20, policy_url = $21, "
    "lang = $22 WHERE id = $1"};
constexpr Statement kInsertChange{"insert_change",
                                  "INSERT INTO declaration_changes (declaration_id, at, actor, field, before_value, "
                                  "after_value) VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Statement kHistory{"history",
                             "SELECT field, before_value, after_value, actor FROM declaration_changes "
                             "WHERE declaration_id = $1 ORDER BY id DESC LIMIT $2"};
constexpr Statement kSetConfirmToken{
    "set_confirm_token", "UPDATE declarations SET confirm_token_hash = $2, confirm_expires_at = $3 WHERE id = $1"};
constexpr Statement kFindPublic{"find_public",
                                "SELECT " SENGEN_PUBLIC_COLUMNS " FROM declarations WHERE public_id = $1"};

// A statement whose text is built once from `text` (the first use; thread-safe).
struct Generated {
    std::string text;
    Statement statement;
    Generated(std::string_view name, std::string t) : text(std::move(t)), statement{name, text} {}
};

// "one live declaration per corporate number" (also enforced by migration 0005's partial index,
// which a storage test keeps equal to lifecycle::is_live).
const Statement& live_for_corporate_number() {
    static const Generated g{
        "live_for_corporate_number",
        "SELECT COUNT(*) FROM declarations WHERE corporate_number = $1 AND id <> $2 AND status IN (" +
            status_list(lifecycle::is_live) + ")"};
    return g.statement;
}

const Statement& live_holder_statement() {
    static const Generated g{"live_holder_of_corporate_number",
                             "SELECT id FROM declarations WHERE corporate_number = $1 AND id <> $2 AND status IN (" +
                                 status_list(lifecycle::is_live) + ") ORDER BY id LIMIT 1"};
    return g.statement;
}

// The status term is the condition of the partial index that serves it (migration 0050).
const Statement& purge_expired_statement() {
    static const Generated g{"purge_expired_applications",
                             "DELETE FROM declarations WHERE status = '" +
                                 std::string(lifecycle::to_string(lifecycle::Status::AwaitingConfirmation)) +
                                 "' AND confirm_expires_at <= $1"};
    return g.statement;
}

// Which rows the public search reads (ADR 0065).
enum class SearchPath {
    Listed,   // no name: the listed rows, through the status index
    Scanned,  // a name shorter than a run: the whole table in order
    Indexed,  // a name of a run or more: the names index (migration 0052)
};
// The shortest name the names index can look up: its runs are three characters long.
constexpr std::size_t kIndexedRun = 3;

// What each path reads, filtered by the same terms.
// - Scanned: `status || ''` keeps SQLite off the status index (reading a million rows in order
//   took 0.5 s where reaching them one by one through it took 3.2 s); PostgreSQL reads in order
//   anyway.
// - Indexed, SQLite: the FTS5 phrase of the key (in double quotes, its own doubled) matches
//   exactly the rows that contain it, so LIKE is not needed again; `+status` keeps SQLite from
//   reaching the listed rows through the status index instead.
// - Indexed, PostgreSQL: the rows whose keys hold every run of the key (the expression is the
//   index's own, word for word), then LIKE on those few.
std::string search_where(SearchPath path, Dialect d) {
    const std::string listed = "status IN (" + status_list(lifecycle::is_listed) + ")";
    switch (path) {
        case SearchPath::Listed:
            return " FROM declarations WHERE " + listed + SENGEN_SEARCH_NAME SENGEN_SEARCH_PLACE;
        case SearchPath::Scanned:
            return " FROM declarations WHERE status || '' IN (" + status_list(lifecycle::is_listed) +
                   ")" SENGEN_SEARCH_NAME SENGEN_SEARCH_PLACE;
        case SearchPath::Indexed:
            if (d == Dialect::Sqlite)
                return " FROM declarations WHERE id IN (SELECT rowid FROM declaration_names WHERE declaration_names "
                       "MATCH '\"' || replace($1, '\"', '\"\"') || '\"') AND +" +
                       listed + SENGEN_SEARCH_PLACE;
            return " FROM declarations WHERE sengen_runs(name_key || ' ' || kana_key) @> sengen_runs($1) AND " +
                   listed + SENGEN_SEARCH_NAME SENGEN_SEARCH_PLACE;
    }
    return {};
}

// A search's page and its count, for each path and engine, made once (the names are literals: a
// Statement views them).
struct SearchStatements {
    Generated page, count;
    SearchStatements(SearchPath path, Dialect d, const char* page_name, const char* count_name)
        : page(page_name, "SELECT " SENGEN_PUBLIC_COLUMNS + search_where(path, d) +
                              " ORDER BY declared_at DESC, id DESC LIMIT $5 OFFSET $6"),
          count(count_name, "SELECT COUNT(*)" + search_where(path, d)) {}
};

// Listed and Scanned have the same text on both engines.
const SearchStatements& search_statements(SearchPath path, Dialect d) {
    static const SearchStatements listed{SearchPath::Listed, Dialect::Sqlite, "search", "search_count"};
    static const SearchStatements scanned{SearchPath::Scanned, Dialect::Sqlite, "search_scan", "search_scan_count"};
    static const SearchStatements sqlite{SearchPath::Indexed, Dialect::Sqlite, "search_indexed",
                                         "search_indexed_count"};
    static const SearchStatements postgres{SearchPath::Indexed, Dialect::Postgres, "search_indexed",
                                           "search_indexed_count"};
    switch (path) {
        case SearchPath::Listed:
            return listed;
        case SearchPath::Scanned:
            return scanned;
        case SearchPath::Indexed:
            return d == Dialect::Postgres ? postgres : sqlite;
    }
    return listed;
}

// The statistics: counts grouped in SQL, so that a million declarations cost a few hundred rows.
const Statement& count_in_force(std::string_view column) {
    auto make = [](std::string_view col, const char* name) {
        const std::string c(col);
        return Generated{name, "SELECT " + c + ", COUNT(*) FROM declarations WHERE status = '" +
                                   std::string(lifecycle::to_string(lifecycle::Status::Declared)) + "' GROUP BY " + c +
                                   " ORDER BY " + c};
    };
    static const Generated level = make("level", "count_by_level");
    static const Generated prefecture = make("prefecture", "count_by_prefecture");
    static const Generated industry = make("industry", "count_by_industry");
    return column == "level" ? level.statement : column == "prefecture" ? prefecture.statement : industry.statement;
}

// 32400 s is UTC+9: integer arithmetic gives the day in Japan on both engines.
const Statement& issued_by_day() {
    static const Generated g{"count_issued_by_day",
                             "SELECT (declared_at + 32400) / 86400, COUNT(*) FROM declarations WHERE status IN (" +
                                 status_list(lifecycle::is_listed) +
                                 ") AND declared_at >= $1 GROUP BY (declared_at + 32400) / 86400 ORDER BY 1"};
    return g.statement;
}

// The purposes are stored as their comma-separated codes.
std::string join_codes(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

// The codes of a comma-separated list, empty items skipped (without a stringstream: this runs for
// every declaration read).
std::vector<std::string> split_codes(std::string_view s) {
    std::vector<std::string> out;
    text::for_each_piece(s, ',', [&](std::string_view item) {
        if (!item.empty()) out.emplace_back(item);
    });
    return out;
}

// An unknown status is an error, never read as some default.
Result<lifecycle::Status> read_status(const Row& r, int column) {
    auto s = lifecycle::status_from_string(r.text(column));
    if (!s) return fail(corrupt("unknown declaration status '" + r.string(column) + "'"));
    return *s;
}

// The public_id column, both ways: the ID is rebuilt from the stored digits (moved, not copied)
// and checked again, so a damaged row is reported instead of shown.
Result<DeclarationId> read_id(const Row& r, int column) {
    auto id = DeclarationId::from_stored(r.string(column));
    if (!id) return fail(corrupt("malformed declaration ID '" + r.string(column) + "'"));
    return std::move(*id);
}

Param stored_id(const std::optional<DeclarationId>& id) { return id ? Param(id->digits()) : Param(std::nullopt); }

// Columns: SENGEN_DECLARATION_COLUMNS
Result<Declaration> read_declaration(const Row& r) {
    Declaration d;
    d.id = r.int64(0);
    if (!r.is_null(1)) {
        auto id = read_id(r, 1);
        if (!id) return fail(id.error());
        d.public_id = std::move(*id);
    }
    auto status = read_status(r, 2);
    if (!status) return fail(status.error());
    d.state = {*status, r.integer(3)};
    d.account_id = r.optional_int64(4);
    auto& a = d.details;
    a.entity_type = r.string(5);
    a.corporate_number = r.string(6);
    a.business_name = r.string(7);
    a.business_name_kana = r.string(8);
    a.postal_code = r.string(9);
    a.prefecture = r.string(10);
    a.address = r.string(11);
    a.industry = r.string(12);
    a.employees = r.string(13);
    a.representative_title = r.string(14);
    a.representative_name = r.string(15);
    a.contact_name = r.string(16);
    a.contact_email = r.string(17);
    a.phone = r.string(18);
    a.website = r.string(19);
    a.purposes = split_codes(r.text(20));
    a.principles_edition = r.string(21);
    a.assessment_date = r.string(22);
    a.policy_url = r.string(23);
    a.lang = lang_or_japanese(r.text(24));  // the language of mails; an unknown code mails in Japanese
    a.level = d.state.level;
    d.terms_version = r.string(25);
    a.terms_version = d.terms_version;
    d.terms_agreed_at = r.time(26);
    d.created_at = r.time(27);
    d.declared_at = r.optional_time(28);
    d.level_since = r.optional_time(29);
    d.ended_at = r.optional_time(30);
    d.end_reason = r.string(31);
    d.confirm_token_hash = r.string(32);
    d.confirm_expires_at = r.time(33);
    return d;
}

// Columns: SENGEN_PUBLIC_COLUMNS, into the fields of a Declaration that public_view reads: what the
// public sees is decided there only.
Result<PublicDeclaration> read_public(const Row& r) {
    Declaration d;
    auto id = read_id(r, 0);
    if (!id) return fail(id.error());
    d.public_id = std::move(*id);
    d.details.business_name = r.string(1);
    d.details.business_name_kana = r.string(2);
    d.details.prefecture = r.string(3);
    auto status = read_status(r, 5);
    if (!status) return fail(status.error());
    d.state = {*status, r.integer(4)};
    d.declared_at = r.optional_time(6);
    d.level_since = r.optional_time(7);
    d.ended_at = r.optional_time(8);
    d.end_reason = r.string(9);
    d.details.policy_url = r.string(10);
    d.created_at = r.time(11);
    return public_view(std::move(d));
}

}  // namespace

Result<PublicDeclaration> read_public_declaration(const Row& r) { return read_public(r); }
const char* const kPublicColumns = SENGEN_PUBLIC_COLUMNS;

Result<std::int64_t> SqlDeclarations::create(const Declaration& d) {
    const auto& a = d.details;
    auto id = first_int64(c_, kInsert,
                          {lifecycle::to_string(d.state.status),
                           d.state.level,
                           a.entity_type,
                           a.corporate_number,
                           a.business_name,
                           a.business_name_kana,
                           a.search_key(),
                           search_key(a.business_name_kana),
                           a.postal_code,
                           a.prefecture,
                           a.address,
                           a.industry,
                           a.employees,
                           a.representative_title,
                           a.representative_name,
                           a.contact_name,
                           a.contact_email,
                           a.phone,
                           a.website,
                           join_codes(a.purposes),
                           a.principles_edition,
                           a.assessment_date,
                           a.policy_url,
                           code(a.lang),
                           d.terms_version,
                           d.terms_agreed_at,
                           d.created_at,
                           d.confirm_token_hash,
                           d.confirm_expires_at});
    if (!id) return fail(id.error());
    return id->value_or(0);
}

Result<std::optional<Declaration>> SqlDeclarations::find(std::int64_t id) {
    return first(c_, kFind, {id}, read_declaration);
}

Result<std::optional<Declaration>> SqlDeclarations::find_by_public_id(const DeclarationId& public_id) {
    return first(c_, kFindByPublicId, {public_id.digits()}, read_declaration);
}

Result<std::optional<PublicDeclaration>> SqlDeclarations::find_public(const DeclarationId& public_id) {
    return first(c_, kFindPublic, {public_id.digits()}, read_public);
}

Result<std::optional<Declaration>> SqlDeclarations::find_by_confirm_token(const std::string& token_hash) {
    return first(c_, kFindByToken, {token_hash}, read_declaration);
}

Result<bool> SqlDeclarations::live_exists_for_corporate_number(const std::string& corporate_number,
                                                               std::int64_t except_id) {
    if (corporate_number.empty()) return false;
    auto count = first_int64(c_, live_for_corporate_number(), {corporate_number, except_id});
    if (!count) return fail(count.error());
    return count->value_or(0) > 0;
}

Result<std::optional<std::int64_t>> SqlDeclarations::live_holder_of_corporate_number(
    const std::string& corporate_number, std::int64_t except_id) {
    if (corporate_number.empty()) return std::optional<std::int64_t>{};
    return first_int64(c_, live_holder_statement(), {corporate_number, except_id});
}

Result<std::size_t> SqlDeclarations::purge_expired_applications(TimePoint expired_before) {
    return execute(c_, purge_expired_statement(), {expired_before});
}

Result<std::int64_t> SqlDeclarations::next_serial(TimePoint now) {
    auto serial = first_int64(c_, kNextSerial, {now});
    if (!serial) return fail(serial.error());
    return serial->value_or(0);
}

Status SqlDeclarations::save_state(const Declaration& d, const lifecycle::State& expected) {
    auto changed = execute(
        c_, kSaveState,
        {d.id, lifecycle::to_string(d.state.status), d.state.level, stored_id(d.public_id), d.account_id, d.declared_at,
         d.level_since, d.ended_at, d.end_reason, lifecycle::to_string(expected.status), expected.level});
    if (!changed) return fail(changed.error());
    if (*changed != 1) return fail(Error::conflict(codes::kDeclarationChanged, "state changed concurrently"));
    return {};
}

Status SqlDeclarations::save_details(std::int64_t id, const Application& a, const std::vector<DetailChange>& changes,
                                     const std::string& actor, TimePoint now) {
    auto saved = perform(c_, kSaveDetails,
                         {id,
                          a.entity_type,
                          a.corporate_number,
                          a.business_name,
                          a.business_name_kana,
                          a.search_key(),
                          search_key(a.business_name_kana),
                          a.postal_code,
                          a.prefecture,
                          a.address,
                          a.industry,
                          a.employees,
                          a.representative_title,
                          a.representative_name,
                          a.contact_name,
                          a.contact_email,
                          a.phone,
                          a.website,
                          join_codes(a.purposes),
                          a.assessment_date,
                          a.policy_url,
                          code(a.lang)});
    if (!saved) return saved;
    for (const auto& ch : changes)
        if (auto kept = perform(c_, kInsertChange, {id, now, actor, ch.field, ch.before, ch.after}); !kept) return kept;
    return {};
}

Status SqlDeclarations::note_changes(std::int64_t id, const std::vector<DetailChange>& changes,
                                     const std::string& actor, TimePoint now) {
    for (const auto& ch : changes)
        if (auto kept = perform(c_, kInsertChange, {id, now, actor, ch.field, ch.before, ch.after}); !kept) return kept;
    return {};
}

Status SqlDeclarations::set_confirm_token(std::int64_t id, const std::string& token_hash, TimePoint expires_at) {
    return perform(c_, kSetConfirmToken, {id, token_hash, expires_at});
}

Result<std::vector<Declaration>> SqlDeclarations::for_account(std::int64_t account_id) {
    return all(c_, kForAccount, {account_id}, read_declaration);
}

Result<std::vector<Declaration>> SqlDeclarations::with_status(lifecycle::Status status, std::size_t limit) {
    return all(c_, kWithStatus, {lifecycle::to_string(status), limit}, read_declaration);
}

Result<std::vector<Declaration>> SqlDeclarations::page_after(std::int64_t after_id, std::size_t limit) {
    return all(c_, kPageAfter, {after_id, limit}, read_declaration);
}

Result<std::vector<DetailChange>> SqlDeclarations::history(std::int64_t id, std::size_t limit) {
    return all(c_, kHistory, {id, limit}, [](const Row& r) {
        return DetailChange{r.string(0), r.string(1), r.string(2), r.string(3)};
    });
}

Result<std::pair<std::vector<PublicDeclaration>, std::size_t>> SqlDeclarations::search(const SearchQuery& q) {
    const auto path = q.name_key.empty()                       ? SearchPath::Listed
                      : text::length(q.name_key) < kIndexedRun ? SearchPath::Scanned
                                                               : SearchPath::Indexed;
    const auto& statements = search_statements(path, c_.dialect());
    const auto like = like_contains(q.name_key);
    auto rows =
        all(c_, statements.page.statement, {q.name_key, like, q.prefecture, q.level, q.limit, q.offset}, read_public);
    if (!rows) return fail(rows.error());
    auto total = first_int64(c_, statements.count.statement, {q.name_key, like, q.prefecture, q.level});
    if (!total) return fail(total.error());
    return std::make_pair(std::move(*rows), static_cast<std::size_t>(total->value_or(0)));
}

Result<DeclarationRepository::Counts> SqlDeclarations::counts(TimePoint issued_since) {
    Counts out;
    auto by_number = [](const Row& r) { return std::make_pair(r.int64(0), r.int64(1)); };
    auto by_text = [](const Row& r) { return std::make_pair(r.string(0), r.int64(1)); };
    auto level = all(c_, count_in_force("level"), {}, by_number);
    if (!level) return fail(level.error());
    auto prefecture = all(c_, count_in_force("prefecture"), {}, by_text);
    if (!prefecture) return fail(prefecture.error());
    auto industry = all(c_, count_in_force("industry"), {}, by_text);
    if (!industry) return fail(industry.error());
    auto days = all(c_, issued_by_day(), {issued_since}, by_number);
    if (!days) return fail(days.error());
    out.by_level = std::move(*level);
    out.by_prefecture = std::move(*prefecture);
    out.by_industry = std::move(*industry);
    out.issued_by_day = std::move(*days);
    return out;
}

}  // namespace sengen::storage
