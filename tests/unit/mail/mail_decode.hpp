// Test-side decoding of what mail::build writes: base64, RFC 2047 encoded-words, unfolding.
// Written independently of src/mail so that a round trip proves the encoder right.
#pragma once
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sengen::mail::testing {

inline std::string decode_base64(std::string_view in) {
    auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    unsigned bits = 0;
    int count = 0;
    for (char c : in) {
        if (c == '=' || c == '\r' || c == '\n') continue;
        int v = value(c);
        if (v < 0) throw std::runtime_error("not base64");
        bits = (bits << 6) | static_cast<unsigned>(v);
        count += 6;
        if (count >= 8) {
            count -= 8;
            out += static_cast<char>((bits >> count) & 0xFF);
        }
    }
    return out;
}

inline bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        std::size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) return false;
        for (std::size_t k = 1; k < len; ++k)
            if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
        i += len;
    }
    return true;
}

struct Parsed {
    std::vector<std::string> header_lines;  // raw, without CRLF
    std::string body;                       // raw, with CRLF
};

inline Parsed split(std::string_view msg) {
    Parsed p;
    auto end = msg.find("\r\n\r\n");
    if (end == std::string_view::npos) throw std::runtime_error("no blank line after the header");
    std::string_view head = msg.substr(0, end + 2);
    for (std::size_t pos = 0; pos < head.size();) {
        auto eol = head.find("\r\n", pos);
        p.header_lines.emplace_back(head.substr(pos, eol - pos));
        pos = eol + 2;
    }
    p.body = std::string(msg.substr(end + 4));
    return p;
}

// The raw (still encoded) value of a header field, unfolded.
inline std::optional<std::string> raw_header(const Parsed& p, std::string_view name) {
    for (std::size_t i = 0; i < p.header_lines.size(); ++i) {
        const auto& l = p.header_lines[i];
        if (l.size() > name.size() && l.compare(0, name.size(), name) == 0 && l[name.size()] == ':') {
            std::string v = l.substr(name.size() + 1);
            for (std::size_t j = i + 1; j < p.header_lines.size() && !p.header_lines[j].empty() &&
                                        (p.header_lines[j][0] == ' ' || p.header_lines[j][0] == '\t');
                 ++j)
                v += p.header_lines[j];
            return v;
        }
    }
    return std::nullopt;
}

// The encoded-words of a value, each decoded separately (each must be whole UTF-8 by itself).
inline std::vector<std::string> decoded_words(std::string_view v) {
    std::vector<std::string> out;
    for (auto start = v.find("=?UTF-8?B?"); start != std::string_view::npos; start = v.find("=?UTF-8?B?", start)) {
        auto end = v.find("?=", start + 10);
        out.push_back(decode_base64(v.substr(start + 10, end - start - 10)));
        start = end + 2;
    }
    return out;
}

// RFC 2047 §6.2: adjacent encoded-words are joined without the white space between them.
inline std::string decode_header_text(std::string_view v) {
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    if (v.find("=?UTF-8?B?") == std::string_view::npos) return std::string(v);
    std::string out;
    for (const auto& w : decoded_words(v)) out += w;
    return out;
}

}  // namespace sengen::mail::testing
