// The text functions' fast paths (domain/text.cpp answers for ASCII and common Japanese without
// asking ICU, and copies what needs no change) against their definitions: below, each function as
// it was written before the fast paths, asking ICU about every character. They must agree on every
// code point, in the contexts where a character's neighbours matter (joiners, selectors, emoji
// modifiers, combining marks, spaces), and on ill-formed UTF-8.
#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "domain/application.hpp"
#include "domain/text.hpp"

using namespace sengen;

namespace reference {

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
        case 0x2010:
        case 0x2011:
        case 0x2012:
        case 0x2013:
        case 0x2014:
        case 0x2015:
        case 0x2212:
        case 0x30FC:
        case 0xFF70:
        case 0xFE63:
        case 0xFF0D:
        case 0x2043:
        case 0x02D7:
            return true;
        default:
            return false;
    }
}

bool is_space(UChar32 c) { return c == '\t' || (c >= 0 && u_charType(c) == U_SPACE_SEPARATOR); }

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
    for (char c : fold_for_numbers(s)) {
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

bool valid_utf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto n = text::utf8_sequence_at(s, i);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t length(std::string_view s) {
    std::size_t n = 0;
    for_each_code_point(s, [&](UChar32) { ++n; });
    return n;
}

bool is_variation_selector(UChar32 c) { return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF); }

bool selector_fits(UChar32 base, UChar32 vs) {
    if (vs == 0xFE0E || vs == 0xFE0F) return u_hasBinaryProperty(base, UCHAR_EMOJI);
    return u_hasBinaryProperty(base, UCHAR_IDEOGRAPHIC);
}

bool is_pictographic(UChar32 c) { return c >= 0 && u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC); }

bool is_invisible(UChar32 c) {
    if (c == 0x2028 || c == 0x2029 || c == 0x2800) return true;
    if ((c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF)) return true;
    return u_charType(c) == U_FORMAT_CHAR || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

bool has_forbidden_characters(std::string_view s, bool allow_newlines) {
    std::vector<UChar32> cps;
    for_each_code_point(s, [&](UChar32 c) { cps.push_back(c); });
    UChar32 base = -1;
    UChar32 last_pictograph = -1;
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
            if (base < 0 || !selector_fits(base, c)) return true;
            base = -1;
            continue;
        }
        if (c == 0x200D) {
            if (last_pictograph < 0 || i + 1 == cps.size() || !is_pictographic(cps[i + 1])) return true;
            base = last_pictograph = -1;
            continue;
        }
        if (is_invisible(c)) return true;
        if (u_hasBinaryProperty(c, UCHAR_EMOJI_MODIFIER) && last_pictograph >= 0) {
            base = -1;
            continue;
        }
        base = c;
        last_pictograph = is_pictographic(c) ? c : -1;
    }
    return false;
}

// parse_date as it was: the date printed with snprintf.
std::optional<std::string> parse_date(std::string_view raw) {
    std::string s = fold_for_numbers(raw);
    std::replace(s.begin(), s.end(), '/', '-');
    std::replace(s.begin(), s.end(), '.', '-');
    int y = 0, m = 0, d = 0;
    std::string_view rest = s;
    auto number = [&rest](int& out, std::size_t max_digits, bool last) {
        auto end = rest.find('-');
        if (last) end = rest.size();
        if (end == std::string_view::npos || end == 0 || end > max_digits) return false;
        auto digits = rest.substr(0, end);
        if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
        std::from_chars(digits.data(), digits.data() + digits.size(), out);
        rest.remove_prefix(last ? end : end + 1);
        return true;
    };
    if (!number(y, 4, false) || !number(m, 2, false) || !number(d, 2, true)) return std::nullopt;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1900 || m < 1 || m > 12 || d < 1) return std::nullopt;
    if (d > days[m - 1] + (m == 2 && leap ? 1 : 0)) return std::nullopt;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return std::string(buf);
}

}  // namespace reference

