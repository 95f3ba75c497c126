// HTML pages from mustache templates (src/web/templates/, embedded) and the message catalogue.
// Every page is the layout with the page's template as the partial "content". Messages are
// reached in templates as {{t.some.id}}; all output is HTML-escaped (no triple braces). The
// messages and the operator's names are the same on every render in one language, so they are
// written into each template's text, escaped as kainjow would escape them, before it is parsed
// (ADR 60); only the page's own data is looked up when a page is rendered.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

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

// kainjow's html_escape (& < > " ' as &amp; &lt; &gt; &quot; &apos;), byte for byte, without its
// character-by-character appends: a value with nothing to escape is copied whole.
std::string escape_html(const std::string& text);

// The template `text` with every variable tag ({{name}}, {{{name}}}, {{& name}}) whose name is in
// `constants` replaced by the constant's text: escaped with kainjow's own html_escape for {{name}},
// as it is for the other two. Other tags and text are kept byte for byte.
std::string inline_constants(const std::string& text, const std::unordered_map<std::string, std::string>& constants);

// The template `text` with each stretch of text that kainjow would parse as several parts (words
// and each space between them; a line break always ends a stretch) replaced by one raw tag,
// {{{~N}}}, N its index in `runs`, where the stretch is appended. kainjow renders text part by
// part, and a page holds thousands of parts: one tag per stretch renders the same bytes with far
// less work. A template that sets other delimiters is left whole.
std::string join_text_runs(const std::string& text, std::vector<std::string>& runs);

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

    // How a template is rendered: inside the layout (page) or alone (fragment); with the messages
    // written into it (what page() and fragment() do), or with kainjow alone looking every message
    // up as it renders. Both give the same bytes; the second is what the tests and benchmarks
    // compare the first with.
    enum class Wrap { InLayout, Alone };
    enum class Messages { Inlined, LookedUp };
    std::string render(Wrap wrap, const std::string& name, i18n::Lang lang, const mustache::data& data,
                       Messages how) const;

private:
    explicit Renderer(const i18n::Catalogue& c);
    std::string expanded(const std::string& outer, const std::string* content_name) const;

    const i18n::Catalogue& catalogue_;
    // Which renderer this is, for the per-thread caches of parsed templates: never the same for two
    // renderers, unlike an address, which a later renderer may reuse (tests load several).
    std::uint64_t generation_;
    std::map<std::string, std::string> sources_;     // template name -> text
    std::map<i18n::Lang, mustache::data> messages_;  // {"t": nested messages}
    // Per language, each name a template may write as {{name}} whose value is a constant string
    // that can be written into the template's text: message -> its text (see inline_constants).
    std::map<i18n::Lang, std::unordered_map<std::string, std::string>> constants_;
    // The first parts of the constants' names ("t", "registry"): page data holding one of these
    // could change what a constant's tag resolves to, so such a render looks everything up instead.
    std::vector<std::string> reserved_;
};

}  // namespace sengen::web
