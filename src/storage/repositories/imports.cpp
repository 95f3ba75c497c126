// Bulk writes (`sengen import`, issue 12 point 9, and `sengen seed`): the statements that check a
// file against the registry, and those that write many declarations, their accounts and serials
// in multi-row statements (storage/batched_insert.hpp), or by COPY on PostgreSQL, inside the
// caller's one transaction.
#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "domain/email.hpp"
#include "storage/batched_insert.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr std::size_t kDeclarationColumns = 40;  // with the id
// SQLite: the declarations as they stood, with their ids, many rows a statement. `OR FAIL`: a
// constraint failure stops the statement without undoing what it already wrote, so SQLite keeps
// no statement journal for it (a copy of every page the rows touch, most of the cost of a row);
// the failure dooms the import's transaction anyway (SqlConnection::run), and all of it rolls back.
const BatchedInsert& insert_declarations() {
    static const BatchedInsert s{
        "import_declarations",
        "INSERT OR FAIL INTO declarations (id, public_id, status, level, account_id, entity_type, corporate_number, "
        "business_name, business_name_kana, name_key, kana_key, postal_code, prefecture, address, industry, "
        "employees, representative_title, representative_name, contact_name, contact_email, phone, website, "
        "purposes, principles_edition, assessment_date, policy_url, lang, terms_version, terms_agreed_at, "
        "created_at, declared_at, level_since, ended_at, end_reason, confirm_token_hash, confirm_expires_at, "
        "record_salt, imported_at, imported_level, imported_level_since) VALUES",
        kDeclarationColumns, ""};
    return s;
}
// SQLite: the first id the import gives, as AUTOINCREMENT would: above every id the table holds or
// ever held. An explicit id raises sqlite_sequence as a drawn one does, and the import's write
// transaction keeps every other writer out until it ends, so the ids that follow are its own.
// (RETURNING the ids instead made SQLite keep every row's result in a table of its own before
// handing them back, and each one had to be matched to its row by its public ID.)
constexpr Statement kNextDeclarationId{
    "import_next_declaration_id",
    "SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'declarations'), 0), "
    "coalesce((SELECT max(id) FROM declarations), 0)) + 1"};
// PostgreSQL: the same columns by COPY, with ids drawn from the table's own sequence first
// (kDrawDeclarationIds), since COPY returns nothing; the audit events and the transparency log
// name a declaration by its id (ADR 57).
constexpr std::string_view kDeclarationCopyColumns[] = {"id",
                                                        "public_id",
                                                        "status",
                                                        "level",
                                                        "account_id",
                                                        "entity_type",
                                                        "corporate_number",
                                                        "business_name",
                                                        "business_name_kana",
                                                        "name_key",
                                                        "kana_key",
                                                        "postal_code",
                                                        "prefecture",
                                                        "address",
                                                        "industry",
                                                        "employees",
                                                        "representative_title",
                                                        "representative_name",
                                                        "contact_name",
                                                        "contact_email",
                                                        "phone",
                                                        "website",
                                                        "purposes",
                                                        "principles_edition",
                                                        "assessment_date",
                                                        "policy_url",
                                                        "lang",
                                                        "terms_version",
                                                        "terms_agreed_at",
                                                        "created_at",
                                                        "declared_at",
                                                        "level_since",
                                                        "ended_at",
                                                        "end_reason",
                                                        "confirm_token_hash",
                                                        "confirm_expires_at",
                                                        "record_salt",
                                                        "imported_at",
                                                        "imported_level",
                                                        "imported_level_since"};
static_assert(std::size(kDeclarationCopyColumns) == kDeclarationColumns);
constexpr sql::CopyTarget kCopyDeclarations{"declarations", kDeclarationCopyColumns};
constexpr Statement kDrawDeclarationIds{
    "import_draw_declaration_ids",
    "SELECT nextval(pg_get_serial_sequence('declarations', 'id')) FROM generate_series(1, $1)"};
