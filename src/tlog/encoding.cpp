// Standard base64 through libsodium (see encoding.hpp).
#include "tlog/encoding.hpp"

#include <cstring>

#include <sodium.h>

namespace sengen::tlog {

std::string base64(std::span<const unsigned char> bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), bytes.data(), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return out;
}

std::optional<std::string> unbase64(std::string_view text) {
    std::string out(text.size() / 4 * 3 + 3, '\0');
    std::size_t len = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                          &len, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size())
        return std::nullopt;
    out.resize(len);
    // Only the spelling base64() writes: libsodium's decoder also takes other bits in the padding
    // and, in the version Debian ships, bytes above 0x7F as if they were letters (found by
    // fuzz/tlog_formats). A signed format must have one spelling for one value.
    if (base64(std::span(reinterpret_cast<const unsigned char*>(out.data()), out.size())) != text) return std::nullopt;
    return out;
}

}  // namespace sengen::tlog
