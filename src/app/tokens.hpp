// Secret tokens (sign-in links, confirmation links, sessions) and the hashes stored instead.
#pragma once
#include <string>
#include <string_view>

namespace sengen::app {

// 32 random bytes as URL-safe base64 without padding (43 characters).
std::string random_token();

// Hex of BLAKE2b-256 of the token: what the database keeps instead of the token itself.
std::string token_hash(std::string_view token);

// Whether `s` looks like a token from random_token() (so junk is refused before any lookup).
bool plausible_token(std::string_view s);

// The address a mail gives for a one-time link (ADR 59): the page, with the token in the fragment
// ("https://host/confirm#<token>"). A browser never sends the fragment to the server, so the token
// stays out of request lines, access logs, proxies and history; the page's script posts it.
std::string link_url(std::string_view base_url, std::string_view page, std::string_view token);

}  // namespace sengen::app
