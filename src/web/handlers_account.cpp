// Confirming an application, signing in by mail link, and My Page: the declarations of the
// signed-in account, changing details, stepping up or down, stopping, and the badge.
#include "domain/dates.hpp"
#include "domain/error_codes.hpp"
#include "domain/text.hpp"
#include "render/badge.hpp"
#include "web/console_page.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/forms.hpp"
#include "web/handlers.hpp"
#include "web/link_token.hpp"
#include "web/supporters_view.hpp"
#include "web/toolkit.hpp"

namespace sengen::web::handlers {

namespace {

using K = FieldSpec::Kind;

std::string level_text(Context& ctx, int level) {
    const auto& c = ctx.services.registry.content();
    level = std::max(1, std::min(level, c.max_level()));
    return c.level(level).stars + " " + c.level(level).name.in(ctx.lang);
}

std::string status_text(Context& ctx, lifecycle::Status s) {
    return ctx.text("status." + std::string(lifecycle::to_string(s)));
}

mustache::data declaration_view(Context& ctx, const Declaration& d) {
    mustache::data v{mustache::data::type::object};
    v.set("business_name", d.details.business_name);
    v.set("public_id", d.public_id ? d.public_id->digits() : std::string());
    v.set("id_grouped", d.public_id ? d.public_id->grouped() : std::string());
    if (d.public_id) v.set("id_view", declaration_id_view(*d.public_id));
    v.set("level", level_text(ctx, d.state.level));
    v.set("status", status_text(ctx, d.state.status));
    v.set("status_class", std::string(lifecycle::to_string(d.state.status)));
    if (lifecycle::may_show_badge(d.state.status)) v.set("may_show_badge", true);
    if (d.declared_at) v.set("declared_at", dates::display_japan_date(ctx.lang, *d.declared_at));
    if (d.level_since) v.set("level_since", dates::display_japan_date(ctx.lang, *d.level_since));
    if (d.public_id) {
        v.set("detail_url", "/mypage/declarations/" + d.public_id->digits());
        v.set("verify_url", "/verify/" + d.public_id->digits());
    }
    // The version of the terms the declarant agreed to, readable at its own address.
    if (!d.terms_version.empty()) {
        v.set("terms_version", d.terms_version);
        v.set("terms_url", "/terms/" + d.terms_version);
        v.set("terms_agreed_at", dates::display_japan_date(ctx.lang, d.terms_agreed_at));
    }
    return v;
}

// When a declaration was made under terms older than the version in force: a notice that a newer
// version exists, with what changed. It asks for nothing: a declarant stays under the version it
// agreed to, and sengen has no flow for agreeing again (docs/adr/0047-no-re-consent-to-new-terms.md).
void add_terms_notice(Context& ctx, const std::vector<Declaration>& list, mustache::data& v) {
    const auto& current = ctx.services.registry.content().current_terms();
    std::vector<std::string> older;
    for (const auto& d : list)
        if (d.public_id && !d.terms_version.empty() && d.terms_version != current.version &&
            std::find(older.begin(), older.end(), d.terms_version) == older.end())
            older.push_back(d.terms_version);
    if (older.empty()) return;
    std::string agreed;
    for (const auto& o : older) agreed += (agreed.empty() ? "" : ctx.lang == i18n::Lang::Ja ? "、" : ", ") + o;
    const auto day = dates::parse_iso_date(current.effective);
    const auto effective = day ? dates::display(ctx.lang, *day) : current.effective;
    mustache::data notice{mustache::data::type::object};
    notice.set("body", ctx.services.catalogue.format(
                           ctx.lang, "mypage.terms_notice.body",
                           {{"current", current.version}, {"effective", effective}, {"agreed", agreed}}));
    v.set("terms_notice", notice);
}

// The signed-in account, or a redirect to sign in that comes back here.
std::optional<std::int64_t> require_account(Context& ctx, Response& out) {
    auto account = ctx.account_id();
    if (!account) out = sign_in_first(ctx.req.path);
    return account;
}

Result<mustache::data> form_page(Context& ctx, const std::string& title_id) {
    auto csrf = ctx.csrf_token();
    if (!csrf) return fail(csrf.error());
    mustache::data d{mustache::data::type::object};
    d.set("csrf", *csrf);
    d.set("page_title", ctx.text(title_id));
    return d;
}

}  // namespace

// --- confirming an application ------------------------------------------------------------

namespace {

Response declared_page(Context& ctx, const Declaration& d, bool newly) {
    mustache::data v{mustache::data::type::object};
    const bool disputed = d.state.status == lifecycle::Status::Disputed;
    v.set("page_title", ctx.text(d.public_id ? "confirm.done.title"
                                 : disputed  ? "confirm.disputed.title"
                                             : "confirm.held.title"));
    v.set("declaration", declaration_view(ctx, d));
    if (d.public_id) {
        v.set("issued", true);
        // Which registry issued the ID, and what it is accepted for only when the operator says so.
        const auto& op = ctx.services.registry.content().operator_profile;
        v.set("issued_by", ctx.services.catalogue.format(ctx.lang, "profile.issued_by",
                                                         {{"operator", op.operator_name.in(ctx.lang)},
                                                          {"programme", op.programme_name.in(ctx.lang)}}));
        if (!op.accepted_for.in(ctx.lang).empty()) v.set("accepted_for", op.accepted_for.in(ctx.lang));
    } else if (disputed)
        v.set("disputed", true);
    else
        v.set("held", true);
    if (newly) v.set("newly", true);
    if (ctx.account_id() && ctx.account_id() == d.account_id)
        v.set("signed_in_owner", true);
    else if (newly)
        v.set("signin_needed",
              ctx.services.catalogue.format(ctx.lang, "confirm.done.signin_needed",
                                            {{"minutes", std::to_string(app::Applications::kSignsInWithin.count())}}));
    v.set("noindex", true);
    return ctx.page(200, "confirm_done", std::move(v));
}

// How long after a confirmation pressing the button again (a double click, or the same link sent
// to two nodes at once) still shows what it issued rather than "already used".
constexpr auto kSameConfirmation = std::chrono::minutes(2);

// A confirmation link works once: followed again, it says so and offers signing in, which is how
// the owner reaches the declaration from then on. It shows nothing of the declaration.
Response link_used(Context& ctx) {
    log_refusal(ctx, "link.refused", {"link", "confirm"}, {"reason", "used"});
    return ctx.message_page(410, {.title = ctx.text("confirm.used.title"),
                                  .body = ctx.text("confirm.used.body"),
                                  .link = "/signin",
                                  .link_text = ctx.text("confirm.used.signin"),
                                  .noindex = true});
}

Response confirm_error(Context& ctx, const Error& e) {
    if (e.code == codes::kConfirmUnknown || e.code == codes::kConfirmExpired) {
        log_refusal(ctx, "link.refused", {"link", "confirm"}, {"reason", e.code});
        return ctx.message_page(
            404, {.title = ctx.text(e.code + ".title"), .body = ctx.text(e.code + ".body"), .noindex = true});
    }
    return error_response(ctx, e);
}

}  // namespace

Response confirm_show(Context& ctx) {
    auto d = ctx.services.applications.application_for(link_token(ctx));
    if (!d) return confirm_error(ctx, d.error());
    if (d->state.status != lifecycle::Status::AwaitingConfirmation) return link_used(ctx);
    auto v = form_page(ctx, "confirm.title");
    if (!v) return error_response(ctx, v.error());
    v->set("business_name", d->details.business_name);
    v->set("level", level_text(ctx, d->state.level));
    v->set("contact_email", d->details.contact_email);
    set_link_form(ctx, *v, "/confirm", "confirm-form");
    v->set("noindex", true);
    return ctx.page(200, "confirm", std::move(*v));
}

Response confirm_submit(Context& ctx) {
    auto r = ctx.services.applications.confirm(link_token(ctx), ctx.caller());
    if (!r) return confirm_error(ctx, r.error());
    if (!r->newly_confirmed) {
        const auto& at = r->declaration.declared_at;
        if (!at || ctx.services.clock.now() - *at > kSameConfirmation) return link_used(ctx);
        return declared_page(ctx, r->declaration, false);
    }
    // Following the link proves the address: sign the owner in, so the badge is one click away;
    // but only within minutes of the mail, as a sign-in link would. Later, the page asks for a
    // sign-in.
    if (r->declaration.account_id && r->signs_in == app::Applications::SignsIn::Yes)
        if (auto ok = ctx.sign_in(*r->declaration.account_id); !ok) return error_response(ctx, ok.error());
    return declared_page(ctx, r->declaration, true);
}

// --- signing in ---------------------------------------------------------------------------

namespace {

// Where to go after signing in: a local path kept with the sign-in link, so one of bounded length;
// anything longer goes to My Page.
std::string next_after_signin(const std::optional<std::string>& asked) {
    auto next = safe_local_path(asked.value_or("/mypage"), "/mypage");
    return next.size() > app::SignIn::kNextPathMaxBytes ? std::string("/mypage") : next;
}

}  // namespace

Response signin_form(Context& ctx) {
    FieldSpec email{"email", K::Email, true, "email", "email", 254, nullptr, ""};
    FormValues values = FormValues::object();
    std::vector<FieldError> errors;
    std::string next = next_after_signin(first(ctx.req.query_params(), "next"));
    if (ctx.req.method == Method::Post) {
        auto posted = ctx.req.form_params();
        read_fields(posted, {email}, values);
        next = next_after_signin(first(posted, "next"));
    }
    if (ctx.req.method == Method::Post && posted_lang_switch(ctx) == LangSwitch::None) {
        auto ok = ctx.services.signin.request(value_of(values, "email"), next, ctx.caller());
        if (ok) {
            return ctx.message_page(
                200, {.title = ctx.text("signin.sent.title"),
                      .body = ctx.services.catalogue.format(
                          ctx.lang, "signin.sent.body",
                          {{"email", value_of(values, "email")},
                           {"minutes", std::to_string(ctx.services.registry.settings().signin_lifetime.count())}})});
        }
        if (ok.error().kind != Error::Kind::Invalid) return error_response(ctx, ok.error());
        errors = ok.error().fields;
    }
    auto v = form_page(ctx, "signin.title");
    if (!v) return error_response(ctx, v.error());
    v->set("field", field_view(ctx, email, values, errors));
    v->set("next", next);
    v->set("lang_switch_form", lang_switch_button("signin-form", "/signin"));
    if (ctx.session_data().contains("pending_assessment")) v->set("pending_assessment", true);
    if (!errors.empty()) {
        v->set("has_errors", true);
        v->set("errors", error_list(ctx, errors));
    }
    return ctx.page(errors.empty() ? 200 : 422, "signin", std::move(*v));
}

Response signin_link(Context& ctx) {
    auto v = form_page(ctx, "signin.confirm.title");
    if (!v) return error_response(ctx, v.error());
    set_link_form(ctx, *v, "/signin/link", "signin-link-form");
    v->set("noindex", true);
    return ctx.page(200, "signin_confirm", std::move(*v));
}

Response signin_complete(Context& ctx) {
    auto r = ctx.services.signin.complete(link_token(ctx), ctx.caller());
    if (!r) {
        if (r.error().kind != Error::Kind::NotFound) return error_response(ctx, r.error());
        // Unknown, used and expired are one answer, and one line: the store cannot tell them apart.
        log_refusal(ctx, "link.refused", {"link", "signin"});
        return ctx.message_page(404, {.title = ctx.text("signin.invalid.title"),
                                      .body = ctx.text("signin.invalid.body"),
                                      .link = "/signin",
                                      .link_text = ctx.text("signin.invalid.again")});
    }
    // Self-assessment answers waiting to be saved to My Page (handlers_assessment.cpp) move into
    // the new session; nothing else of the old one does.
    auto pending = ctx.session_data().value("pending_assessment", nlohmann::json());
    if (auto ok = ctx.sign_in(r->account.id); !ok) return error_response(ctx, ok.error());
    if (pending.is_object()) {
        auto data = ctx.session_data();
        data["pending_assessment"] = std::move(pending);
        if (auto ok = ctx.save_session_data(data); !ok) return error_response(ctx, ok.error());
    }
    return redirect(safe_local_path(r->next_path, "/mypage"));
}

Response signout(Context& ctx) {
    if (auto ok = ctx.sign_out(); !ok) return error_response(ctx, ok.error());
    return redirect("/");
}

Response signout_everywhere(Context& ctx) {
    Response out;
    if (!require_account(ctx, out)) return out;
    if (auto ok = ctx.sign_out_everywhere(); !ok) return error_response(ctx, ok.error());
    return ctx.message_page(200, {.title = ctx.text("signout.everywhere.done.title"),
                                  .body = ctx.text("signout.everywhere.done.body"),
                                  .link = "/signin",
                                  .link_text = ctx.text("confirm.used.signin")});
}

// --- My Page ------------------------------------------------------------------------------

namespace {

// The account's sessions, for My Page's list (V7.5.2): when each started and was last used, the
// browser and network it signed in from, this one marked; each other one with a button ending it.
Status add_sessions(Context& ctx, mustache::data& v) {
    auto list = ctx.services.sessions.list(*ctx.session);
    if (!list) return fail(list.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& s : *list) {
        mustache::data r{mustache::data::type::object};
        r.set("started", console::when(ctx, s.started_at));
        r.set("last_used", console::when(ctx, s.last_used_at));
        r.set("client", s.client_label.empty() ? ctx.text("mypage.sessions.unknown_browser") : s.client_label);
        r.set("network", s.client_network.empty() ? ctx.text("mypage.sessions.unknown_network") : s.client_network);
        if (s.current)
            r.set("current", true);
        else
            r.set("end_url", "/mypage/sessions/" + s.ref + "/end");
        rows.push_back(r);
    }
    v.set("sessions", rows);
    return {};
}

}  // namespace

Response mypage(Context& ctx) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto list = ctx.services.declarations.declarations_of(*account);
    if (!list) return error_response(ctx, list.error());
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("mypage.title"));
    v.set("csrf", *csrf);
    mustache::data items{mustache::data::type::list};
    for (const auto& d : *list) {
        if (!d.public_id) continue;
        auto item = declaration_view(ctx, d);
        // The card offers the step up as a button of its own, as the declaration's page does.
        if (lifecycle::allows(d.state, lifecycle::event::StepUp{d.state.level + 1},
                              ctx.services.registry.content().level_rules()))
            item.set("step_up_url", "/mypage/declarations/" + d.public_id->digits() + "/step-up");
        items.push_back(item);
    }
    if (items.is_empty_list())
        v.set("none", true);
    else
        v.set("declarations", items);
    add_terms_notice(ctx, *list, v);
    if (auto ok = toolkit::add_to_mypage(ctx, *account, v); !ok) return error_response(ctx, ok.error());
    if (auto ok = add_sessions(ctx, v); !ok) return error_response(ctx, ok.error());
    if (auto ok = supporters::add_to_mypage(ctx, *account, v); !ok) return error_response(ctx, ok.error());
    if (auto ok = add_code_to_mypage(ctx, *account, v); !ok) return error_response(ctx, ok.error());
    take_flash(ctx, v);
    return ctx.page(200, "mypage", std::move(v));
}

