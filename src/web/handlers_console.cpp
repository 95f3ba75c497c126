// The operators' console (/console/...): set-up from a one-time link, sign-in with a password and
// a TOTP or recovery code, and the pages staff and admins run the registry from. Every page but
// the sign-in and set-up steps needs a fully signed-in operator session (its own cookie, apart
// from declarants'); operator accounts need the admin role. Posts carry the usual CSRF token.
#include <algorithm>
#include <string>

#include "app/console.hpp"
#include "app/operators.hpp"
#include "domain/dates.hpp"
#include "domain/identifiers.hpp"
#include "domain/ip_network.hpp"
#include "domain/session.hpp"
#include "render/qr_svg.hpp"
#include "web/console_page.hpp"
#include "web/errors.hpp"
#include "web/form_values.hpp"
#include "web/handlers.hpp"
#include "web/link_token.hpp"

namespace sengen::web::handlers {

using namespace console;

namespace {

// The operator session the cookie names, at any stage; nullopt when none.
std::optional<OperatorSession> operator_session(Context& ctx) {
    auto token = ctx.req.cookie(cookie_name(ctx.services.config, kOperatorCookie));
    if (!token) return std::nullopt;
    auto found = ctx.services.operators->resume(*token);
    if (!found) throw std::runtime_error("operator session lookup failed: " + found.error().detail);
    return *found;
}

}  // namespace

namespace console {

// The fully signed-in operator, or the answer to give instead: the sign-in page for none, 403 for
// a staff member on an admin page.
std::optional<OperatorSession> require_operator(Context& ctx, Need need, Response& refusal) {
    auto s = operator_session(ctx);
    if (!s || s->stage != OperatorStage::Full) {
        refusal = redirect("/console/signin");
        return std::nullopt;
    }
    if (need == Need::Admin && s->role != OperatorRole::Admin) {
        const std::string actor = actor_of(*s);
        log_refusal(ctx, "role.refused", {"need", "admin"}, {"actor", actor});
        refusal = status_response(ctx, 403);
        return std::nullopt;
    }
    return s;
}

std::string actor_of(const OperatorSession& s) { return "operator:" + std::to_string(s.operator_id); }

// What every console page has: its title, the CSRF token for its forms, and (signed in) the menu.
mustache::data console_data(Context& ctx, const std::string& title_id, const OperatorSession* s) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text(title_id));
    d.set("noindex", true);
    if (auto csrf = ctx.csrf_token()) d.set("csrf", *csrf);
    if (s) {
        mustache::data nav{mustache::data::type::object};
        nav.set("email", s->email);
        nav.set("role", ctx.text("console.role." + std::string(to_string(s->role))));
        if (s->role == OperatorRole::Admin) nav.set("admin", true);
        d.set("console_nav", nav);
    }
    return d;
}

std::string form_value(const Context& ctx, std::string_view name) {
    return first(ctx.req.form_params(), name).value_or(std::string());
}

std::string query_value(const Context& ctx, std::string_view name) {
    return first(ctx.req.query_params(), name).value_or(std::string());
}

bool keepable_reason(std::string_view reason) {
    if (!valid_utf8(reason)) return false;
    return std::none_of(reason.begin(), reason.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\t' && c != '\r' && c != '\n') || u == 0x7F;
    });
}

}  // namespace console

namespace {

// A form shown again with one message at the top and the field marked.
Response form_again(Context& ctx, int status, const std::string& tpl, mustache::data d, const std::string& field,
                    const std::string& message) {
    d.set("error", message);
    d.set("error_" + field, true);
    return ctx.page(status, tpl, std::move(d));
}

// Where a sign-in comes from, as the operator's list of its sessions shows it.
app::SessionClient client_of(const Context& ctx) {
    return {browser_label(ctx.req.header("user-agent").value_or("")), rate_limit_subject(ctx.req.remote_ip)};
}

std::string field_message_of(Context& ctx, const Error& e) {
    if (!e.fields.empty()) return ctx.text("console.password." + e.fields.front().code);
    return ctx.text("console.error.generic");
}

}  // namespace

