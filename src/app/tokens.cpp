#include "app/tokens.hpp"

#include <sodium.h>

namespace sengen::app {

namespace {
[[maybe_unused]] const int sodium_ready = sodium_init();
}

std::string random_token() {
    unsigned char buf[32];
    randombytes_buf(buf, sizeof buf);
    std::string out(sodium_base64_ENCODED_LEN(sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING), '\0');
    sodium_bin2base64(out.data(), out.size(), buf, sizeof buf, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    out.resize(std::char_traits<char>::length(out.c_str()));
    return out;
}

std::string token_hash(std::string_view token) {
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
    char hex[sizeof h * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

bool plausible_token(std::string_view s) {
    if (s.size() != 43) return false;
    for (char c : s)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

std::string link_url(std::string_view base_url, std::string_view page, std::string_view token) {
    return std::string(base_url) + std::string(page) + "#" + std::string(token);
}

}  // namespace sengen::app
