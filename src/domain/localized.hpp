// The two languages of the site and a text written in both. Content (levels, principles, terms,
// the questionnaire, the policy template) carries every text as a Localized; a loaded one has
// neither language empty.
#pragma once
#include <string>
#include <string_view>

namespace sengen {

enum class Lang { Ja, En };

struct Localized {
    std::string ja;
    std::string en;

    const std::string& in(Lang l) const { return l == Lang::Ja ? ja : en; }
    // By language code: "ja" gives Japanese; any other code gives English.
    const std::string& in(std::string_view code) const { return code == "ja" ? ja : en; }
};

}  // namespace sengen