namespace console {

// The date and the time of day in Japan, as an operator reads them.
std::string when(const Context& ctx, TimePoint t) {
    const auto seconds_in_japan = unix_seconds(t) + 9LL * 3600;
    const auto minute_of_day = (seconds_in_japan / 60) % (24LL * 60);
    const auto hh = minute_of_day / 60, mm = minute_of_day % 60;
    return dates::display_japan_date(ctx.lang, t) + " " + (hh < 10 ? "0" : "") + std::to_string(hh) + ":" +
           (mm < 10 ? "0" : "") + std::to_string(mm);
}

std::string status_label(const Context& ctx, lifecycle::Status s) {
    return ctx.text("status." + std::string(lifecycle::to_string(s)));
}

std::string stars(int level) {
    std::string out;
    for (int i = 0; i < level; ++i) out += "★";
    return out;
}

}  // namespace console

namespace {

mustache::data audit_rows(const Context& ctx, const std::vector<AuditEvent>& events, std::size_t limit) {
    mustache::data rows{mustache::data::type::list};
    for (std::size_t i = 0; i < events.size() && i < limit; ++i) {
        const auto& e = events[i];
        mustache::data r{mustache::data::type::object};
        r.set("at", when(ctx, e.at));
        r.set("actor", e.actor);
        r.set("action", e.action);
        r.set("subject", e.subject);
        r.set("ip", e.ip);
        r.set("details", e.details);
        rows.push_back(r);
    }
    return rows;
}

Response too_many(Context& ctx, const Error& e, const std::string& tpl, mustache::data d, const std::string& field) {
    log_refusal(ctx, "rate.limited", {"rule", e.code});
    auto r = form_again(ctx, 429, tpl, std::move(d), field, ctx.text("console.too_many"));
    r.set("Retry-After", "900");
    return r;
}

}  // namespace

// --- set-up from the one-time link -------------------------------------------------------------

Response console_setup_form(Context& ctx) {
    auto account = ctx.services.operators->setup_for(link_token(ctx));
    if (!account) {
        if (account.error().kind != Error::Kind::NotFound) return error_response(ctx, account.error());
        return ctx.message_page(404, {.title = ctx.text("console.setup.invalid.title"),
                                      .body = ctx.text("console.setup.invalid.body"),
                                      .noindex = true});
    }
    auto d = console_data(ctx, "console.setup.title", nullptr);
    d.set("email", account->email);
    set_link_form(ctx, d, "/console/setup", "console-setup-form");
    // The switch re-sends the form to where it posts, whose handler shows it again (not "/view").
    d.set("lang_switch_form", lang_switch_button("console-setup-form", link_action(ctx, "/console/setup")));
    return ctx.page(200, "console_setup", std::move(d));
}

Response console_setup_submit(Context& ctx) {
    // Switching language shows the form again: the passwords typed are not written back.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return console_setup_form(ctx);
    const auto password = form_value(ctx, "password");
    auto d = console_data(ctx, "console.setup.title", nullptr);
    set_link_form(ctx, d, "/console/setup", "console-setup-form");
    auto account = ctx.services.operators->setup_for(link_token(ctx));
    if (!account) return console_setup_form(ctx);
    d.set("email", account->email);
    d.set("lang_switch_form", lang_switch_button("console-setup-form", link_action(ctx, "/console/setup")));
    if (password != form_value(ctx, "password_again"))
        return form_again(ctx, 422, "console_setup", std::move(d), "password", ctx.text("console.password.mismatch"));
    auto open = ctx.services.operators->complete_setup(link_token(ctx), password, ctx.req.remote_ip);
    if (!open) {
        if (open.error().kind == Error::Kind::Invalid)
            return form_again(ctx, 422, "console_setup", std::move(d), "password", field_message_of(ctx, open.error()));
        if (open.error().kind == Error::Kind::TooMany)
            return too_many(ctx, open.error(), "console_setup", std::move(d), "password");
        return error_response(ctx, open.error());
    }
    set_strict_cookie(ctx, kOperatorCookie, open->token);
    return redirect("/console/totp");
}

namespace {

Response totp_page(Context& ctx, const OperatorSession& s, int status, const std::string& error) {
    auto setup = ctx.services.operators->totp_setup(s);
    if (!setup) return error_response(ctx, setup.error());
    auto d = console_data(ctx, "console.totp.title", nullptr);
    d.set("secret", setup->secret);
    if (auto qr = render::qr_svg_data_uri(setup->uri)) d.set("qr", *qr);
    d.set("lang_switch_form", lang_switch_button("console-totp-form", "/console/totp"));
    if (!error.empty()) {
        d.set("error", error);
        d.set("error_code", true);
    }
    return ctx.page(status, "console_totp", std::move(d));
}

}  // namespace

