// The SQLite adapter: WAL, foreign keys, busy timeout, synchronous=FULL; one connection per
// concurrent caller from a small pool, with prepared statements cached per connection. Write
// transactions start with BEGIN IMMEDIATE, so writers are serialised and never deadlock.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "domain/ports.hpp"

namespace sengen::storage::sqlite {

class SqliteStore final : public Store {
public:
    // Opens (creating if needed) the database file. Errors are Unavailable.
    static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
    ~SqliteStore() override;

    std::string engine() const override { return "sqlite"; }
    Status ping() override;
    Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) override;

    // Applies the embedded migrations not yet applied, each in its own transaction; a failing
    // one rolls back and names its file. Returns the names of those applied now.
    Result<std::vector<std::string>> migrate();

    // SQLite's online backup API: a consistent copy while the database is in use.
    Status backup_to(const std::string& target_path);

    // PRAGMA integrity_check of the file at `path` ("ok" or the problems found).
    static Result<std::string> integrity_check(const std::string& path);

    struct Impl;

private:
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace sengen::storage::sqlite
