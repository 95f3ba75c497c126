// The encodings of the spreadsheets people upload: UTF-8 (with or without a byte order mark) and
// Shift_JIS as Excel in Japan saves a CSV (Microsoft's code page 932). Detection, decoding to
// UTF-8 and encoding back, through ICU's converters; no I/O.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace sengen::text {

enum class Encoding { Utf8, ShiftJis };

struct Decoded {
    std::string utf8;      // the text as UTF-8, without a byte order mark
    Encoding encoding;     // what the bytes were
    bool had_bom = false;  // UTF-8 that started with EF BB BF
};

// Valid UTF-8 (a leading byte order mark dropped) is taken as UTF-8; anything else is read as
// CP932. nullopt when it is neither (bytes CP932 cannot map), so that a binary file or another
// encoding is refused rather than turned into replacement characters.
std::optional<Decoded> decode_spreadsheet_text(std::string_view bytes);

// `utf8` in CP932; a character CP932 lacks becomes '?' (an emoji in a business name, say).
std::string to_cp932(std::string_view utf8);

}  // namespace sengen::text
