// The two languages of the site. The core passes a Lang; the codes "ja" and "en" appear only where
// text comes in or goes out (a form, a cookie, a stored column, JSON).
#pragma once
#include <array>
#include <optional>
#include <string_view>

namespace sengen {

enum class Lang { Ja, En };
inline constexpr std::array<Lang, 2> all_langs = {Lang::Ja, Lang::En};

// "ja" or "en": the code stored in a column, sent in JSON and set in the language cookie.
constexpr std::string_view code(Lang l) { return l == Lang::Ja ? "ja" : "en"; }

// The language of an exact code, ASCII case ignored ("ja", "EN"); nullopt for anything else.
std::optional<Lang> lang_from_code(std::string_view s);

// A stored or posted code read leniently: "en" (any case) is English, everything else Japanese,
// the site's first language. For columns that were checked when written.
Lang lang_or_japanese(std::string_view s);

}  // namespace sengen
