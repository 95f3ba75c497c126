// Text folding with ICU. Each function first handles what most fields hold (ASCII, and the kana,
// kanji and full-width forms of Japanese) without asking ICU, and asks ICU about the rest: an
// import checks millions of fields (issue 12). The fast paths give exactly what asking ICU about
// every character gives; tests/unit/domain/text_fast_path_test.cpp compares them with that
// definition over every code point.
#include "domain/text.hpp"

#include <algorithm>
#include <cstring>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

namespace sengen::text {

namespace {

// Code points decoded from valid UTF-8.
template <typename F>
void for_each_code_point(std::string_view s, F&& f) {
    int32_t i = 0;
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    const auto n = static_cast<int32_t>(s.size());
    while (i < n) {
        UChar32 c;
        U8_NEXT(p, i, n, c);
        f(c);
    }
}

void append(std::string& out, UChar32 c) {
    char buf[4];
    int32_t len = 0;
    UBool err = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, err);
    if (!err) out.append(buf, static_cast<std::size_t>(len));
}

// Whether every byte is ASCII, eight at a time.
bool is_ascii(std::string_view s) {
    std::size_t i = 0;
    for (; i + 8 <= s.size(); i += 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, s.data() + i, 8);
        if ((word & 0x8080808080808080ULL) != 0) return false;
    }
    for (; i < s.size(); ++i)
        if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
    return true;
}

// Kana, the CJK punctuation before them, the common CJK ideographs, and the full-width ASCII forms
// and half-width katakana: most of what Japanese users type. None of these is a space separator,
// a format, default-ignorable, emoji, pictographic or emoji modifier character, so the checks
// below need not ask ICU about them (the fast-path test asks ICU about each one of them).
bool is_common_japanese(UChar32 c) {
    return (c >= 0x3001 && c <= 0x302F) || (c >= 0x3041 && c <= 0x30FF) || (c >= 0x4E00 && c <= 0x9FFF) ||
           (c >= 0xFF01 && c <= 0xFF9F);
}

bool is_hyphen_like(UChar32 c) {
    switch (c) {
        case 0x2010:  // HYPHEN
        case 0x2011:  // NON-BREAKING HYPHEN
        case 0x2012:  // FIGURE DASH
        case 0x2013:  // EN DASH
        case 0x2014:  // EM DASH
        case 0x2015:  // HORIZONTAL BAR
        case 0x2212:  // MINUS SIGN
        case 0x30FC:  // KATAKANA-HIRAGANA PROLONGED SOUND MARK (typed for a hyphen in numbers)
        case 0xFF70:  // HALFWIDTH PROLONGED SOUND MARK
        case 0xFE63:  // SMALL HYPHEN-MINUS
        case 0xFF0D:  // FULLWIDTH HYPHEN-MINUS (NFKC folds it, kept for clarity)
        case 0x2043:  // HYPHEN BULLET
        case 0x02D7:  // MODIFIER LETTER MINUS SIGN
            return true;
        default:
            return false;
    }
}

// Tab and every space separator (U+0020, U+00A0, U+3000, U+2000–U+200A, U+202F, U+205F, ...): a
// name typed with an em space is the same name, and one made only of such spaces is empty.
bool is_space(UChar32 c) { return c == '\t' || (c >= 0 && u_charType(c) == U_SPACE_SEPARATOR); }

}  // namespace

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        // Eight ASCII bytes at a time: the import checks whole files of mostly ASCII.
        if (i + 8 <= s.size() && is_ascii(s.substr(i, 8))) {
            i += 8;
            continue;
        }
        const auto n = utf8_sequence_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string nfkc(std::string_view s) {
    // ASCII is its own NFKC form: no ASCII character decomposes, nor composes with another.
    if (is_ascii(s)) return std::string(s);
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* norm = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return std::string(s);
    const icu::StringPiece piece(s.data(), static_cast<int32_t>(s.size()));
    if (valid_utf8(s)) {
        // Well-formed UTF-8 is normalised as it stands, without a round trip through UTF-16, and
        // is copied when it is already normal (kana and kanji are).
        if (norm->isNormalizedUTF8(piece, status) && U_SUCCESS(status)) return std::string(s);
        status = U_ZERO_ERROR;
        std::string result;
        result.reserve(s.size());
        icu::StringByteSink<std::string> sink(&result);
        norm->normalizeUTF8(0, piece, sink, nullptr, status);
        if (U_SUCCESS(status)) return result;
        status = U_ZERO_ERROR;
    }
    // Ill-formed UTF-8: each bad sequence becomes U+FFFD on the way to UTF-16.
    auto in = icu::UnicodeString::fromUTF8(piece);
    auto out = norm->normalize(in, status);
    if (U_FAILURE(status)) return std::string(s);
    std::string result;
    out.toUTF8String(result);
    return result;
}

