// Fuzz target: the .po catalogue reader (i18n/catalogue.hpp). What parses is written back as .po
// text and must parse again to the same messages; the catalogue built from it answers every id
// with its message, and filling {placeholders} never loops or reads out of bounds.
#include <string>

#include "fuzz_check.hpp"
#include "i18n/catalogue.hpp"

namespace {

using sengen::i18n::Lang;
using sengen::i18n::Messages;

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                out += c;
        }
    }
    return out + "\"";
}

std::string write_po(const Messages& m) {
    std::string out = "msgid \"\"\nmsgstr \"\"\n\n";
    for (const auto& [id, str] : m) out += "msgid " + quoted(id) + "\nmsgstr " + quoted(str) + "\n\n";
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = sengen::fuzz::as_text(data, size);
    auto parsed = sengen::i18n::parse_po(text, "fuzz.po");
    if (!parsed) {
        FUZZ_CHECK(!parsed.error().detail.empty());
        return 0;
    }
    for (const auto& [id, str] : *parsed) FUZZ_CHECK(!id.empty() && !str.empty());

    auto again = sengen::i18n::parse_po(write_po(*parsed), "fuzz.po");
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(*again == *parsed);

    auto catalogue = sengen::i18n::Catalogue::build({{Lang::Ja, *parsed}, {Lang::En, *parsed}});
    if (!catalogue) return 0;  // e.g. "a.b" beside "a.b.c"
    for (const auto& [id, str] : *parsed) {
        FUZZ_CHECK(catalogue->text(Lang::En, id) == str);
        // Every message as a placeholder's value too: a value that holds its own token is left as is.
        const auto filled = catalogue->format(Lang::Ja, id, {{"n", "{n}"}, {"name", str}});
        (void)filled;
    }
    return 0;
}
