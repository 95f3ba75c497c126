// Files compiled into the binary (templates, catalogues, static assets, migrations, content).
#pragma once
#include <optional>
#include <span>
#include <string_view>

namespace sengen::embedded {

struct File {
    std::string_view path;  // relative to the source tree, e.g. "src/web/static/site.css"
    std::string_view bytes;
};

std::span<const File> all_files();

// The bytes of the file at `path`, if it was embedded.
inline std::optional<std::string_view> find(std::string_view path) {
    for (const auto& f : all_files())
        if (f.path == path) return f.bytes;
    return std::nullopt;
}

}  // namespace sengen::embedded
