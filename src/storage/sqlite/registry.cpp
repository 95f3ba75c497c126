// SQLite repositories of the registry. Exceptions propagate to SqliteStore::transact, which
// rolls back and turns them into Unavailable errors.
#include "storage/sqlite/registry.hpp"

#include "domain/email.hpp"
#include "storage/registry_sql.hpp"

namespace sengen::storage::sqlite {

namespace {

struct Row {
    SQLite::Statement& st;
    std::string text(int i) const { return st.getColumn(i).getString(); }
    std::int64_t int64(int i) const { return st.getColumn(i).getInt64(); }
    bool null(int i) const { return st.getColumn(i).isNull(); }
};

void bind_details(SQLite::Statement& st, const Application& a, int first) {
    // The order of kSaveDetails from $2 (kInsertDeclaration differs and binds its own).
    int n = first;
    bind_at(st, n++, a.entity_type);
    bind_at(st, n++, a.corporate_number);
    bind_at(st, n++, a.business_name);
    bind_at(st, n++, a.business_name_kana);
    bind_at(st, n++, a.search_key());
    bind_at(st, n++, search_key(a.business_name_kana));
    bind_at(st, n++, a.postal_code);
    bind_at(st, n++, a.prefecture);
    bind_at(st, n++, a.address);
    bind_at(st, n++, a.industry);
    bind_at(st, n++, a.employees);
    bind_at(st, n++, a.representative_title);
    bind_at(st, n++, a.representative_name);
    bind_at(st, n++, a.contact_name);
    bind_at(st, n++, a.contact_email);
    bind_at(st, n++, a.phone);
    bind_at(st, n++, a.website);
    bind_at(st, n++, sql::join_codes(a.purposes));
}

Account read_account(SQLite::Statement& st) {
    return Account{st.getColumn(0).getInt64(), st.getColumn(1).getString(), st.getColumn(2).getString(),
                   from_unix_seconds(st.getColumn(3).getInt64())};
}

}  // namespace

Result<std::int64_t> SqliteDeclarations::create(const Declaration& d) {
    auto& st = c_.statement(sql::kInsertDeclaration);
    const auto& a = d.details;
    bind_at(st, 1, std::string(lifecycle::to_string(d.state.status)));
    bind_at(st, 2, d.state.level);
    bind_at(st, 3, a.entity_type);
    bind_at(st, 4, a.corporate_number);
    bind_at(st, 5, a.business_name);
    bind_at(st, 6, a.business_name_kana);
    bind_at(st, 7, a.search_key());
    bind_at(st, 8, search_key(a.business_name_kana));
    bind_at(st, 9, a.postal_code);
    bind_at(st, 10, a.prefecture);
    bind_at(st, 11, a.address);
    bind_at(st, 12, a.industry);
    bind_at(st, 13, a.employees);
    bind_at(st, 14, a.representative_title);
    bind_at(st, 15, a.representative_name);
    bind_at(st, 16, a.contact_name);
    bind_at(st, 17, a.contact_email);
    bind_at(st, 18, a.phone);
    bind_at(st, 19, a.website);
    bind_at(st, 20, sql::join_codes(a.purposes));
    bind_at(st, 21, a.principles_edition);
    bind_at(st, 22, a.assessment_date);
    bind_at(st, 23, a.policy_url);
    bind_at(st, 24, a.lang);
    bind_at(st, 25, d.terms_version);
    bind_time(st, 26, d.terms_agreed_at);
    bind_time(st, 27, d.created_at);
    bind_at(st, 28, d.confirm_token_hash);
    bind_time(st, 29, d.confirm_expires_at);
    st.executeStep();
    return st.getColumn(0).getInt64();
}

Result<std::optional<Declaration>> SqliteDeclarations::find_one(const sql::Statement& sql_text,
                                                                const std::string& key) {
    auto& st = c_.statement(sql_text);
    bind_at(st, 1, key);
    if (!st.executeStep()) return std::optional<Declaration>{};
    return std::optional<Declaration>{sql::read_declaration(Row{st})};
}

Result<std::optional<Declaration>> SqliteDeclarations::find(std::int64_t id) {
    auto& st = c_.statement(sql::kFindDeclaration);
    bind_at(st, 1, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::optional<Declaration>{};
    return std::optional<Declaration>{sql::read_declaration(Row{st})};
}

Result<std::optional<Declaration>> SqliteDeclarations::find_by_public_id(const std::string& public_id) {
    return find_one(sql::kFindDeclarationByPublicId, public_id);
}

Result<std::optional<PublicDeclaration>> SqliteDeclarations::find_public(const std::string& public_id) {
    auto& st = c_.statement(sql::kFindPublic);
    bind_at(st, 1, public_id);
    if (!st.executeStep()) return std::optional<PublicDeclaration>{};
    return std::optional<PublicDeclaration>{sql::read_public(Row{st})};
}

Result<std::optional<Declaration>> SqliteDeclarations::find_by_confirm_token(const std::string& token_hash) {
    return find_one(sql::kFindDeclarationByToken, token_hash);
}

Result<bool> SqliteDeclarations::live_exists_for_corporate_number(const std::string& corporate_number,
                                                                  std::int64_t except_id) {
    if (corporate_number.empty()) return false;
    auto& st = c_.statement(sql::kLiveForCorporateNumber);
    bind_at(st, 1, corporate_number);
    bind_at(st, 2, static_cast<int64_t>(except_id));
    st.executeStep();
    return st.getColumn(0).getInt64() > 0;
}

Result<std::int64_t> SqliteDeclarations::next_serial(TimePoint now) {
    auto& st = c_.statement(sql::kNextSerial);
    bind_time(st, 1, now);
    st.executeStep();
    return st.getColumn(0).getInt64();
}

Status SqliteDeclarations::save_state(const Declaration& d, const lifecycle::State& expected) {
    auto& st = c_.statement(sql::kSaveState);
    bind_at(st, 1, static_cast<int64_t>(d.id));
    bind_at(st, 2, std::string(lifecycle::to_string(d.state.status)));
    bind_at(st, 3, d.state.level);
    if (d.public_id)
        bind_at(st, 4, *d.public_id);
    else
        bind_null(st, 4);
    if (d.account_id)
        bind_at(st, 5, static_cast<int64_t>(*d.account_id));
    else
        bind_null(st, 5);
    bind_opt_time(st, 6, d.declared_at);
    bind_opt_time(st, 7, d.level_since);
    bind_opt_time(st, 8, d.ended_at);
    bind_at(st, 9, d.end_reason);
    bind_at(st, 10, std::string(lifecycle::to_string(expected.status)));
    bind_at(st, 11, expected.level);
    if (st.exec() != 1) return fail(Error::conflict("declaration.changed", "state changed concurrently"));
    return {};
}

Status SqliteDeclarations::save_details(std::int64_t id, const Application& a, const std::vector<DetailChange>& changes,
                                        const std::string& actor, TimePoint now) {
    auto& st = c_.statement(sql::kSaveDetails);
    bind_at(st, 1, static_cast<int64_t>(id));
    bind_details(st, a, 2);
    bind_at(st, 20, a.assessment_date);
    bind_at(st, 21, a.policy_url);
    bind_at(st, 22, a.lang);
    st.exec();
    for (const auto& ch : changes) {
        auto& ins = c_.statement(sql::kInsertChange);
        bind_at(ins, 1, static_cast<int64_t>(id));
        bind_time(ins, 2, now);
        bind_at(ins, 3, actor);
        bind_at(ins, 4, ch.field);
        bind_at(ins, 5, ch.before);
        bind_at(ins, 6, ch.after);
        ins.exec();
    }
    return {};
}

Status SqliteDeclarations::set_confirm_token(std::int64_t id, const std::string& token_hash, TimePoint expires_at) {
    auto& st = c_.statement(sql::kSetConfirmToken);
    bind_at(st, 1, static_cast<int64_t>(id));
    bind_at(st, 2, token_hash);
    bind_time(st, 3, expires_at);
    st.exec();
    return {};
}

Result<std::vector<Declaration>> SqliteDeclarations::for_account(std::int64_t account_id) {
    auto& st = c_.statement(sql::kDeclarationsForAccount);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    std::vector<Declaration> out;
    while (st.executeStep()) out.push_back(sql::read_declaration(Row{st}));
    return out;
}

Result<std::vector<Declaration>> SqliteDeclarations::with_status(lifecycle::Status status, std::size_t limit) {
    auto& st = c_.statement(sql::kDeclarationsByStatus);
    bind_at(st, 1, std::string(lifecycle::to_string(status)));
    bind_at(st, 2, static_cast<int64_t>(limit));
    std::vector<Declaration> out;
    while (st.executeStep()) out.push_back(sql::read_declaration(Row{st}));
    return out;
}

Result<std::vector<DetailChange>> SqliteDeclarations::history(std::int64_t id, std::size_t limit) {
    auto& st = c_.statement(sql::kHistory);
    bind_at(st, 1, static_cast<int64_t>(id));
    bind_at(st, 2, static_cast<int64_t>(limit));
    std::vector<DetailChange> out;
    while (st.executeStep())
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getString()});
    return out;
}