namespace {

std::string utf8(UChar32 c) {
    std::string out;
    reference::append(out, c);
    return out;
}

// Every function with a fast path, on one string. A failure names the function and the string's
// bytes, so that the case can be added to the corpus below.
void expect_same(const std::string& s) {
    auto bytes = [&] {
        std::string hex;
        for (unsigned char b : s)
            hex += "\\x" + std::string(1, "0123456789ABCDEF"[b >> 4]) + "0123456789ABCDEF"[b & 15];
        return hex;
    };
    EXPECT_EQ(text::nfkc(s), reference::nfkc(s)) << "nfkc " << bytes();
    EXPECT_EQ(text::fold_for_numbers(s), reference::fold_for_numbers(s)) << "fold_for_numbers " << bytes();
    EXPECT_EQ(text::squeeze_spaces(s), reference::squeeze_spaces(s)) << "squeeze_spaces " << bytes();
    EXPECT_EQ(text::digits_only(s), reference::digits_only(s)) << "digits_only " << bytes();
    EXPECT_EQ(text::hiragana_to_katakana(s), reference::hiragana_to_katakana(s)) << "hiragana_to_katakana " << bytes();
    EXPECT_EQ(text::length(s), reference::length(s)) << "length " << bytes();
    EXPECT_EQ(text::valid_utf8(s), reference::valid_utf8(s)) << "valid_utf8 " << bytes();
    EXPECT_EQ(text::has_forbidden_characters(s), reference::has_forbidden_characters(s, false))
        << "has_forbidden_characters " << bytes();
    EXPECT_EQ(text::has_forbidden_characters(s, true), reference::has_forbidden_characters(s, true))
        << "has_forbidden_characters (newlines allowed) " << bytes();
    EXPECT_EQ(parse_date(s), reference::parse_date(s)) << "parse_date " << bytes();
}

// Pieces of what people type and what they should not: each kind of character the fast paths
// treat apart, and each neighbour that changes how the one before or after it is read.
const std::vector<std::string>& corpus() {
    static const std::vector<std::string> pieces = {
        "",
        "a",
        "Z",
        "0",
        "9",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "-",
        "/",
        ".",
        "@",
        "~",
        "\x7F",
        "\x01",
        "import12@example.invalid",
        "https://example.jp/policy?a=1#b",
        "03-1234-5678",
        "2024-04-01",
        "2024/4/1",
        "１２３－４５６７",                // full-width digits and hyphen
        "２０２４／０４／０１",            // a full-width date
        "ＡＢＣ ａｂｃ",                   // full-width letters
        "０３ー１２３４‐５６７８−９",      // long vowel mark, hyphen, minus sign
        "–—―﹣",                           // dashes
        "ｶﾌﾞｼｷｶﾞｲｼｬ ﾐﾎﾝ",                  // half-width katakana with voiced marks
        "ｰ",                               // half-width long vowel mark
        "さんぷる ゔ ゝゞ",                // hiragana
        "サンプル・ショウジ ヴ ヽヾ",      // katakana
        "株式会社見本 千代田区千代田1-1",  // kanji
        "髙﨑",                            // kanji outside the common block
        "葛\xF3\xA0\x84\x80",              // an ideographic variation sequence (U+E0100)
        "\u3000",                          // ideographic space
        "\u00A0\u2003\u202F\u205F",        // other spaces
        "①㈱㍻ﾟ゛",                        // compatibility characters
        "é",                               // precomposed
        "e\u0301",                         // e and a combining acute
        "か\u3099",                        // か and a combining voiced mark
        "\u0301",                          // a combining mark alone
        "☕\uFE0F",                         // emoji presentation
        "1\uFE0F\u20E3",                   // keycap
        "👨\u200D👩\u200D👧",                 // a ZWJ sequence
        "🏳\uFE0F\u200D🌈",            // flag sequence
        "👍🏽",                        // a skin tone
        "🏽",                            // a modifier alone
        "😀",
        "〰〽㊗",            // pictographs among the CJK symbols
        "\u200B",            // zero width space
        "\u200C",            // zero width non-joiner
        "\u200D",            // zero width joiner
        "\uFEFF",            // byte order mark
        "\u202E",            // right-to-left override
        "\u2066",            // left-to-right isolate
        "\u00AD",            // soft hyphen
        "\u2028",            // line separator
        "\u3164\uFFA0",      // Hangul fillers
        "\uFE0F",            // a selector alone
        "\uFFFE",            // a noncharacter
        "\xC2\x85",          // a C1 control (NEL)
        "\xC3\x28",          // invalid: a bad continuation
        "\xE3\x81",          // invalid: truncated
        "\xED\xA0\x80",      // invalid: a surrogate
        "\xC0\xAF",          // invalid: overlong
        "\xF4\x90\x80\x80",  // invalid: past U+10FFFF
        "\xFF",              // invalid byte
        "\x80",              // a lone continuation byte
    };
    return pieces;
}

}  // namespace

