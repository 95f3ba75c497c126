// UTF-8 / CP932 detection and conversion with ICU's ucnv (see text_encoding.hpp).
#include "domain/text_encoding.hpp"

#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ustring.h>

#include <memory>

#include "domain/text.hpp"

namespace sengen::text {

namespace {

// ICU's name for Microsoft's Shift_JIS (ibm-943_P15A-2003): ① and the other NEC and IBM
// extensions, and '\' as a backslash, as Windows has them.
constexpr const char* kCp932 = "windows-31j";

struct CloseConverter {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
using Converter = std::unique_ptr<UConverter, CloseConverter>;

Converter open_cp932() {
    UErrorCode status = U_ZERO_ERROR;
    Converter c(ucnv_open(kCp932, &status));
    if (U_FAILURE(status)) return nullptr;
    return c;
}

// A control character other than a tab or a line break: the file is not text (a NUL, say, from a
// UTF-16 or binary file).
bool has_control_bytes(std::string_view s) {
    for (unsigned char c : s)
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) return true;
    return false;
}

}  // namespace

std::optional<Decoded> decode_spreadsheet_text(std::string_view bytes) {
    if (valid_utf8(bytes)) {
        if (has_control_bytes(bytes)) return std::nullopt;
        Decoded d{std::string(bytes), Encoding::Utf8, false};
        if (bytes.starts_with("\xEF\xBB\xBF")) {
            d.utf8.erase(0, 3);
            d.had_bom = true;
        }
        return d;
    }
    auto conv = open_cp932();
    if (!conv) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    // Refuse, rather than substitute, bytes that CP932 does not map.
    ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    if (U_FAILURE(status)) return std::nullopt;
    std::u16string wide(bytes.size() + 1, u'\0');
    const auto n = ucnv_toUChars(conv.get(), wide.data(), static_cast<int32_t>(wide.size()), bytes.data(),
                                 static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    wide.resize(static_cast<std::size_t>(n));
    std::string out(wide.size() * 3 + 1, '\0');
    int32_t written = 0;
    u_strToUTF8(out.data(), static_cast<int32_t>(out.size()), &written, wide.data(), static_cast<int32_t>(wide.size()),
                &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<std::size_t>(written));
    if (has_control_bytes(out)) return std::nullopt;
    return Decoded{std::move(out), Encoding::ShiftJis, false};
}

std::string to_cp932(std::string_view utf8) {
    auto conv = open_cp932();
    if (!conv) return std::string(utf8);
    UErrorCode status = U_ZERO_ERROR;
    ucnv_setSubstChars(conv.get(), "?", 1, &status);
    status = U_ZERO_ERROR;
    UConverter* u8 = ucnv_open("UTF-8", &status);
    if (U_FAILURE(status)) return std::string(utf8);
    Converter from(u8);
    std::string out(utf8.size() * 2 + 16, '\0');
    char* target = out.data();
    const char* source = utf8.data();
    status = U_ZERO_ERROR;
    ucnv_convertEx(conv.get(), from.get(), &target, out.data() + out.size(), &source, utf8.data() + utf8.size(),
                   nullptr, nullptr, nullptr, nullptr, true, true, &status);
    if (U_FAILURE(status)) return std::string(utf8);
    out.resize(static_cast<std::size_t>(target - out.data()));
    return out;
}

}  // namespace sengen::text
