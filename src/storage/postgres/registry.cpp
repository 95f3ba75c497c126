// PostgreSQL repositories of the registry: the same statements as SQLite's (registry_sql.hpp),
// run as prepared statements.
#include "storage/postgres/registry.hpp"

#include "domain/email.hpp"

namespace sengen::storage::postgres {

const sql::Statement* const kRegistryStatements[] = {&sql::kInsertDeclaration,
                                                     &sql::kFindDeclaration,
                                                     &sql::kFindDeclarationByPublicId,
                                                     &sql::kFindPublic,
                                                     &sql::kFindDeclarationByToken,
                                                     &sql::kDeclarationsForAccount,
                                                     &sql::kLiveForCorporateNumber,
                                                     &sql::kNextSerial,
                                                     &sql::kSaveState,
                                                     &sql::kSaveDetails,
                                                     &sql::kInsertChange,
                                                     &sql::kHistory,
                                                     &sql::kSetConfirmToken,
                                                     &sql::kSearch,
                                                     &sql::kSearchCount,
                                                     &sql::kFindOrCreateAccount,
                                                     &sql::kFindAccount,
                                                     &sql::kFindAccountByEmail,
                                                     &sql::kInsertSignInToken,
                                                     &sql::kConsumeSignInToken,
                                                     &sql::kDeclarationsByStatus};
const std::size_t kRegistryStatementCount = std::size(kRegistryStatements);

namespace {

struct Row {
    const pqxx::row& r;
    std::string text(int i) const { return r[i].is_null() ? std::string() : r[i].as<std::string>(); }
    std::int64_t int64(int i) const { return r[i].as<std::int64_t>(); }
    bool null(int i) const { return r[i].is_null(); }
};

std::int64_t secs(TimePoint t) { return unix_seconds(t); }
std::optional<std::int64_t> opt_secs(const std::optional<TimePoint>& t) {
    return t ? std::optional<std::int64_t>(secs(*t)) : std::nullopt;
}

template <typename... Args>
pqxx::result exec(pqxx::transaction_base& t, const sql::Statement& s, Args&&... args) {
    return t.exec_prepared(std::string(s.name), std::forward<Args>(args)...);
}

Account read_account(const pqxx::row& r) {
    return Account{r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<std::string>(),
                   from_unix_seconds(r[3].as<std::int64_t>())};
}

std::optional<Declaration> first_declaration(const pqxx::result& r) {
    if (r.empty()) return std::nullopt;
    return sql::read_declaration(Row{r[0]});
}

}  // namespace

Result<std::int64_t> PgDeclarations::create(const Declaration& d) {
    const auto& a = d.details;
    auto r = exec(t_, sql::kInsertDeclaration, std::string(lifecycle::to_string(d.state.status)), d.state.level,
                  a.entity_type, a.corporate_number, a.business_name, a.business_name_kana, a.search_key(),
                  search_key(a.business_name_kana), a.postal_code, a.prefecture, a.address, a.industry, a.employees,
                  a.representative_title, a.representative_name, a.contact_name, a.contact_email, a.phone, a.website,
                  sql::join_codes(a.purposes), a.principles_edition, a.assessment_date, a.policy_url, a.lang,
                  d.terms_version, secs(d.terms_agreed_at), secs(d.created_at), d.confirm_token_hash,
                  secs(d.confirm_expires_at));
    return r[0][0].as<std::int64_t>();
}

Result<std::optional<Declaration>> PgDeclarations::find(std::int64_t id) {
    return first_declaration(exec(t_, sql::kFindDeclaration, id));
}

Result<std::optional<Declaration>> PgDeclarations::find_by_public_id(const std::string& public_id) {
    return first_declaration(exec(t_, sql::kFindDeclarationByPublicId, public_id));
}

Result<std::optional<PublicDeclaration>> PgDeclarations::find_public(const std::string& public_id) {
    auto r = exec(t_, sql::kFindPublic, public_id);
    if (r.empty()) return std::optional<PublicDeclaration>{};
    return std::optional<PublicDeclaration>{sql::read_public(Row{r[0]})};
}

Result<std::optional<Declaration>> PgDeclarations::find_by_confirm_token(const std::string& token_hash) {
    return first_declaration(exec(t_, sql::kFindDeclarationByToken, token_hash));
}

Result<bool> PgDeclarations::live_exists_for_corporate_number(const std::string& corporate_number,
                                                              std::int64_t except_id) {
    if (corporate_number.empty()) return false;
    return exec(t_, sql::kLiveForCorporateNumber, corporate_number, except_id)[0][0].as<std::int64_t>() > 0;
}

Result<std::int64_t> PgDeclarations::next_serial(TimePoint now) {
    return exec(t_, sql::kNextSerial, secs(now))[0][0].as<std::int64_t>();
}

Status PgDeclarations::save_state(const Declaration& d, const lifecycle::State& expected) {
    auto r = exec(t_, sql::kSaveState, d.id, std::string(lifecycle::to_string(d.state.status)), d.state.level,
                  d.public_id, d.account_id, opt_secs(d.declared_at), opt_secs(d.level_since), opt_secs(d.ended_at),
                  d.end_reason, std::string(lifecycle::to_string(expected.status)), expected.level);
    if (r.affected_rows() != 1) return fail(Error::conflict("declaration.changed", "state changed concurrently"));
    return {};
}

Status PgDeclarations::save_details(std::int64_t id, const Application& a, const std::vector<DetailChange>& changes,
                                    const std::string& actor, TimePoint now) {
    exec(t_, sql::kSaveDetails, id, a.entity_type, a.corporate_number, a.business_name, a.business_name_kana,
         a.search_key(), search_key(a.business_name_kana), a.postal_code, a.prefecture, a.address, a.industry,
         a.employees, a.representative_title, a.representative_name, a.contact_name, a.contact_email, a.phone,
         a.website, sql::join_codes(a.purposes), a.assessment_date, a.policy_url, a.lang);
    for (const auto& ch : changes) exec(t_, sql::kInsertChange, id, secs(now), actor, ch.field, ch.before, ch.after);
    return {};
}

Status PgDeclarations::set_confirm_token(std::int64_t id, const std::string& token_hash, TimePoint expires_at) {
    exec(t_, sql::kSetConfirmToken, id, token_hash, secs(expires_at));
    return {};
}

Result<std::vector<Declaration>> PgDeclarations::for_account(std::int64_t account_id) {
    std::vector<Declaration> out;
    for (const auto& row : exec(t_, sql::kDeclarationsForAccount, account_id))
        out.push_back(sql::read_declaration(Row{row}));
    return out;
}

Result<std::vector<Declaration>> PgDeclarations::with_status(lifecycle::Status status, std::size_t limit) {
    std::vector<Declaration> out;
    for (const auto& row : exec(t_, sql::kDeclarationsByStatus, std::string(lifecycle::to_string(status)),
                                static_cast<std::int64_t>(limit)))
        out.push_back(sql::read_declaration(Row{row}));
    return out;
}

Result<std::vector<DetailChange>> PgDeclarations::history(std::int64_t id, std::size_t limit) {
    std::vector<DetailChange> out;
    for (const auto& row : exec(t_, sql::kHistory, id, static_cast<std::int64_t>(limit)))
        out.push_back({row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>()});
    return out;
}

Result<std::pair<std::vector<PublicDeclaration>, std::size_t>> PgDeclarations::search(const SearchQuery& q) {
    const auto like = sql::like_contains(q.name_key);
    std::vector<PublicDeclaration> rows;
    for (const auto& row : exec(t_, sql::kSearch, q.name_key, like, q.prefecture, q.level,
                                static_cast<std::int64_t>(q.limit), static_cast<std::int64_t>(q.offset)))
        rows.push_back(sql::read_public(Row{row}));
    auto total = exec(t_, sql::kSearchCount, q.name_key, like, q.prefecture, q.level)[0][0].as<std::int64_t>();
    return std::make_pair(std::move(rows), static_cast<std::size_t>(total));
}

Result<Account> PgAccounts::find_or_create(const std::string& email, const std::string& lang, TimePoint now) {
    return read_account(exec(t_, sql::kFindOrCreateAccount, email, email_key(email), lang, secs(now))[0]);
}

Result<std::optional<Account>> PgAccounts::find(std::int64_t id) {
    auto r = exec(t_, sql::kFindAccount, id);
    if (r.empty()) return std::optional<Account>{};
    return std::optional<Account>{read_account(r[0])};
}

Result<std::optional<Account>> PgAccounts::find_by_email(const std::string& email) {
    auto r = exec(t_, sql::kFindAccountByEmail, email_key(email));
    if (r.empty()) return std::optional<Account>{};
    return std::optional<Account>{read_account(r[0])};
}

Status PgSignInTokens::create(const SignInToken& tok, TimePoint now) {
    exec(t_, sql::kInsertSignInToken, tok.token_hash, tok.email_key, tok.next_path, secs(now), secs(tok.expires_at));
    return {};
}

Result<std::optional<SignInToken>> PgSignInTokens::consume(const std::string& token_hash, TimePoint now) {
    auto r = exec(t_, sql::kConsumeSignInToken, token_hash, secs(now));
    if (r.empty()) return std::optional<SignInToken>{};
    return std::optional<SignInToken>{SignInToken{r[0][0].as<std::string>(), r[0][1].as<std::string>(),
                                                  r[0][2].as<std::string>(),
                                                  from_unix_seconds(r[0][3].as<std::int64_t>())}};
}

}  // namespace sengen::storage::postgres
