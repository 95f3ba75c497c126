// The SQLite adapter: WAL, foreign keys, busy timeout, synchronous=FULL; one connection per
// concurrent caller from a small pool, with prepared statements cached per connection.
#pragma once
#include <memory>
#include <string>

#include "domain/ports.hpp"

namespace sengen::storage::sqlite {

class SqliteStore;

// Opens (creating if needed) the database file and returns the store. Errors are Unavailable.
Result<std::unique_ptr<SqliteStore>> open(const std::string& path);

class SqliteStore final : public Store, public SessionRepository {
public:
    ~SqliteStore() override;
    std::string engine() const override { return "sqlite"; }
    Status ping() override;
    SessionRepository& sessions() override { return *this; }

    // Applies the embedded migrations not yet applied; each in its own transaction.
    // Returns the names of those applied now.
    Result<std::vector<std::string>> migrate();

    // SQLite's online backup API: a consistent copy while the database is in use.
    Status backup_to(const std::string& target_path);

    // SessionRepository
    Status create(const Session& s) override;
    Result<std::optional<Session>> find(const std::string& id_hash, TimePoint now) override;
    Status extend(const std::string& id_hash, TimePoint expires_at) override;
    Status remove(const std::string& id_hash) override;
    Result<std::size_t> purge_expired(TimePoint now) override;

    struct Impl;

private:
    friend Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace sengen::storage::sqlite
