// Standard base64 (RFC 4648 section 4, padded) as the C2SP formats write it: signatures, keys
// and root hashes.
#pragma once
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sengen::tlog {

std::string base64(std::span<const unsigned char> bytes);
// Strict: nothing ignored, nothing left over, the padding in place, and only the one spelling
// base64() writes (no other bits in the padding, no byte outside the alphabet).
std::optional<std::string> unbase64(std::string_view text);

}  // namespace sengen::tlog
