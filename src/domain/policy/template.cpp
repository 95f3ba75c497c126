// The policy template's lookups. Reading a template from its file is the content loader's work
// (src/content/template_loader.cpp).
#include "domain/policy/template.hpp"

namespace sengen::policy {

const AssetChoice* Template::asset(std::string_view wanted) const {
    for (const auto& a : assets)
        if (a.id == wanted) return &a;
    return nullptr;
}

const Suggestion* Template::suggestion(std::string_view wanted) const {
    for (const auto& s : suggestions)
        if (s.id == wanted) return &s;
    return nullptr;
}

}  // namespace sengen::policy
