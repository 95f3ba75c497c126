// HTML pages from mustache templates (src/web/templates/, embedded) and the message catalogue.
// Every page is the layout with the page's template as the partial "content". Messages are
// reached in templates as {{t.some.id}}; all output is HTML-escaped (no triple braces).
#pragma once
#include <map>
#include <memory>
#include <string>

#include <kainjow/mustache.hpp>

#include "domain/error.hpp"
#include "domain/identifiers.hpp"
#include "domain/operator_profile.hpp"
#include "i18n/catalogue.hpp"

namespace sengen::web {

namespace mustache = kainjow::mustache;

// A declaration ID for the partial _declaration_id: {digits, groups}. The groups (from the
// domain's grouped()) are spaced by CSS only, so that copying the ID gives the 11 digits.
mustache::data declaration_id_view(const DeclarationId& id);

class Renderer {
public:
    // Checks that every embedded template parses; errors name the template. Every page can reach the
    // operator profile as {{registry.operator_name}}, {{registry.programme_name}} and
    // {{#registry.demo}} (none without a profile), set once here rather than on each request.
    static Result<std::shared_ptr<const Renderer>> load(const i18n::Catalogue& catalogue,
                                                        const OperatorProfile* profile = nullptr);

    // The page `name` (file name without ".mustache") inside the layout.
    std::string page(const std::string& name, i18n::Lang lang, const mustache::data& data) const;

    // A template rendered on its own (no layout), e.g. for mail bodies or SVG.
    std::string fragment(const std::string& name, i18n::Lang lang, const mustache::data& data) const;

    const i18n::Catalogue& catalogue() const { return catalogue_; }

private:
    explicit Renderer(const i18n::Catalogue& c);
    std::string expanded(const std::string& outer, const std::string* content_name) const;
    std::string render(const std::string& outer, const std::string* content_name, i18n::Lang lang,
                       const mustache::data& data) const;

    const i18n::Catalogue& catalogue_;
    std::map<std::string, std::string> sources_;     // template name -> text
    std::map<i18n::Lang, mustache::data> messages_;  // {"t": nested messages}
};

}  // namespace sengen::web
