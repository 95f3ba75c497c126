#include "web/assessment_view.hpp"

#include "web/json_text.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "web/errors.hpp"

namespace sengen::web::assessment_view {

namespace {

using assessment::Answer;
using Args = std::vector<std::pair<std::string, std::string>>;

// Colours of the answers in the charts (also in site.css and the PDF).
std::string answer_fill(Answer a) {
    switch (a) {
        case Answer::Done:
            return "#197a4b";
        case Answer::Partly:
            return "#9a6a00";
        case Answer::NotDone:
            return "#ce0000";
        case Answer::Unknown:
            return "#767676";
    }
    return "#767676";
}

// SVG coordinates with at most one decimal.
std::string num(double v) { return fmt::format("{:g}", std::round(v * 10) / 10); }

std::string format(const i18n::Catalogue& cat, i18n::Lang l, const std::string& id, const Args& args) {
    return cat.format(l, id, args);
}

std::string part_label(const i18n::Catalogue& cat, i18n::Lang l, const assessment::Part& p) {
    return format(cat, l, "assessment.part_label", {{"n", std::to_string(p.number)}, {"title", p.title.in(l)}});
}

mustache::data list_of(const std::vector<std::string>& items) {
    mustache::data out{mustache::data::type::list};
    for (const auto& s : items) {
        mustache::data d{mustache::data::type::object};
        d.set("text", s);
        out.push_back(d);
    }
    return out;
}

// Hidden inputs that carry answers through a form.
mustache::data hidden_answers(const Edition& e, const Answers& answers, std::optional<int> except_part) {
    mustache::data out{mustache::data::type::list};
    for (const auto& [n, a] : answers) {
        if (n < 1 || n > static_cast<int>(e.questions.size())) continue;
        if (except_part && e.question(n).part == *except_part) continue;
        mustache::data d{mustache::data::type::object};
        d.set("name", field_name(n));
        d.set("value", std::string(assessment::choice_id(a)));
        out.push_back(d);
    }
    return out;
}

// The parts as steps; a part other than the current one is "done" when all its questions have answers.
mustache::data progress(const Context& ctx, const Edition& e, int current, const Answers& answers) {
    mustache::data steps{mustache::data::type::list};
    for (const auto& p : e.parts) {
        bool complete = true;
        for (int n = p.first; n <= p.last; ++n) complete = complete && answers.count(n);
        mustache::data d{mustache::data::type::object};
        d.set("number", std::to_string(p.number));
        d.set("title", p.title.in(ctx.lang));
        d.set("current", p.number == current);
        d.set("done", p.number != current && complete);
        steps.push_back(d);
    }
    return steps;
}

// The per-part bar chart: a label line, then a bar on a track, then the value.
mustache::data parts_chart(const Context& ctx, const Edition& e, const Scorecard& card) {
    constexpr double track = 250, row = 44;
    mustache::data rows{mustache::data::type::list};
    std::string desc;
    double y = 0;
    for (const auto& ps : card.parts) {
        const auto& p = e.part(ps.part);
        const std::string label = part_label(ctx.services.catalogue, ctx.lang, p);
        const double frac = ps.max > 0 ? std::clamp(static_cast<double>(ps.score) / ps.max, 0.0, 1.0) : 0.0;
        mustache::data d{mustache::data::type::object};
        d.set("label", label);
        d.set("label_y", num(y + 13));
        d.set("bar_y", num(y + 20));
        d.set("track_w", num(track));
        d.set("bar_w", num(track * frac));
        d.set("has_bar", frac > 0);
        d.set("value_x", num(track + 8));
        d.set("value_y", num(y + 32));
        d.set("value", std::to_string(ps.score) + " / " + std::to_string(ps.max));
        rows.push_back(d);
        if (!desc.empty()) desc += ctx.lang == i18n::Lang::Ja ? "、" : "; ";
        desc += format(ctx.services.catalogue, ctx.lang, "assessment.result.part_score",
                       {{"part", label}, {"score", std::to_string(ps.score)}, {"max", std::to_string(ps.max)}});
        y += row;
    }
    mustache::data chart{mustache::data::type::object};
    chart.set("rows", rows);
    chart.set("height", num(y));
    chart.set("desc", desc);
    return chart;
}

// The per-question column chart: done reaches the top, don't know hangs below the axis.
mustache::data questions_chart(const Edition& e, const Scorecard& card) {
    constexpr double width = 320, unit = 15, top = 4;
    const double axis = top + 4 * unit;
    const double slot = width / static_cast<double>(e.questions.size());
    const double bar = slot * 0.64;
    mustache::data bars{mustache::data::type::list};
    for (const auto& q : e.questions) {
        const Answer a = card.answers.at(q.number);
        const int pts = e.points(a);
        const double x = slot * (q.number - 1) + (slot - bar) / 2;
        double y = axis, h = 2;  // a thin mark for zero, so that the column is not blank
        if (pts > 0) y = axis - pts * unit, h = pts * unit;
        if (pts < 0) y = axis, h = -pts * unit;
        if (pts == 0) y = axis - 1;
        mustache::data d{mustache::data::type::object};
        d.set("x", num(x));
        d.set("y", num(y));
        d.set("w", num(bar));
        d.set("h", num(h));
        d.set("fill", answer_fill(a));
        d.set("label_x", num(slot * (q.number - 1) + slot / 2));
        d.set("number", std::to_string(q.number));
        bars.push_back(d);
    }
    mustache::data chart{mustache::data::type::object};
    chart.set("bars", bars);
    chart.set("axis_y", num(axis));
    chart.set("width", num(width));
    chart.set("label_y", num(axis + unit + 12));
    chart.set("height", num(axis + unit + 16));
    return chart;
}

mustache::data legend(const Context& ctx, const Edition& e) {
    mustache::data out{mustache::data::type::list};
    for (const auto& c : e.choices) {
        mustache::data d{mustache::data::type::object};
        d.set("id", std::string(assessment::choice_id(c.answer)));
        d.set("label", c.label.in(ctx.lang));
        d.set("points", std::to_string(c.points));
        out.push_back(d);
    }
    return out;
}

// The header's language switch as a button of the page's form (see layout.mustache).
mustache::data lang_switch(const std::string& form, const std::string& action) {
    mustache::data d{mustache::data::type::object};
    d.set("form", form);
    d.set("action", action);
    return d;
}

}  // namespace

std::string field_name(int question) { return "q" + std::to_string(question); }

mustache::data start_page(const Context& ctx, const Edition& e) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("assessment.page_title"));
    mustache::data parts{mustache::data::type::list};
    for (const auto& p : e.parts) {
        mustache::data pd{mustache::data::type::object};
        pd.set("label", part_label(ctx.services.catalogue, ctx.lang, p));
        pd.set("intro", p.intro.in(ctx.lang));
        pd.set("count", ctx.services.catalogue.format(ctx.lang, "assessment.start.part_count",
                                                      {{"count", std::to_string(p.question_count())}}));
        parts.push_back(pd);
    }
    d.set("parts", parts);
    d.set("choices", legend(ctx, e));
    d.set("question_count", std::to_string(e.questions.size()));
    d.set("edition_note",
          ctx.services.catalogue.format(ctx.lang, "assessment.start.edition", {{"title", e.title.in(ctx.lang)}}));
    d.set("edition_source", e.source.in(ctx.lang));
    return d;
}

