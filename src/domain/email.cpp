#include "domain/email.hpp"

#include <cctype>

#include "domain/text.hpp"

namespace sengen {

bool valid_email(std::string_view s) {
    if (s.empty() || s.size() > 254) return false;
    auto at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || at + 1 >= s.size()) return false;
    auto local = s.substr(0, at);
    auto domain = s.substr(at + 1);
    static constexpr std::string_view local_extra = "!#$%&'*+-/=?^_`{|}~.";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
    for (unsigned char c : local)
        if (!std::isalnum(c) && local_extra.find(static_cast<char>(c)) == std::string_view::npos) return false;
    if (domain.size() > 253 || domain.find('.') == std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= domain.size()) {
        auto dot = domain.find('.', start);
        auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (unsigned char c : label)
            if (!std::isalnum(c) && c != '-') return false;
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return true;
}

std::string normalise_email(std::string_view typed) {
    std::string s = text::squeeze_spaces(text::nfkc(typed));
    auto at = s.rfind('@');
    if (at != std::string::npos)
        for (auto i = at + 1; i < s.size(); ++i)
            s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
    return s;
}

std::string email_key(std::string_view normalised) {
    std::string s(normalised);
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

}  // namespace sengen
