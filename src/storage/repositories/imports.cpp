// `sengen import` (issue 12, point 9): the statements that check a file against the registry and
// write its declarations, each prepared once and run once per row inside the import's one
// transaction.
#include <algorithm>

#include "domain/email.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

#define SENGEN_IMPORT_INSERT_TAIL                                                                                   \
    " INTO declarations (public_id, status, level, account_id, entity_type, corporate_number, business_name, "      \
    "business_name_kana, name_key, kana_key, postal_code, prefecture, address, industry, employees, "               \
    "representative_title, representative_name, contact_name, contact_email, phone, website, purposes, "            \
    "principles_edition, assessment_date, policy_url, lang, terms_version, terms_agreed_at, created_at, "           \
    "declared_at, level_since, ended_at, end_reason, confirm_token_hash, confirm_expires_at) VALUES ($1, $2, $3, "  \
    "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, " \
    "$27, $28, $29, $30, $31, $32, $33, $34, $35) RETURNING id"
// The declaration as it stood. On SQLite `OR FAIL`: a constraint failure stops the statement
// without undoing what it already wrote, so SQLite keeps no statement journal for it (a copy of
// every page the row touches, most of the cost of a row); the failure dooms the import's
// transaction anyway (SqlConnection::run), and all of it rolls back. PostgreSQL needs neither.
constexpr Statement kInsertSqlite{"import_declaration", "INSERT OR FAIL" SENGEN_IMPORT_INSERT_TAIL};
constexpr Statement kInsertPostgres{"import_declaration", "INSERT" SENGEN_IMPORT_INSERT_TAIL};
constexpr Statement kIdsBetween{"import_ids_between",
                                "SELECT public_id FROM declarations WHERE public_id >= $1 AND public_id <= $2"};
constexpr Statement kReserveSerialSqlite{"import_reserve_serial",
                                         "INSERT OR FAIL INTO declaration_serials (serial, issued_at) VALUES ($1, $2)"};
constexpr Statement kReserveSerialPostgres{"import_reserve_serial",
                                           "INSERT INTO declaration_serials (serial, issued_at) VALUES ($1, $2)"};
// PostgreSQL only: an explicit serial does not move the sequence that issuing draws from, so the
// import moves it past its largest serial first. setval takes effect at once for every node, even
// before the import commits, and only ever raises it (a serial once drawn stays skipped).
constexpr Statement kAdvanceSequence{"import_advance_serials",
                                     "SELECT setval('declaration_serials_serial_seq', $1) "
                                     "WHERE $1 > (SELECT last_value FROM declaration_serials_serial_seq)"};

// SQLite only, run before the first row an import writes: up to 1 GiB of page cache (a limit, not an
// allocation; the default is 2 MiB), so that the indexes being filled stay in memory instead of
// being spilled to the write-ahead log and read back. It lasts as long as the connection, which
// is the import command's own.
constexpr Statement kLargeCache{"import_large_cache", "PRAGMA cache_size = -1048576"};

const Statement& live_numbers_statement() {
    static const std::string text =
        "SELECT corporate_number FROM declarations WHERE corporate_number <> '' AND status IN (" +
        status_list(lifecycle::is_live) + ")";
    static const Statement s{"import_live_corporate_numbers", text};
    return s;
}

// The purposes are stored as their comma-separated codes (as declarations.cpp writes them).
std::string join_codes(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

}  // namespace

Status SqlImports::ids_between(const std::string& lowest, const std::string& highest,
                               const std::function<void(std::string_view)>& each) {
    const Param params[] = {Param(lowest), Param(highest)};
    auto ran = c_.run(
        kIdsBetween, params,
        [&](const Row& r) -> Status {
            each(r.text(0));
            return {};
        },
        Fetch::All);
    if (!ran) return fail(ran.error());
    return {};
}

Status SqlImports::live_corporate_numbers(const std::function<void(std::string_view)>& each) {
    auto ran = c_.run(
        live_numbers_statement(), {},
        [&](const Row& r) -> Status {
            each(r.text(0));
            return {};
        },
        Fetch::All);
    if (!ran) return fail(ran.error());
    return {};
}

Result<std::int64_t> SqlImports::insert(const Declaration& d) {
    if (!bulk_ready_ && c_.dialect() == Dialect::Sqlite) {
        if (auto ran = c_.run(kLargeCache, {}, {}, Fetch::All); !ran) return fail(ran.error());
        bulk_ready_ = true;
    }
    const auto& a = d.details;
    const std::string purposes = join_codes(a.purposes);
    const std::string name_key = a.search_key();
    const std::string kana_key = search_key(a.business_name_kana);
    const Param params[] = {
        Param(d.public_id ? std::string_view(d.public_id->digits()) : std::string_view()),
        Param(lifecycle::to_string(d.state.status)),
        Param(d.state.level),
        Param(d.account_id),
        Param(a.entity_type),
        Param(a.corporate_number),
        Param(a.business_name),
        Param(a.business_name_kana),
        Param(name_key),
        Param(kana_key),
        Param(a.postal_code),
        Param(a.prefecture),
        Param(a.address),
        Param(a.industry),
        Param(a.employees),
        Param(a.representative_title),
        Param(a.representative_name),
        Param(a.contact_name),
        Param(a.contact_email),
        Param(a.phone),
        Param(a.website),
        Param(purposes),
        Param(a.principles_edition),
        Param(a.assessment_date),
        Param(a.policy_url),
        Param(code(a.lang)),
        Param(d.terms_version),
        Param(d.terms_agreed_at),
        Param(d.created_at),
        Param(d.declared_at),
        Param(d.level_since),
        Param(d.ended_at),
        Param(d.end_reason),
        Param(d.confirm_token_hash),
        Param(d.confirm_expires_at),
    };
    std::int64_t id = 0;
    auto ran = c_.run(
        c_.dialect() == Dialect::Sqlite ? kInsertSqlite : kInsertPostgres, params,
        [&](const Row& r) -> Status {
            id = r.int64(0);
            return {};
        },
        Fetch::First);
    if (!ran) return fail(ran.error());
    return id;
}

Status SqlImports::reserve_serials(std::span<const std::int64_t> serials, TimePoint at) {
    if (serials.empty()) return {};
    if (c_.dialect() == Dialect::Postgres) {
        std::int64_t highest = 0;
        for (auto s : serials) highest = std::max(highest, s);
        const Param params[] = {Param(highest)};
        auto ran = c_.run(
            kAdvanceSequence, params, [](const Row&) -> Status { return {}; }, Fetch::All);
        if (!ran) return fail(ran.error());
    }
    // SQLite: AUTOINCREMENT continues above the largest serial ever stored, so storing is enough.
    for (auto serial : serials) {
        const Param params[] = {Param(serial), Param(at)};
        auto ran = c_.run(c_.dialect() == Dialect::Sqlite ? kReserveSerialSqlite : kReserveSerialPostgres, params, {},
                          Fetch::All);
        if (!ran) return fail(ran.error());
    }
    return {};
}

}  // namespace sengen::storage
