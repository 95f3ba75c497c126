// What the composition root needs from a database adapter beyond the Store port the core uses:
// schema migrations. Both adapters (sqlite/, postgres/) implement it.
#pragma once
#include <string>
#include <vector>

#include "domain/ports.hpp"
#include "storage/migrations.hpp"

namespace sengen::storage {

class Database : public Store {
public:
    // Applies, in version order, those of `migrations` not yet recorded in schema_migrations,
    // each in its own transaction together with its record. Safe to run from several processes at
    // once: each migration is applied exactly once. A failing migration rolls back and stops the
    // run with a "storage.migration_failed" error whose detail starts with its file name.
    // Returns the names of the migrations applied by this call (empty when up to date).
    virtual Result<std::vector<std::string>> apply_migrations(const std::vector<Migration>& migrations) = 0;

    // The migrations embedded in the binary for this engine.
    Result<std::vector<std::string>> migrate() { return apply_migrations(migrations_for(migration_set())); }

protected:
    // The folder under src/storage/migrations/ holding this engine's files.
    virtual std::string migration_set() const = 0;
};

}  // namespace sengen::storage
