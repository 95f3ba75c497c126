// The renderer writes the constant messages into each template before parsing it (ADR 60): every
// page must still be, byte for byte, what kainjow renders when it looks every message up.
#include "web/render.hpp"

#include <map>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "embedded/embedded.hpp"

#include "../support/test_app.hpp"

namespace sengen::web {
namespace {

constexpr std::string_view kTemplateDir = "src/web/templates/";
const std::string kSpecial = "<b class=\"x\">A&B's</b>";
const std::string kSpecialEscaped = "&lt;b class=&quot;x&quot;&gt;A&amp;B&apos;s&lt;/b&gt;";

std::vector<std::string> template_names() {
    std::vector<std::string> names;
    for (const auto& f : embedded::all_files()) {
        if (!f.path.starts_with(kTemplateDir)) continue;
        std::string name(f.path.substr(kTemplateDir.size()));
        names.push_back(name.substr(0, name.rfind(".mustache")));
    }
    return names;
}

// Every name the template and the partials it may include use as a tag, messages and the
// operator's names left out: what a page's data can hold.
struct Names {
    std::set<std::string> variables, sections;
};
Names names_in_templates() {
    Names n;
    static const std::regex tag(R"(\{\{(\{?)\s*([#^&]?)\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}?\}\})");
    for (const auto& f : embedded::all_files()) {
        if (!f.path.starts_with(kTemplateDir)) continue;
        const std::string text(f.bytes);
        for (std::sregex_iterator m(text.begin(), text.end(), tag), end; m != end; ++m) {
            const std::string name = (*m)[3];
            if (name.starts_with("t.") || name.starts_with("registry.")) continue;
            ((*m)[2] == "#" || (*m)[2] == "^" ? n.sections : n.variables).insert(name);
        }
    }
    return n;
}

// A tree of names, made into mustache data: "a.b" sets b inside the object a.
struct Tree {
    std::map<std::string, Tree> children;
    std::optional<mustache::data> leaf;

