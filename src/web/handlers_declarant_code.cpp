// A declarant's code from an authenticator app (ADR 61): the page that asks for it after the mailed
// link, My Page's page that sets it up or turns it off, My Page's note about it, and the console's
// reset for a lost phone. The rules are app::DeclarantCodes'; App::handle sends a visitor signed in
// by any link to the first page, and keeps My Page closed until the code is given (app.cpp).
#include <functional>
#include <string>

#include "app/declarant_codes.hpp"
#include "render/qr_svg.hpp"
#include "web/console_page.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/handlers.hpp"

namespace sengen::web::handlers {

namespace {

// The longest `next` kept, as the sign-in link keeps it.
constexpr std::size_t kNextMaxBytes = 512;

// Where to go once the code is given or set up: the local path the visitor was on its way to.
std::string next_of(const Context& ctx) {
    auto asked =
        ctx.req.method == Method::Post ? first(ctx.req.form_params(), "next") : first(ctx.req.query_params(), "next");
    auto next = safe_local_path(asked.value_or("/mypage"), "/mypage");
    // The code pages themselves are no place to come back to.
    if (next.size() > kNextMaxBytes || next.starts_with(kSignInCodePath) || next.starts_with(kCodeSetupPath))
        return "/mypage";
    return next;
}

Result<mustache::data> page_data(Context& ctx, const std::string& title_id) {
    auto csrf = ctx.csrf_token();
    if (!csrf) return fail(csrf.error());
    mustache::data d{mustache::data::type::object};
    d.set("csrf", *csrf);
    d.set("page_title", ctx.text(title_id));
    d.set("noindex", true);
    return d;
}

// A refused code: the field says why, and the code typed is never shown again.
void code_error(mustache::data& d, const std::string& message) {
    d.set("error", message);
    d.set("error_code", true);
    d.set("code_message", message);
}

// The answer to a refused code on any of the pages, or nullopt when it is not a refusal of the
// code: a wrong code is said on its field, too many tries get 429 (as the verifiers' pages do).
std::optional<Response> code_refused(Context& ctx, const Error& e,
                                     const std::function<Response(int, const std::string&)>& page) {
    if (e.kind == Error::Kind::Invalid) return page(422, ctx.text("declarant_code.wrong"));
    if (e.kind != Error::Kind::TooMany) return std::nullopt;
    log_refusal(ctx, "rate.limited", {"rule", e.code});
    auto r = page(429, ctx.text("declarant_code.too_many"));
    r.set("Retry-After", "900");
    return r;
}

Response signin_code_page(Context& ctx, int status, const std::string& error) {
    auto d = page_data(ctx, "declarant_code.signin.title");
    if (!d) return error_response(ctx, d.error());
    d->set("next", next_of(ctx));
    d->set("lang_switch_form", lang_switch_button("signin-code-form", std::string(kSignInCodePath)));
    if (!error.empty()) code_error(*d, error);
    return ctx.page(status, "declarant_signin_code", std::move(*d));
}

// My Page's page about the code: the set-up (QR code, the key for typing, the first code) for an
// account without one, else what it is and how to turn it off.
Response setup_page(Context& ctx, std::int64_t account, int status, const std::string& error,
                    const std::string& off_error = {}) {
    auto& codes = *ctx.services.declarant_codes;
    auto state = codes.state(account);
    if (!state) return error_response(ctx, state.error());
    auto d = page_data(ctx, "declarant_code.setup.title");
    if (!d) return error_response(ctx, d.error());
    d->set("next", next_of(ctx));
    if (state->required) d->set("required", true);
    if (state->set_up) {
        d->set("set_up", true);
        if (!state->required)
            d->set("lang_switch_form", lang_switch_button("code-off-form", std::string(kCodeSetupPath) + "/off"));
        if (!off_error.empty()) code_error(*d, off_error);
    } else {
        auto setup = codes.setup(account);
        if (!setup) return error_response(ctx, setup.error());
        d->set("secret", setup->secret);
        if (auto qr = render::qr_svg_data_uri(setup->uri)) d->set("qr", *qr);
        d->set("lang_switch_form", lang_switch_button("code-setup-form", std::string(kCodeSetupPath)));
        if (!error.empty()) code_error(*d, error);
    }
    take_flash(ctx, *d);
    return ctx.page(status, "declarant_code_setup", std::move(*d));
}

std::optional<std::int64_t> signed_in(Context& ctx, Response& out) {
    if (!ctx.services.declarant_codes) {
        out = status_response(ctx, 404);
        return std::nullopt;
    }
    auto account = ctx.account_id();
    if (!account) out = sign_in_first(ctx.req.path);
    return account;
}

}  // namespace

// --- after the mailed link ----------------------------------------------------------------------

Response signin_code_form(Context& ctx) {
    if (!ctx.services.declarant_codes) return status_response(ctx, 404);
    if (!ctx.account_awaiting_code()) return redirect(ctx.account_id() ? next_of(ctx) : std::string("/signin"));
    return signin_code_page(ctx, 200, {});
}

Response signin_code_submit(Context& ctx) {
    if (!ctx.services.declarant_codes) return status_response(ctx, 404);
    auto account = ctx.account_awaiting_code();
    if (!account) return redirect("/signin");
    // A language switch checks no code (and counts no attempt): the page again, its field empty.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return signin_code_page(ctx, 200, {});
    auto ok = ctx.services.declarant_codes->check(*account, console::form_value(ctx, "code"), ctx.req.remote_ip);
    if (!ok) {
        auto page = [&](int status, const std::string& message) { return signin_code_page(ctx, status, message); };
        if (auto r = code_refused(ctx, ok.error(), page)) return std::move(*r);
        return error_response(ctx, ok.error());
    }
    if (auto done = ctx.finish_sign_in(); !done) return error_response(ctx, done.error());
    return redirect(next_of(ctx));
}

// --- My Page: setting the code up and turning it off --------------------------------------------

Response code_setup_form(Context& ctx) {
    Response out;
    auto account = signed_in(ctx, out);
    if (!account) return out;
    return setup_page(ctx, *account, 200, {});
}

Response code_setup_submit(Context& ctx) {
    Response out;
    auto account = signed_in(ctx, out);
    if (!account) return out;
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return setup_page(ctx, *account, 200, {});
    auto ok =
        ctx.services.declarant_codes->confirm_setup(*account, console::form_value(ctx, "code"), ctx.req.remote_ip);
    if (!ok) {
        if (ok.error().code == "declarant_code.set_up") return redirect(std::string(kCodeSetupPath));
        auto page = [&](int status, const std::string& message) { return setup_page(ctx, *account, status, message); };
        if (auto r = code_refused(ctx, ok.error(), page)) return std::move(*r);
        return error_response(ctx, ok.error());
    }
    set_flash(ctx, "declarant_code.flash.on");
    return redirect(next_of(ctx));
}

Response code_off_submit(Context& ctx) {
    Response out;
    auto account = signed_in(ctx, out);
    if (!account) return out;
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return setup_page(ctx, *account, 200, {});
    auto ok = ctx.services.declarant_codes->turn_off(*account, console::form_value(ctx, "code"), ctx.req.remote_ip);
    if (!ok) {
        // Nothing to turn off (turned off meanwhile, or required by the programme): the page says how it is.
        if (ok.error().kind == Error::Kind::Forbidden || ok.error().kind == Error::Kind::NotFound)
            return redirect(std::string(kCodeSetupPath));
        auto page = [&](int status, const std::string& message) {
            return setup_page(ctx, *account, status, {}, message);
        };
        if (auto r = code_refused(ctx, ok.error(), page)) return std::move(*r);
        return error_response(ctx, ok.error());
    }
    set_flash(ctx, "declarant_code.flash.off");
    return redirect("/mypage");
}

Status add_code_to_mypage(Context& ctx, std::int64_t account, mustache::data& page) {
    if (!ctx.services.declarant_codes) return {};
    auto state = ctx.services.declarant_codes->state(account);
    if (!state) return fail(state.error());
    page.set("code_enabled", true);
    page.set("code_set_up", state->set_up);
    page.set("code_url", std::string(kCodeSetupPath));
    return {};
}

// --- the console: a reset for a declarant who lost the phone ------------------------------------

namespace {

// The declaration's account with a code, for the reset; nullopt and 404 otherwise.
std::optional<std::int64_t> account_with_code(Context& ctx, const DeclarationId& id, Response& instead) {
    auto rec = ctx.services.console->record(id);
    if (!rec) {
        instead = error_response(ctx, rec.error());
        return std::nullopt;
    }
    const auto account = rec->declaration.account_id;
    auto state = account ? ctx.services.declarant_codes->state(*account) : Result<app::DeclarantCodeState>{};
    if (!state) {
        instead = error_response(ctx, state.error());
        return std::nullopt;
    }
    if (!account || !state->set_up) {
        instead = status_response(ctx, 404);
        return std::nullopt;
    }
    return account;
}

// What both reset steps need: an admin, and the account with a code behind the declaration of the
// path; otherwise `instead` holds the answer (the sign-in page, 403 or 404).
struct ResetTarget {
    OperatorSession admin;
    std::int64_t account = 0;
    std::string back;  // the declaration's record in the console
};

std::optional<ResetTarget> reset_target(Context& ctx, Response& instead) {
    auto s = console::require_operator(ctx, console::Need::Admin, instead);
    if (!s) return std::nullopt;
    auto id = DeclarationId::parse(ctx.param("id"));
    if (!id.id || !ctx.services.declarant_codes) {
        instead = status_response(ctx, 404);
        return std::nullopt;
    }
    auto account = account_with_code(ctx, *id.id, instead);
    if (!account) return std::nullopt;
    return ResetTarget{std::move(*s), *account, "/console/declarations/" + id.id->digits()};
}

}  // namespace

// The confirmation asked first, on the verifier accounts' page (console_account_disable).
Response console_declarant_code_reset_confirm(Context& ctx) {
    Response instead;
    auto t = reset_target(ctx, instead);
    if (!t) return instead;
    const auto& back = t->back;
    auto d = console::console_data(ctx, "console.declarant_code.reset_title", &t->admin);
    d.set("heading", ctx.text("console.declarant_code.reset_title"));
    d.set("question_id", "declarant-code-reset-question");
    d.set("question", ctx.text("console.declarant_code.reset_question"));
    d.set("submit", ctx.text("console.declarant_code.reset_submit"));
    d.set("action", back + "/reset-code");
    d.set("cancel_url", back);
    return ctx.page(200, "console_account_disable", std::move(d));
}

Response console_declarant_code_reset(Context& ctx) {
    Response instead;
    auto t = reset_target(ctx, instead);
    if (!t) return instead;
    auto done = ctx.services.declarant_codes->reset(t->account, console::actor_of(t->admin), ctx.req.remote_ip);
    if (!done && done.error().kind != Error::Kind::NotFound) return error_response(ctx, done.error());
    return redirect(t->back);
}

}  // namespace sengen::web::handlers