Response mypage_session_end(Context& ctx) {
    Response out;
    if (!require_account(ctx, out)) return out;
    auto ended = ctx.services.sessions.end_one(*ctx.session, ctx.param("ref"));
    // A session that ended meanwhile (signed out there, or expired) is what was asked for.
    if (!ended && ended.error().kind != Error::Kind::NotFound) return error_response(ctx, ended.error());
    set_flash(ctx, "mypage.sessions.ended");
    return redirect("/mypage#sessions-title");
}

namespace {

// The declaration named in the path, if the signed-in account may take `action` on it (its
// owner, or a supporter allowed to: app::act_on). The site links to the bare digits only, and any
// other spelling of an ID in these addresses is not found.
Result<app::Acting> acting_from_path(Context& ctx, std::int64_t account, support::Action action) {
    const std::string typed = ctx.param("id");
    auto parsed = DeclarationId::parse(typed);
    Result<app::Acting> acting = fail(Error::not_found(codes::kDeclarationNotFound));
    if (parsed.id && parsed.id->digits() == typed)
        acting = ctx.services.declarations.acting(account, *parsed.id, action);
    // The visitor is told "not found" whether the declaration is someone else's or no one's; the
    // log says that a signed-in account asked for one it has no part in.
    if (!acting && acting.error().kind == Error::Kind::NotFound) {
        const std::string actor = "account:" + std::to_string(account);
        log_refusal(ctx, "access.refused", {"what", "declaration"}, {"actor", actor});
    }
    return acting;
}

// The same for an action that is the owner's alone: a supporter is refused (403) here, before the
// use case, which holds the declaration to its owner in any case.
Result<Declaration> owned_from_path(Context& ctx, std::int64_t account, support::Action action) {
    auto acting = acting_from_path(ctx, account, action);
    if (!acting) return fail(acting.error());
    return std::move(acting->declaration);
}

std::vector<FieldSpec> detail_fields(const content::RegistryContent& c) {
    auto fields = business_field_specs(c);
    fields.push_back({"purposes", K::Checkboxes, true, "", "", 0, &c.purposes, ""});
    return fields;
}

FormValues values_of_declaration(const Declaration& d) {
    const auto& a = d.details;
    FormValues v = FormValues::object();
    for (const auto& f : kBusinessFields) v[std::string(f.name)] = a.*f.checked;
    v["purposes"] = a.purposes;
    return v;
}

ApplicationInput input_of(const FormValues& v, i18n::Lang lang) {
    ApplicationInput in;
    read_business_details(v, lang, in);
    return in;
}

Response fields_form(Context& ctx, const std::string& template_name, const std::string& title_id,
                     const std::vector<FieldSpec>& fields, const FormValues& values,
                     const std::vector<FieldError>& errors, const Declaration& d, const std::string& note_id = {}) {
    auto v = form_page(ctx, title_id);
    if (!v) return error_response(ctx, v.error());
    if (!note_id.empty()) v->set("note", ctx.text(note_id));
    mustache::data list{mustache::data::type::list};
    for (const auto& f : fields) list.push_back(field_view(ctx, f, values, errors));
    v->set("fields", list);
    v->set("declaration", declaration_view(ctx, d));
    // The layout's language switch posts this form, so that what was typed is kept.
    v->set("lang_switch_form", lang_switch_button("fields-form", ctx.req.path));
    if (!errors.empty()) {
        v->set("has_errors", true);
        v->set("errors", error_list(ctx, errors));
    }
    return ctx.page(errors.empty() ? 200 : 422, template_name, std::move(*v));
}

std::string field_label_list(Context& ctx, const std::string& csv) {
    std::string out;
    for (const auto f : text::split(csv, ','))
        if (!f.empty())
            out += (out.empty()                  ? ""
                    : ctx.lang == i18n::Lang::Ja ? "、"
                                                 : ", ") +
                   ctx.text("field." + std::string(f) + ".label");
    return out;
}

}  // namespace

