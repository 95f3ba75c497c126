// libsodium-backed tokens and hashes; the baseline security headers.
#include "web/security.hpp"

#include <sodium.h>

#include "app/tokens.hpp"
#include "web/link_token.hpp"

namespace sengen::web {

namespace {
// sodium_init is idempotent and thread-safe; run it before any token is made.
[[maybe_unused]] const int sodium_ready = sodium_init();

std::string to_hex(const unsigned char* p, std::size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), p, n);
    out.pop_back();
    return out;
}
}  // namespace

std::string csrf_token_for(std::string_view session_token) {
    static constexpr std::string_view label = "sengen-csrf-v1";
    unsigned char h[32];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(label.data()), label.size(),
                       reinterpret_cast<const unsigned char*>(session_token.data()),
                       std::min<std::size_t>(session_token.size(), crypto_generichash_KEYBYTES_MAX));
    return to_hex(h, sizeof h);
}

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Referrer referrer_for_route(std::string_view pattern) {
    // The pages of mailed one-time links (ADR 59) hold the token in a form, and the old ones in the path.
    return pattern.find("{token}") == std::string_view::npos && !is_link_page(pattern) ? Referrer::OriginOnly
                                                                                       : Referrer::None;
}

std::string content_security_policy(Connect connect) {
    // No inline script or style anywhere: every script and stylesheet is a file from 'self'.
    return std::string(
               "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "font-src 'self'; connect-src ") +
           (connect == Connect::None ? "'none'" : "'self'") +
           "; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
}

void apply_security_headers(Response& r, bool https, Referrer referrer) {
    if (!r.header("Content-Security-Policy")) r.set("Content-Security-Policy", content_security_policy());
    r.set("X-Content-Type-Options", "nosniff");
    r.set("Referrer-Policy", referrer == Referrer::None ? "no-referrer" : "strict-origin-when-cross-origin");
    r.set("X-Frame-Options", "DENY");
    r.set("Cross-Origin-Opener-Policy", "same-origin");
    r.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()");
    if (https) r.set("Strict-Transport-Security", "max-age=63072000; includeSubDomains");
}

}  // namespace sengen::web
