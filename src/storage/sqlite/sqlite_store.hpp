// The SQLite adapter: WAL, foreign keys, busy timeout, synchronous=FULL; one connection per
// concurrent caller from a small pool, with prepared statements cached per connection. Write
// transactions start with BEGIN IMMEDIATE, so writers are serialised and never deadlock; those of
// one process are committed in groups (ADR 62).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace sengen::storage::sqlite {

class SqliteStore final : public Database {
public:
    // Opens (creating if needed) the database file. Errors are Unavailable.
    static Result<std::unique_ptr<SqliteStore>> open(const std::string& path);
    ~SqliteStore() override;

    std::string engine() const override { return "sqlite"; }
    Status ping() override;
    // TxMode::Write transactions of this process are committed in groups, one sync for several
    // (ADR 62); the others each run in their own transaction.
    Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) override;

    // Groups run so far (successful or not), the writes they held, and the writes waiting now.
    struct GroupCommits {
        std::uint64_t groups = 0, writes = 0;
        std::size_t waiting = 0;
    };
    GroupCommits group_commits() const;

    // BEGIN IMMEDIATE around each migration takes the write lock before the "already applied?"
    // check, so two processes cannot both apply one.
    Result<std::vector<std::string>> apply_migrations(const std::vector<Migration>& migrations) override;

    // SQLite's online backup API: a consistent copy while the database is in use, also by other
    // processes. Written beside `target_path` and renamed into place once complete and checked.
    Status backup_to(const std::string& target_path);

    // PRAGMA integrity_check of the file at `path` ("ok" or the problems found). A file that is
    // not an SQLite database is an Unavailable error.
    static Result<std::string> integrity_check(const std::string& path);

    // Replaces the database at `target_path` with a copy of `source_path`, after checking that the
    // source passes integrity_check and is a sengen database (Invalid "storage.restore_refused"
    // otherwise, `target_path` untouched). The copy is made beside the target and renamed over it;
    // the target's -wal and -shm files are removed. No process may have the target open.
    static Status restore(const std::string& source_path, const std::string& target_path);

    struct Impl;

protected:
    std::string migration_set() const override { return "sqlite"; }

private:
    explicit SqliteStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace sengen::storage::sqlite