Response mypage_declaration(Context& ctx) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto acting = acting_from_path(ctx, *account, support::Action::View);
    if (!acting) return error_response(ctx, acting.error());
    const Declaration* d = &acting->declaration;
    const bool owner = acting->access.role == support::Role::Owner;
    auto history = ctx.services.declarations.history(*account, *d->public_id);
    if (!history) return error_response(ctx, history.error());
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    const auto& c = ctx.services.registry.content();
    mustache::data v{mustache::data::type::object};
    v.set("page_title", d->details.business_name);
    v.set("csrf", *csrf);
    v.set("declaration", declaration_view(ctx, *d));
    // The page offers what the lifecycle would allow; the use cases check again on submit.
    // A supporter is offered what its owner allowed and nothing the owner keeps (ADR 42).
    const auto levels = c.level_rules();
    const auto may = [&](support::Action a) { return static_cast<bool>(support::allowed(acting->access, a)); };
    if (lifecycle::may_change_details(d->state.status) && may(support::Action::EditDetails)) v.set("can_change", true);
    if (may(support::Action::StepUp) &&
        lifecycle::allows(d->state, lifecycle::event::StepUp{d->state.level + 1}, levels))
        v.set("can_step_up", true);
    if (may(support::Action::StepDown) &&
        lifecycle::allows(d->state, lifecycle::event::StepDown{d->state.level - 1}, levels))
        v.set("can_step_down", true);
    if (may(support::Action::Stop) && lifecycle::allows(d->state, lifecycle::event::Stop{}, levels))
        v.set("can_stop", true);
    supporters::Names supporter_names;  // who the history's "supporter:N" are, for the owner
    if (owner) {
        v.set("owner", true);
        auto names = supporters::add_to_declaration_page(ctx, *account, *d, v);
        if (!names) return error_response(ctx, names.error());
        supporter_names = std::move(*names);
    } else {
        v.set("supporting", true);
        v.set("supporter_rights", supporters::rights_text(ctx, acting->access.rights));
        if (auto ok = supporters::add_prepare_section(ctx, *account, *d, acting->access, v); !ok)
            return error_response(ctx, ok.error());
    }
    mustache::data rows{mustache::data::type::list};
    auto values = values_of_declaration(*d);
    for (const auto& f : detail_fields(c)) {
        mustache::data r{mustache::data::type::object};
        r.set("label", ctx.text("field." + f.name + ".label"));
        std::string shown;
        if (f.options) {
            for (const auto& code : f.kind == K::Checkboxes ? values_of(values, f.name)
                                                            : std::vector<std::string>{value_of(values, f.name)}) {
                auto* o = content::RegistryContent::find(*f.options, code);
                shown += (shown.empty() ? "" : "\n") + (o ? o->label.in(ctx.lang) : code);
            }
        } else {
            shown = value_of(values, f.name);
        }
        r.set("value", shown.empty() ? ctx.text("apply.check.none") : shown);
        rows.push_back(r);
    }
    if (d->state.level >= 2) {
        for (const auto& [name, value] :
             {std::pair<std::string, std::string>{"assessment_date", d->details.assessment_date},
              {"policy_url", d->details.policy_url}}) {
            mustache::data r{mustache::data::type::object};
            r.set("label", ctx.text("field." + name + ".label"));
            const auto day = name == "assessment_date" ? dates::parse_iso_date(value) : std::nullopt;
            r.set("value", day ? dates::display(ctx.lang, *day) : value);  // dates as everywhere else
            rows.push_back(r);
        }
    }
    v.set("rows", rows);
    mustache::data hist{mustache::data::type::list};
    const auto fields = detail_fields(c);
    // Coded values (prefecture, industry, purposes, ...) are shown by their labels.
    auto shown = [&](const std::string& field, const std::string& value) {
        if (value.empty()) return ctx.text("apply.check.none");
        for (const auto& f : fields) {
            if (f.name != field || !f.options) continue;
            std::string labels;
            for (const auto piece : text::split(value, ',')) {
                const std::string code(piece);
                auto* o = content::RegistryContent::find(*f.options, code);
                labels += (labels.empty() ? "" : ", ") + (o ? o->label.in(ctx.lang) : code);
            }
            return labels;
        }
        return value;
    };
    for (const auto& h : *history) {
        mustache::data r{mustache::data::type::object};
        r.set("field", field_label_list(ctx, h.field));
        r.set("by", supporters::actor_text(ctx, h.actor, *account, supporter_names));
        r.set("before", shown(h.field, h.before));
        // What a supporter prepared (ADR 48): the score saved, or that the draft was saved.
        if (h.field == "prepared_assessment")
            r.set("after",
                  ctx.services.catalogue.format(ctx.lang, "supporters.history.assessment_score", {{"score", h.after}}));
        else if (h.field == "prepared_policy")
            r.set("after", ctx.text("supporters.history.policy_saved"));
        else
            r.set("after", shown(h.field, h.after));
        hist.push_back(r);
    }
    if (!history->empty()) {
        v.set("history", hist);
        v.set("has_history", true);
    }
    take_flash(ctx, v);
    return ctx.page(200, "mypage_declaration", std::move(v));
}

