// Text folding with ICU.
#include "domain/text.hpp"

#include <algorithm>

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
        const auto n = utf8_sequence_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::string nfkc(std::string_view s) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* norm = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) return std::string(s);
    auto in = icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    auto out = norm->normalize(in, status);
    if (U_FAILURE(status)) return std::string(s);
    std::string result;
    out.toUTF8String(result);
    return result;
}

std::string fold_for_numbers(std::string_view s) {
    std::string out;
    for_each_code_point(nfkc(s), [&](UChar32 c) { append(out, is_hyphen_like(c) ? UChar32('-') : c); });
    return out;
}

std::string squeeze_spaces(std::string_view s) {
    std::string out;
    bool pending_space = false;
    for_each_code_point(s, [&](UChar32 c) {
        if (is_space(c)) {
            pending_space = !out.empty();
            return;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        append(out, c);
    });
    return out;
}

std::optional<std::string> digits_only(std::string_view s) {
    std::string out;
    // ASCII digits, spaces and hyphens are their own NFKC form: most input (every ID in a URL) is
    // only those, and needs no normalisation.
    const bool plain =
        std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '-'; });
    for (char c : plain ? std::string(s) : fold_for_numbers(s)) {
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
    std::string out;
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
    // Decoded up front, because whether a joiner is allowed depends on the character after it.
    std::vector<UChar32> cps;
    cps.reserve(s.size());
    for_each_code_point(s, [&](UChar32 c) { cps.push_back(c); });
    UChar32 base = -1;             // the character before, when it can still take a selector or a joiner
    UChar32 last_pictograph = -1;  // the emoji the current ZWJ sequence has reached, if any
    for (std::size_t i = 0; i < cps.size(); ++i) {
        const UChar32 c = cps[i];
        if (c < 0) return true;
        if (c == '\n' || c == '\r') {
            if (!allow_newlines) return true;
            base = last_pictograph = -1;
            continue;
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) return true;
        if (is_variation_selector(c)) {
            // One selector, right after the character it modifies.
            if (base < 0 || !selector_fits(base, c)) return true;
            base = -1;
            continue;
        }
        if (c == 0x200D) {
            // ZERO WIDTH JOINER: only inside an emoji sequence (👨‍👩‍👧, 🏳️‍🌈), between two
            // pictographs.
            if (last_pictograph < 0 || i + 1 == cps.size() || !is_pictographic(cps[i + 1])) return true;
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