std::string fold_for_numbers(std::string_view s) {
    std::string folded = nfkc(s);
    if (is_ascii(folded)) return folded;  // every hyphen-like character is outside ASCII
    std::string out;
    out.reserve(folded.size());
    for_each_code_point(folded, [&](UChar32 c) { append(out, is_hyphen_like(c) ? UChar32('-') : c); });
    return out;
}

std::string double_quoted(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

std::string squeeze_spaces(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    const auto n = static_cast<int32_t>(s.size());
    for (int32_t i = 0; i < n;) {
        const int32_t start = i;
        UChar32 c = p[i];
        bool space = false;
        if (c < 0x80) {
            ++i;
            space = c == ' ' || c == '\t';  // U+0020 is the only ASCII space separator
        } else {
            U8_NEXT(p, i, n, c);
            space = !is_common_japanese(c) && is_space(c);
        }
        if (space) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        if (c < 0) continue;  // an ill-formed sequence is dropped
        // This character and the ASCII and common Japanese ones after it, none of them a space,
        // are copied at once: a well-formed sequence encodes its code point in the only way.
        while (i < n) {
            if (p[i] < 0x80) {
                if (p[i] == ' ' || p[i] == '\t') break;
                ++i;
                continue;
            }
            int32_t next = i;
            UChar32 d = 0;
            U8_NEXT(p, next, n, d);
            if (!is_common_japanese(d)) break;
            i = next;
        }
        out.append(s.data() + start, static_cast<std::size_t>(i - start));
    }
    return out;
}

std::optional<std::string> digits_only(std::string_view s) {
    std::string out;
    // ASCII digits, spaces and hyphens are their own NFKC form: most input (every ID in a URL) is
    // only those, and needs no normalisation.
    const bool plain =
        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '-'; });
    const std::string folded = plain ? std::string() : fold_for_numbers(s);
    for (char c : plain ? s : std::string_view(folded)) {
        if (c >= '0' && c <= '9')
            out += c;
        else if (c == ' ' || c == '-')
            continue;
        else
            return std::nullopt;
    }
    return out;
}

std::string hiragana_to_katakana(std::string_view s) {
    if (is_ascii(s)) return std::string(s);
    std::string out;
    out.reserve(s.size());
    for_each_code_point(s, [&](UChar32 c) { append(out, (c >= 0x3041 && c <= 0x3096) ? c + 0x60 : c); });
    return out;
}

bool is_katakana_reading(std::string_view s) {
    bool ok = true;
    for_each_code_point(s, [&](UChar32 c) {
        bool katakana = (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || c == 0x30FB || c == 0x30FD || c == 0x30FE;
        bool ascii = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ' ||
                     c == '.' || c == '&' || c == '-';
        ok = ok && (katakana || ascii);
    });
    return ok;
}

std::size_t length(std::string_view s) {
    if (is_ascii(s)) return s.size();
    std::size_t n = 0;
    for_each_code_point(s, [&](UChar32) { ++n; });
    return n;
}

namespace {

bool is_variation_selector(UChar32 c) { return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF); }

// Whether the variation selector `vs` may follow `base`: the emoji and text presentation selectors
// (U+FE0F, U+FE0E) after a character that has an emoji form (☕️, 1️⃣), the others after a CJK
// ideograph (the ideographic variation sequences of names such as 葛󠄀 or 辻󠄀).
bool selector_fits(UChar32 base, UChar32 vs) {
    if (vs == 0xFE0E || vs == 0xFE0F) return u_hasBinaryProperty(base, UCHAR_EMOJI);
    return u_hasBinaryProperty(base, UCHAR_IDEOGRAPHIC);
}

bool is_pictographic(UChar32 c) { return c >= 0 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC); }