namespace {

// A new contact address asked for from a session signed in too long ago (ASVS V7.5.1): nothing
// changes; a sign-in link goes to the current address and brings the declarant back to the form,
// where the new address is typed again. Whoever holds only the browser, not the mailbox, gets no
// further.
Response sign_in_again(Context& ctx, const Declaration& d) {
    const auto form = "/mypage/declarations/" + d.public_id->digits() + "/edit";
    if (auto sent = ctx.services.signin.request(d.details.contact_email, form, ctx.caller()); !sent)
        return error_response(ctx, sent.error());
    return ctx.message_page(200, {.title = ctx.text("mypage.sign_in_again.title"),
                                  .body = ctx.text("mypage.sign_in_again.body"),
                                  .link = "/mypage/declarations/" + d.public_id->digits(),
                                  .link_text = ctx.text("mypage.back_to_declaration")});
}

}  // namespace

Response mypage_edit(Context& ctx) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto acting = acting_from_path(ctx, *account, support::Action::EditDetails);
    if (!acting) return error_response(ctx, acting.error());
    const Declaration* d = &acting->declaration;
    // A supporter is told before it types that the contact address stays the owner's.
    const std::string note = acting->access.role == support::Role::Supporter ? "supporters.edit.note" : "";
    const auto fields = detail_fields(ctx.services.registry.content());
    if (ctx.req.method == Method::Get)
        return fields_form(ctx, "mypage_edit", "mypage.edit.title", fields, values_of_declaration(*d), {}, *d, note);
    FormValues values = FormValues::object();
    read_fields(ctx.req.form_params(), fields, values);
    if (posted_lang_switch(ctx) == LangSwitch::Posted)
        return fields_form(ctx, "mypage_edit", "mypage.edit.title", fields, values, {}, *d, note);
    const auto age = signed_in_recently(ctx.session->created_at, ctx.services.clock.now())
                         ? app::Declarations::SignInAge::Recent
                         : app::Declarations::SignInAge::Old;
    auto r = ctx.services.declarations.change_details(*account, *d->public_id, input_of(values, ctx.lang), ctx.caller(),
                                                      age);
    if (!r && r.error().code == codes::kSignInAgain) return sign_in_again(ctx, *d);
    if (!r) {
        if (r.error().kind == Error::Kind::Invalid)
            return fields_form(ctx, "mypage_edit", "mypage.edit.title", fields, values, r.error().fields, *d, note);
        if (r.error().code == codes::kDuplicateCorporateNumber)
            return fields_form(ctx, "mypage_edit", "mypage.edit.title", fields, values,
                               {{"corporate_number", "duplicate_corporate_number"}}, *d, note);
        return error_response(ctx, r.error());
    }
    set_flash(ctx, r->contact == app::Declarations::ContactRequest::Sent ? "mypage.flash.contact_change_sent"
                                                                         : "mypage.flash.changed");
    return redirect("/mypage/declarations/" + d->public_id->digits());
}

