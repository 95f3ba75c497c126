// PostgreSQL implementations of the registry's repositories (declarations, accounts, sign-in
// tokens). Library exceptions propagate to PgStore::transact, which rolls back and maps them.
#pragma once
#include <pqxx/pqxx>

#include "domain/ports.hpp"
#include "storage/registry_sql.hpp"

namespace sengen::storage::postgres {

// The registry's statements, prepared on every connection.
extern const sql::Statement* const kRegistryStatements[];
extern const std::size_t kRegistryStatementCount;

class PgDeclarations final : public DeclarationRepository {
public:
    explicit PgDeclarations(pqxx::transaction_base& t) : t_(t) {}
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
    pqxx::transaction_base& t_;
};

class PgAccounts final : public AccountRepository {
public:
    explicit PgAccounts(pqxx::transaction_base& t) : t_(t) {}
    Result<Account> find_or_create(const std::string& email, const std::string& lang, TimePoint now) override;
    Result<std::optional<Account>> find(std::int64_t id) override;
    Result<std::optional<Account>> find_by_email(const std::string& email) override;

private:
    pqxx::transaction_base& t_;
};

class PgSignInTokens final : public SignInTokenRepository {
public:
    explicit PgSignInTokens(pqxx::transaction_base& t) : t_(t) {}
    Status create(const SignInToken& t, TimePoint now) override;
    Result<std::optional<SignInToken>> consume(const std::string& token_hash, TimePoint now) override;

private:
    pqxx::transaction_base& t_;
};

}  // namespace sengen::storage::postgres