mustache::data part_page(const Context& ctx, const Edition& e, int part_number, const Answers& answers,
                         const std::vector<FieldError>& errors, const std::string& csrf) {
    const auto& part = e.part(part_number);
    const int parts = static_cast<int>(e.parts.size());
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.services.catalogue.format(ctx.lang, "assessment.part.page_title",
                                                      {{"n", std::to_string(part_number)},
                                                       {"total", std::to_string(parts)},
                                                       {"title", part.title.in(ctx.lang)}}));
    d.set("noindex", true);
    d.set("csrf", csrf);
    d.set("edition", e.id);
    d.set("part", std::to_string(part_number));
    d.set("part_title", part.title.in(ctx.lang));
    d.set("part_intro", part.intro.in(ctx.lang));
    d.set("progress_text",
          ctx.services.catalogue.format(ctx.lang, "assessment.part.progress",
                                        {{"n", std::to_string(part_number)}, {"total", std::to_string(parts)}}));
    d.set("steps", progress(ctx, e, part_number, answers));
    d.set("action", part_number < parts ? "/assessment/part/" + std::to_string(part_number + 1)
                                        : std::string("/assessment/result"));
    d.set("is_last", part_number == parts);
    if (part_number > 1) d.set("back_action", "/assessment/part/" + std::to_string(part_number - 1));
    d.set("hidden", hidden_answers(e, answers, part_number));
    d.set("lang_switch_form", lang_switch("questionnaire", "/assessment/part/" + std::to_string(part_number)));

    mustache::data summary{mustache::data::type::list};
    for (const auto& f : errors) {
        auto q = assessment::question_of(f);
        if (!q || *q < 1 || *q > static_cast<int>(e.questions.size())) continue;
        mustache::data s{mustache::data::type::object};
        s.set("href", "#" + field_name(*q) + "-" + std::string(assessment::choice_id(e.choices.front().answer)));
        s.set("text", ctx.services.catalogue.format(ctx.lang, "assessment.errors.item",
                                                    {{"n", std::to_string(*q)},
                                                     {"title", e.question(*q).title.in(ctx.lang)},
                                                     {"message", field_message(ctx, f)}}));
        summary.push_back(s);
    }
    if (!errors.empty()) {
        d.set("errors", summary);
        d.set("has_errors", true);
    }

    mustache::data questions{mustache::data::type::list};
    for (int n = part.first; n <= part.last; ++n) {
        const auto& q = e.question(n);
        mustache::data qd{mustache::data::type::object};
        const std::string name = field_name(n);
        qd.set("name", name);
        qd.set("number", std::to_string(n));
        qd.set("label",
               ctx.services.catalogue.format(ctx.lang, "assessment.part.question_label", {{"n", std::to_string(n)}}));
        qd.set("title", q.title.in(ctx.lang));
        qd.set("text", q.text.in(ctx.lang));
        qd.set("why", q.why.in(ctx.lang));
        // Sole proprietors and businesses without an office, staff or Wi-Fi are told what to answer.
        if (q.not_applicable) qd.set("not_applicable", q.not_applicable->hint.in(ctx.lang));
        auto err = std::find_if(errors.begin(), errors.end(),
                                [&](const FieldError& f) { return assessment::question_of(f) == n; });
        if (err != errors.end()) qd.set("error", field_message(ctx, *err));
        auto chosen = answers.find(n);
        mustache::data choices{mustache::data::type::list};
        for (const auto& c : e.choices) {
            mustache::data cd{mustache::data::type::object};
            const std::string id(assessment::choice_id(c.answer));
            cd.set("id", name + "-" + id);
            cd.set("value", id);
            cd.set("label", c.label.in(ctx.lang));
            cd.set("checked", chosen != answers.end() && chosen->second == c.answer);
            choices.push_back(cd);
        }
        qd.set("choices", choices);
        questions.push_back(qd);
    }
    d.set("questions", questions);
    return d;
}