// --- changing the contact address -----------------------------------------------------------

namespace {

Response contact_change_unknown(Context& ctx, const Error& e) {
    if (e.code != codes::kContactChangeUnknown) return error_response(ctx, e);
    log_refusal(ctx, "link.refused", {"link", "contact_change"});
    return ctx.message_page(404, {.title = ctx.text("contact_change.unknown.title"),
                                  .body = ctx.text("contact_change.unknown.body"),
                                  .link = "/signin",
                                  .link_text = ctx.text("contact_change.unknown.signin"),
                                  .noindex = true});
}

}  // namespace

// The link mailed to a new contact address: a page with a button, so that a mail scanner fetching
// the URL changes nothing.
Response contact_change_show(Context& ctx) {
    auto pending = ctx.services.declarations.contact_change_for(link_token(ctx));
    if (!pending) return contact_change_unknown(ctx, pending.error());
    auto v = form_page(ctx, "contact_change.title");
    if (!v) return error_response(ctx, v.error());
    v->set("declaration", declaration_view(ctx, pending->declaration));
    v->set("new_email", pending->new_email);
    set_link_form(ctx, *v, "/contact-change", "contact-change-form");
    v->set("noindex", true);
    return ctx.page(200, "contact_change", std::move(*v));
}

Response contact_change_submit(Context& ctx) {
    auto changed = ctx.services.declarations.change_contact(link_token(ctx), ctx.caller());
    if (!changed) return contact_change_unknown(ctx, changed.error());
    const Declaration& d = changed->declaration;
    const std::string page = d.public_id ? "/mypage/declarations/" + d.public_id->digits() : std::string("/mypage");
    // Following the link proves the address: its account now holds the declaration. It signs the
    // new contact in only within minutes of the mail, as a sign-in link would; later, the page says
    // the change is done and offers signing in.
    if (changed->signs_in == app::Applications::SignsIn::No || !d.account_id)
        return ctx.message_page(200, {.title = ctx.text("contact_change.done_signin.title"),
                                      .body = ctx.services.catalogue.format(
                                          ctx.lang, "contact_change.done_signin.body",
                                          {{"minutes", std::to_string(app::Applications::kSignsInWithin.count())}}),
                                      .link = "/signin?next=" + url_encode(page),
                                      .link_text = ctx.text("contact_change.done_signin.signin"),
                                      .noindex = true});
    if (auto ok = ctx.sign_in(*d.account_id); !ok) return error_response(ctx, ok.error());
    set_flash(ctx, "mypage.flash.contact_changed");
    return redirect(page);
}

