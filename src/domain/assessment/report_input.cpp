#include "domain/assessment/report_input.hpp"

namespace sengen::assessment {

Result<std::string> clean_business_name(std::string_view s) {
    constexpr std::string_view ideographic_space = "\xE3\x80\x80";
    auto trim_front = [&] {
        while (true) {
            if (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
                s.remove_prefix(1);
            else if (s.rfind(ideographic_space, 0) == 0)
                s.remove_prefix(ideographic_space.size());
            else
                return;
        }
    };
    auto trim_back = [&] {
        while (true) {
            if (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
                s.remove_suffix(1);
            else if (s.size() >= 3 && s.substr(s.size() - 3) == ideographic_space)
                s.remove_suffix(3);
            else
                return;
        }
    };
    trim_front();
    trim_back();
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