mustache::data result_page(const Context& ctx, const Edition& e, const Scorecard& card, const std::string& csrf,
                           const std::string& business_name, const std::vector<FieldError>& errors) {
    const auto& cat = ctx.services.catalogue;
    const std::string band(assessment::band_id(card.band));
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("assessment.result.page_title"));
    d.set("noindex", true);
    d.set("csrf", csrf);
    d.set("edition", e.id);
    d.set("edition_note", cat.format(ctx.lang, "assessment.result.edition_note", {{"title", e.title.in(ctx.lang)}}));
    d.set("score", std::to_string(card.score));
    d.set("score_points",
          cat.format(ctx.lang, "assessment.result.score_points", {{"score", std::to_string(card.score)}}));
    d.set("score_max", cat.format(ctx.lang, "assessment.result.score_max", {{"max", std::to_string(card.max)}}));
    d.set("band", band);
    d.set("band_title", ctx.text("assessment.band." + band + ".title"));
    d.set("band_meaning", ctx.text("assessment.band." + band + ".meaning"));
    d.set("band_next", ctx.text("assessment.band." + band + ".next"));

    d.set("parts_chart", parts_chart(ctx, e, card));
    mustache::data part_rows{mustache::data::type::list};
    for (const auto& ps : card.parts) {
        mustache::data r{mustache::data::type::object};
        r.set("label", part_label(cat, ctx.lang, e.part(ps.part)));
        r.set("score", std::to_string(ps.score));
        r.set("max", std::to_string(ps.max));
        part_rows.push_back(r);
    }
    d.set("part_rows", part_rows);
    d.set("questions_chart", questions_chart(e, card));
    d.set("legend", legend(ctx, e));

    auto heading = [&](int n) {
        return cat.format(ctx.lang, "assessment.report.question_heading",
                          {{"n", std::to_string(n)}, {"title", e.question(n).title.in(ctx.lang)}});
    };
    mustache::data review{mustache::data::type::list};
    for (int n : card.unknown_items) {
        mustache::data r{mustache::data::type::object};
        r.set("number", std::to_string(n));
        r.set("heading", heading(n));
        r.set("text", e.question(n).text.in(ctx.lang));
        review.push_back(r);
    }
    if (!card.unknown_items.empty()) {
        d.set("review", review);
        d.set("has_review", true);
    }

    mustache::data actions{mustache::data::type::list};
    for (const auto& a : card.actions) {
        const auto& q = e.question(a.question);
        mustache::data r{mustache::data::type::object};
        r.set("number", std::to_string(a.question));
        r.set("heading", heading(a.question));
        r.set("answer_id", std::string(assessment::choice_id(a.answer)));
        r.set("status",
              cat.format(ctx.lang, "assessment.result.action_status",
                         {{"answer", e.choice(a.answer).label.in(ctx.lang)}, {"points", std::to_string(a.points)}}));
        r.set("steps", list_of(q.steps.in(ctx.lang)));
        actions.push_back(r);
    }
    if (!card.actions.empty()) {
        d.set("actions", actions);
        d.set("has_actions", true);
    }

    mustache::data rows{mustache::data::type::list};
    for (const auto& q : e.questions) {
        const Answer a = card.answers.at(q.number);
        mustache::data r{mustache::data::type::object};
        r.set("number", std::to_string(q.number));
        r.set("title", q.title.in(ctx.lang));
        r.set("answer_id", std::string(assessment::choice_id(a)));
        r.set("answer", e.choice(a).label.in(ctx.lang));
        r.set("points", std::to_string(e.points(a)));
        rows.push_back(r);
    }
    d.set("answer_rows", rows);
    d.set("hidden", hidden_answers(e, card.answers, std::nullopt));
    d.set("last_part", std::to_string(e.parts.size()));
    d.set("lang_switch_form", lang_switch("report-form", "/assessment/result"));
    d.set("business_name", business_name);
    for (const auto& f : errors)
        if (f.field == "business_name") d.set("business_error", field_message(ctx, f));
    if (!errors.empty()) d.set("has_errors", true);
    return d;
}

