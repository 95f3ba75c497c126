// Saved self-assessments on My Page: the list, a saved result, and what changed since the one
// saved before it; and the ★★ evidence choice used by /apply and the step-up page.
#include "app/assessment.hpp"
#include "domain/dates.hpp"
#include "web/assessment_view.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/handlers.hpp"
#include "web/toolkit.hpp"

namespace sengen::web {

namespace {

namespace view = assessment_view;

constexpr std::size_t kListed = 20;  // saved assessments shown on My Page

std::string band_title(const Context& ctx, int score) {
    return ctx.text("assessment.band." + std::string(assessment::band_id(assessment::band_for(score))) + ".title");
}

std::string edition_title(const Context& ctx, const std::string& edition) {
    const auto* e = ctx.services.assessments.find(edition);
    return e ? e->title.in(ctx.lang) : edition;
}

// The saved assessment named in the path and the one saved just before it (if any).
Result<app::SavedAssessments::WithPrevious> saved_from_path(Context& ctx, std::int64_t account) {
    return ctx.services.saved_assessments.with_previous(account, path_id(ctx.param("id")));
}

// The saved answers scored again with their edition.
Result<assessment::Scorecard> card_of(Context& ctx, const SavedAssessment& a, const assessment::Edition** edition) {
    const auto* e = ctx.services.assessments.find(a.edition);
    if (!e) return fail(Error::not_found("assessment.unknown_edition", "edition " + a.edition + " is not built in"));
    *edition = e;
    return assessment::score(*e, a.answers);
}

std::string signed_points(const Context& ctx, int diff) {
    const std::string n = std::to_string(diff < 0 ? -diff : diff);
    const char* id = diff > 0   ? "assessment.compare.up"
                     : diff < 0 ? "assessment.compare.down"
                                : "assessment.compare.same";
    return ctx.services.catalogue.format(ctx.lang, id, {{"n", n}});
}

}  // namespace

// --- My Page ---------------------------------------------------------------------------------

Status toolkit::add_to_mypage(Context& ctx, std::int64_t account, mustache::data& page) {
    auto saved = ctx.services.saved_assessments.list(account, kListed + 1);
    if (!saved) return fail(saved.error());
    mustache::data items{mustache::data::type::list};
    for (std::size_t i = 0; i < saved->size() && i < kListed; ++i) {
        const auto& a = (*saved)[i];
        mustache::data d{mustache::data::type::object};
        d.set("date", dates::display_japan_date(ctx.lang, a.taken_at));
        d.set("edition", edition_title(ctx, a.edition));
        d.set("score", ctx.services.catalogue.format(ctx.lang, "assessment.result.score_value",
                                                     {{"score", std::to_string(a.score)}, {"max", "100"}}));
        d.set("band", std::string(assessment::band_id(assessment::band_for(a.score))));
        d.set("band_title", band_title(ctx, a.score));
        d.set("url", "/mypage/assessments/" + std::to_string(a.id));
        if (i + 1 < saved->size()) d.set("compare_url", "/mypage/assessments/" + std::to_string(a.id) + "/compare");
        items.push_back(d);
    }
    if (!saved->empty()) {
        page.set("assessments", items);
        page.set("has_assessments", true);
    }

    if (auto* policies = ctx.services.policies) {
        auto list = policies->of(account);
        if (!list) return fail(list.error());
        mustache::data rows{mustache::data::type::list};
        for (const auto& p : *list) {
            mustache::data d{mustache::data::type::object};
            d.set("name", p.draft.business_name.empty() ? ctx.text("policy.unnamed") : p.draft.business_name);
            d.set("status", ctx.text("policy.status." + std::string(to_string(p.status))));
            d.set("status_class", "policy-" + std::string(to_string(p.status)));
            if (p.versions > 0)
                d.set("versions", ctx.services.catalogue.format(ctx.lang, "policy.versions_count",
                                                                {{"n", std::to_string(p.versions)}}));
            d.set("edit_url", "/mypage/policies/" + std::to_string(p.id));
            if (policy::is_public(p.status)) d.set("public_url", "/policy/" + p.slug);
            rows.push_back(d);
        }
        if (!list->empty()) {
            page.set("policies", rows);
            page.set("has_policies", true);
        }
        page.set("policies_enabled", true);
    }
    return {};
}

namespace handlers {

Response mypage_assessment(Context& ctx) {
    auto account = ctx.account_id();
    if (!account) return sign_in_first(ctx.req.path);
    auto pair = saved_from_path(ctx, *account);
    if (!pair) return error_response(ctx, pair.error());
    const assessment::Edition* e = nullptr;
    auto card = card_of(ctx, pair->current, &e);
    if (!card) return error_response(ctx, card.error());
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    auto d = view::result_page(ctx, *e, *card, *csrf, "", {});
    const std::string date = dates::display_japan_date(ctx.lang, pair->current.taken_at);
    d.set("page_title", ctx.services.catalogue.format(ctx.lang, "assessment.saved.page_title", {{"date", date}}));
    d.set("saved", true);
    d.set("lang_switch_form", false);  // the plain language link: this page can be fetched again
    d.set("saved_note", ctx.services.catalogue.format(ctx.lang, "assessment.saved.note", {{"date", date}}));
    if (pair->previous) d.set("compare_url", "/mypage/assessments/" + std::to_string(pair->current.id) + "/compare");
    take_flash(ctx, d);
    return ctx.page(200, "assessment_result", std::move(d));
}

Response mypage_assessment_compare(Context& ctx) {
    auto account = ctx.account_id();
    if (!account) return sign_in_first(ctx.req.path);
    auto pair = saved_from_path(ctx, *account);
    if (!pair) return error_response(ctx, pair.error());
    const auto& cat = ctx.services.catalogue;
    const auto& now = pair->current;
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("assessment.compare.title"));
    d.set("noindex", true);
    d.set("current_url", "/mypage/assessments/" + std::to_string(now.id));
    const std::string now_date = dates::display_japan_date(ctx.lang, now.taken_at);
    if (!pair->previous) {
        d.set("first", true);
        d.set("first_note", cat.format(ctx.lang, "assessment.compare.first", {{"date", now_date}}));
        return ctx.page(200, "assessment_compare", std::move(d));
    }
    const auto& before = *pair->previous;
    const assessment::Edition* e_now = nullptr;
    const assessment::Edition* e_before = nullptr;
    auto card_now = card_of(ctx, now, &e_now);
    if (!card_now) return error_response(ctx, card_now.error());
    auto card_before = card_of(ctx, before, &e_before);
    if (!card_before) return error_response(ctx, card_before.error());

