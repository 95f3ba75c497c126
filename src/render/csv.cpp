#include "render/csv.hpp"

#include <array>

#include "domain/text.hpp"

namespace sengen::render {

namespace {

// Excel reads a cell starting with these as a formula (or, for tab and CR, trims them first and
// then may read what follows as one).
bool starts_like_a_formula(std::string_view s) {
    if (s.empty()) return false;
    switch (s.front()) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return true;
        default:
            break;
    }
    // Their full-width forms (U+FF1D, U+FF0B, U+FF0D, U+FF20), which a Japanese keyboard types:
    // no spreadsheet documents whether it evaluates them, so they are treated the same way.
    static constexpr std::array<std::string_view, 4> wide = {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D",
                                                             "\xEF\xBC\xA0"};
    for (auto w : wide)
        if (s.starts_with(w)) return true;
    return false;
}

}  // namespace

std::string csv_cell(std::string_view text) {
    std::string s;
    s.reserve(text.size() + 3);
    if (starts_like_a_formula(text)) s += '\'';
    s.append(text);
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    return text::double_quoted(s);
}

}  // namespace sengen::render
