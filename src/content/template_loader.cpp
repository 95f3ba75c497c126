// Reading policy templates (content/policy/<edition>.toml), every problem with its file and line.
#include "content/template_loader.hpp"

#include <map>
#include <set>

#include <toml++/toml.h>

#include "content/embedded_versions.hpp"
#include "content/toml_checker.hpp"

namespace sengen::content {

namespace {

using policy::AssetChoice;
using policy::kSectionCount;
using policy::Section;
using policy::Suggestion;
using policy::Template;

void load_assets(Checker& ck, const toml::table& root, Template& t) {
    std::set<std::string> seen;
    for (const auto* a : ck.tables(root, "assets")) {
        ck.only_keys(*a, {"id", "label", "text"}, "assets");
        auto id = ck.string(*a, "id", "assets");
        const std::string where = "assets '" + id.value_or("?") + "'";
        AssetChoice c;
        c.label = ck.localized(*a, "label", where);
        c.text = ck.localized(*a, "text", where);
        if (!id) continue;
        if (!valid_content_id(*id))
            ck.problem(*a->get("id"), where + ": ids may hold only letters, digits, '-' and '_'");
        if (!seen.insert(*id).second) {
            ck.problem(*a, where + " appears twice");
            continue;
        }
        c.id = *id;
        t.assets.push_back(std::move(c));
    }
    if (root.get("assets") && t.assets.size() < 2)
        ck.problem(*root.get("assets"), "'assets' must offer at least two choices");
}

void load_sections(Checker& ck, const toml::table& root, Template& t) {
    std::map<int, Section> by_number;
    for (const auto* s : ck.tables(root, "sections")) {
        ck.only_keys(*s, {"number", "heading", "body"}, "section");
        auto number = ck.integer(*s, "number", "section");
        const std::string where = "section " + (number ? std::to_string(*number) : std::string("?"));
        Section sec;
        sec.heading = ck.localized(*s, "heading", where);
        sec.body = ck.localized(*s, "body", where);
        if (!number) continue;
        if (*number < 1 || *number > kSectionCount) {
            ck.problem(*s->get("number"), where + ": sections are numbered 1 to " + std::to_string(kSectionCount));
            continue;
        }
        sec.number = static_cast<int>(*number);
        if (!by_number.emplace(sec.number, std::move(sec)).second)
            ck.problem(*s->get("number"), where + " appears more than once");
    }
    for (int n = 1; n <= kSectionCount; ++n) {
        auto it = by_number.find(n);
        if (it == by_number.end()) {
            const auto* at = root.get("sections");
            ck.problem(at ? at->source().begin.line : 1, "section " + std::to_string(n) + " is missing");
            continue;
        }
        t.sections.push_back(std::move(it->second));
    }
}

void load_suggestions(Checker& ck, const toml::table& root, Template& t) {
    if (!root.get("suggestions")) return;  // optional
    std::set<std::string> seen;
    for (const auto* s : ck.tables(root, "suggestions")) {
        ck.only_keys(*s, {"id", "questions", "section", "text"}, "suggestion");
        auto id = ck.string(*s, "id", "suggestion");
        const std::string where = "suggestion '" + id.value_or("?") + "'";
        Suggestion sg;
        sg.text = ck.localized(*s, "text", where);
        if (auto section = ck.integer(*s, "section", where)) {
            if (*section < 1 || *section > kSectionCount)
                ck.problem(*s->get("section"), where + ": 'section' must be 1 to " + std::to_string(kSectionCount));
            else
                sg.section = static_cast<int>(*section);
        }
        if (const auto* q = s->get("questions")) {
            const auto* arr = q->as_array();
            if (!arr || arr->empty()) ck.problem(*q, where + ": 'questions' must be a list of question numbers");
            if (arr)
                for (const auto& item : *arr) {
                    auto n = item.value<std::int64_t>();
                    if (!item.is_integer() || !n || *n < 1 || *n > assessment::kQuestionCount)
                        ck.problem(item, where + ": questions are numbered 1 to " +
                                             std::to_string(assessment::kQuestionCount));
                    else
                        sg.questions.push_back(static_cast<int>(*n));
                }
        } else {
            ck.problem(*s, where + ": 'questions' is missing");
        }
        if (!id) continue;
        if (!valid_content_id(*id))
            ck.problem(*s->get("id"), where + ": ids may hold only letters, digits, '-' and '_'");
        if (!seen.insert(*id).second) {
            ck.problem(*s, where + " appears twice");
            continue;
        }
        sg.id = *id;
        t.suggestions.push_back(std::move(sg));
    }
}

}  // namespace

Result<Template> load_template(std::string_view text, std::string_view file_name) {
    auto parsed = parse_file(text, file_name);
    if (!parsed) return fail(parsed.error());
    const toml::table& root = *parsed;
    Checker ck(file_name);
    Template t;
    ck.only_keys(root,
                 {"edition", "date", "title", "source", "preamble", "assets", "sections", "labels", "suggestions"},
                 "template file");
    if (auto id = ck.string(root, "edition", "template file")) {
        if (!valid_content_id(*id))
            ck.problem(*root.get("edition"), "edition '" + *id + "' may hold only letters, digits, '-', '_' and '.'");
        t.id = *id;
    }
    if (auto date = ck.date(root, "date", "template file", "2026-04-01")) t.date = *date;
    t.title = ck.localized(root, "title", "template file");
    t.source = ck.localized(root, "source", "template file");
    t.preamble = ck.localized(root, "preamble", "template file");
    for (auto l : all_langs)
        for (const char* placeholder : {"{business_name}", "{assets}"})
            if (const auto& preamble = t.preamble.in(l);
                !preamble.empty() && preamble.find(placeholder) == std::string::npos)
                ck.problem(*root.get("preamble"),
                           std::string("'preamble' must hold ") + placeholder + " in " + std::string(code(l)));
    if (const auto* l = root.get("labels"); l && l->as_table()) {
        ck.only_keys(*l->as_table(), {"established", "revised"}, "labels");
        t.established_label = ck.localized(*l->as_table(), "established", "labels");
        t.revised_label = ck.localized(*l->as_table(), "revised", "labels");
    } else {
        ck.problem(l ? l->source().begin.line : 1, "template file: a [labels] table is missing");
    }
    load_assets(ck, root, t);
    load_sections(ck, root, t);
    load_suggestions(ck, root, t);
    if (!ck.ok()) return fail(content_invalid(ck.report()));
    return t;
}

Result<policy::TemplateLibrary> load_embedded_policy_templates() {
    return load_embedded_versions<Template>("content/policy/", "policy template", load_template);
}

}  // namespace sengen::content
