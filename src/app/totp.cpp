// TOTP (RFC 6238) with OpenSSL's HMAC-SHA1 (docs/adr/0031-operator-sign-in.md).
#include "app/totp.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <array>

namespace sengen::app::totp {

namespace {
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string url_escape(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~' || c == '@') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}
}  // namespace

std::string base32_encode(std::string_view bytes) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (unsigned char c : bytes) {
        buffer = (buffer << 8) | c;
        bits += 8;
        while (bits >= 5) {
            out += kAlphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += kAlphabet[(buffer << (5 - bits)) & 31];
    return out;
}

std::optional<std::string> base32_decode(std::string_view text) {
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == ' ' || c == '=' || c == '-') continue;
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        auto v = kAlphabet.find(c);
        if (v == std::string_view::npos) return std::nullopt;
        buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return out;
}

std::string new_secret() {
    std::array<unsigned char, 20> key{};
    randombytes_buf(key.data(), key.size());
    return base32_encode(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
}

std::string hotp(std::string_view key, std::uint64_t counter, int digits) {
    // RFC 4226 §5.3 step 1: HS = HMAC-SHA-1(K, C), C as 8 bytes, big-endian.
    std::array<unsigned char, 8> message{};
    for (int i = 7; i >= 0; --i) {
        message[static_cast<std::size_t>(i)] = static_cast<unsigned char>(counter & 0xff);
        counter >>= 8;
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), message.data(), message.size(), mac.data(), &mac_len);
    // Step 2, dynamic truncation: the low 4 bits of the last byte pick the offset of 31 bits.
    const unsigned offset = mac[mac_len - 1] & 0x0f;
    const std::uint32_t binary = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                                 (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                                 (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | mac[offset + 3];
    // Step 3: modulo 10^digits, zero-padded on the left.
    std::uint32_t modulo = 1;
    for (int i = 0; i < digits; ++i) modulo *= 10;
    std::string code = std::to_string(binary % modulo);
    return std::string(static_cast<std::size_t>(digits) - code.size(), '0') + code;
}

std::int64_t step_at(TimePoint t) { return unix_seconds(t) / kStepSeconds; }

std::optional<std::int64_t> matching_step(const std::string& secret, std::string_view code, TimePoint now) {
    if (code.size() != static_cast<std::size_t>(kDigits)) return std::nullopt;
    auto key = base32_decode(secret);
    if (!key || key->empty()) return std::nullopt;
    const auto now_step = step_at(now);
    std::optional<std::int64_t> found;
    // Every candidate is computed and compared, so the time taken says nothing about which matched.
    for (std::int64_t step = now_step - 1; step <= now_step + 1; ++step) {
        auto expected = hotp(*key, static_cast<std::uint64_t>(step));
        if (sodium_memcmp(expected.data(), code.data(), expected.size()) == 0 && !found) found = step;
    }
    return found;
}

std::string provisioning_uri(const std::string& issuer, const std::string& account, const std::string& secret) {
    return "otpauth://totp/" + url_escape(issuer) + ":" + url_escape(account) + "?secret=" + secret +
           "&issuer=" + url_escape(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace sengen::app::totp
