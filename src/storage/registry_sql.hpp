// SQL of the registry's repositories. The DML text is the same on SQLite and PostgreSQL
// ($n placeholders, RETURNING, ON CONFLICT), so both adapters use these constants; the row
// mapping is shared through a tiny accessor interface (see read_declaration).
#pragma once
#include <string>
#include <string_view>

#include "domain/declaration.hpp"
#include "storage/sql.hpp"

namespace sengen::storage::sql {

#define SENGEN_DECLARATION_COLUMNS                                                                                 \
    "id, public_id, status, level, account_id, entity_type, corporate_number, business_name, business_name_kana, " \
    "postal_code, prefecture, address, industry, employees, representative_title, representative_name, "           \
    "contact_name, contact_email, phone, website, purposes, principles_edition, assessment_date, policy_url, "     \
    "lang, terms_version, terms_agreed_at, created_at, declared_at, level_since, ended_at, end_reason, "           \
    "confirm_token_hash, confirm_expires_at"

inline constexpr Statement kInsertDeclaration{
    "insert_declaration",
    "INSERT INTO declarations (status, level, entity_type, corporate_number, business_name, business_name_kana, "
    "name_key, kana_key, postal_code, prefecture, address, industry, employees, representative_title, "
    "representative_name, contact_name, contact_email, phone, website, purposes, principles_edition, "
    "assessment_date, policy_url, lang, terms_version, terms_agreed_at, created_at, confirm_token_hash, "
    "confirm_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, "
    "$19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29) RETURNING id"};
inline constexpr Statement kFindDeclaration{"find_declaration",
                                            "SELECT " SENGEN_DECLARATION_COLUMNS " FROM declarations WHERE id = $1"};
inline constexpr Statement kFindDeclarationByPublicId{
    "find_declaration_by_public_id", "SELECT " SENGEN_DECLARATION_COLUMNS " FROM declarations WHERE public_id = $1"};
inline constexpr Statement kFindDeclarationByToken{"find_declaration_by_token",
                                                   "SELECT " SENGEN_DECLARATION_COLUMNS
                                                   " FROM declarations WHERE confirm_token_hash = $1"};
inline constexpr Statement kDeclarationsForAccount{"declarations_for_account",
                                                   "SELECT " SENGEN_DECLARATION_COLUMNS
                                                   " FROM declarations WHERE account_id = $1 ORDER BY id DESC"};
inline constexpr Statement kDeclarationsByStatus{"declarations_by_status",
                                                 "SELECT " SENGEN_DECLARATION_COLUMNS
                                                 " FROM declarations WHERE status = $1 ORDER BY id LIMIT $2"};
inline constexpr Statement kLiveForCorporateNumber{
    "live_for_corporate_number",
    "SELECT COUNT(*) FROM declarations WHERE corporate_number = $1 AND id <> $2 "
    "AND status IN ('declared', 'awaiting_review')"};
inline constexpr Statement kNextSerial{"next_serial",
                                       "INSERT INTO declaration_serials (issued_at) VALUES ($1) RETURNING serial"};
inline constexpr Statement kSaveState{
    "save_state",
    "UPDATE declarations SET status = $2, level = $3, public_id = $4, account_id = $5, declared_at = $6, "
    "level_since = $7, ended_at = $8, end_reason = $9 WHERE id = $1 AND status = $10 AND level = $11"};
inline constexpr Statement kSaveDetails{
    "save_details",
    "UPDATE declarations SET entity_type = $2, corporate_number = $3, business_name = $4, business_name_kana = $5, "
    "name_key = $6, kana_key = $7, postal_code = $8, prefecture = $9, address = $10, industry = $11, "
    "employees = $12, representative_title = $13, representative_name = $14, contact_name = $15, "
    "contact_email = $16, phone = $17, website = $18, purposes = $19, assessment_date = $20, policy_url = $21, "
    "lang = $22 WHERE id = $1"};
inline constexpr Statement kInsertChange{
    "insert_change",
    "INSERT INTO declaration_changes (declaration_id, at, actor, field, before_value, after_value) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
inline constexpr Statement kHistory{
    "history",
    "SELECT field, before_value, after_value FROM declaration_changes WHERE declaration_id = $1 "
    "ORDER BY id DESC LIMIT $2"};
inline constexpr Statement kSetConfirmToken{
    "set_confirm_token", "UPDATE declarations SET confirm_token_hash = $2, confirm_expires_at = $3 WHERE id = $1"};
// The public columns, read by read_public.
#define SENGEN_PUBLIC_COLUMNS                                                                                       \
    "public_id, business_name, business_name_kana, prefecture, level, status, declared_at, level_since, ended_at, " \
    "end_reason, policy_url"
inline constexpr Statement kFindPublic{"find_public",
                                       "SELECT " SENGEN_PUBLIC_COLUMNS " FROM declarations WHERE public_id = $1"};
// Public search: only declared, stopped and revoked declarations are ever listed.
inline constexpr Statement kSearch{
    "search", "SELECT " SENGEN_PUBLIC_COLUMNS
              " FROM declarations "
              "WHERE status IN ('declared', 'stopped', 'revoked') AND ($1 = '' OR name_key LIKE $2 ESCAPE '!' "
              "OR kana_key LIKE $2 ESCAPE '!') AND ($3 = '' OR prefecture = $3) AND ($4 = 0 OR level = $4) "
              "ORDER BY declared_at DESC, id DESC LIMIT $5 OFFSET $6"};
inline constexpr Statement kSearchCount{
    "search_count",
    "SELECT COUNT(*) FROM declarations "
    "WHERE status IN ('declared', 'stopped', 'revoked') AND ($1 = '' OR name_key LIKE $2 ESCAPE '!' "
    "OR kana_key LIKE $2 ESCAPE '!') AND ($3 = '' OR prefecture = $3) AND ($4 = 0 OR level = $4)"};

inline constexpr Statement kFindOrCreateAccount{
    "find_or_create_account",
    "INSERT INTO accounts (email, email_key, lang, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (email_key) DO UPDATE SET email_key = excluded.email_key "
    "RETURNING id, email, lang, created_at"};
inline constexpr Statement kFindAccount{"find_account",
                                        "SELECT id, email, lang, created_at FROM accounts WHERE id = $1"};
inline constexpr Statement kFindAccountByEmail{"find_account_by_email",
                                               "SELECT id, email, lang, created_at FROM accounts WHERE email_key = $1"};

inline constexpr Statement kInsertSignInToken{
    "insert_sign_in_token",
    "INSERT INTO signin_tokens (token_hash, email_key, next_path, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)"};
inline constexpr Statement kConsumeSignInToken{
    "consume_sign_in_token",
    "UPDATE signin_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
    "RETURNING token_hash, email_key, next_path, expires_at"};

// LIKE pattern for a substring search, with ! escaping the pattern characters.
inline std::string like_contains(const std::string& s) {
    std::string out = "%";
    for (char c : s) {
        if (c == '%' || c == '_' || c == '!') out += '!';
        out += c;
    }
    return out + "%";
}

inline std::string join_codes(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

// The codes of a comma-separated list, empty items skipped (without a stringstream: this runs for
// every declaration read).
inline std::vector<std::string> split_codes(std::string_view s) {
    std::vector<std::string> out;
    while (!s.empty()) {
        const auto comma = s.find(',');
        const auto item = s.substr(0, comma);
        if (!item.empty()) out.emplace_back(item);
        if (comma == std::string_view::npos) break;
        s.remove_prefix(comma + 1);
    }
    return out;
}

// Reads a row of SENGEN_DECLARATION_COLUMNS through an accessor with text(i), int64(i), null(i).
template <typename Row>
Declaration read_declaration(const Row& r) {
    Declaration d;
    d.id = r.int64(0);
    if (!r.null(1)) d.public_id = r.text(1);
    d.state.status = lifecycle::status_from_string(r.text(2)).value_or(lifecycle::Status::AwaitingConfirmation);
    d.state.level = static_cast<int>(r.int64(3));
    if (!r.null(4)) d.account_id = r.int64(4);
    auto& a = d.details;
    a.entity_type = r.text(5);
    a.corporate_number = r.text(6);
    a.business_name = r.text(7);
    a.business_name_kana = r.text(8);
    a.postal_code = r.text(9);
    a.prefecture = r.text(10);
    a.address = r.text(11);
    a.industry = r.text(12);
    a.employees = r.text(13);
    a.representative_title = r.text(14);
    a.representative_name = r.text(15);
    a.contact_name = r.text(16);
    a.contact_email = r.text(17);
    a.phone = r.text(18);
    a.website = r.text(19);
    a.purposes = split_codes(r.text(20));
    a.principles_edition = r.text(21);
    a.assessment_date = r.text(22);
    a.policy_url = r.text(23);
    a.lang = r.text(24);
    a.level = d.state.level;
    d.terms_version = r.text(25);
    a.terms_version = d.terms_version;
    d.terms_agreed_at = from_unix_seconds(r.int64(26));
    d.created_at = from_unix_seconds(r.int64(27));
    if (!r.null(28)) d.declared_at = from_unix_seconds(r.int64(28));
    if (!r.null(29)) d.level_since = from_unix_seconds(r.int64(29));
    if (!r.null(30)) d.ended_at = from_unix_seconds(r.int64(30));
    d.end_reason = r.text(31);
    d.confirm_token_hash = r.text(32);
    d.confirm_expires_at = from_unix_seconds(r.int64(33));
    return d;
}

// Columns of SENGEN_PUBLIC_COLUMNS (kFindPublic, kSearch); what public_view makes of a Declaration.
template <typename Row>
PublicDeclaration read_public(const Row& r) {
    PublicDeclaration p;
    p.public_id = r.text(0);
    p.business_name = r.text(1);
    p.business_name_kana = r.text(2);
    p.prefecture = r.text(3);
    p.level = static_cast<int>(r.int64(4));
    p.status = lifecycle::status_from_string(r.text(5)).value_or(lifecycle::Status::Declared);
    p.declared_at = from_unix_seconds(r.null(6) ? 0 : r.int64(6));
    p.level_since = r.null(7) ? p.declared_at : from_unix_seconds(r.int64(7));
    if (!r.null(8)) p.ended_at = from_unix_seconds(r.int64(8));
    p.end_reason = p.status == lifecycle::Status::Revoked ? r.text(9) : std::string();
    p.policy_url = p.level >= 2 ? r.text(10) : std::string();
    return p;
}

}  // namespace sengen::storage::sql
