// Versioned content embedded in the binary: every content/<dir>/*.toml, each read by `load`
// (file text, file name) -> Result<T>, made into Versions<T>. Every file's problems are reported
// together.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "domain/versions.hpp"
#include "embedded/embedded.hpp"

namespace sengen::content {

template <typename T, typename Load>
Result<Versions<T>> load_embedded_versions(std::string_view dir, std::string_view kind, Load load) {
    std::vector<T> items;
    std::string problems;
    for (const auto& f : embedded::all_files()) {
        if (f.path.rfind(dir, 0) != 0 || !f.path.ends_with(".toml")) continue;
        auto item = load(f.bytes, f.path);
        if (!item) {
            problems += item.error().detail;
            continue;
        }
        items.push_back(std::move(*item));
    }
    if (!problems.empty()) {
        Error err = Error::invalid({{"content", "invalid"}}, "content.invalid");
        err.detail = problems;
        return fail(std::move(err));
    }
    return Versions<T>::build(std::move(items), kind);
}

}  // namespace sengen::content
