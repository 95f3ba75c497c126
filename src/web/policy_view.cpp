#include "web/policy_view.hpp"

#include <charconv>
#include <chrono>

#include "web/dates.hpp"

namespace sengen::web::policy_view {

namespace {

std::string heading(const i18n::Catalogue& cat, i18n::Lang lang, std::size_t index, const std::string& text) {
    return cat.format(lang, "policy.doc.section_heading", {{"n", std::to_string(index + 1)}, {"heading", text}});
}

std::string note(const i18n::Catalogue& cat, const PolicyVersion& v, const std::string& public_url) {
    const auto lang = lang_of(v.document);
    return cat.format(lang, "policy.doc.note",
                      {{"version", version_label(cat, lang, v.number)},
                       {"date", format_japan_date(cat, lang, v.published_at)},
                       {"url", public_url}});
}

}  // namespace

i18n::Lang lang_of(const policy::Document& d) { return d.lang == "en" ? i18n::Lang::En : i18n::Lang::Ja; }

std::string day_text(const i18n::Catalogue& cat, i18n::Lang lang, const std::string& ymd) {
    // A stored YYYY-MM-DD; anything else is shown as it is.
    int y = 0;
    unsigned m = 0, d = 0;
    const char* end = ymd.data() + ymd.size();
    auto year = std::from_chars(ymd.data(), end, y);
    if (ymd.size() != 10 || year.ptr != ymd.data() + 4 || ymd[4] != '-' || ymd[7] != '-') return ymd;
    if (std::from_chars(ymd.data() + 5, ymd.data() + 7, m).ptr != ymd.data() + 7 ||
        std::from_chars(ymd.data() + 8, end, d).ptr != end)
        return ymd;
    const std::chrono::year_month_day date{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
    if (!date.ok()) return ymd;
    // Midnight in Japan, so that the day in Japan is this day.
    const TimePoint t = std::chrono::sys_days(date) - std::chrono::hours(9);
    return format_japan_date(cat, lang, t);
}

std::string version_label(const i18n::Catalogue& cat, i18n::Lang lang, int number) {
    return cat.format(lang, "policy.version_label", {{"n", std::to_string(number)}});
}

std::vector<std::string> closing_lines(const i18n::Catalogue& cat, const PolicyVersion& v) {
    const auto& d = v.document;
    const auto lang = lang_of(d);
    std::vector<std::string> out;
    out.push_back(cat.format(lang, "policy.doc.date_line",
                             {{"label", d.established_label}, {"date", day_text(cat, lang, d.established)}}));
    if (v.number > 1)
        out.push_back(cat.format(lang, "policy.doc.date_line",
                                 {{"label", d.revised_label}, {"date", format_japan_date(cat, lang, v.published_at)}}));
    out.push_back(d.business_name);
    out.push_back(cat.format(lang, "policy.doc.representative",
                             {{"title", d.representative_title}, {"name", d.representative_name}}));
    return out;
}

mustache::data document(const i18n::Catalogue& cat, const PolicyVersion& v) {
    const auto& d = v.document;
    const auto lang = lang_of(d);
    mustache::data out{mustache::data::type::object};
    out.set("doc_lang", d.lang);
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
    const auto lang = lang_of(d);
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
    const auto lang = lang_of(d);
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
