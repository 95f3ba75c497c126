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

}  // namespace sengen::storage