Response console_totp_form(Context& ctx) {
    auto s = operator_session(ctx);
    if (!s || s->stage != OperatorStage::TotpSetup) return redirect("/console/signin");
    return totp_page(ctx, *s, 200, {});
}

Response console_totp_submit(Context& ctx) {
    auto s = operator_session(ctx);
    if (!s || s->stage != OperatorStage::TotpSetup) return redirect("/console/signin");
    // A language switch checks no code: the page again, its code field empty.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return totp_page(ctx, *s, 200, {});
    auto done = ctx.services.operators->confirm_totp(*s, form_value(ctx, "code"), ctx.req.remote_ip, client_of(ctx));
    if (!done) {
        if (done.error().kind == Error::Kind::Invalid) return totp_page(ctx, *s, 422, ctx.text("console.code.wrong"));
        if (done.error().kind == Error::Kind::TooMany) {
            log_refusal(ctx, "rate.limited", {"rule", done.error().code});
            return totp_page(ctx, *s, 429, ctx.text("console.too_many"));
        }
        return error_response(ctx, done.error());
    }
    set_strict_cookie(ctx, kOperatorCookie, done->session.token);
    // The codes are shown on this answer only: they are stored hashed and cannot be shown again.
    auto full = done->session.session;
    full.email = s->email;
    full.role = s->role;
    auto d = console_data(ctx, "console.recovery.title", &full);
    mustache::data codes{mustache::data::type::list};
    for (const auto& c : done->recovery_codes) codes.push_back(mustache::data(c));
    d.set("codes", codes);
    return ctx.page(200, "console_recovery", std::move(d));
}

// --- signing in --------------------------------------------------------------------------------

namespace {

mustache::data signin_data(Context& ctx) {
    auto d = console_data(ctx, "console.signin.title", nullptr);
    d.set("lang_switch_form", lang_switch_button("console-signin-form", "/console/signin"));
    return d;
}

mustache::data code_data(Context& ctx) {
    auto d = console_data(ctx, "console.code.title", nullptr);
    d.set("lang_switch_form", lang_switch_button("console-code-form", "/console/signin/code"));
    return d;
}

}  // namespace

Response console_signin_form(Context& ctx) { return ctx.page(200, "console_signin", signin_data(ctx)); }

Response console_signin_submit(Context& ctx) {
    const bool switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    auto d = signin_data(ctx);
    const auto email = form_value(ctx, "email");
    d.set("email", displayable(email));
    // A language switch signs nobody in: the address comes back, the password does not.
    if (switched) return ctx.page(200, "console_signin", std::move(d));
    auto open = ctx.services.operators->sign_in(email, form_value(ctx, "password"), ctx.req.remote_ip);
    if (!open) {
        if (open.error().kind == Error::Kind::TooMany)
            return too_many(ctx, open.error(), "console_signin", std::move(d), "password");
        if (open.error().kind == Error::Kind::Forbidden)
            return form_again(ctx, 403, "console_signin", std::move(d), "password", ctx.text("console.signin.failed"));
        return error_response(ctx, open.error());
    }
    set_strict_cookie(ctx, kOperatorCookie, open->token);
    return redirect("/console/signin/code");
}

Response console_code_form(Context& ctx) {
    auto s = operator_session(ctx);
    if (!s || s->stage != OperatorStage::SecondFactor) return redirect("/console/signin");
    return ctx.page(200, "console_code", code_data(ctx));
}

Response console_code_submit(Context& ctx) {
    auto s = operator_session(ctx);
    if (!s || s->stage != OperatorStage::SecondFactor) return redirect("/console/signin");
    // A language switch checks no code (and counts no attempt): the page again, its field empty.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return ctx.page(200, "console_code", code_data(ctx));
    auto open = ctx.services.operators->second_factor(*s, form_value(ctx, "code"), ctx.req.remote_ip, client_of(ctx));
    auto d = code_data(ctx);
    if (!open) {
        if (open.error().kind == Error::Kind::TooMany)
            return too_many(ctx, open.error(), "console_code", std::move(d), "code");
        if (open.error().kind == Error::Kind::Invalid)
            return form_again(ctx, 422, "console_code", std::move(d), "code", ctx.text("console.code.wrong"));
        return error_response(ctx, open.error());
    }
    set_strict_cookie(ctx, kOperatorCookie, open->token);
    return redirect("/console");
}