Result<std::pair<std::vector<PublicDeclaration>, std::size_t>> SqliteDeclarations::search(const SearchQuery& q) {
    auto bind_filters = [&](SQLite::Statement& st) {
        bind_at(st, 1, q.name_key);
        bind_at(st, 2, sql::like_contains(q.name_key));
        bind_at(st, 3, q.prefecture);
        bind_at(st, 4, q.level);
    };
    std::vector<PublicDeclaration> rows;
    {
        auto& st = c_.statement(sql::kSearch);
        bind_filters(st);
        bind_at(st, 5, static_cast<int64_t>(q.limit));
        bind_at(st, 6, static_cast<int64_t>(q.offset));
        while (st.executeStep()) rows.push_back(sql::read_public(Row{st}));
    }
    auto& count = c_.statement(sql::kSearchCount);
    bind_filters(count);
    count.executeStep();
    return std::make_pair(std::move(rows), static_cast<std::size_t>(count.getColumn(0).getInt64()));
}

Result<Account> SqliteAccounts::find_or_create(const std::string& email, const std::string& lang, TimePoint now) {
    auto& st = c_.statement(sql::kFindOrCreateAccount);
    bind_at(st, 1, email);
    bind_at(st, 2, email_key(email));
    bind_at(st, 3, lang);
    bind_time(st, 4, now);
    st.executeStep();
    return read_account(st);
}

