// SQLite implementations of the registry's repositories (declarations, accounts, sign-in tokens).
#pragma once
#include "domain/ports.hpp"
#include "storage/registry_sql.hpp"
#include "storage/sqlite/connection.hpp"

namespace sengen::storage::sqlite {

class SqliteDeclarations final : public DeclarationRepository {
public:
    explicit SqliteDeclarations(Connection& c) : c_(c) {}
    Result<std::int64_t> create(const Declaration& d) override;
    Result<std::optional<Declaration>> find(std::int64_t id) override;
    Result<std::optional<Declaration>> find_by_public_id(const std::string& public_id) override;
    Result<std::optional<PublicDeclaration>> find_public(const std::string& public_id) override;
    Result<std::optional<Declaration>> find_by_confirm_token(const std::string& token_hash) override;
    Result<bool> live_exists_for_corporate_number(const std::string& corporate_number, std::int64_t except_id) override;
    Result<std::int64_t> next_serial(TimePoint now) override;
    Status save_state(const Declaration& d, const lifecycle::State& expected) override;
    Status save_details(std::int64_t id, const Application& details, const std::vector<DetailChange>& changes,
                        const std::string& actor, TimePoint now) override;
    Status set_confirm_token(std::int64_t id, const std::string& token_hash, TimePoint expires_at) override;
    Result<std::vector<Declaration>> for_account(std::int64_t account_id) override;
    Result<std::vector<Declaration>> with_status(lifecycle::Status status, std::size_t limit) override;
    Result<std::vector<DetailChange>> history(std::int64_t id, std::size_t limit) override;
    Result<std::pair<std::vector<PublicDeclaration>, std::size_t>> search(const SearchQuery& q) override;

private:
    Result<std::optional<Declaration>> find_one(const sql::Statement& statement, const std::string& key);
    Connection& c_;
};

class SqliteAccounts final : public AccountRepository {
public:
    explicit SqliteAccounts(Connection& c) : c_(c) {}
    Result<Account> find_or_create(const std::string& email, const std::string& lang, TimePoint now) override;
    Result<std::optional<Account>> find(std::int64_t id) override;
    Result<std::optional<Account>> find_by_email(const std::string& email) override;

private:
    Connection& c_;
};

class SqliteSignInTokens final : public SignInTokenRepository {
public:
    explicit SqliteSignInTokens(Connection& c) : c_(c) {}
    Status create(const SignInToken& t, TimePoint now) override;
    Result<std::optional<SignInToken>> consume(const std::string& token_hash, TimePoint now) override;

private:
    Connection& c_;
};

}  // namespace sengen::storage::sqlite