render::AssessmentReport report(const i18n::Catalogue& cat, i18n::Lang lang, const Edition& e, const Scorecard& card,
                                const std::string& business_name, const std::string& date) {
    render::AssessmentReport r;
    r.lang = lang;
    auto t = [&](const std::string& id) { return cat.text(lang, id); };
    auto& lb = r.labels;
    lb.title = t("assessment.report.title");
    lb.business = t("assessment.report.business");
    lb.date = t("assessment.report.date");
    lb.edition = t("assessment.report.edition");
    lb.score = t("assessment.result.score_label");
    lb.score_value = cat.format(lang, "assessment.result.score_value",
                                {{"score", std::to_string(card.score)}, {"max", std::to_string(card.max)}});
    const std::string band(assessment::band_id(card.band));
    lb.next_step =
        cat.format(lang, "assessment.report.next_step_line", {{"text", t("assessment.band." + band + ".next")}});
    lb.chart_parts = t("assessment.result.parts_title");
    lb.chart_questions = t("assessment.result.questions_title");
    lb.review = t("assessment.result.review_title");
    lb.review_none = t("assessment.result.review_none");
    lb.answers = t("assessment.result.answers_title");
    lb.col_number = t("assessment.result.col_number");
    lb.col_part = t("assessment.result.col_part");
    lb.col_question = t("assessment.result.col_question");
    lb.col_answer = t("assessment.result.col_answer");
    lb.col_points = t("assessment.result.col_points");
    lb.col_edition = t("assessment.result.col_edition");
    lb.actions = t("assessment.result.actions_title");
    lb.actions_none = t("assessment.result.actions_none");
    lb.page = t("assessment.report.page");
    lb.footer = t("assessment.report.footer");

    r.business_name = business_name;
    r.date = date;
    r.edition_id = e.id;
    r.edition_title = e.title.in(lang);
    r.score = card.score;
    r.max = card.max;
    r.band_id = band;
    r.band_title = t("assessment.band." + band + ".title");
    r.band_meaning = t("assessment.band." + band + ".meaning");
    r.band_next = t("assessment.band." + band + ".next");
    for (const auto& ps : card.parts) r.parts.push_back({part_label(cat, lang, e.part(ps.part)), ps.score, ps.max});
    for (const auto& q : e.questions) {
        const Answer a = card.answers.at(q.number);
        r.answers.push_back({q.number, q.part, q.title.in(lang), q.text.in(lang), std::string(assessment::choice_id(a)),
                             e.choice(a).label.in(lang), e.points(a)});
    }
    auto heading = [&](int n) {
        return cat.format(lang, "assessment.report.question_heading",
                          {{"n", std::to_string(n)}, {"title", e.question(n).title.in(lang)}});
    };
    for (const auto& a : card.actions) {
        r.actions.push_back(
            {a.question, heading(a.question),
             cat.format(lang, "assessment.result.action_status",
                        {{"answer", e.choice(a.answer).label.in(lang)}, {"points", std::to_string(a.points)}}),
             std::string(assessment::choice_id(a.answer)), e.question(a.question).steps.in(lang)});
    }
    for (int n : card.unknown_items) r.review_items.push_back(heading(n));
    return r;
}