    void set(const std::string& dotted, const mustache::data& value) {
        auto dot = dotted.find('.');
        if (dot == std::string::npos) {
            if (!children.count(dotted)) children[dotted].leaf = value;
        } else {
            auto& child = children[dotted.substr(0, dot)];
            child.leaf.reset();
            child.set(dotted.substr(dot + 1), value);
        }
    }
    mustache::data data() const {
        if (leaf) return *leaf;
        mustache::data obj{mustache::data::type::object};
        for (const auto& [name, child] : children) obj.set(name, child.data());
        return obj;
    }
};

// Representative page data for every template at once: each variable a string with the characters
// HTML escapes, numbered so that a value in the wrong place shows; each section either true (the
// strings above in its scope) or a list of two objects with strings of their own.
mustache::data every_name_set(const Names& n, bool sections_as_lists) {
    Tree top, item;
    int count = 0;
    for (const auto& v : n.variables) {
        top.set(v, mustache::data(kSpecial + std::to_string(++count)));
        item.set(v, mustache::data("item " + std::to_string(count) + " " + kSpecial));
    }
    for (const auto& s : n.sections) {
        if (sections_as_lists) {
            mustache::data list{mustache::data::type::list};
            list.push_back(item.data());
            list.push_back(item.data());
            top.set(s, list);
        } else {
            top.set(s, mustache::data(true));
        }
    }
    return top.data();
}

OperatorProfile profile_with_special_names() {
    OperatorProfile p;
    p.programme_name = {.ja = "宣言<制度> & \"登録\"", .en = "The <Programme> & 'Register'"};
    p.operator_name = {.ja = "運営 & 'O'", .en = "Operator <O> \"Ltd\""};
    p.kind = ProfileKind::Demonstration;
    return p;
}

class RenderEveryTemplate : public ::testing::Test {
protected:
    i18n::Catalogue catalogue_ = test_support::embedded_catalogue();
    OperatorProfile profile_ = profile_with_special_names();
    std::shared_ptr<const Renderer> renderer_ = Renderer::load(catalogue_, &profile_).value();
};

TEST_F(RenderEveryTemplate, every_page_and_fragment_is_byte_for_byte_what_kainjow_renders_looking_messages_up) {
    const Names names = names_in_templates();
    const std::vector<std::pair<std::string, mustache::data>> datasets = {
        {"empty", mustache::data{mustache::data::type::object}},
        {"every name set", every_name_set(names, false)},
        {"sections as lists", every_name_set(names, true)},
    };
    int compared = 0;
    for (const auto& name : template_names()) {
        for (auto lang : i18n::all_langs) {
            for (const auto& [label, data] : datasets) {
                for (auto wrap : {Renderer::Wrap::InLayout, Renderer::Wrap::Alone}) {
                    if (wrap == Renderer::Wrap::InLayout && (name == "layout" || name[0] == '_')) continue;
                    const auto fast = renderer_->render(wrap, name, lang, data, Renderer::Messages::Inlined);
                    const auto reference = renderer_->render(wrap, name, lang, data, Renderer::Messages::LookedUp);
                    ASSERT_EQ(fast, reference) << name << " in " << i18n::code(lang) << " with " << label
                                               << (wrap == Renderer::Wrap::InLayout ? " in the layout" : " alone");
                    ++compared;
                }
            }
        }
    }
    EXPECT_GT(compared, 400);
}

TEST_F(RenderEveryTemplate, page_and_fragment_render_with_the_messages_inlined) {
    mustache::data d{mustache::data::type::object};
    d.set("title", kSpecial);
    d.set("body", kSpecial);
    for (auto lang : i18n::all_langs) {
        EXPECT_EQ(renderer_->page("message", lang, d),
                  renderer_->render(Renderer::Wrap::InLayout, "message", lang, d, Renderer::Messages::LookedUp));
        EXPECT_EQ(renderer_->fragment("message", lang, d),
                  renderer_->render(Renderer::Wrap::Alone, "message", lang, d, Renderer::Messages::LookedUp));
    }
}

TEST_F(RenderEveryTemplate, page_data_stays_escaped) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", kSpecial);
    d.set("title", kSpecial);
    d.set("body", kSpecial);
    const auto page = renderer_->page("message", i18n::Lang::En, d);
    EXPECT_NE(page.find("id=\"message-title\">" + kSpecialEscaped + "</h1>"), std::string::npos) << page;
    EXPECT_NE(page.find("<title>" + kSpecialEscaped), std::string::npos) << page;
    EXPECT_EQ(page.find(kSpecial), std::string::npos) << page;
}

TEST_F(RenderEveryTemplate, each_language_gets_its_own_messages_and_operator_names_escaped) {
    mustache::data d{mustache::data::type::object};
    d.set("title", std::string("t"));
    d.set("body", std::string("b"));
    const auto ja = renderer_->page("message", i18n::Lang::Ja, d);
    const auto en = renderer_->page("message", i18n::Lang::En, d);
    EXPECT_NE(ja.find(mustache::html_escape(catalogue_.text(i18n::Lang::Ja, "layout.skip"))), std::string::npos);
    EXPECT_NE(en.find(mustache::html_escape(catalogue_.text(i18n::Lang::En, "layout.skip"))), std::string::npos);
    EXPECT_EQ(ja.find(catalogue_.text(i18n::Lang::En, "layout.skip")), std::string::npos);
    EXPECT_NE(ja.find("運営 &amp; &apos;O&apos;</p>"), std::string::npos) << ja;
    EXPECT_NE(en.find("Operator &lt;O&gt; &quot;Ltd&quot;</p>"), std::string::npos) << en;
}

// Page data that holds "t" decides what {{t.x}} is, as it always did: such a render looks the
// messages up instead of using the inlined ones.
TEST_F(RenderEveryTemplate, page_data_named_like_the_messages_still_wins_as_before) {
    mustache::data mine{mustache::data::type::object};
    mine.set("skip", std::string("mine & yours"));
    mustache::data site{mustache::data::type::object};
    site.set("layout", mine);
    mustache::data d{mustache::data::type::object};
    d.set("title", std::string("t"));
    d.set("t", site);
    for (auto lang : i18n::all_langs) {
        const auto page = renderer_->page("message", lang, d);
        EXPECT_NE(page.find("mine &amp; yours"), std::string::npos);
        EXPECT_EQ(page, renderer_->render(Renderer::Wrap::InLayout, "message", lang, d, Renderer::Messages::LookedUp));
    }
}

// Messages with the characters HTML escapes, with braces (which could make a tag) and with line
// breaks (which change which lines kainjow drops): the same page as before, whichever way each is
// rendered.
TEST(RenderMessages, messages_with_special_characters_render_exactly_as_before) {
    auto base = test_support::embedded_catalogue();
    std::map<i18n::Lang, i18n::Messages> by_lang;
    for (auto l : i18n::all_langs) {
        by_lang[l] = base.all(l);
        by_lang[l]["layout.skip"] = "<>&\"' " + std::string(i18n::code(l));
        by_lang[l]["site.name"] = "{{title}} {{{body}}} }} {";
        by_lang[l]["layout.footer_note"] = "line one\nline two\r\n";
    }
    const auto catalogue = i18n::Catalogue::build(std::move(by_lang)).value();
    const auto renderer = Renderer::load(catalogue).value();
    mustache::data d{mustache::data::type::object};
    d.set("title", std::string("T"));
    d.set("body", std::string("<B>"));
    d.set("link", std::string("/"));
    d.set("link_text", std::string("home"));
    for (auto lang : i18n::all_langs) {
        const auto page = renderer->page("message", lang, d);
        EXPECT_NE(page.find("&lt;&gt;&amp;&quot;&apos; " + std::string(i18n::code(lang))), std::string::npos) << page;
        EXPECT_NE(page.find("{{title}} {{{body}}} }} {"), std::string::npos) << page;
        EXPECT_EQ(page, renderer->render(Renderer::Wrap::InLayout, "message", lang, d, Renderer::Messages::LookedUp));
    }
}

// Parsed pages are kept per thread and renderer; a renderer loaded after another was dropped (often
// at the same address) must never be given the pages parsed with the other one's messages.
TEST(RenderMessages, a_new_renderer_never_gets_pages_parsed_for_an_earlier_one) {
    const auto base = test_support::embedded_catalogue();
    mustache::data d{mustache::data::type::object};
    d.set("title", std::string("T"));
    d.set("body", std::string("B"));
    for (int n = 1; n <= 3; ++n) {
        std::map<i18n::Lang, i18n::Messages> by_lang;
        for (auto l : i18n::all_langs) {
            by_lang[l] = base.all(l);
            by_lang[l]["site.name"] = "Registry number " + std::to_string(n);
        }
        const auto catalogue = i18n::Catalogue::build(std::move(by_lang)).value();
        const auto renderer = Renderer::load(catalogue).value();
        const auto page = renderer->page("message", i18n::Lang::Ja, d);
        EXPECT_NE(page.find("Registry number " + std::to_string(n)), std::string::npos) << "renderer " << n;
    }
}

TEST(EscapeHtml, is_byte_for_byte_kainjows_html_escape) {
    const std::vector<std::string> texts = {"",      "plain", "&",          "<>&\"'", "a&b<c>d\"e'f", "宣言 & 'ID' <x>",
                                            "&amp;", "''",    "x\ny\r\n\tz"};
    for (const auto& text : texts) EXPECT_EQ(escape_html(text), mustache::html_escape(text)) << text;
    std::string every_byte;
    for (int c = 0; c < 256; ++c) every_byte += static_cast<char>(c);
    EXPECT_EQ(escape_html(every_byte), mustache::html_escape(every_byte));
}

TEST(InlineConstants, writes_escaped_and_raw_constants_and_keeps_every_other_tag) {
    const std::unordered_map<std::string, std::string> constants = {{"t.a", "<A & 'a'>"}, {"t.b", "\"b\""}};
    EXPECT_EQ(inline_constants("x{{t.a}}y{{ t.b }}z", constants), "x&lt;A &amp; &apos;a&apos;&gt;y&quot;b&quot;z");
    EXPECT_EQ(inline_constants("{{{t.a}}}|{{& t.b}}|{{{ t.a }}}", constants), "<A & 'a'>|\"b\"|<A & 'a'>");
    EXPECT_EQ(inline_constants("{{#t.a}}in{{/t.a}}{{^t.b}}{{/t.b}}{{! t.a }}{{> t.a}}", constants),
              "{{#t.a}}in{{/t.a}}{{^t.b}}{{/t.b}}{{! t.a }}{{> t.a}}");
    EXPECT_EQ(inline_constants("{{t.c}} {{name}} {{.}} {{}}", constants), "{{t.c}} {{name}} {{.}} {{}}");
    EXPECT_EQ(inline_constants("{{=<% %>=}}<%t.a%>{{t.a}}", constants), "{{=<% %>=}}<%t.a%>{{t.a}}");
    EXPECT_EQ(inline_constants("{{t.a", constants), "{{t.a");
    EXPECT_EQ(inline_constants("", constants), "");
}

TEST(JoinTextRuns, makes_each_stretch_of_words_between_tags_and_line_breaks_one_tag) {
    std::vector<std::string> runs;
    EXPECT_EQ(join_text_runs("  <p class=\"a\">{{x}} and {{y}}\r\n  one\ttwo\nword {{#s}}z{{/s}}\n", runs),
              "{{{~0}}}{{x}}{{{~1}}}{{y}}\r\n{{{~2}}}\n{{{~3}}}{{#s}}z{{/s}}\n");
    EXPECT_EQ(runs, (std::vector<std::string>{"  <p class=\"a\">", " and ", "  one\ttwo", "word "}));
    runs.clear();
    EXPECT_EQ(join_text_runs("a b{{=<% %>=}}c d", runs), "a b{{=<% %>=}}c d");
    EXPECT_TRUE(runs.empty());
    EXPECT_EQ(join_text_runs("x y {{t.a", runs), "x y {{t.a");
}

}  // namespace
}  // namespace sengen::web
