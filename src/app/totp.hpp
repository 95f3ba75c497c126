// Time-based one-time passwords (RFC 6238 over HOTP, RFC 4226) for operators' second factor:
// HMAC-SHA1, 6 digits, 30-second steps, and the base32 text (RFC 4648) secrets are shown in.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"

namespace sengen::app::totp {

inline constexpr int kDigits = 6;
inline constexpr std::int64_t kStepSeconds = 30;

// RFC 4648 §6 base32, upper case, without padding.
std::string base32_encode(std::string_view bytes);
// Accepts lower case, spaces and missing padding; nullopt on any other character.
std::optional<std::string> base32_decode(std::string_view text);

// 20 random bytes (the length of an HMAC-SHA1 output, RFC 4226 §4 R6) as base32.
std::string new_secret();

// RFC 4226 §5.3: the `digits`-digit code of `counter` under `key` (raw bytes), zero-padded.
std::string hotp(std::string_view key, std::uint64_t counter, int digits = kDigits);

// RFC 6238 §4.2: the time step T = floor(unix time / 30).
std::int64_t step_at(TimePoint t);

// The step within ±1 of `now`'s (RFC 6238 §5.2 allows a step of drift) whose code is `code`;
// nullopt when none matches or `secret` is not base32. Compares in constant time.
std::optional<std::int64_t> matching_step(const std::string& secret, std::string_view code, TimePoint now);

// The otpauth:// URI authenticator apps read from the QR code.
std::string provisioning_uri(const std::string& issuer, const std::string& account, const std::string& secret);

}  // namespace sengen::app::totp
