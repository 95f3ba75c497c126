// What a user may type for the self-assessment report: the business name printed on the PDF.
#pragma once
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace sengen::assessment {

inline constexpr std::size_t kBusinessNameMaxChars = 100;

// Trims spaces (including the full-width space U+3000) from both ends. Invalid (field
// "business_name") when it holds a character a one-line field refuses (text::has_forbidden_characters:
// controls, line and paragraph separators, bidi controls, invisible characters) or is not UTF-8
// ("invalid_characters"), or when longer than kBusinessNameMaxChars characters ("too_long").
// Empty is fine: the name is optional.
Result<std::string> clean_business_name(std::string_view s);

}  // namespace sengen::assessment
