#include "web/policy_view.hpp"

#include "domain/dates.hpp"

namespace sengen::web::policy_view {

namespace {

std::string heading(const i18n::Catalogue& cat, i18n::Lang lang, std::size_t index, const std::string& text) {
    return cat.format(lang, "policy.doc.section_heading", {{"n", std::to_string(index + 1)}, {"heading", text}});
}

std::string note(const i18n::Catalogue& cat, const PolicyVersion& v, const std::string& public_url) {
    const auto lang = v.document.lang;
    return cat.format(lang, "policy.doc.note",
                      {{"version", version_label(cat, lang, v.number)},
                       {"date", dates::display_japan_date(lang, v.published_at)},
                       {"url", public_url}});
}

}  // namespace

std::string day_text(i18n::Lang lang, const std::string& ymd) {
    const auto date = dates::parse_iso_date(ymd);
    return date ? dates::display(lang, *date) : ymd;
}

std::string version_label(const i18n::Catalogue& cat, i18n::Lang lang, int number) {
    return cat.format(lang, "policy.version_label", {{"n", std::to_string(number)}});
}

std::vector<std::string> closing_lines(const i18n::Catalogue& cat, const PolicyVersion& v) {
    const auto& d = v.document;
    const auto lang = d.lang;
    std::vector<std::string> out;
    out.push_back(cat.format(lang, "policy.doc.date_line",
                             {{"label", d.established_label}, {"date", day_text(lang, d.established)}}));
    if (v.number > 1)
        out.push_back(
            cat.format(lang, "policy.doc.date_line",
                       {{"label", d.revised_label}, {"date", dates::display_japan_date(lang, v.published_at)}}));
    out.push_back(d.business_name);
    out.push_back(cat.format(lang, "policy.doc.representative",
                             {{"title", d.representative_title}, {"name", d.representative_name}}));
    return out;
}

mustache::data document(const i18n::Catalogue& cat, const PolicyVersion& v) {
    const auto& d = v.document;
    const auto lang = d.lang;
    mustache::data out{mustache::data::type::object};
    out.set("doc_lang", std::string(code(d.lang)));
    out.set("doc_title", d.title);
    out.set("doc_business", d.business_name);
    out.set("doc_preamble", d.preamble);
    mustache::data sections{mustache::data::type::list};
    for (std::size_t i = 0; i < d.sections.size(); ++i) {
        mustache::data s{mustache::data::type::object};
        s.set("heading", heading(cat, lang, i, d.sections[i].heading));
        s.set("body", d.sections[i].body);
        sections.push_back(s);
    }
    out.set("doc_sections", sections);
    mustache::data closing{mustache::data::type::list};
    for (const auto& line : closing_lines(cat, v)) {
        mustache::data l{mustache::data::type::object};
        l.set("text", line);
        closing.push_back(l);
    }
    out.set("doc_closing", closing);
    return out;
}

std::string plain_text(const i18n::Catalogue& cat, const PolicyVersion& v, const std::string& public_url) {
    const auto& d = v.document;
    const auto lang = d.lang;
    std::string out = d.title + "\n\n" + d.preamble + "\n";
    for (std::size_t i = 0; i < d.sections.size(); ++i)
        out += "\n" + heading(cat, lang, i, d.sections[i].heading) + "\n" + d.sections[i].body + "\n";
    out += "\n";
    for (const auto& line : closing_lines(cat, v)) out += line + "\n";
    out += "\n" + note(cat, v, public_url) + "\n";
    return out;
}

render::PolicyPdf pdf_model(const i18n::Catalogue& cat, const PolicyVersion& v, const std::string& public_url) {
    const auto& d = v.document;
    const auto lang = d.lang;
    render::PolicyPdf p;
    p.lang = d.lang;
    p.title = d.title;
    p.preamble = d.preamble;
    for (std::size_t i = 0; i < d.sections.size(); ++i)
        p.sections.push_back({heading(cat, lang, i, d.sections[i].heading), d.sections[i].body});
    p.closing = closing_lines(cat, v);
    p.note = note(cat, v, public_url);
    p.footer = cat.format(lang, "policy.doc.footer", {{"business", d.business_name}});
    p.page = cat.text(lang, "policy.doc.page");
    return p;
}

}  // namespace sengen::web::policy_view