    const std::string before_date = dates::display_japan_date(ctx.lang, before.taken_at);
    d.set("previous_url", "/mypage/assessments/" + std::to_string(before.id));
    d.set("lead", cat.format(ctx.lang, "assessment.compare.lead", {{"before", before_date}, {"after", now_date}}));
    d.set("before_date", before_date);
    d.set("after_date", now_date);
    d.set("before_score",
          cat.format(ctx.lang, "assessment.result.score_points", {{"score", std::to_string(card_before->score)}}));
    d.set("after_score",
          cat.format(ctx.lang, "assessment.result.score_points", {{"score", std::to_string(card_now->score)}}));
    const int diff = card_now->score - card_before->score;
    d.set("total_change", signed_points(ctx, diff));
    d.set("total_direction", std::string(diff > 0 ? "up" : diff < 0 ? "down" : "same"));
    d.set("before_band", band_title(ctx, card_before->score));
    d.set("after_band", band_title(ctx, card_now->score));
    if (e_now->id != e_before->id)
        d.set("edition_note",
              cat.format(ctx.lang, "assessment.compare.editions",
                         {{"before", e_before->title.in(ctx.lang)}, {"after", e_now->title.in(ctx.lang)}}));
    mustache::data rows{mustache::data::type::list};
    int changed = 0;
    for (const auto& q : e_now->questions) {
        const auto a_now = card_now->answers.at(q.number);
        const auto a_before = card_before->answers.at(q.number);
        const int p_now = e_now->points(a_now), p_before = e_before->points(a_before);
        mustache::data r{mustache::data::type::object};
        r.set("number", std::to_string(q.number));
        r.set("title", q.title.in(ctx.lang));
        r.set("before", cat.format(ctx.lang, "assessment.compare.answer",
                                   {{"answer", e_before->choice(a_before).label.in(ctx.lang)},
                                    {"points", std::to_string(p_before)}}));
        r.set("after",
              cat.format(ctx.lang, "assessment.compare.answer",
                         {{"answer", e_now->choice(a_now).label.in(ctx.lang)}, {"points", std::to_string(p_now)}}));
        r.set("before_id", std::string(assessment::choice_id(a_before)));
        r.set("after_id", std::string(assessment::choice_id(a_now)));
        r.set("change", signed_points(ctx, p_now - p_before));
        r.set("direction", std::string(p_now > p_before ? "up" : p_now < p_before ? "down" : "same"));
        if (a_now != a_before) {
            r.set("changed", true);
            ++changed;
        }
        rows.push_back(r);
    }
    d.set("rows", rows);
    d.set("changed_count",
          cat.format(ctx.lang, changed == 0 ? "assessment.compare.none_changed" : "assessment.compare.changed_count",
                     {{"n", std::to_string(changed)}}));
    return ctx.page(200, "assessment_compare", std::move(d));
}

}  // namespace handlers

// --- the ★★ evidence choice ------------------------------------------------------------------

Result<std::vector<app::TwoStarEvidence>> toolkit::evidence_options(Context& ctx) {
    auto account = ctx.account_id();
    if (!account || !ctx.services.policies) return std::vector<app::TwoStarEvidence>{};
    return ctx.services.policies->evidence_options(*account);
}

FieldSpec toolkit::evidence_field(Context& ctx, const std::vector<app::TwoStarEvidence>& options) {
    static thread_local std::vector<content::Choice> choices;
    choices.clear();
    const auto& cat = ctx.services.catalogue;
    for (const auto& o : options) {
        content::Choice c;
        c.code = "sengen-" + std::to_string(o.policy_id);
        for (auto lang : i18n::all_langs) {
            std::string text = cat.format(lang, "evidence.option",
                                          {{"date", dates::display_japan_date(lang, o.assessment_taken_at)},
                                           {"score", std::to_string(o.assessment_score)},
                                           {"business", o.business_name},
                                           {"url", o.policy_url}});
            (lang == i18n::Lang::Ja ? c.label.ja : c.label.en) = std::move(text);
        }
        choices.push_back(std::move(c));
    }
    choices.push_back(
        {"typed", {cat.text(i18n::Lang::Ja, "evidence.typed"), cat.text(i18n::Lang::En, "evidence.typed")}});
    return {"evidence", FieldSpec::Kind::Radio, false, "", "", 0, &choices, ""};
}

Result<std::optional<app::TwoStarEvidence>> toolkit::chosen_evidence(const std::vector<app::TwoStarEvidence>& options,
                                                                     const std::string& value) {
    if (value.empty() || value == "typed") return std::optional<app::TwoStarEvidence>{};
    for (const auto& o : options)
        if (value == "sengen-" + std::to_string(o.policy_id)) return std::optional<app::TwoStarEvidence>{o};
    return fail(Error::invalid({{"evidence", "invalid_choice"}}));
}

}  // namespace sengen::web