Response mypage_step_up(Context& ctx) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto d = owned_from_path(ctx, *account, support::Action::StepUp);
    if (!d) return error_response(ctx, d.error());
    std::vector<FieldSpec> fields = {{"assessment_date", K::Date, true, "", "numeric", 20, nullptr, "medium"},
                                     {"policy_url", K::Url, true, "url", "url", 300, nullptr, ""}};
    // The assessment and policy made here, offered instead of typing (web/toolkit.hpp).
    auto evidence = toolkit::evidence_options(ctx);
    if (!evidence) return error_response(ctx, evidence.error());
    if (!evidence->empty()) {
        // Choosing the evidence above fills these two: they are needed only when typed by hand.
        for (auto& f : fields) f.requirement = "form.required_unless_chosen";
        fields.insert(fields.begin(), toolkit::evidence_field(ctx, *evidence));
    }
    if (ctx.req.method == Method::Get)
        return fields_form(ctx, "mypage_step_up", "mypage.step_up.title", fields, FormValues::object(), {}, *d);
    FormValues values = FormValues::object();
    read_fields(ctx.req.form_params(), fields, values);
    if (posted_lang_switch(ctx) == LangSwitch::Posted)
        return fields_form(ctx, "mypage_step_up", "mypage.step_up.title", fields, values, {}, *d);
    if (!evidence->empty()) {
        auto chosen = toolkit::chosen_evidence(*evidence, value_of(values, "evidence"));
        if (!chosen)
            return fields_form(ctx, "mypage_step_up", "mypage.step_up.title", fields, values, chosen.error().fields,
                               *d);
        if (*chosen) {
            values["assessment_date"] = (*chosen)->assessment_date;
            values["policy_url"] = (*chosen)->policy_url;
        }
    }
    auto r = ctx.services.declarations.step_up(*account, *d->public_id, value_of(values, "assessment_date"),
                                               value_of(values, "policy_url"), ctx.caller());
    if (!r) {
        if (r.error().kind == Error::Kind::Invalid)
            return fields_form(ctx, "mypage_step_up", "mypage.step_up.title", fields, values, r.error().fields, *d);
        return error_response(ctx, r.error());
    }
    set_flash(ctx, "mypage.flash.stepped_up");
    return redirect("/mypage/declarations/" + d->public_id->digits());
}

