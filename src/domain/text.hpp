// Normalising what people type. Japanese users type digits, letters and hyphens in full width
// (全角) and kana in half width; these functions fold them so that rules can be checked on one form.
#pragma once
#include <unicode/utf8.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sengen::text {

// Unicode NFKC (ICU), then hyphen-like characters folded to '-' (ICU's NFKC leaves U+30FC,
// U+2212, U+2010 and friends alone; docs/domain.md §4.4). For numbers, IDs, postal and phone
// numbers only: it would turn the katakana long vowel mark into a hyphen.
std::string fold_for_numbers(std::string_view s);

// NFKC only: full-width letters and digits to ASCII, half-width katakana to full width.
std::string nfkc(std::string_view s);

// Leading and trailing white space (tab and every Unicode space separator) removed; inner
// runs of white space become one ASCII space.
std::string squeeze_spaces(std::string_view s);

// `s` in double quotes, each double quote inside it doubled, as a quoted CSV field is written
// (RFC 4180).
std::string double_quoted(std::string_view s);

// Only the ASCII digits of `s`, after fold_for_numbers, with spaces and hyphens dropped;
// nullopt if anything else is present.
std::optional<std::string> digits_only(std::string_view s);

// Hiragana to katakana (so that ふりがな typed in hiragana is accepted as フリガナ).
std::string hiragana_to_katakana(std::string_view s);

// Whether every character is katakana, the long vowel mark, the middle dot, a space, or an ASCII
// letter or digit (after NFKC): the form of a business name's reading.
bool is_katakana_reading(std::string_view s);

// Number of Unicode code points (s must be valid UTF-8).
std::size_t length(std::string_view s);

// What a field refuses (docs/domain.md §4.5): controls (tab, and CR and LF unless allow_newlines),
// U+2028/9, bidi controls, format and default-ignorable characters; variation selectors and
// U+200D only where an emoji or kanji sequence needs them. True for invalid UTF-8 too.
bool has_forbidden_characters(std::string_view s, bool allow_newlines = false);

bool valid_utf8(std::string_view s);
// The length of the well-formed UTF-8 sequence that starts at s[i] (1 for ASCII); 0 when the
// bytes there are not one (or i is past the end). Inline: JSON writing calls it per character.
inline std::size_t utf8_sequence_at(std::string_view s, std::size_t i) {
    if (i >= s.size()) return 0;
    if (static_cast<unsigned char>(s[i]) < 0x80) return 1;
    // A sequence is at most four bytes: decoding a window of them keeps the offsets small.
    const auto* p = reinterpret_cast<const uint8_t*>(s.data() + i);
    const auto n = static_cast<int32_t>(std::min<std::size_t>(4, s.size() - i));
    int32_t j = 0;
    UChar32 c = 0;
    U8_NEXT(p, j, n, c);
    return c < 0 ? 0 : static_cast<std::size_t>(j);
}

// `s` without ASCII spaces and tabs at either end: the optional white space around header values
// and list items (RFC 9110 §5.6.3 "OWS"). Line breaks stay, so that they are refused later.
std::string_view trim(std::string_view s);

// `s` without ASCII spaces, tabs and ideographic spaces (U+3000) at either end: for what people
// type on a Japanese keyboard.
std::string_view trim_wide(std::string_view s);

// The pieces of `s` between each `separator`, empty pieces kept ("a,,b" gives three, "" gives one
// empty piece), each passed to `f` in order. Allocates nothing: for the headers of every request.
template <class F>
void for_each_piece(std::string_view s, char separator, F&& f) {
    while (true) {
        const auto at = s.find(separator);
        f(s.substr(0, at));
        if (at == std::string_view::npos) return;
        s.remove_prefix(at + 1);
    }
}

// The same pieces in a vector; the views point into `s`.
std::vector<std::string_view> split(std::string_view s, char separator);

}  // namespace sengen::text