Response console_signout(Context& ctx) {
    if (auto s = operator_session(ctx)) (void)ctx.services.operators->sign_out(*s, ctx.req.remote_ip);
    set_strict_cookie(ctx, kOperatorCookie, "", 0);
    return redirect("/console/signin");
}

// --- changing one's password (ASVS V6.2.2, V6.2.3) --------------------------------------------

Response console_password_form(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    auto d = console_data(ctx, "console.password.title", &*s);
    d.set("email", s->email);
    d.set("lang_switch_form", lang_switch_button("console-password-form", "/console/password"));
    return ctx.page(200, "console_password", std::move(d));
}

Response console_password_submit(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    // Switching language shows the form again: no password typed is written back or checked.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return console_password_form(ctx);
    auto d = console_data(ctx, "console.password.title", &*s);
    d.set("email", s->email);
    d.set("lang_switch_form", lang_switch_button("console-password-form", "/console/password"));
    const auto fresh = form_value(ctx, "new_password");
    if (fresh != form_value(ctx, "password_again")) {
        d.set("new_password_message", ctx.text("console.password.mismatch"));
        return form_again(ctx, 422, "console_password", std::move(d), "new_password",
                          ctx.text("console.password.mismatch"));
    }
    auto changed =
        ctx.services.operators->change_password(*s, form_value(ctx, "current_password"), fresh, ctx.req.remote_ip);
    if (!changed) {
        const auto& e = changed.error();
        if (e.kind == Error::Kind::TooMany)
            return too_many(ctx, e, "console_password", std::move(d), "current_password");
        if (e.kind != Error::Kind::Invalid || e.fields.empty()) return error_response(ctx, e);
        d.set(e.fields.front().field + "_message", field_message_of(ctx, e));
        return form_again(ctx, 422, "console_password", std::move(d), e.fields.front().field, field_message_of(ctx, e));
    }
    d.set("changed", true);
    return ctx.page(200, "console_password", std::move(d));
}

// --- one's own sessions (ASVS V7.5.2) -----------------------------------------------------------

Response console_sessions(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    auto d = console_data(ctx, "console.sessions.title", &*s);
    auto list = ctx.services.operators->sessions(*s);
    if (!list) return error_response(ctx, list.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& e : *list) {
        mustache::data r{mustache::data::type::object};
        r.set("started", when(ctx, e.started_at));
        r.set("last_used", when(ctx, e.last_used_at));
        r.set("client", e.client_label.empty() ? ctx.text("mypage.sessions.unknown_browser") : e.client_label);
        r.set("network", e.client_network.empty() ? ctx.text("mypage.sessions.unknown_network") : e.client_network);
        if (e.current)
            r.set("current", true);
        else
            r.set("end_url", "/console/sessions/" + e.ref + "/end");
        rows.push_back(r);
    }
    d.set("sessions", rows);
    if (query_value(ctx, "ended") == "1") d.set("ended", true);
    return ctx.page(200, "console_sessions", std::move(d));
}

Response console_session_end(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    auto ended = ctx.services.operators->end_session(*s, ctx.param("ref"), ctx.req.remote_ip);
    // A session that ended meanwhile is what was asked for.
    if (!ended && ended.error().kind != Error::Kind::NotFound) return error_response(ctx, ended.error());
    return redirect("/console/sessions?ended=1");
}

// --- the pages ---------------------------------------------------------------------------------

