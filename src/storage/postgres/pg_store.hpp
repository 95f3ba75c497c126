// The PostgreSQL adapter (libpqxx 6.4): a pool of at most `pool_size` connections, one lent to
// each transaction and returned afterwards (a pqxx::connection is not thread-safe); a broken
// connection is dropped and replaced on demand. Statements are prepared per connection on first
// use. Transactions run under READ COMMITTED; the outbox lease takes row locks with
// FOR UPDATE SKIP LOCKED, so several nodes on one database never lease the same mail.
//
// The connection URL may hold a password: it never appears in an Error this adapter returns.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.hpp"

namespace sengen::storage::postgres {

class PgStore final : public Database {
public:
    // Connects once to check the URL and the server (Unavailable if that fails); further
    // connections are opened as transactions need them, up to `pool_size`.
    static Result<std::unique_ptr<PgStore>> open(const std::string& url, unsigned pool_size);
    ~PgStore() override;

    std::string engine() const override { return "postgresql"; }
    Status ping() override;
    Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) override;

    // Holds a session-level advisory lock (pg_advisory_lock) on a connection of its own for the
    // whole run, so nodes starting at once migrate one after the other; each migration and its
    // schema_migrations row commit in one transaction (PostgreSQL's DDL is transactional).
    Result<std::vector<std::string>> apply_migrations(const std::vector<Migration>& migrations) override;

    struct Impl;

protected:
    std::string migration_set() const override { return "postgres"; }

private:
    explicit PgStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// The URL with any password (in the user part or a password= parameter) replaced by "***":
// safe to log.
std::string redact_url(std::string_view url);

// `message` with every occurrence of the URL's password (as written and percent-decoded) and of
// the URL itself replaced: for library messages that may quote what they were given.
std::string scrub_secrets(std::string message, std::string_view url);

}  // namespace sengen::storage::postgres
