// The application pages: terms → business → declaration → check → sent. What is typed is kept
// server-side in the session between pages (any node can serve the next page), so back links
// are plain links and nothing is lost. Works without JavaScript.
#include "domain/dates.hpp"
#include "domain/email.hpp"
#include "domain/error_codes.hpp"
#include "web/errors.hpp"
#include "web/forms.hpp"
#include "web/handlers.hpp"
#include "web/toolkit.hpp"

namespace sengen::web::handlers {

namespace {

using K = FieldSpec::Kind;

constexpr const char* kDraftKey = "apply";

struct Step {
    const char* name;  // also the path segment and the catalogue prefix "apply.<name>"
    int number;
};
constexpr Step kSteps[] = {{"terms", 1}, {"business", 2}, {"declaration", 3}, {"check", 4}};

const std::vector<content::Choice>& level_choices(const content::RegistryContent& c, i18n::Lang) {
    static thread_local std::vector<content::Choice> out;
    out.clear();
    for (const auto& l : c.levels) {
        if (!l.self_declared) break;  // a declarant cannot give itself the levels that follow
        out.push_back(
            {std::to_string(l.number),
             {l.stars + " " + l.name.ja + " — " + l.choice.ja, l.stars + " " + l.name.en + " — " + l.choice.en}});
    }
    return out;
}

const std::vector<content::Choice>& commitment_choices(const content::RegistryContent& c) {
    static thread_local std::vector<content::Choice> out;
    out.clear();
    for (const auto& p : c.principles)
        out.push_back(
            {std::to_string(p.number), {p.title.ja + "：" + p.commitment.ja, p.title.en + ": " + p.commitment.en}});
    return out;
}

std::vector<FieldSpec> business_fields(const content::RegistryContent& c) { return business_field_specs(c); }

std::vector<FieldSpec> declaration_fields(const content::RegistryContent& c, i18n::Lang l) {
    return {
        {"level", K::Radio, true, "", "", 0, &level_choices(c, l), ""},
        {"commitment", K::Checkboxes, true, "", "", 0, &commitment_choices(c), ""},
        // Not needed for ★, needed for ★★: marked so, rather than "optional".
        {"assessment_date", K::Date, false, "", "numeric", 20, nullptr, "medium", "form.required_for_two_stars"},
        {"policy_url", K::Url, false, "url", "url", 300, nullptr, "", "form.required_for_two_stars"},
        {"purposes", K::Checkboxes, true, "", "", 0, &c.purposes, ""},
    };
}

// The application as typed so far, for validation.
ApplicationInput input_from(const FormValues& v, const content::RegistryContent& c, i18n::Lang lang) {
    ApplicationInput in;
    in.terms_agreed = value_of(v, "terms_agreed") == "yes";
    in.terms_version = value_of(v, "terms_version");
    if (in.terms_version.empty()) in.terms_version = c.current_terms().version;
    read_business_details(v, lang, in);
    in.level = value_of(v, "level");
    in.commitments = values_of(v, "commitment");
    in.assessment_date = value_of(v, "assessment_date");
    in.policy_url = value_of(v, "policy_url");
    return in;
}

FormValues draft_of(Context& ctx) {
    auto data = ctx.session_data();
    auto it = data.find(kDraftKey);
    return it != data.end() && it->is_object() ? *it : FormValues::object();
}

Status save_draft(Context& ctx, const FormValues& draft) {
    auto data = ctx.session_data();
    data[kDraftKey] = draft;
    return ctx.save_session_data(data);
}

mustache::data progress(Context& ctx, int current) {
    mustache::data list{mustache::data::type::list};
    for (const auto& s : kSteps) {
        mustache::data d{mustache::data::type::object};
        d.set("label", ctx.text(std::string("apply.") + s.name + ".short"));
        d.set("number", std::to_string(s.number));
        if (s.number == current) d.set("current", true);
        if (s.number < current) d.set("done", true);
        list.push_back(d);
    }
    mustache::data p{mustache::data::type::object};
    p.set("steps", list);
    p.set("text",
          ctx.services.catalogue.format(ctx.lang, "apply.progress", {{"n", std::to_string(current)}, {"total", "4"}}));
    return p;
}

// A step opened from the check page's 変更 link: once it is valid, it goes back to the check page,
// not on to the next step.
constexpr const char* kToCheck = "?from=check";
bool returning_to_check(Context& ctx) { return first(ctx.req.query_params(), "from") == "check"; }
std::string next_step(Context& ctx, const char* next) { return returning_to_check(ctx) ? "/apply/check" : next; }

// Common data of every step page.
Result<mustache::data> step_page(Context& ctx, const Step& step) {
    auto csrf = ctx.csrf_token();
    if (!csrf) return fail(csrf.error());
    mustache::data d{mustache::data::type::object};
    d.set("csrf", *csrf);
    d.set("progress", progress(ctx, step.number));
    d.set("page_title", ctx.text(std::string("apply.") + step.name + ".title"));
    d.set("step_title", ctx.text(std::string("apply.") + step.name + ".title"));
    d.set("step_lead", ctx.text(std::string("apply.") + step.name + ".lead"));
    // The first step lives at /apply itself.
    const std::string path = step.number == 1 ? std::string("/apply") : std::string("/apply/") + step.name;
    const std::string action = path + (returning_to_check(ctx) ? kToCheck : "");
    d.set("action", action);
    d.set("lang_switch_form", lang_switch_button("apply-form", action));
    return d;
}

Response render_fields_step(Context& ctx, const Step& step, const std::vector<FieldSpec>& fields,
                            const FormValues& values, const std::vector<FieldError>& errors, const char* back) {
    auto d = step_page(ctx, step);
    if (!d) return error_response(ctx, d.error());
    mustache::data list{mustache::data::type::list};
    for (const auto& f : fields) list.push_back(field_view(ctx, f, values, errors));
    d->set("fields", list);
    d->set("back", std::string(back));
    if (!errors.empty()) {
        d->set("has_errors", true);
        d->set("errors", error_list(ctx, errors));
        d->set("page_title", ctx.text("apply.error_prefix") + ctx.text(std::string("apply.") + step.name + ".title"));
    }
    if (std::string(step.name) == "declaration") d->set("is_declaration_step", true);
    // The business's details are typed here, so here is where to say which of them are published.
    if (std::string(step.name) == "business") d->set("is_business_step", true);
    return ctx.page(errors.empty() ? 200 : 422, "apply_step", std::move(*d));
}

// The problems of one step's part of the application, in the order of the step's fields.
std::vector<FieldError> step_errors(Context& ctx, const FormValues& draft, ApplicationPart part,
                                    const std::vector<FieldSpec>& fields) {
    const auto& c = ctx.services.registry.content();
    auto r = validate(input_from(draft, c, ctx.lang), c, ctx.services.registry.today(), part);
    if (r) return {};
    return errors_for(r.error().fields, fields);
}

}  // namespace

Response apply_terms(Context& ctx) {
    const auto& terms = ctx.services.registry.content().current_terms();
    auto draft = draft_of(ctx);
    FieldSpec agree{"terms_agreed", K::Checkbox, true, "", "", 0, nullptr, ""};
    std::vector<FieldError> errors;
    if (ctx.req.method == Method::Post) {
        FormValues posted = FormValues::object();
        read_fields(ctx.req.form_params(), {agree}, posted);
        // A visitor with no application in progress who has not agreed has nothing to keep: no
        // session is started for the refusal (each such post would otherwise store a row).
        const bool kept_before = !draft.empty();
        draft["terms_agreed"] = posted["terms_agreed"];
        draft["terms_version"] = terms.version;
        if (kept_before || value_of(draft, "terms_agreed") == "yes")
            if (auto ok = save_draft(ctx, draft); !ok) return error_response(ctx, ok.error());
        // The page is built after a language switch, so that it is in the language chosen.
        if (posted_lang_switch(ctx) == LangSwitch::None) {
            if (value_of(draft, "terms_agreed") == "yes") return redirect(next_step(ctx, "/apply/business"));
            errors.push_back({"terms_agreed", "terms_required"});
        }
    }
    auto d = step_page(ctx, kSteps[0]);
    if (!d) return error_response(ctx, d.error());
    d->set("terms_title", terms.title.in(ctx.lang));
    d->set("terms_version", terms.version);
    d->set("terms_effective", terms.effective);
    mustache::data sections{mustache::data::type::list};
    for (const auto& s : terms.sections) {
        mustache::data sd{mustache::data::type::object};
        sd.set("heading", s.heading.in(ctx.lang));
        sd.set("body", s.body.in(ctx.lang));
        sections.push_back(sd);
    }
    d->set("sections", sections);
    if (!errors.empty()) {
        d->set("has_errors", true);
        d->set("errors", error_list(ctx, errors));
    }
    d->set("agree", field_view(ctx, agree, draft, errors));
    return ctx.page(errors.empty() ? 200 : 422, "apply_terms", std::move(*d));
}

Response apply_business(Context& ctx) {
    const auto fields = business_fields(ctx.services.registry.content());
    auto draft = draft_of(ctx);
    if (value_of(draft, "terms_agreed") != "yes") return redirect("/apply");
    if (ctx.req.method == Method::Get) return render_fields_step(ctx, kSteps[1], fields, draft, {}, "/apply");
    read_fields(ctx.req.form_params(), fields, draft);
    // Nothing over the fields' limits is kept: the page shows it again with the problem instead.
    if (auto over = over_limits(draft, fields); !over.empty())
        return render_fields_step(ctx, kSteps[1], fields, draft, over, "/apply");
    if (auto ok = save_draft(ctx, draft); !ok) return error_response(ctx, ok.error());
    if (posted_lang_switch(ctx) == LangSwitch::Posted)
        return render_fields_step(ctx, kSteps[1], fields, draft, {}, "/apply");
    auto errors = step_errors(ctx, draft, ApplicationPart::Business, fields);
    if (!errors.empty()) return render_fields_step(ctx, kSteps[1], fields, draft, errors, "/apply");
    return redirect(next_step(ctx, "/apply/declaration"));
}

Response apply_declaration(Context& ctx) {
    auto fields = declaration_fields(ctx.services.registry.content(), ctx.lang);
    auto draft = draft_of(ctx);
    if (value_of(draft, "terms_agreed") != "yes") return redirect("/apply");
    if (!step_errors(ctx, draft, ApplicationPart::Business, business_fields(ctx.services.registry.content())).empty())
        return redirect("/apply/business");
    // A signed-in account with a saved self-assessment and a published policy may use them for
    // ★★ instead of typing the date and the address (the ★★ toolkit, web/toolkit.hpp).
    auto evidence = toolkit::evidence_options(ctx);
    if (!evidence) return error_response(ctx, evidence.error());
    if (!evidence->empty()) fields.insert(fields.begin() + 2, toolkit::evidence_field(ctx, *evidence));
    if (ctx.req.method == Method::Get) return render_fields_step(ctx, kSteps[2], fields, draft, {}, "/apply/business");
    read_fields(ctx.req.form_params(), fields, draft);
    if (auto over = over_limits(draft, fields); !over.empty())
        return render_fields_step(ctx, kSteps[2], fields, draft, over, "/apply/business");
    std::vector<FieldError> evidence_errors;
    if (evidence->empty()) {
        draft.erase("evidence");
    } else if (auto chosen = toolkit::chosen_evidence(*evidence, value_of(draft, "evidence")); !chosen) {
        evidence_errors = chosen.error().fields;
    } else if (*chosen) {
        draft["assessment_date"] = (*chosen)->assessment_date;
        draft["policy_url"] = (*chosen)->policy_url;
    }
    if (auto ok = save_draft(ctx, draft); !ok) return error_response(ctx, ok.error());
    if (posted_lang_switch(ctx) == LangSwitch::Posted)
        return render_fields_step(ctx, kSteps[2], fields, draft, {}, "/apply/business");
    auto errors = step_errors(ctx, draft, ApplicationPart::Declaration, fields);
    errors.insert(errors.begin(), evidence_errors.begin(), evidence_errors.end());
    if (!errors.empty()) return render_fields_step(ctx, kSteps[2], fields, draft, errors, "/apply/business");
    return redirect(next_step(ctx, "/apply/check"));
}

namespace {

// One row of the check-your-answers page.
void add_row(mustache::data& rows, Context& ctx, const std::string& field, const std::string& value,
             const std::string& change_url) {
    mustache::data r{mustache::data::type::object};
    r.set("label", ctx.text("field." + field + ".label"));
    r.set("value", value.empty() ? ctx.text("apply.check.none") : value);
    r.set("change_url", change_url + kToCheck + "#f-" + field);
    r.set("change_label", ctx.text("apply.check.change"));
    rows.push_back(r);
}

std::string label_of(const std::vector<content::Choice>& list, const std::string& code, i18n::Lang l) {
    auto* c = content::RegistryContent::find(list, code);
    return c ? c->label.in(l) : code;
}

}  // namespace

Response apply_check(Context& ctx) {
    const auto& registry = ctx.services.registry;
    const auto& c = registry.content();
    auto draft = draft_of(ctx);
    if (value_of(draft, "terms_agreed") != "yes") return redirect("/apply");
    auto in = input_from(draft, c, ctx.lang);
    // A step left with a problem (an old session, a changed list of choices) is shown again.
    auto back_to_step = [&](const Error& e) {
        return redirect(errors_for(e.fields, business_fields(c)).empty() ? "/apply/declaration" : "/apply/business");
    };

    if (ctx.req.method == Method::Post) {
        // Submitting validates the application once, in the use case.
        auto applied = ctx.services.applications.apply(in, ctx.caller());
        if (!applied) {
            const auto& e = applied.error();
            if (e.kind == Error::Kind::Invalid) return back_to_step(e);
            return error_response(ctx, e);
        }
        auto data = ctx.session_data();
        data.erase(kDraftKey);
        data["applied_email"] = normalise_email(in.contact_email);
        data["applied_id"] = *applied;
        if (auto ok = ctx.save_session_data(data); !ok) return error_response(ctx, ok.error());
        return redirect("/apply/sent");
    }

    auto valid = validate(in, c, registry.today());
    if (!valid) return back_to_step(valid.error());
    auto d = step_page(ctx, kSteps[3]);
    if (!d) return error_response(ctx, d.error());
    const auto& a = *valid;
    mustache::data business{mustache::data::type::list};
    for (const auto& f : business_fields(c)) {
        const auto* field = business_field(f.name);
        if (!field) continue;
        const auto& value = a.*field->checked;
        add_row(business, ctx, f.name, f.options ? label_of(*f.options, value, ctx.lang) : value, "/apply/business");
    }
    mustache::data declaration{mustache::data::type::list};
    const auto& level = c.level(a.level);
    add_row(declaration, ctx, "level", level.stars + " " + level.name.in(ctx.lang), "/apply/declaration");
    std::string commitments;
    for (const auto& p : c.principles) commitments += (commitments.empty() ? "" : "\n") + p.title.in(ctx.lang);
    add_row(declaration, ctx, "commitment", commitments, "/apply/declaration");
    if (a.level >= 2) {
        // The one way dates are shown (domain/dates.hpp), not as typed.
        const auto day = dates::parse_iso_date(a.assessment_date);
        add_row(declaration, ctx, "assessment_date", day ? dates::display(ctx.lang, *day) : a.assessment_date,
                "/apply/declaration");
        add_row(declaration, ctx, "policy_url", a.policy_url, "/apply/declaration");
    }
    std::string purposes;
    for (const auto& p : a.purposes) purposes += (purposes.empty() ? "" : "\n") + label_of(c.purposes, p, ctx.lang);
    add_row(declaration, ctx, "purposes", purposes, "/apply/declaration");
    // Nothing is typed on the check page: the plain language link, since it can be fetched again.
    d->set("lang_switch_form", false);
    d->set("business_rows", business);
    d->set("declaration_rows", declaration);
    d->set("contact_email", a.contact_email);
    // Signed in, one may be applying for someone else's business: say what that makes of it (the
    // use case records a support only when the contact is another address, ADR 42).
    if (ctx.account_id()) d->set("signed_in", true);
    return ctx.page(200, "apply_check", std::move(*d));
}

Response apply_sent(Context& ctx) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("apply.sent.title"));
    auto data = ctx.session_data();
    auto email = data.contains("applied_email") && data["applied_email"].is_string()
                     ? data["applied_email"].get<std::string>()
                     : std::string();
    if (email.empty()) return redirect("/apply");
    d.set("body", ctx.services.catalogue.format(ctx.lang, "apply.sent.body", {{"email", email}}));
    d.set("hours", std::to_string(ctx.services.registry.settings().confirm_lifetime.count()));
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    d.set("csrf", *csrf);
    if (data.contains("resent")) {
        d.set("resent", true);
        data.erase("resent");
        (void)ctx.save_session_data(data);
    }
    return ctx.page(200, "apply_sent", std::move(d));
}

Response apply_resend(Context& ctx) {
    auto data = ctx.session_data();
    if (!data.contains("applied_id") || !data["applied_id"].is_number_integer()) return redirect("/apply");
    auto ok = ctx.services.applications.resend_confirmation(data["applied_id"].get<std::int64_t>(), ctx.caller());
    if (!ok) {
        if (ok.error().code == codes::kConfirmUnknown) return redirect("/apply");
        // The link has expired: a new one would revive a dead application; apply again instead.
        if (ok.error().code == codes::kConfirmExpired)
            return ctx.message_page(410, {.title = ctx.text("confirm.expired.title"),
                                          .body = ctx.text("confirm.expired.body"),
                                          .link = "/apply",
                                          .link_text = ctx.text("apply.resend.apply_again")});
        return error_response(ctx, ok.error());
    }
    data["resent"] = true;
    if (auto saved = ctx.save_session_data(data); !saved) return error_response(ctx, saved.error());
    return redirect("/apply/sent");
}

}  // namespace sengen::web::handlers
