// Reading language codes at the edges.
#include "domain/lang.hpp"

namespace sengen {

namespace {

bool equals_ascii_nocase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != b[i]) return false;
    }
    return true;
}

}  // namespace

std::optional<Lang> lang_from_code(std::string_view s) {
    if (equals_ascii_nocase(s, "ja")) return Lang::Ja;
    if (equals_ascii_nocase(s, "en")) return Lang::En;
    return std::nullopt;
}

Lang lang_or_japanese(std::string_view s) { return lang_from_code(s).value_or(Lang::Ja); }

}  // namespace sengen