namespace {

// A confirmation page for stopping or stepping down; the POST does it.
Response confirm_action(Context& ctx, const std::string& kind) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto d = owned_from_path(ctx, *account, kind == "stop" ? support::Action::Stop : support::Action::StepDown);
    if (!d) return error_response(ctx, d.error());
    if (ctx.req.method == Method::Post) {
        auto& declarations = ctx.services.declarations;
        auto r = kind == "stop" ? declarations.stop(*account, *d->public_id, ctx.caller())
                                : declarations.step_down(*account, *d->public_id, ctx.caller());
        if (!r) return error_response(ctx, r.error());
        set_flash(ctx, "mypage.flash." + kind);
        return redirect("/mypage/declarations/" + d->public_id->digits());
    }
    auto v = form_page(ctx, "mypage." + kind + ".title");
    if (!v) return error_response(ctx, v.error());
    v->set("declaration", declaration_view(ctx, *d));
    v->set("title", ctx.text("mypage." + kind + ".title"));
    v->set("body", ctx.text("mypage." + kind + ".body"));
    v->set("submit", ctx.text("mypage." + kind + ".submit"));
    v->set("action", "/mypage/declarations/" + d->public_id->digits() + "/" + (kind == "stop" ? "stop" : "step-down"));
    if (kind == "stop") v->set("danger", true);
    return ctx.page(200, "mypage_confirm", std::move(*v));
}

}  // namespace