TEST(TextFastPath, each_piece_of_the_corpus_gives_what_the_definition_gives) {
    for (const auto& piece : corpus()) expect_same(piece);
}

TEST(TextFastPath, every_pair_of_pieces_gives_what_the_definition_gives) {
    for (const auto& a : corpus())
        for (const auto& b : corpus()) expect_same(a + b);
}

TEST(TextFastPath, random_strings_of_pieces_give_what_the_definition_gives) {
    std::mt19937 rng(12);  // NOLINT(cert-msc51-cpp): the same strings every run, so a failure repeats
    std::uniform_int_distribution<std::size_t> piece(0, corpus().size() - 1);
    std::uniform_int_distribution<int> count(2, 8);
    for (int i = 0; i < 20000; ++i) {
        std::string s;
        for (int k = count(rng); k > 0; --k) s += corpus()[piece(rng)];
        expect_same(s);
        if (::testing::Test::HasFailure()) return;  // one string is enough to see what went wrong
    }
}

// Every code point, alone and between the neighbours that decide how it is read: what ICU says
// about it (space, format, default-ignorable, emoji, pictograph, modifier, normalisation) must come
// out the same through the fast paths.
TEST(TextFastPath, every_code_point_in_context_gives_what_the_definition_gives) {
    const std::string pictograph = "😀";
    for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
        if (U_IS_SURROGATE(c)) continue;
        // Planes 4 to 13 hold no character yet: every 97th code point of them, and their last two
        // (noncharacters), stand for the rest.
        if (c >= 0x40000 && c < 0xE0000 && c % 97 != 0 && (c & 0xFFFE) != 0xFFFE) continue;
        const std::string s = utf8(c);
        const std::vector<std::string> cases = {
            s,
            " " + s + "  x ",
            s + "\uFE0F",
            s + "\xF3\xA0\x84\x80",
            pictograph + "\u200D" + s,
            s + "\u200D" + pictograph,
            pictograph + s,
            s + "\u0301",
        };
        for (const auto& t : cases)
            ASSERT_EQ(text::has_forbidden_characters(t), reference::has_forbidden_characters(t, false))
                << "U+" << std::hex << c;
        ASSERT_EQ(text::squeeze_spaces(s), reference::squeeze_spaces(s)) << "U+" << std::hex << c;
        ASSERT_EQ(text::squeeze_spaces(cases[1]), reference::squeeze_spaces(cases[1])) << "U+" << std::hex << c;
        ASSERT_EQ(text::nfkc(s), reference::nfkc(s)) << "U+" << std::hex << c;
        ASSERT_EQ(text::nfkc(cases[7]), reference::nfkc(cases[7])) << "U+" << std::hex << c;
        ASSERT_EQ(text::fold_for_numbers(s), reference::fold_for_numbers(s)) << "U+" << std::hex << c;
        ASSERT_EQ(text::hiragana_to_katakana(s), reference::hiragana_to_katakana(s)) << "U+" << std::hex << c;
    }
}

// ASCII is its own NFKC form: no pair of ASCII characters composes.
TEST(TextFastPath, every_pair_of_ascii_characters_is_its_own_normal_form) {
    for (int a = 0; a < 0x80; ++a)
        for (int b = 0; b < 0x80; ++b) {
            const std::string s{static_cast<char>(a), static_cast<char>(b)};
            ASSERT_EQ(text::nfkc(s), reference::nfkc(s)) << a << " " << b;
        }
}