Response console_dashboard(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    auto board = ctx.services.console->dashboard();
    if (!board) return error_response(ctx, board.error());
    auto d = console_data(ctx, "console.dashboard.title", &*s);
    mustache::data rows{mustache::data::type::list};
    std::int64_t awaiting_review = 0, disputed = 0;  // what waits for an operator (their own pages)
    for (const auto& c : board->counts) {
        if (c.status == lifecycle::to_string(lifecycle::Status::AwaitingReview)) awaiting_review += c.count;
        if (c.status == lifecycle::to_string(lifecycle::Status::Disputed)) disputed += c.count;
        mustache::data r{mustache::data::type::object};
        auto status = lifecycle::status_from_string(c.status);
        r.set("status", status ? status_label(ctx, *status) : c.status);
        r.set("level", stars(c.level));
        r.set("count", std::to_string(c.count));
        rows.push_back(r);
    }
    d.set("counts", rows);
    d.set("today", std::to_string(board->today));
    d.set("this_month", std::to_string(board->this_month));
    d.set("failed_mail", std::to_string(board->failed_mail));
    d.set("awaiting_review", std::to_string(awaiting_review));
    d.set("disputed", std::to_string(disputed));
    return ctx.page(200, "console_dashboard", std::move(d));
}

Response console_find(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    // The header's switch submits this form (a search changes nothing): what was typed is searched
    // for and shown in the language chosen.
    (void)queried_lang_switch(ctx);
    auto d = console_data(ctx, "console.find.title", &*s);
    d.set("lang_switch_form", lang_switch_button("find-form", "/console/declarations"));
    const auto q = query_value(ctx, "q");
    d.set("q", q);
    if (!q.empty()) {
        auto found = ctx.services.console->find(q);
        if (!found) return error_response(ctx, found.error());
        mustache::data rows{mustache::data::type::list};
        for (const auto& decl : *found) {
            mustache::data r{mustache::data::type::object};
            if (decl.public_id) {
                r.set("id", decl.public_id->digits());
                r.set("url", "/console/declarations/" + decl.public_id->digits());
            }
            r.set("business_name", decl.details.business_name);
            r.set("corporate_number", decl.details.corporate_number);
            r.set("contact_email", decl.details.contact_email);
            r.set("status", status_label(ctx, decl.state.status));
            rows.push_back(r);
        }
        d.set("searched", true);
        d.set("results", rows);
        if (found->empty()) d.set("none", true);
    }
    return ctx.page(200, "console_find", std::move(d));
}

namespace {

// Which reason field the page's message is about (marked invalid), or the record as a whole.
enum class Mark { Reason, SessionsReason, None };

// `typed` is the reason shown back in the form after a language switch.
Response record_page(Context& ctx, const OperatorSession& s, int status, const std::string& error,
                     Mark mark = Mark::Reason, const std::string& typed = {}) {
    auto id = DeclarationId::parse(ctx.param("id"));
    if (!id.id) return status_response(ctx, 404);
    auto rec = ctx.services.console->record(*id.id);
    if (!rec) return error_response(ctx, rec.error());
    const auto& decl = rec->declaration;
    auto d = console_data(ctx, "console.record.title", &s);
    d.set("id", id.id->digits());
    d.set("business_name", decl.details.business_name);
    d.set("business_name_kana", decl.details.business_name_kana);
    d.set("corporate_number", decl.details.corporate_number);
    d.set("contact_email", decl.details.contact_email);
    d.set("contact_name", decl.details.contact_name);
    d.set("prefecture", decl.details.prefecture);
    d.set("status", status_label(ctx, decl.state.status));
    d.set("level", stars(decl.state.level));
    if (decl.declared_at) d.set("declared_at", when(ctx, *decl.declared_at));
    if (!decl.end_reason.empty()) d.set("end_reason", decl.end_reason);
    const auto action_base = "/console/declarations/" + id.id->digits();
    d.set("action_base", action_base);
    if (decl.state.status == lifecycle::Status::Revoked) {
        d.set("can_reinstate", true);
        d.set("lang_switch_form", lang_switch_button("reinstate-form", action_base + "/reinstate"));
    } else if (decl.state.status == lifecycle::Status::Declared || decl.state.status == lifecycle::Status::Stopped) {
        d.set("can_revoke", true);
        d.set("lang_switch_form", lang_switch_button("revoke-form", action_base + "/revoke"));
    }
    d.set("reason", displayable(typed));
    // Only an admin may sign a declarant out everywhere (ASVS V7.4.5), and only once the
    // declaration has an account that could be signed in.
    if (s.role == OperatorRole::Admin && decl.account_id) d.set("can_end_sessions", true);
    // And reset the code of a declarant who lost the phone with the authenticator app (ADR 61).
    if (s.role == OperatorRole::Admin && decl.account_id && ctx.services.declarant_codes) {
        auto code = ctx.services.declarant_codes->state(*decl.account_id);
        if (!code) return error_response(ctx, code.error());
        if (code->set_up) d.set("can_reset_code", true);
    }
    mustache::data changes{mustache::data::type::list};
    for (const auto& c : rec->changes) {
        mustache::data r{mustache::data::type::object};
        r.set("field", c.field);
        r.set("before", c.before);
        r.set("after", c.after);
        changes.push_back(r);
    }
    d.set("changes", changes);
    if (rec->changes.empty()) d.set("no_changes", true);
    d.set("events", audit_rows(ctx, rec->events, rec->events.size()));
    if (!error.empty()) {
        d.set("error", error);
        if (mark == Mark::Reason) d.set("error_reason", true);
        if (mark == Mark::SessionsReason) d.set("error_sessions_reason", true);
    }
    return ctx.page(status, "console_declaration", std::move(d));
}

}  // namespace