Response mypage_stop(Context& ctx) { return confirm_action(ctx, "stop"); }
Response mypage_step_down(Context& ctx) { return confirm_action(ctx, "step_down"); }

// --- the badge ----------------------------------------------------------------------------

namespace {

struct BadgeRequest {
    render::BadgeSize size;
    render::BadgeFormat format;
    i18n::Lang lang;
    bool qr;
};

// "ja-small.png", "en-large-qr.svg", ...
std::optional<BadgeRequest> parse_badge_file(const std::string& f) {
    BadgeRequest r{};
    auto dot = f.rfind('.');
    if (dot == std::string::npos) return std::nullopt;
    auto ext = f.substr(dot + 1);
    if (ext == "png")
        r.format = render::BadgeFormat::Png;
    else if (ext == "svg")
        r.format = render::BadgeFormat::Svg;
    else
        return std::nullopt;
    std::string stem = f.substr(0, dot);
    r.qr = stem.size() > 3 && stem.substr(stem.size() - 3) == "-qr";
    if (r.qr) stem = stem.substr(0, stem.size() - 3);
    if (stem == "ja-small" || stem == "en-small")
        r.size = render::BadgeSize::Small;
    else if (stem == "ja-large" || stem == "en-large")
        r.size = render::BadgeSize::Large;
    else
        return std::nullopt;
    r.lang = *i18n::from_code(stem.substr(0, 2));  // the stem was matched above: "ja-…" or "en-…"
    return r;
}

}  // namespace

Response mypage_badge(Context& ctx) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto d = owned_from_path(ctx, *account, support::Action::Badge);
    if (!d) return error_response(ctx, d.error());
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("badge.title"));
    v.set("declaration", declaration_view(ctx, *d));
    if (!lifecycle::may_show_badge(d->state.status)) {
        v.set("not_declared", true);
        return ctx.page(200, "mypage_badge", std::move(v));
    }
    const std::string base = "/mypage/declarations/" + d->public_id->digits() + "/badge/";
    render::BadgeView view{d->state.level,
                           *d->public_id,
                           ctx.lang,
                           std::nullopt,
                           render::BadgeSize::Small,
                           render::BadgeLayout::Horizontal};
    v.set("alt", render::badge_alt_text(view));
    v.set("preview", base + std::string(i18n::code(ctx.lang)) + "-small-qr.svg");
    mustache::data files{mustache::data::type::list};
    for (auto l : i18n::all_langs) {
        const std::string lang(i18n::code(l));
        for (const char* size : {"small", "large"}) {
            for (const char* qr : {"", "-qr"}) {
                mustache::data f{mustache::data::type::object};
                const std::string stem = lang + "-" + size + qr;
                f.set("label", ctx.text("badge.variant." + lang) + " / " + ctx.text(std::string("badge.size.") + size) +
                                   (*qr ? " / " + ctx.text("badge.with_qr") : std::string()));
                f.set("png", base + stem + ".png?download=1");
                f.set("svg", base + stem + ".svg?download=1");
                files.push_back(f);
            }
        }
    }
    v.set("files", files);
    add_log_position(ctx, *d->public_id, v);
    return ctx.page(200, "mypage_badge", std::move(v));
}

Response mypage_badge_file(Context& ctx) {
    Response out;
    auto account = require_account(ctx, out);
    if (!account) return out;
    auto d = owned_from_path(ctx, *account, support::Action::Badge);
    if (!d) return error_response(ctx, d.error());
    auto req = parse_badge_file(ctx.param("file"));
    if (!req) return status_response(ctx, 404);
    // No badge once a declaration has stopped or been revoked (the terms: stop using it).
    if (!lifecycle::may_show_badge(d->state.status)) return status_response(ctx, 404);
    render::BadgeView view{
        d->state.level,
        *d->public_id,
        req->lang,
        req->qr ? std::optional<std::string>(ctx.services.registry.verify_url(*d->public_id)) : std::nullopt,
        req->size,
        render::BadgeLayout::Horizontal};
    auto badge = render::resolve_badge(ctx.services.artwork, view, req->format);
    if (!badge) return error_response(ctx, badge.error());
    Response r;
    r.set("Content-Type", badge->content_type);
    r.set("Cache-Control", "private, no-store");
    if (first(ctx.req.query_params(), "download"))
        r.set("Content-Disposition", "attachment; filename=\"" + render::badge_file_name(view, req->format) + "\"");
    r.body = std::move(badge->bytes);
    return r;
}

}  // namespace sengen::web::handlers
