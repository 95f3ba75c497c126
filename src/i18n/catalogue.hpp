// Message catalogues (gettext .po files, one per language, keyed by a stable message id such as
// "home.title") and the choice of the user's language. Pure: the .po text is passed in.
#pragma once
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/error.hpp"
#include "domain/lang.hpp"

namespace sengen::i18n {

// The one language type of the core, named here too for the web side's convenience.
using Lang = sengen::Lang;
using sengen::all_langs;
using sengen::code;                                                                     // "ja", "en"
inline std::optional<Lang> from_code(std::string_view s) { return lang_from_code(s); }  // exact, any case

// The language to use: an explicit choice (cookie) wins, then the best Accept-Language match
// (RFC 9110 §12.5.4, q-values honoured), then Japanese.
Lang negotiate(std::optional<std::string_view> chosen, std::string_view accept_language);

using Messages = std::map<std::string, std::string>;

// Parses msgid/msgstr pairs (with continuation lines and C escapes). Errors give "file:line: why".
Result<Messages> parse_po(std::string_view text, std::string_view file_name);

class Catalogue {
public:
    // Every language must define exactly the same ids, none empty; otherwise an error lists them.
    static Result<Catalogue> build(std::map<Lang, Messages> by_lang);

    // The message, or the id itself when missing (never throws, never blank).
    const std::string& text(Lang l, const std::string& id) const;
    const Messages& all(Lang l) const { return by_lang_.at(l); }

    // Replaces {name} placeholders in the message.
    std::string format(Lang l, const std::string& id,
                       const std::vector<std::pair<std::string, std::string>>& args) const;

private:
    std::map<Lang, Messages> by_lang_;
};

}  // namespace sengen::i18n
