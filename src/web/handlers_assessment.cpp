// The ★★ self-assessment pages and API. Anonymous answers are never stored: each part's form
// carries the answers so far in hidden fields, and every step reads and checks them again.
#include <chrono>
#include <cstdio>

#include "app/assessment.hpp"
#include "codec/stored_json.hpp"
#include "domain/assessment/report_input.hpp"
#include "domain/dates.hpp"
#include "domain/error_codes.hpp"
#include "domain/identifiers.hpp"
#include "web/assessment_view.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/handlers.hpp"
#include "web/json_text.hpp"
#include "web/score_request.hpp"

namespace sengen::web::handlers {

namespace {

namespace view = assessment_view;
using assessment::Edition;
using assessment::RawAnswer;

// A positive number of up to three digits from a path or form value (a part or a question), or 0.
int small_number(std::string_view s) { return s.size() <= 3 ? static_cast<int>(path_id(s)) : 0; }

// The edition a form was filled in with (its hidden field), or the current one when absent.
const Edition* form_edition(const Context& ctx, const Params& form) {
    auto id = first(form, "edition");
    if (!id || id->empty()) return &ctx.services.assessments.current();
    return ctx.services.assessments.find(*id);
}

// Fields "q<n>" as raw answers.
std::vector<RawAnswer> form_answers(const Params& form) {
    std::vector<RawAnswer> out;
    for (const auto& [k, v] : form) {
        if (k.size() < 2 || k[0] != 'q' || k.size() > 4) continue;
        if (small_number(std::string_view(k).substr(1)) == 0) continue;
        out.push_back({k.substr(1), v});
    }
    return out;
}

// The part a field error is about, if it names a question of the edition.
std::optional<int> part_of(const Edition& e, const FieldError& f) {
    auto q = assessment::question_of(f);
    if (!q || *q < 1 || *q > static_cast<int>(e.questions.size())) return std::nullopt;
    return e.question(*q).part;
}

std::vector<FieldError> errors_in_part(const Edition& e, const std::vector<FieldError>& errors, int part) {
    std::vector<FieldError> out;
    for (const auto& f : errors)
        if (part_of(e, f) == part) out.push_back(f);
    return out;
}

// A language switch posted with the form (see layout.mustache): the page is shown again in that
// language, and the choice is remembered as the /lang/ link would.
void apply_lang_switch(Context& ctx, const Params& form) {
    auto code = first(form, "switch_lang");
    if (!code) return;
    if (auto lang = i18n::from_code(*code)) ctx.switch_lang(*lang);
}

Response unknown_edition(Context& ctx) {
    return error_response(ctx, Error::invalid({{"edition", "unknown_edition"}}, "assessment.unknown_edition"));
}

Response part_response(Context& ctx, int status, const Edition& e, int part, const assessment::Answers& answers,
                       const std::vector<FieldError>& errors) {
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    return ctx.page(status, "assessment_part", view::part_page(ctx, e, part, answers, errors, *csrf));
}

// The first part with a problem among `errors`, shown with that part's errors.
std::optional<Response> show_first_problem(Context& ctx, const Edition& e, const assessment::Answers& answers,
                                           const std::vector<FieldError>& errors) {
    for (const auto& f : errors)
        if (auto p = part_of(e, f)) return part_response(ctx, 422, e, *p, answers, errors_in_part(e, errors, *p));
    return std::nullopt;
}

std::string compact(std::string date) {
    std::erase(date, '-');
    return date;
}

// A scored result from a posted form, or the response to send instead.
struct Scored {
    const Edition* edition = nullptr;
    std::optional<assessment::Scorecard> card;
    std::optional<Response> instead;
};

Scored score_form(Context& ctx, const Params& form) {
    Scored s;
    s.edition = form_edition(ctx, form);
    if (!s.edition) {
        s.instead = unknown_edition(ctx);
        return s;
    }
    auto raw = form_answers(form);
    auto card = app::score_assessment(*s.edition, raw);
    if (!card) {
        auto partial = app::check_answers(*s.edition, raw, std::nullopt);
        if (card.error().kind == Error::Kind::Invalid)
            if (auto r = show_first_problem(ctx, *s.edition, partial.answers, card.error().fields)) {
                s.instead = std::move(*r);
                return s;
            }
        s.instead = error_response(ctx, card.error());
        return s;
    }
    s.card = std::move(*card);
    return s;
}

}  // namespace

Response assessment_start(Context& ctx) {
    return ctx.page(200, "assessment_start", view::start_page(ctx, ctx.services.assessments.current()));
}

Response assessment_part(Context& ctx) {
    const auto& e = ctx.services.assessments.current();
    const int part = small_number(ctx.param("n"));
    if (part < 1 || part > static_cast<int>(e.parts.size())) return status_response(ctx, 404);
    return part_response(ctx, 200, e, part, {}, {});
}

// Moving between parts. The form of part `from` posts to the part shown next (`n`); going
// forward needs every question of `from` answered, going back needs nothing.
Response assessment_part_post(Context& ctx) {
    const auto form = ctx.req.form_params();
    apply_lang_switch(ctx, form);
    const Edition* e = form_edition(ctx, form);
    if (!e) return unknown_edition(ctx);
    const int parts = static_cast<int>(e->parts.size());
    const int target = small_number(ctx.param("n"));
    if (target < 1 || target > parts) return status_response(ctx, 404);
    int from = small_number(first(form, "from").value_or(""));
    if (from < 1 || from > parts) from = std::max(1, target - 1);

    const bool forward = target > from;
    auto checked = app::check_answers(*e, form_answers(form), forward ? std::optional<int>(from) : std::nullopt);
    if (forward) {
        std::vector<FieldError> before;
        for (const auto& f : checked.errors)
            if (auto p = part_of(*e, f); p && *p < target) before.push_back(f);
        if (auto r = show_first_problem(ctx, *e, checked.answers, before)) return std::move(*r);
        return part_response(ctx, 200, *e, target, checked.answers, {});
    }
    return part_response(ctx, 200, *e, target, checked.answers, errors_in_part(*e, checked.errors, target));
}

namespace {

// A supporter may save the result for a business it prepares ★★ for (ADR 48): the save form offers
// those businesses beside the supporter's own My Page, the one chosen before ticked again.
Status add_save_choices(Context& ctx, mustache::data& v, const std::string& chosen) {
    auto account = ctx.account_id();
    if (!account || !ctx.services.preparing) return {};
    auto businesses = ctx.services.preparing->businesses(*account);
    if (!businesses) return fail(businesses.error());
    if (businesses->empty()) return {};
    mustache::data list{mustache::data::type::list};
    auto choice = [&](const std::string& value, const std::string& label) {
        mustache::data c{mustache::data::type::object};
        c.set("value", value);
        c.set("label", label);
        c.set("id", "save_for-" + (value.empty() ? std::string("own") : value));
        if (value == chosen) c.set("checked", true);
        list.push_back(c);
    };
    choice("", ctx.text("supporters.save_for.own"));
    for (const auto& d : *businesses)
        choice(d.public_id->digits(),
               ctx.services.catalogue.format(ctx.lang, "supporters.save_for.business",
                                             {{"name", d.details.business_name}, {"id", d.public_id->grouped()}}));
    v.set("save_for", list);
    v.set("has_save_for", true);
    return {};
}

}  // namespace

Response assessment_result(Context& ctx) {
    const auto form = ctx.req.form_params();
    apply_lang_switch(ctx, form);
    auto s = score_form(ctx, form);
    if (s.instead) return std::move(*s.instead);
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    std::string name = first(form, "business_name").value_or("");
    if (!valid_utf8(name)) name.clear();
    auto v = view::result_page(ctx, *s.edition, *s.card, *csrf, name, {});
    if (auto ok = add_save_choices(ctx, v, first(form, "save_for").value_or("")); !ok)
        return error_response(ctx, ok.error());
    return ctx.page(200, "assessment_result", std::move(v));
}

// A bookmarked or reloaded result has no answers to show: start again.
Response assessment_result_get(Context&) { return redirect("/assessment"); }

Response assessment_pdf(Context& ctx) {
    const auto form = ctx.req.form_params();
    auto s = score_form(ctx, form);
    if (s.instead) return std::move(*s.instead);
    const std::string typed = first(form, "business_name").value_or("");
    auto name = assessment::clean_business_name(typed);
    if (!name) {
        auto csrf = ctx.csrf_token();
        if (!csrf) return error_response(ctx, csrf.error());
        const std::string shown = valid_utf8(typed) ? typed : std::string();
        return ctx.page(http_status(name.error()), "assessment_result",
                        view::result_page(ctx, *s.edition, *s.card, *csrf, shown, name.error().fields));
    }
    const auto now = ctx.services.clock.now();
    const std::string date = dates::japan_iso_date(now);  // for the file name
    auto pdf = render::assessment_pdf(view::report(ctx.services.catalogue, ctx.lang, *s.edition, *s.card, *name,
                                                   dates::display_japan_date(ctx.lang, now)));
    if (!pdf) return error_response(ctx, pdf.error());
    return download_response("application/pdf", "self-assessment-" + s.edition->id + "-" + compact(date) + ".pdf",
                             std::move(*pdf));
}

Response assessment_csv(Context& ctx) {
    const auto form = ctx.req.form_params();
    auto s = score_form(ctx, form);
    if (s.instead) return std::move(*s.instead);
    const std::string date = dates::japan_iso_date(ctx.services.clock.now());
    auto csv = render::assessment_csv(view::report(ctx.services.catalogue, ctx.lang, *s.edition, *s.card, "", date));
    return download_response("text/csv; charset=utf-8",
                             "self-assessment-" + s.edition->id + "-" + compact(date) + ".csv", std::move(csv));
}

// --- saving to My Page ------------------------------------------------------------------------

namespace {

// The answers of someone who asked to save before signing in, kept in their server-side session
// (and nowhere else) until they have signed in, or until the session expires.
constexpr const char* kPendingKey = "pending_assessment";

Response to_saved(std::int64_t id) { return redirect("/mypage/assessments/" + std::to_string(id)); }

// Signing in first; the saving resumes at GET /assessment/save.
Response sign_in_to_save() { return sign_in_first("/assessment/save"); }

}  // namespace

namespace {

// The answers waiting in the session to be saved (kPendingKey), scored; nullopt when there are
// none or they no longer score (an edition withdrawn since).
std::optional<assessment::Scorecard> pending_card(Context& ctx) {
    auto data = ctx.session_data();
    auto it = data.find(kPendingKey);
    if (it == data.end() || !it->is_object()) return std::nullopt;
    const auto* e = ctx.services.assessments.find(it->value("edition", std::string()));
    auto answers = codec::decode_answers(it->value("answers", std::string()));
    if (!e || !answers) return std::nullopt;
    auto scored = assessment::score(*e, *answers);
    if (!scored) return std::nullopt;
    return std::move(*scored);
}

Response nothing_to_save(Context& ctx) {
    return ctx.message_page(200, {.title = ctx.text("assessment.saved.nothing.title"),
                                  .body = ctx.text("assessment.saved.nothing.body"),
                                  .link = "/mypage",
                                  .link_text = ctx.text("mypage.back"),
                                  .noindex = true});
}

// The button on GET /assessment/save, pressed after signing in: saves the waiting answers.
Response save_pending(Context& ctx) {
    auto account = ctx.account_id();
    if (!account) return sign_in_to_save();
    auto data = ctx.session_data();
    auto card = pending_card(ctx);
    if (!card) {
        // Nothing waiting here: already saved, expired, or the sign-in link was opened in
        // another browser than the one that took the assessment.
        if (data.contains(kPendingKey)) {
            data.erase(kPendingKey);
            (void)ctx.save_session_data(data);
        }
        return nothing_to_save(ctx);
    }
    auto id = ctx.services.saved_assessments.save(*account, *card);
    if (!id) return error_response(ctx, id.error());
    data.erase(kPendingKey);
    data["flash"] = "assessment.saved.flash";
    if (auto ok = ctx.save_session_data(data); !ok) return error_response(ctx, ok.error());
    return to_saved(*id);
}

}  // namespace

// "Save to My Page": from the result page (the answers in the form), at once when signed in;
// otherwise the answers wait in the session while the visitor signs in, and the button on
// GET /assessment/save (the form field "pending") saves them afterwards.
Response assessment_save(Context& ctx) {
    const auto form = ctx.req.form_params();
    if (first(form, "pending")) return save_pending(ctx);
    auto s = score_form(ctx, form);
    if (s.instead) return std::move(*s.instead);
    // Saved for a business the account helps (ADR 48): into the business's account, through the guard.
    if (auto for_business = first(form, "save_for"); for_business && !for_business->empty()) {
        auto account = ctx.account_id();
        if (!account) return sign_in_first("/mypage");
        auto parsed = DeclarationId::parse(*for_business);
        if (!parsed.id || parsed.id->digits() != *for_business || !ctx.services.preparing)
            return error_response(ctx, Error::not_found(codes::kDeclarationNotFound));
        auto id = ctx.services.preparing->save_assessment(*account, *parsed.id, *s.card, ctx.caller());
        if (!id) return error_response(ctx, id.error());
        set_flash(ctx, "supporters.flash.assessment_prepared");
        return redirect("/mypage/declarations/" + parsed.id->digits());
    }
    if (auto account = ctx.account_id()) {
        auto id = ctx.services.saved_assessments.save(*account, *s.card);
        if (!id) return error_response(ctx, id.error());
        set_flash(ctx, "assessment.saved.flash");
        return to_saved(*id);
    }
    auto data = ctx.session_data();
    data[kPendingKey] = {{"edition", s.card->edition}, {"answers", codec::encode_answers(s.card->answers)}};
    if (auto ok = ctx.save_session_data(data); !ok) return error_response(ctx, ok.error());
    return sign_in_to_save();
}

// Where signing in to save comes back to: shows the waiting answers' score and a button that
// saves them. Reading the page changes nothing (a link opened by a mail scanner or prefetched by
// the browser saves nothing).
Response assessment_save_pending(Context& ctx) {
    if (!ctx.account_id()) return sign_in_to_save();
    auto card = pending_card(ctx);
    if (!card) return nothing_to_save(ctx);
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("assessment.save.title"));
    v.set("csrf", *csrf);
    v.set("lead",
          ctx.services.catalogue.format(ctx.lang, "assessment.save.pending_lead",
                                        {{"score", std::to_string(card->score)}, {"max", std::to_string(card->max)}}));
    v.set("noindex", true);
    return ctx.page(200, "assessment_save", std::move(v));
}