Response console_declaration(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    return record_page(ctx, *s, 200, {});
}

Response console_revoke(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    auto id = DeclarationId::parse(ctx.param("id"));
    if (!id.id) return status_response(ctx, 404);
    const auto reason = form_value(ctx, "reason");
    // A language switch revokes and reinstates nothing: the record again, the reason kept.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return record_page(ctx, *s, 200, {}, Mark::None, reason);
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return record_page(ctx, *s, 422, ctx.text("console.record.reason_required"));
    if (!keepable_reason(reason)) return record_page(ctx, *s, 422, ctx.text("console.reason.invalid"));
    const bool revoking = ctx.route.ends_with("/revoke");
    auto done = revoking ? ctx.services.declarations.revoke(*id.id, reason, actor_of(*s), ctx.req.remote_ip)
                         : ctx.services.declarations.reinstate(*id.id, reason, actor_of(*s), ctx.req.remote_ip);
    if (!done) {
        // Reinstating a declaration whose corporate number another declaration holds now.
        if (done.error().code.ends_with(".number_taken"))
            return record_page(ctx, *s, 409, ctx.text("console.record.number_taken"), Mark::None);
        return error_response(ctx, done.error());
    }
    return redirect("/console/declarations/" + id.id->digits());
}

Response console_end_sessions(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    auto id = DeclarationId::parse(ctx.param("id"));
    if (!id.id) return status_response(ctx, 404);
    const auto reason = form_value(ctx, "reason");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        return record_page(ctx, *s, 422, ctx.text("console.record.reason_required"), Mark::SessionsReason);
    if (!keepable_reason(reason))
        return record_page(ctx, *s, 422, ctx.text("console.reason.invalid"), Mark::SessionsReason);
    auto ended = ctx.services.console->end_declarant_sessions(*id.id, reason, actor_of(*s), ctx.req.remote_ip);
    if (!ended) return error_response(ctx, ended.error());
    return redirect("/console/declarations/" + id.id->digits());
}

Response console_audit(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    (void)queried_lang_switch(ctx);  // as on the find page: the filters typed are applied
    auto d = console_data(ctx, "console.audit.title", &*s);
    d.set("lang_switch_form", lang_switch_button("audit-form", "/console/audit"));
    AuditQuery q;
    q.actor = query_value(ctx, "actor");
    q.action = query_value(ctx, "action");
    q.subject = query_value(ctx, "subject");
    const auto from = query_value(ctx, "from");
    const auto until = query_value(ctx, "until");
    d.set("actor", q.actor);
    d.set("action", q.action);
    d.set("subject", q.subject);
    d.set("from", from);
    d.set("until", until);
    if (!from.empty()) {
        auto day = dates::parse_iso_date(from);
        if (!day)
            return form_again(ctx, 422, "console_audit", std::move(d), "from", ctx.text("console.audit.bad_date"));
        q.from = dates::japan_midnight(*day);
    }
    if (!until.empty()) {
        auto day = dates::parse_iso_date(until);
        if (!day)
            return form_again(ctx, 422, "console_audit", std::move(d), "until", ctx.text("console.audit.bad_date"));
        q.until = dates::japan_midnight(*day) + std::chrono::hours(24);  // the whole last day
    }
    const auto page = std::max<std::int64_t>(1, path_id(query_value(ctx, "page")));
    q.offset = static_cast<std::size_t>(page - 1) * q.limit;
    auto events = ctx.services.console->audit(q);
    if (!events) return error_response(ctx, events.error());
    d.set("events", audit_rows(ctx, *events, q.limit));
    if (events->empty()) d.set("none", true);
    auto link = [&](std::int64_t n) {
        return "/console/audit?actor=" + url_encode(q.actor) + "&action=" + url_encode(q.action) +
               "&subject=" + url_encode(q.subject) + "&from=" + url_encode(from) + "&until=" + url_encode(until) +
               "&page=" + std::to_string(n);
    };
    if (events->size() > q.limit) d.set("next_url", link(page + 1));
    if (page > 1) d.set("previous_url", link(page - 1));
    return ctx.page(200, "console_audit", std::move(d));
}

