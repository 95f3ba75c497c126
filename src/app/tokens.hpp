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

}  // namespace sengen::app