// --- API -------------------------------------------------------------------------------------

namespace {

// ?lang=ja|en: nullopt when absent, Invalid when it names no language.
Result<std::optional<i18n::Lang>> lang_param(const Context& ctx) {
    auto v = first(ctx.req.query_params(), "lang");
    if (!v) return std::optional<i18n::Lang>{};
    if (auto l = i18n::from_code(*v)) return std::optional<i18n::Lang>{*l};
    return fail(Error::invalid({{"lang", "unsupported"}}));
}

}  // namespace

Response api_assessment(Context& ctx) {
    auto lang = lang_param(ctx);
    if (!lang) return error_response(ctx, lang.error());
    const Edition* e = &ctx.services.assessments.current();
    if (auto id = first(ctx.req.query_params(), "edition")) {
        e = ctx.services.assessments.find(*id);
        if (!e) return error_response(ctx, Error::not_found("assessment.unknown_edition"));
    }
    Response r = json_response(200, view::edition_json(*e, *lang));
    r.set("Cache-Control", "public, max-age=300");
    return r;
}

Response api_assessment_score(Context& ctx) {
    auto lang = lang_param(ctx);
    if (!lang) return error_response(ctx, lang.error());
    // Read by events, not as a tree (web/score_request.hpp): the same outcome, in less time.
    auto body = read_score_request(ctx.req.body);
    if (!body) return error_response(ctx, body.error());
    using Member = ScoreRequestBody::Member;
    const Edition* e = &ctx.services.assessments.current();
    if (body->edition != Member::Absent) {
        e = body->edition == Member::String ? ctx.services.assessments.find(body->edition_name) : nullptr;
        if (!e) return error_response(ctx, Error::invalid({{"edition", "unknown_edition"}}));
    }
    if (body->answers == Member::Absent) return error_response(ctx, Error::invalid({{"answers", "required"}}));
    if (body->answers != Member::Object) return error_response(ctx, Error::invalid({{"answers", "invalid_type"}}));
    const auto& raw = body->answer_list;

    auto card = app::score_assessment(*e, raw);
    if (!card) return error_response(ctx, card.error());
    return json_response(200, view::scorecard_json(*e, *card, lang->value_or(ctx.lang), ctx.services.score_texts));
}

}  // namespace sengen::web::handlers
