// What the fuzz targets share: the input as text, and FUZZ_CHECK, an assertion that holds in a
// release build too (libFuzzer then saves the input that broke it as a crash).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>

#define FUZZ_CHECK(cond)                                                                          \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            std::fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__, #cond); \
            std::abort();                                                                         \
        }                                                                                         \
    } while (false)

namespace sengen::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Splits the input at the first NUL byte into two texts (the second empty when there is none):
// for targets that take two inputs, e.g. a name and a header value.
inline std::pair<std::string_view, std::string_view> split_at_nul(std::string_view s) {
    const auto nul = s.find('\0');
    if (nul == std::string_view::npos) return {s, {}};
    return {s.substr(0, nul), s.substr(nul + 1)};
}

}  // namespace sengen::fuzz
