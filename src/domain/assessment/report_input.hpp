// What a user may type for the self-assessment report: the business name printed on the PDF.
#pragma once
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace sengen::assessment {

inline constexpr std::size_t kBusinessNameMaxChars = 100;

// Trims spaces (including the full-width space U+3000) from both ends. Invalid (field
// "business_name") when longer than kBusinessNameMaxChars characters ("too_long") or when it holds
// control characters ("invalid_text"). Empty is fine: the name is optional. `s` must be UTF-8.
Result<std::string> clean_business_name(std::string_view s);

}  // namespace sengen::assessment
