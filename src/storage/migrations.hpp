// Numbered SQL migrations per engine, embedded in the binary (src/storage/migrations/ENGINE/).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace sengen::storage {

struct Migration {
    int version;       // from the file name's leading number
    std::string name;  // the file name, e.g. "0001_sessions.sql"
    std::string_view sql;
};

// Sorted by version; asserts that versions are unique (a build-time mistake, not a user error).
std::vector<Migration> migrations_for(std::string_view engine);  // "sqlite" or "postgres"

// Whether migration $1 is recorded; each engine's apply_migrations asks it inside the migration's
// transaction (the rest of the bookkeeping differs: locks, DDL, the clock).
inline constexpr std::string_view kMigrationApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";

}  // namespace sengen::storage