constexpr std::string_view kSerialCopyColumns[] = {"serial", "issued_at"};
constexpr sql::CopyTarget kCopySerials{"declaration_serials", kSerialCopyColumns};
// The declarants' accounts, as SqlAccounts::find_or_create makes one: the no-op update makes an
// existing row come back through RETURNING. PostgreSQL refuses to update one row twice in a
// statement, so each email_key appears once in a run (attach_accounts).
const BatchedInsert& upsert_accounts() {
    static const BatchedInsert s{"import_accounts", "INSERT INTO accounts (email, email_key, lang, created_at) VALUES",
                                 4,
                                 " ON CONFLICT (email_key) DO UPDATE SET email_key = excluded.email_key "
                                 "RETURNING id, email_key"};
    return s;
}
// Serials of IDs imported in this registry's own scheme (SQLite; PostgreSQL copies them,
// kCopySerials), and new serials drawn for seeding (the counter's next values, as next_serial
// draws one).
const BatchedInsert& reserve_serials_statement() {
    static const BatchedInsert s{"import_reserve_serials",
                                 "INSERT OR FAIL INTO declaration_serials (serial, issued_at) VALUES", 2, ""};
    return s;
}
const BatchedInsert& draw_serials_statement() {
    static const BatchedInsert s{"draw_serials", "INSERT INTO declaration_serials (issued_at) VALUES", 1,
                                 " RETURNING serial"};
    return s;
}
// How a declaration was imported (ADR 0064). The actor is the import's own audit event's, the one
// at the same second (the import records it in the same transaction); of two imports in one
// second, the later one's.
constexpr Statement kOrigin{"import_origin",
                            "SELECT coalesce((SELECT a.actor FROM audit_events a WHERE a.at = d.imported_at AND "
                            "a.action = 'declarations.import' ORDER BY a.id DESC LIMIT 1), 'import'), "
                            "d.imported_level, d.imported_level_since FROM declarations d "
                            "WHERE d.id = $1 AND d.imported_level IS NOT NULL"};
constexpr Statement kIdsBetween{"import_ids_between",
                                "SELECT public_id FROM declarations WHERE public_id >= $1 AND public_id <= $2"};
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

