// Reading questionnaire editions (content/assessment/<edition>.toml). Every problem is collected
// (not just the first), each with the file and line it was found at, so that a content editor fixes
// them in one pass.
#include "content/edition_loader.hpp"

#include <algorithm>
#include <map>

#include <toml++/toml.h>

#include "content/embedded_versions.hpp"
#include "content/toml_checker.hpp"

namespace sengen::content {

namespace {

using assessment::all_answers;
using assessment::Answer;
using assessment::Choice;
using assessment::choice_id;
using assessment::Edition;
using assessment::kQuestionCount;
using assessment::parse_choice;
using assessment::Part;
using assessment::Question;
using assessment::rule_points;

void load_choices(Checker& ck, const toml::table& root, Edition& ed) {
    std::map<Answer, Choice> seen;
    for (const auto* t : ck.tables(root, "choices")) {
        ck.only_keys(*t, {"id", "points", "label"}, "choice");
        auto id = ck.string(*t, "id", "choice");
        auto points = ck.integer(*t, "points", "choice '" + id.value_or("?") + "'");
        auto label = ck.localized(*t, "label", "choice '" + id.value_or("?") + "'");
        if (!id) continue;
        auto a = parse_choice(*id);
        if (!a) {
            ck.problem(*t->get("id"), "choice '" + *id + "' is not one of done, partly, not_done, unknown");
            continue;
        }
        if (seen.count(*a)) {
            ck.problem(*t, "choice '" + *id + "' appears twice");
            continue;
        }
        // The bands (scoring.cpp) are defined on IPA's points, so a file cannot change them.
        if (points && *points != rule_points(*a))
            ck.problem(*t->get("points"), "choice '" + *id + "' must be worth " + std::to_string(rule_points(*a)) +
                                              " points, not " + std::to_string(*points));
        seen[*a] = Choice{*a, rule_points(*a), std::move(label)};
    }
    for (auto a : all_answers) {
        if (!seen.count(a)) {
            if (root.get("choices"))
                ck.problem(*root.get("choices"), "choice '" + std::string(choice_id(a)) + "' is missing");
            continue;
        }
        ed.choices.push_back(seen[a]);
    }
}

void load_parts(Checker& ck, const toml::table& root, Edition& ed) {
    std::vector<std::pair<Part, const toml::table*>> found;
    for (const auto* t : ck.tables(root, "parts")) {
        ck.only_keys(*t, {"number", "first", "last", "title", "intro"}, "part");
        auto number = ck.integer(*t, "number", "part");
        const std::string where = "part " + (number ? std::to_string(*number) : std::string("?"));
        auto first = ck.integer(*t, "first", where);
        auto last = ck.integer(*t, "last", where);
        Part p;
        p.title = ck.localized(*t, "title", where);
        p.intro = ck.localized(*t, "intro", where);
        if (!number || !first || !last) continue;
        p.number = static_cast<int>(*number);
        p.first = static_cast<int>(*first);
        p.last = static_cast<int>(*last);
        if (p.first > p.last) {
            ck.problem(*t, where + ": first question " + std::to_string(p.first) + " comes after last " +
                               std::to_string(p.last));
            continue;
        }
        found.emplace_back(std::move(p), t);
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first.number < b.first.number; });
    // Parts are numbered 1..n and their ranges follow one another from question 1 to the last.
    int expected_first = 1;
    for (std::size_t i = 0; i < found.size(); ++i) {
        const auto& [p, t] = found[i];
        if (p.number != static_cast<int>(i) + 1) {
            ck.problem(*t, "part " + std::to_string(p.number) + ": parts must be numbered 1, 2, 3... once each");
            return;
        }
        if (p.first != expected_first) {
            ck.problem(*t, "part " + std::to_string(p.number) + ": should start at question " +
                               std::to_string(expected_first) + ", not " + std::to_string(p.first));
            return;
        }
        expected_first = p.last + 1;
        ed.parts.push_back(p);
    }
    if (!found.empty() && expected_first != kQuestionCount + 1)
        ck.problem(*found.back().second, "part " + std::to_string(found.back().first.number) +
                                             ": the last part must end at question " + std::to_string(kQuestionCount) +
                                             ", not " + std::to_string(expected_first - 1));
}

// A question's hint for when it does not apply. The hint must name the answer it asks for by that
// answer's label (「実施している」, "Done"), so that the text and the answer cannot drift apart.
std::optional<assessment::NotApplicable> load_not_applicable(Checker& ck, const toml::node& n, const Edition& ed,
                                                             const std::string& where) {
    const auto* t = n.as_table();
    if (!t) {
        ck.problem(n, where + ": 'not_applicable' must hold an answer and a hint");
        return std::nullopt;
    }
    ck.only_keys(*t, {"answer", "hint"}, where + " not_applicable");
    auto id = ck.string(*t, "answer", where + " not_applicable");
    auto hint = ck.localized(*t, "hint", where + " not_applicable");
    if (!id) return std::nullopt;
    auto a = parse_choice(*id);
    if (!a) {
        ck.problem(*t->get("answer"),
                   where + ": not_applicable answer '" + *id + "' is not one of done, partly, not_done, unknown");
        return std::nullopt;
    }
    auto choice = std::find_if(ed.choices.begin(), ed.choices.end(), [&](const Choice& c) { return c.answer == *a; });
    if (choice != ed.choices.end()) {
        const std::string ja = "「" + choice->label.ja + "」";
        const std::string en = "\"" + choice->label.en + "\"";
        if (!hint.ja.empty() && hint.ja.find(ja) == std::string::npos)
            ck.problem(*t, where + ": the not_applicable hint (ja) must name its answer as " + ja);
        if (!hint.en.empty() && hint.en.find(en) == std::string::npos)
            ck.problem(*t, where + ": the not_applicable hint (en) must name its answer as " + en);
    }
    return assessment::NotApplicable{*a, std::move(hint)};
}

void load_questions(Checker& ck, const toml::table& root, Edition& ed) {
    std::map<int, Question> by_number;
    for (const auto* t : ck.tables(root, "questions")) {
        ck.only_keys(*t, {"number", "part", "title", "text", "why", "steps", "not_applicable"}, "question");
        auto number = ck.integer(*t, "number", "question");
        const std::string where = "question " + (number ? std::to_string(*number) : std::string("?"));
        auto part = ck.integer(*t, "part", where);
        Question q;
        q.title = ck.localized(*t, "title", where);
        q.text = ck.localized(*t, "text", where);
        q.why = ck.localized(*t, "why", where);
        q.steps = ck.localized_list(*t, "steps", where);
        if (const auto* na = t->get("not_applicable")) q.not_applicable = load_not_applicable(ck, *na, ed, where);
        if (!number) continue;
        if (*number < 1 || *number > kQuestionCount) {
            ck.problem(*t->get("number"), where + ": numbers run from 1 to " + std::to_string(kQuestionCount));
            continue;
        }
        q.number = static_cast<int>(*number);
        if (by_number.count(q.number)) {
            ck.problem(*t->get("number"), where + " appears more than once");
            continue;
        }
        if (part) {
            q.part = static_cast<int>(*part);
            auto range = std::find_if(ed.parts.begin(), ed.parts.end(),
                                      [&](const Part& p) { return q.number >= p.first && q.number <= p.last; });
            if (!ed.parts.empty()) {
                if (range == ed.parts.end() || range->number != q.part)
                    ck.problem(*t->get("part"),
                               where + ": is in part " +
                                   (range == ed.parts.end() ? std::string("?") : std::to_string(range->number)) +
                                   " by the parts' ranges, but says part " + std::to_string(q.part));
            }
        }
        by_number.emplace(q.number, std::move(q));
    }
    for (int n = 1; n <= kQuestionCount; ++n) {
        auto it = by_number.find(n);
        if (it == by_number.end()) {
            const auto* at = root.get("questions");
            ck.problem(at ? at->source().begin.line : 1, "question " + std::to_string(n) + " is missing");
            continue;
        }
        ed.questions.push_back(std::move(it->second));
    }
}

}  // namespace

Result<Edition> load_edition(std::string_view text, std::string_view file_name) {
    auto parsed = parse_file(text, file_name);
    if (!parsed) return fail(parsed.error());
    const toml::table& root = *parsed;
    Checker ck(file_name);
    Edition ed;
    ck.only_keys(root, {"edition", "date", "title", "source", "choices", "parts", "questions"}, "edition file");
    if (auto id = ck.string(root, "edition", "edition file")) {
        if (!valid_content_id(*id))
            ck.problem(*root.get("edition"),
                       "edition id '" + *id + "' may hold only letters, digits, '-', '_' and '.'");
        ed.id = *id;
    }
    if (auto date = ck.date(root, "date", "edition file", "2023-04-26")) ed.date = *date;
    ed.title = ck.localized(root, "title", "edition file");
    ed.source = ck.localized(root, "source", "edition file");
    load_choices(ck, root, ed);
    load_parts(ck, root, ed);
    load_questions(ck, root, ed);
    if (!ck.ok()) return fail(content_invalid(ck.report()));
    return ed;
}

Result<assessment::Library> load_embedded_editions() {
    return load_embedded_versions<Edition>("content/assessment/", "questionnaire edition", load_edition);
}

}  // namespace sengen::content
