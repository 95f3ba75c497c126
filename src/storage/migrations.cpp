// Finds the embedded migration files of one engine.
#include "storage/migrations.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdlib>

#include "embedded/embedded.hpp"

namespace sengen::storage {

std::vector<Migration> migrations_for(std::string_view engine) {
    const std::string prefix = "src/storage/migrations/" + std::string(engine) + "/";
    std::vector<Migration> out;
    for (const auto& f : embedded::all_files()) {
        if (f.path.rfind(prefix, 0) != 0) continue;
        std::string name(f.path.substr(prefix.size()));
        int version = 0;  // the file name's leading number: 0001_init.sql is version 1
        [[maybe_unused]] auto parsed = std::from_chars(name.data(), name.data() + name.size(), version);
        assert(parsed.ec == std::errc() && version > 0);
        out.push_back({version, name, f.bytes});
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    for (std::size_t i = 1; i < out.size(); ++i) assert(out[i].version != out[i - 1].version);
    return out;
}

}  // namespace sengen::storage