// Gives each of `ds` (not empty) its id before it is written, since neither way of writing
// returns them: PostgreSQL draws them from the table's sequence (COPY returns nothing, ADR 57);
// SQLite takes those AUTOINCREMENT would give (ADR 63).
Status give_ids(SqlConnection& c, std::span<Declaration> ds) {
    if (c.dialect() == Dialect::Postgres) {
        std::size_t drawn = 0;
        const Param count[] = {Param(ds.size())};
        auto ran = c.run(
            kDrawDeclarationIds, count,
            [&](const Row& r) -> Status {
                if (drawn == ds.size()) return fail(corrupt("more declaration ids drawn than asked for"));
                ds[drawn++].id = r.int64(0);
                return {};
            },
            Fetch::All);
        if (!ran) return fail(ran.error());
        if (drawn != ds.size()) return fail(corrupt("fewer declaration ids drawn than asked for"));
        return {};
    }
    std::int64_t next = 0;
    auto ran = c.run(
        kNextDeclarationId, {},
        [&](const Row& r) -> Status {
            next = r.int64(0);
            return {};
        },
        Fetch::First);
    if (!ran) return fail(ran.error());
    if (next < 1) return fail(corrupt("no declaration id to start from"));
    for (auto& d : ds) d.id = next++;
    return {};
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

Status SqlImports::insert_all(std::span<Declaration> ds, std::span<const std::string> record_salts,
                              std::optional<TimePoint> imported_at) {
    if (!record_salts.empty() && record_salts.size() != ds.size())
        return fail(Error::invalid({}, "storage.record_salts_count"));
    if (!bulk_ready_ && c_.dialect() == Dialect::Sqlite) {
        if (auto ran = c_.run(kLargeCache, {}, {}, Fetch::All); !ran) return fail(ran.error());
        bulk_ready_ = true;
    }
    for (const Declaration& d : ds)
        if (!d.public_id) return fail(Error::invalid({}, "storage.no_public_id"));
    if (ds.empty()) return {};
    if (auto given = give_ids(c_, ds); !given) return given;
    auto bind = [&](std::size_t i, BatchParams& out) {
        const Declaration& d = ds[i];
        const auto& a = d.details;
        out.add(d.id);
        out.add(std::string_view(d.public_id->digits()));
        out.add(lifecycle::to_string(d.state.status));
        out.add(d.state.level);
        out.add(d.account_id);
        out.add(a.entity_type);
        out.add(a.corporate_number);
        out.add(a.business_name);
        out.add(a.business_name_kana);
        out.add(out.keep(a.search_key()));
        out.add(out.keep(search_key(a.business_name_kana)));
        out.add(a.postal_code);
        out.add(a.prefecture);
        out.add(a.address);
        out.add(a.industry);
        out.add(a.employees);
        out.add(a.representative_title);
        out.add(a.representative_name);
        out.add(a.contact_name);
        out.add(a.contact_email);
        out.add(a.phone);
        out.add(a.website);
        out.add(out.keep(join_codes(a.purposes)));
        out.add(a.principles_edition);
        out.add(a.assessment_date);
        out.add(a.policy_url);
        out.add(code(a.lang));
        out.add(d.terms_version);
        out.add(d.terms_agreed_at);
        out.add(d.created_at);
        out.add(d.declared_at);
        out.add(d.level_since);
        out.add(d.ended_at);
        out.add(d.end_reason);
        out.add(d.confirm_token_hash);
        out.add(d.confirm_expires_at);
        if (record_salts.empty())
            out.add(std::nullopt);
        else
            out.add(record_salts[i]);
        if (imported_at) {
            out.add(*imported_at);
            out.add(d.state.level);
            out.add(d.level_since);
        } else {
            for (int n = 0; n < 3; ++n) out.add(std::nullopt);
        }
    };
    if (c_.dialect() == Dialect::Postgres) return copy_rows(c_, kCopyDeclarations, ds.size(), bind);
    return insert_declarations().run(c_, ds.size(), bind);
}

Result<std::optional<ImportOrigin>> SqlImports::origin_of(std::int64_t declaration_id) {
    return first(c_, kOrigin, {declaration_id}, [](const Row& r) {
        return ImportOrigin{r.string(0), {r.integer(1), r.time(2)}};
    });
}

Status SqlImports::attach_accounts(std::span<Declaration> ds, TimePoint now) {
    // Each email_key once, with the address and language of its first declaration.
    std::vector<std::string> keys(ds.size());
    std::unordered_map<std::string_view, std::int64_t> accounts;
    std::vector<std::size_t> first;  // the first declaration of each key
    accounts.reserve(ds.size());
    for (std::size_t i = 0; i < ds.size(); ++i) {
        keys[i] = email_key(ds[i].details.contact_email);
        if (accounts.emplace(keys[i], 0).second) first.push_back(i);
    }
    auto bind = [&](std::size_t k, BatchParams& out) {
        const Declaration& d = ds[first[k]];
        out.add(d.details.contact_email);
        out.add(keys[first[k]]);
        out.add(code(d.details.lang));
        out.add(now);
    };
    auto made = upsert_accounts().run(c_, first.size(), bind, [&](const Row& r) -> Status {
        auto it = accounts.find(r.text(1));
        if (it == accounts.end()) return fail(corrupt("an account came back with another address"));
        it->second = r.int64(0);
        return {};
    });
    if (!made) return made;
    for (std::size_t i = 0; i < ds.size(); ++i) ds[i].account_id = accounts.at(keys[i]);
    return {};
}

Result<std::vector<std::int64_t>> SqlImports::draw_serials(std::span<const TimePoint> issued_at) {
    std::vector<std::int64_t> serials;
    serials.reserve(issued_at.size());
    auto drawn = draw_serials_statement().run(
        c_, issued_at.size(), [&](std::size_t i, BatchParams& out) { out.add(issued_at[i]); },
        [&](const Row& r) -> Status {
            serials.push_back(r.int64(0));
            return {};
        });
    if (!drawn) return fail(drawn.error());
    std::sort(serials.begin(), serials.end());
    return serials;
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
    auto bind = [&](std::size_t i, BatchParams& out) {
        out.add(serials[i]);
        out.add(at);
    };
    if (c_.dialect() == Dialect::Postgres) return copy_rows(c_, kCopySerials, serials.size(), bind);
    // SQLite: AUTOINCREMENT continues above the largest serial ever stored, so storing is enough.
    return reserve_serials_statement().run(c_, serials.size(), bind);
}

}  // namespace sengen::storage
