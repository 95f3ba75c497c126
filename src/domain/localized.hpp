// A text, or a list of texts, in both languages of the site: content (levels, principles, terms,
// the self-assessment, the policy template) carries one of each.
#pragma once
#include <string>
#include <vector>

#include "domain/lang.hpp"

namespace sengen {

struct Localized {
    std::string ja, en;
    const std::string& in(Lang l) const { return l == Lang::Ja ? ja : en; }
};

struct LocalizedList {
    std::vector<std::string> ja, en;
    const std::vector<std::string>& in(Lang l) const { return l == Lang::Ja ? ja : en; }
};

}  // namespace sengen
