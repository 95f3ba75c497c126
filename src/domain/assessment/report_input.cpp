#include "domain/assessment/report_input.hpp"
#include "domain/text.hpp"

namespace sengen::assessment {

Result<std::string> clean_business_name(std::string_view s) {
    s = text::trim_wide(s);
    std::size_t chars = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c & 0xC0) != 0x80) ++chars;  // count lead bytes only
        if (c < 0x20 || c == 0x7F) return fail(Error::invalid({{"business_name", "invalid_text"}}));
        // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
        if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0)
            return fail(Error::invalid({{"business_name", "invalid_text"}}));
    }
    if (chars > kBusinessNameMaxChars) return fail(Error::invalid({{"business_name", "too_long"}}));
    return std::string(s);
}

}  // namespace sengen::assessment