namespace {
nlohmann::ordered_json text_json(const assessment::Localized& t, std::optional<i18n::Lang> lang) {
    if (lang) return t.in(*lang);
    return {{"ja", t.ja}, {"en", t.en}};
}
nlohmann::ordered_json list_json(const assessment::LocalizedList& t, std::optional<i18n::Lang> lang) {
    if (lang) return t.in(*lang);
    return {{"ja", t.ja}, {"en", t.en}};
}
}  // namespace

nlohmann::ordered_json edition_json(const Edition& e, std::optional<i18n::Lang> lang) {
    nlohmann::ordered_json j;
    j["edition"] = e.id;
    j["date"] = e.date;
    j["title"] = text_json(e.title, lang);
    j["max"] = e.max_points();
    j["min"] = e.min_points();
    auto& choices = j["choices"] = nlohmann::ordered_json::array();
    for (const auto& c : e.choices)
        choices.push_back({{"id", std::string(assessment::choice_id(c.answer))},
                           {"points", c.points},
                           {"label", text_json(c.label, lang)}});
    auto& parts = j["parts"] = nlohmann::ordered_json::array();
    for (const auto& p : e.parts)
        parts.push_back({{"part", p.number},
                         {"first", p.first},
                         {"last", p.last},
                         {"max", e.part_max(p.number)},
                         {"title", text_json(p.title, lang)},
                         {"intro", text_json(p.intro, lang)}});
    auto& questions = j["questions"] = nlohmann::ordered_json::array();
    for (const auto& q : e.questions)
        questions.push_back({{"number", q.number},
                             {"part", q.part},
                             {"title", text_json(q.title, lang)},
                             {"text", text_json(q.text, lang)},
                             {"why", text_json(q.why, lang)},
                             {"steps", list_json(q.steps, lang)}});
    return j;
}

// Written straight as text (web/json_text.hpp): the scoring API's answer carries every step of
// every improvement, and an nlohmann tree of it cost several times the scoring.
namespace {

ScoreTexts::Written write_texts(const assessment::Question& q, i18n::Lang lang) {
    ScoreTexts::Written w;
    append_json_string(w.title, q.title.in(lang));
    JsonWriter steps;
    steps.begin_array();
    for (const auto& step : q.steps.in(lang)) steps.value(step);
    w.steps = steps.end_array().take();
    return w;
}

}  // namespace

ScoreTexts::ScoreTexts(const assessment::Library& library) {
    for (const auto& [id, e] : library.all()) {
        auto& by_question = texts_[&e];
        for (const auto& q : e.questions) {
            std::array<Written, i18n::all_langs.size()> each;
            for (auto lang : i18n::all_langs) each.at(static_cast<std::size_t>(lang)) = write_texts(q, lang);
            by_question.push_back(std::move(each));
        }
    }
}

const ScoreTexts::Written* ScoreTexts::find(const Edition& e, int number, i18n::Lang lang) const {
    auto it = texts_.find(&e);
    if (it == texts_.end() || number < 1 || static_cast<std::size_t>(number) > it->second.size()) return nullptr;
    return &it->second[static_cast<std::size_t>(number - 1)].at(static_cast<std::size_t>(lang));
}

std::string scorecard_json(const Edition& e, const Scorecard& card, i18n::Lang lang, const ScoreTexts* texts) {
    JsonWriter j;
    j.begin_object()
        .member("edition", card.edition)
        .member("score", card.score)
        .member("max", card.max)
        .member("band", assessment::band_id(card.band));
    j.key("parts").begin_array();
    for (const auto& p : card.parts)
        j.begin_object().member("part", p.part).member("score", p.score).member("max", p.max).end_object();
    j.end_array().key("unknown_items").begin_array();
    for (int n : card.unknown_items) j.value(n);
    j.end_array().key("actions").begin_array();
    for (const auto& a : card.actions) {
        const auto& q = e.question(a.question);
        j.begin_object()
            .member("question", a.question)
            .member("answer", assessment::choice_id(a.answer))
            .member("points", a.points);
        if (const auto* w = texts ? texts->find(e, a.question, lang) : nullptr) {
            j.key("title").json(w->title).key("steps").json(w->steps).end_object();
            continue;
        }
        j.member("title", q.title.in(lang));
        j.key("steps").begin_array();
        for (const auto& step : q.steps.in(lang)) j.value(step);
        j.end_array().end_object();
    }
    j.end_array().end_object();
    return j.take();
}

}  // namespace sengen::web::assessment_view