namespace {

Response operators_page(Context& ctx, const OperatorSession& s, int status, mustache::data d) {
    auto list = ctx.services.operators->list();
    if (!list) return error_response(ctx, list.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& o : *list) {
        mustache::data r{mustache::data::type::object};
        r.set("email", o.email);
        r.set("role", ctx.text("console.role." + std::string(to_string(o.role))));
        r.set("state", ctx.text(o.disabled               ? "console.operators.disabled"
                                : !o.totp_secret.empty() ? "console.operators.active"
                                                         : "console.operators.pending"));
        r.set("created", when(ctx, o.created_at));
        // An admin can sign another operator out everywhere (ASVS V7.4.5); its own sessions end
        // by signing out.
        if (o.id != s.operator_id)
            r.set("end_sessions_url", "/console/operators/" + std::to_string(o.id) + "/end-sessions");
        r.set("operator_id", std::to_string(o.id));
        rows.push_back(r);
    }
    d.set("operators", rows);
    d.set("lang_switch_form", lang_switch_button("operator-form", "/console/operators"));
    return ctx.page(status, "console_operators", std::move(d));
}

}  // namespace

Response console_operators(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    return operators_page(ctx, *s, 200, console_data(ctx, "console.operators.title", &*s));
}

Response console_operator_create(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const bool switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    auto d = console_data(ctx, "console.operators.title", &*s);
    const auto email = form_value(ctx, "email");
    auto role = parse_operator_role(form_value(ctx, "role"));
    d.set("email", displayable(email));
    if (role == OperatorRole::Admin) d.set("role_admin", true);
    // A language switch makes no account: the page again with what was typed and chosen.
    if (switched) return operators_page(ctx, *s, 200, std::move(d));
    if (!role) {
        d.set("error", ctx.text("console.operators.bad_role"));
        d.set("error_role", true);
        return operators_page(ctx, *s, 422, std::move(d));
    }
    auto made = ctx.services.operators->create(email, *role, actor_of(*s), ctx.req.remote_ip);
    if (!made) {
        if (made.error().kind == Error::Kind::Invalid) {
            d.set("error", ctx.text("console.operators.bad_email"));
            d.set("error_email", true);
            return operators_page(ctx, *s, 422, std::move(d));
        }
        if (made.error().kind == Error::Kind::Conflict) {
            d.set("error", ctx.text("console.operators.exists"));
            d.set("error_email", true);
            return operators_page(ctx, *s, 409, std::move(d));
        }
        return error_response(ctx, made.error());
    }
    d.set("email", std::string());
    d.set("role_admin", false);
    d.set("setup_link", made->setup_link);
    d.set("setup_expires", when(ctx, made->expires_at));
    return operators_page(ctx, *s, 200, std::move(d));
}

Response console_operator_end_sessions(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    auto d = console_data(ctx, "console.operators.title", &*s);
    const auto id = path_id(ctx.param("id"));
    const auto reason = form_value(ctx, "reason");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos || !keepable_reason(reason)) {
        d.set("error", ctx.text(keepable_reason(reason) ? "console.record.reason_required" : "console.reason.invalid"));
        return operators_page(ctx, *s, 422, std::move(d));
    }
    auto ended = ctx.services.console->end_operator_sessions(id, reason, actor_of(*s), ctx.req.remote_ip);
    if (!ended) return error_response(ctx, ended.error());
    d.set("sessions_ended", true);
    return operators_page(ctx, *s, 200, std::move(d));
}

}  // namespace sengen::web::handlers