// Characters that show nothing, or change how the text around them is shown, wherever they stand:
// format characters (bidi controls, zero-width spaces, soft hyphen, tags, ...), the other
// default-ignorable code points (Hangul fillers U+115F, U+1160, U+3164, U+FFA0; the combining
// grapheme joiner U+034F; Mongolian selectors U+180B–U+180F; ...), line and paragraph separators
// (U+2028, U+2029), the Braille blank (U+2800) and noncharacters.
bool is_invisible(UChar32 c) {
    if (c == 0x2028 || c == 0x2029 || c == 0x2800) return true;
    if ((c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF)) return true;
    return u_charType(c) == U_FORMAT_CHAR || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

}  // namespace

bool has_forbidden_characters(std::string_view s, bool allow_newlines) {
    const auto* p = reinterpret_cast<const uint8_t*>(s.data());
    const auto n = static_cast<int32_t>(s.size());
    UChar32 base = -1;             // the character before, when it can still take a selector or a joiner
    UChar32 last_pictograph = -1;  // the emoji the current ZWJ sequence has reached, if any
    for (int32_t i = 0; i < n;) {
        UChar32 c = p[i];
        if (c < 0x80) {
            ++i;
            if (c == '\n' || c == '\r') {
                if (!allow_newlines) return true;
                base = last_pictograph = -1;
                continue;
            }
            if (c < 0x20 || c == 0x7F) return true;
            // No other ASCII character is invisible, pictographic or an emoji modifier.
            base = c;
            last_pictograph = -1;
            continue;
        }
        U8_NEXT(p, i, n, c);
        if (c < 0) return true;
        if (is_common_japanese(c)) {
            base = c;
            last_pictograph = -1;
            continue;
        }
        if (c <= 0x9F) return true;  // C1 controls
        if (is_variation_selector(c)) {
            // One selector, right after the character it modifies.
            if (base < 0 || !selector_fits(base, c)) return true;
            base = -1;
            continue;
        }
        if (c == 0x200D) {
            // ZERO WIDTH JOINER: only inside an emoji sequence (👨‍👩‍👧, 🏳️‍🌈), between two
            // pictographs.
            if (last_pictograph < 0 || i == n) return true;
            int32_t j = i;
            UChar32 next = 0;
            U8_NEXT(p, j, n, next);
            if (!is_pictographic(next)) return true;
            base = last_pictograph = -1;
            continue;
        }
        if (is_invisible(c)) return true;
        // An emoji modifier (skin tone) continues the emoji before it.
        if (u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) && last_pictograph >= 0) {
            base = -1;
            continue;
        }
        base = c;
        last_pictograph = is_pictographic(c) ? c : -1;
    }
    return false;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view trim_wide(std::string_view s) {
    constexpr std::string_view ideographic_space = "\xE3\x80\x80";
    while (true) {
        if (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
            s.remove_prefix(1);
        else if (s.starts_with(ideographic_space))
            s.remove_prefix(ideographic_space.size());
        else
            break;
    }
    while (true) {
        if (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
            s.remove_suffix(1);
        else if (s.ends_with(ideographic_space))
            s.remove_suffix(ideographic_space.size());
        else
            break;
    }
    return s;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
    std::vector<std::string_view> out;
    for_each_piece(s, separator, [&](std::string_view piece) { out.push_back(piece); });
    return out;
}

}  // namespace sengen::text