Result<std::optional<Account>> SqliteAccounts::find(std::int64_t id) {
    auto& st = c_.statement(sql::kFindAccount);
    bind_at(st, 1, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::optional<Account>{};
    return std::optional<Account>{read_account(st)};
}

Result<std::optional<Account>> SqliteAccounts::find_by_email(const std::string& email) {
    auto& st = c_.statement(sql::kFindAccountByEmail);
    bind_at(st, 1, email_key(email));
    if (!st.executeStep()) return std::optional<Account>{};
    return std::optional<Account>{read_account(st)};
}

Status SqliteSignInTokens::create(const SignInToken& t, TimePoint now) {
    auto& st = c_.statement(sql::kInsertSignInToken);
    bind_at(st, 1, t.token_hash);
    bind_at(st, 2, t.email_key);
    bind_at(st, 3, t.next_path);
    bind_time(st, 4, now);
    bind_time(st, 5, t.expires_at);
    st.exec();
    return {};
}

Result<std::optional<SignInToken>> SqliteSignInTokens::consume(const std::string& token_hash, TimePoint now) {
    auto& st = c_.statement(sql::kConsumeSignInToken);
    bind_at(st, 1, token_hash);
    bind_time(st, 2, now);
    if (!st.executeStep()) return std::optional<SignInToken>{};
    return std::optional<SignInToken>{SignInToken{st.getColumn(0).getString(), st.getColumn(1).getString(),
                                                  st.getColumn(2).getString(),
                                                  from_unix_seconds(st.getColumn(3).getInt64())}};
}

}  // namespace sengen::storage::sqlite
