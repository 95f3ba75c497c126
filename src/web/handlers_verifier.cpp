// The verifiers' bulk verification page (/verifier, issue 12 point 7; ADR 0037): making an
// account with a verifier key, signing in with a password and a code from an authenticator app
// (ADR 0056; the set-up page first for an account without one) and out (a cookie of its own,
// apart from declarants' and operators'), uploading a CSV of IDs, and the result: a page of counts and problem rows,
// and the same rows as CSV (in the upload's encoding) and as .xlsx. Posts carry the usual CSRF token (the upload's in
// its multipart body).
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "app/verifier_accounts.hpp"
#include "domain/text_encoding.hpp"
#include "render/csv.hpp"
#include "render/qr_svg.hpp"
#include "render/xlsx_table.hpp"
#include "web/errors.hpp"
#include "web/form_values.hpp"
#include "web/handlers.hpp"
#include "web/link_token.hpp"

namespace sengen::web::handlers {

namespace {

std::optional<VerifierSession> verifier_session(Context& ctx) {
    auto token = ctx.req.cookie(cookie_name(ctx.services.config, kVerifierCookie));
    if (!token) return std::nullopt;
    auto found = ctx.services.verifier_accounts->resume(*token);
    if (!found) throw std::runtime_error("verifier session lookup failed: " + found.error().detail);
    return *found;
}

std::string form_value(const Context& ctx, std::string_view name) {
    return first(ctx.req.form_params(), name).value_or(std::string());
}

// What every verifier page has: its title, the CSRF token and, signed in, who and with which key.
mustache::data verifier_data(Context& ctx, const std::string& title_id, const VerifierSession* s) {
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text(title_id));
    d.set("noindex", true);
    if (auto csrf = ctx.csrf_token()) d.set("csrf", *csrf);
    if (s) {
        mustache::data nav{mustache::data::type::object};
        nav.set("email", s->email);
        nav.set("key_name", s->key_name);
        d.set("verifier_nav", nav);
        if (s->key_revoked) d.set("key_revoked", true);
    }
    return d;
}

// The account pages' data: their forms carry the header's language switch (what was typed stays).
mustache::data register_data(Context& ctx) {
    auto d = verifier_data(ctx, "verifier.register.title", nullptr);
    d.set("lang_switch_form", lang_switch_button("verifier-register-form", "/verifier/register"));
    return d;
}

mustache::data signin_data(Context& ctx) {
    auto d = verifier_data(ctx, "verifier.signin.title", nullptr);
    d.set("lang_switch_form", lang_switch_button("verifier-signin-form", "/verifier/signin"));
    return d;
}

Response too_many(Context& ctx, const Error& e, const std::string& tpl, mustache::data d) {
    log_refusal(ctx, "rate.limited", {"rule", e.code});
    d.set("error", ctx.text("console.too_many"));
    auto r = ctx.page(429, tpl, std::move(d));
    r.set("Retry-After", "900");
    return r;
}

// The message for a field error of the account form: the password policy's codes share the
// console's sentences.
std::string field_message(Context& ctx, const FieldError& f) {
    if (f.field == "password") return ctx.text("console.password." + f.code);
    return ctx.text("verifier.field_error." + f.field + "_" + f.code);
}

Response upload_page(Context& ctx, const VerifierSession& s, int status, const std::string& error) {
    auto d = verifier_data(ctx, "verifier.upload.title", &s);
    d.set("max_rows", std::to_string(app::kUploadMaxRows));
    d.set("max_kib", std::to_string(app::kUploadMaxBytes / 1024));
    if (!error.empty()) {
        d.set("error", error);
        d.set("error_file", true);
    }
    return ctx.page(status, "verifier_upload", std::move(d));
}

// --- the result as a table: the page, the CSV and the workbook show the same cells ------------

std::string reason_text(Context& ctx, const std::string& reason) {
    if (reason.empty()) return {};
    std::string id = reason;
    for (auto& c : id)
        if (c == '.') c = '_';
    return ctx.text("verifier.reason." + id);
}

std::string outcome_text(Context& ctx, app::RowOutcome o) {
    return ctx.text("verifier.outcome." + std::string(app::to_string(o)));
}

std::string status_text(Context& ctx, const std::string& status) {
    return status.empty() ? std::string() : ctx.text("status." + status);
}

std::string match_text(Context& ctx, const std::optional<bool>& m) {
    if (!m) return {};
    return ctx.text(*m ? "verifier.match.yes" : "verifier.match.no");
}

struct Table {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::size_t level_column = 0;  // written as a number in the workbook
    std::size_t line_column = 0;
};

Table result_table(Context& ctx, const app::UploadResult& r) {
    Table t;
    // At least the three columns an upload is read by (ID, corporate number, date), empty when the
    // file had fewer: the result columns then never stand where a corporate number or a date is
    // read, and a result file can be uploaded again as it is.
    const std::size_t width = std::max<std::size_t>(r.columns, 3);
    for (std::size_t i = 0; i < width; ++i) {
        if (r.header && i < r.header->size())
            t.header.push_back((*r.header)[i]);
        else if (i < 3)
            t.header.push_back(ctx.text(i == 0   ? "verifier.col.id"
                                        : i == 1 ? "verifier.col.corporate"
                                                 : "verifier.col.date"));
        else
            t.header.push_back(
                ctx.services.catalogue.format(ctx.lang, "verifier.col.extra", {{"n", std::to_string(i + 1)}}));
    }
    t.line_column = t.header.size();
    for (const char* id : {"verifier.col.line", "verifier.col.result", "verifier.col.level", "verifier.col.status",
                           "verifier.col.business_name", "verifier.col.declared_at", "verifier.col.since",
                           "verifier.col.match", "verifier.col.reason"})
        t.header.push_back(ctx.text(id));
    t.level_column = t.line_column + 2;
    t.rows.reserve(r.rows.size());
    for (const auto& row : r.rows) {
        std::vector<std::string> cells = row.fields;
        cells.resize(width);
        cells.push_back(std::to_string(row.line));
        cells.push_back(outcome_text(ctx, row.outcome));
        cells.push_back(row.level ? std::to_string(row.level) : std::string());
        cells.push_back(status_text(ctx, row.status));
        cells.push_back(row.business_name);
        cells.push_back(row.declared_at);
        cells.push_back(row.level_since);
        cells.push_back(match_text(ctx, row.corporate_number_matches));
        cells.push_back(reason_text(ctx, row.reason));
        t.rows.push_back(std::move(cells));
    }
    return t;
}

std::optional<VerifierSession> signed_in(Context& ctx, Response& refusal) {
    if (!ctx.services.verifier_accounts) {
        refusal = status_response(ctx, 404);
        return std::nullopt;
    }
    auto s = verifier_session(ctx);
    if (!s) {
        refusal = redirect("/verifier/signin");
        return s;
    }
    // A password alone opens nothing here (ADR 0056): the session goes on to its code step.
    if (s->stage != SignInStage::Full) {
        refusal = redirect(s->stage == SignInStage::TotpSetup ? "/verifier/totp" : "/verifier/signin/code");
        return std::nullopt;
    }
    return s;
}

// Where a session that has passed the password step goes next.
Response next_step(const app::OpenVerifierSession& open) {
    return redirect(open.session.stage == SignInStage::TotpSetup ? "/verifier/totp" : "/verifier/signin/code");
}

// The session at `stage` of the sign-in, or nullopt and the answer to give instead.
std::optional<VerifierSession> at_stage(Context& ctx, SignInStage stage, Response& refusal) {
    if (!ctx.services.verifier_accounts) {
        refusal = status_response(ctx, 404);
        return std::nullopt;
    }
    auto s = verifier_session(ctx);
    if (!s || s->stage != stage) {
        refusal = redirect("/verifier/signin");
        return std::nullopt;
    }
    return s;
}

// A refused code: the field says why, and the code typed is never shown again.
void code_error(mustache::data& d, const std::string& message) {
    d.set("error", message);
    d.set("error_code", true);
    d.set("code_message", message);
}

// The stored result the path names, or the answer to give instead.
std::optional<app::UploadResult> stored_result(Context& ctx, const VerifierSession& s, Response& refusal) {
    auto r = ctx.services.verifier_accounts->result(s, ctx.param("ref"));
    if (r) return std::move(*r);
    if (r.error().kind == Error::Kind::NotFound)
        refusal = ctx.message_page(404, {.title = ctx.text("verifier.expired.title"),
                                         .body = ctx.text("verifier.expired.body"),
                                         .link = "/verifier",
                                         .link_text = ctx.text("verifier.upload.title"),
                                         .noindex = true});
    else
        refusal = error_response(ctx, r.error());
    return std::nullopt;
}

}  // namespace

// --- the account ------------------------------------------------------------------------------

Response verifier_register_form(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    return ctx.page(200, "verifier_register", register_data(ctx));
}

Response verifier_register_submit(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    const bool switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    auto d = register_data(ctx);
    const auto email = form_value(ctx, "email");
    d.set("email", displayable(email));
    // A language switch makes no account; the key and the passwords are not written back.
    if (switched) return ctx.page(200, "verifier_register", std::move(d));
    const auto password = form_value(ctx, "password");
    if (password != form_value(ctx, "password_again")) {
        d.set("error", ctx.text("console.password.mismatch"));
        d.set("error_password", true);
        d.set("password_message", ctx.text("console.password.mismatch"));
        return ctx.page(422, "verifier_register", std::move(d));
    }
    auto asked = ctx.services.verifier_accounts->request_account(form_value(ctx, "key"), email, password,
                                                                 ctx.req.remote_ip, ctx.lang);
    if (!asked) {
        const auto& e = asked.error();
        // The day's mails to the address are spent: no wait of minutes would help (the mail limit's page).
        if (e.kind == Error::Kind::TooMany && e.code.starts_with("rate.mail.")) return error_response(ctx, e);
        if (e.kind == Error::Kind::TooMany) return too_many(ctx, e, "verifier_register", std::move(d));
        if (e.kind != Error::Kind::Invalid) return error_response(ctx, e);
        d.set("error", ctx.text("console.error.generic"));
        for (const auto& f : e.fields) {
            d.set("error_" + f.field, true);
            d.set(f.field + "_message", field_message(ctx, f));
        }
        return ctx.page(422, "verifier_register", std::move(d));
    }
    // The same page whether or not the address has an account (ADR 49): the mail says which.
    return ctx.message_page(200, {.title = ctx.text("verifier.register.sent.title"),
                                  .body = ctx.text("verifier.register.sent.body"),
                                  .noindex = true});
}

namespace {

Response registration_unknown(Context& ctx, const Error& e) {
    if (e.kind != Error::Kind::NotFound) return error_response(ctx, e);
    return ctx.message_page(404, {.title = ctx.text("verifier.register.unknown.title"),
                                  .body = ctx.text("verifier.register.unknown.body"),
                                  .link = "/verifier/register",
                                  .link_text = ctx.text("verifier.register.title"),
                                  .noindex = true});
}

}  // namespace

// The link mailed to a new address: a page with a button, so that a mail scanner fetching the
// URL makes no account.
Response verifier_registration_show(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    auto email = ctx.services.verifier_accounts->registration_for(link_token(ctx));
    if (!email) return registration_unknown(ctx, email.error());
    auto d = verifier_data(ctx, "verifier.register.confirm.title", nullptr);
    d.set("email", *email);
    set_link_form(ctx, d, "/verifier/register/link", "verifier-register-form");
    return ctx.page(200, "verifier_register_confirm", std::move(d));
}

Response verifier_registration_complete(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    auto open = ctx.services.verifier_accounts->complete_registration(link_token(ctx), ctx.req.remote_ip);
    if (!open) {
        const auto& e = open.error();
        if (e.kind == Error::Kind::TooMany) {
            log_refusal(ctx, "rate.limited", {"rule", e.code});
            auto r = ctx.message_page(429, {.title = ctx.text("verifier.register.confirm.title"),
                                            .body = ctx.text("console.too_many"),
                                            .noindex = true});
            r.set("Retry-After", "900");
            return r;
        }
        // The address has proved itself: it may now be told that it has an account.
        if (e.kind == Error::Kind::Conflict)
            return ctx.message_page(409, {.title = ctx.text("verifier.register.confirm.title"),
                                          .body = ctx.text("verifier.register.exists"),
                                          .link = "/verifier/signin",
                                          .link_text = ctx.text("verifier.signin.title"),
                                          .noindex = true});
        if (e.kind == Error::Kind::Forbidden)
            return ctx.message_page(403, {.title = ctx.text("verifier.register.confirm.title"),
                                          .body = ctx.text("verifier.key_revoked"),
                                          .noindex = true});
        return registration_unknown(ctx, e);
    }
    set_strict_cookie(ctx, kVerifierCookie, open->token);
    return next_step(*open);
}

Response verifier_signin_form(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    return ctx.page(200, "verifier_signin", signin_data(ctx));
}

Response verifier_signin_submit(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    const bool switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    auto d = signin_data(ctx);
    const auto email = form_value(ctx, "email");
    d.set("email", displayable(email));
    // A language switch signs nobody in: the address comes back, the password does not.
    if (switched) return ctx.page(200, "verifier_signin", std::move(d));
    auto open = ctx.services.verifier_accounts->sign_in(email, form_value(ctx, "password"), ctx.req.remote_ip);
    if (!open) {
        if (open.error().kind == Error::Kind::TooMany)
            return too_many(ctx, open.error(), "verifier_signin", std::move(d));
        if (open.error().kind != Error::Kind::Forbidden) return error_response(ctx, open.error());
        d.set("error", ctx.text("console.signin.failed"));
        d.set("error_password", true);
        d.set("password_message", ctx.text("console.signin.failed"));
        return ctx.page(403, "verifier_signin", std::move(d));
    }
    set_strict_cookie(ctx, kVerifierCookie, open->token);
    return next_step(*open);
}

// --- the second factor (ADR 0056): set up once, then a code at every sign-in --------------------

namespace {

Response totp_page(Context& ctx, const VerifierSession& s, int status, const std::string& error) {
    auto setup = ctx.services.verifier_accounts->totp_setup(s);
    if (!setup) return error_response(ctx, setup.error());
    auto d = verifier_data(ctx, "verifier.totp.title", nullptr);
    d.set("email", s.email);
    d.set("secret", setup->secret);
    if (auto qr = render::qr_svg_data_uri(setup->uri)) d.set("qr", *qr);
    d.set("lang_switch_form", lang_switch_button("verifier-totp-form", "/verifier/totp"));
    if (!error.empty()) code_error(d, error);
    return ctx.page(status, "verifier_totp", std::move(d));
}

Response code_page(Context& ctx, int status, const std::string& error) {
    auto d = verifier_data(ctx, "verifier.code.title", nullptr);
    d.set("lang_switch_form", lang_switch_button("verifier-code-form", "/verifier/signin/code"));
    if (!error.empty()) code_error(d, error);
    return ctx.page(status, "verifier_code", std::move(d));
}

// The answer to a refused code on either page, or nullopt when it is not a refusal of the code.
std::optional<Response> code_refused(Context& ctx, const Error& e,
                                     const std::function<Response(int, std::string)>& page) {
    if (e.kind == Error::Kind::Invalid) return page(422, ctx.text("console.code.wrong"));
    if (e.kind != Error::Kind::TooMany) return std::nullopt;
    log_refusal(ctx, "rate.limited", {"rule", e.code});
    auto r = page(429, ctx.text("console.too_many"));
    r.set("Retry-After", "900");
    return r;
}

}  // namespace

Response verifier_totp_form(Context& ctx) {
    Response refusal;
    auto s = at_stage(ctx, SignInStage::TotpSetup, refusal);
    return s ? totp_page(ctx, *s, 200, {}) : refusal;
}

Response verifier_totp_submit(Context& ctx) {
    Response refusal;
    auto s = at_stage(ctx, SignInStage::TotpSetup, refusal);
    if (!s) return refusal;
    // A language switch checks no code (and counts no attempt): the page again, its field empty.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return totp_page(ctx, *s, 200, {});
    auto open = ctx.services.verifier_accounts->confirm_totp(*s, form_value(ctx, "code"), ctx.req.remote_ip);
    if (!open) {
        auto page = [&](int status, const std::string& message) { return totp_page(ctx, *s, status, message); };
        if (auto r = code_refused(ctx, open.error(), page)) return std::move(*r);
        return error_response(ctx, open.error());
    }
    set_strict_cookie(ctx, kVerifierCookie, open->token);
    return redirect("/verifier");
}

Response verifier_code_form(Context& ctx) {
    Response refusal;
    auto s = at_stage(ctx, SignInStage::SecondFactor, refusal);
    return s ? code_page(ctx, 200, {}) : refusal;
}

Response verifier_code_submit(Context& ctx) {
    Response refusal;
    auto s = at_stage(ctx, SignInStage::SecondFactor, refusal);
    if (!s) return refusal;
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return code_page(ctx, 200, {});
    auto open = ctx.services.verifier_accounts->second_factor(*s, form_value(ctx, "code"), ctx.req.remote_ip);
    if (!open) {
        auto page = [&](int status, const std::string& message) { return code_page(ctx, status, message); };
        if (auto r = code_refused(ctx, open.error(), page)) return std::move(*r);
        return error_response(ctx, open.error());
    }
    set_strict_cookie(ctx, kVerifierCookie, open->token);
    return redirect("/verifier");
}

Response verifier_signout(Context& ctx) {
    if (!ctx.services.verifier_accounts) return status_response(ctx, 404);
    if (auto s = verifier_session(ctx)) (void)ctx.services.verifier_accounts->sign_out(*s, ctx.req.remote_ip);
    set_strict_cookie(ctx, kVerifierCookie, "", 0);
    return redirect("/verifier/signin");
}

// --- changing one's password (ASVS V6.2.2, V6.2.3): the console's page and sentences ----------

Response verifier_password_form(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    auto d = verifier_data(ctx, "console.password.title", &*s);
    d.set("email", s->email);
    d.set("lang_switch_form", lang_switch_button("verifier-password-form", "/verifier/password"));
    return ctx.page(200, "verifier_password", std::move(d));
}

Response verifier_password_submit(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    // Switching language shows the form again: no password typed is written back or checked.
    if (posted_lang_switch(ctx) == LangSwitch::Posted) return verifier_password_form(ctx);
    auto d = verifier_data(ctx, "console.password.title", &*s);
    d.set("email", s->email);
    d.set("lang_switch_form", lang_switch_button("verifier-password-form", "/verifier/password"));
    auto refuse = [&](const std::string& field, const std::string& message) {
        d.set("error", message);
        d.set("error_" + field, true);
        d.set(field + "_message", message);
        return ctx.page(422, "verifier_password", std::move(d));
    };
    const auto fresh = form_value(ctx, "new_password");
    if (fresh != form_value(ctx, "password_again"))
        return refuse("new_password", ctx.text("console.password.mismatch"));
    auto changed = ctx.services.verifier_accounts->change_password(*s, form_value(ctx, "current_password"), fresh,
                                                                   ctx.req.remote_ip);
    if (!changed) {
        const auto& e = changed.error();
        if (e.kind == Error::Kind::TooMany) return too_many(ctx, e, "verifier_password", std::move(d));
        if (e.kind != Error::Kind::Invalid || e.fields.empty()) return error_response(ctx, e);
        return refuse(e.fields.front().field, ctx.text("console.password." + e.fields.front().code));
    }
    d.set("changed", true);
    return ctx.page(200, "verifier_password", std::move(d));
}

// --- uploading and the result -----------------------------------------------------------------

Response verifier_home(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    return upload_page(ctx, *s, 200, {});
}

Response verifier_upload(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    if (s->key_revoked) return upload_page(ctx, *s, 403, ctx.text("verifier.key_revoked"));
    std::optional<std::string_view> file;
    if (auto parts = ctx.req.form_parts())
        for (const auto& p : *parts)
            if (p.name == "file" && p.filename && !p.filename->empty()) file = p.data;
    if (!file) return upload_page(ctx, *s, 422, ctx.text("verifier.file.missing"));
    auto uploaded = ctx.services.verifier_accounts->upload(*s, *file);
    if (!uploaded) {
        const auto& e = uploaded.error();
        if (e.kind == Error::Kind::Invalid && !e.fields.empty())
            return upload_page(ctx, *s, e.fields.front().code == "too_large" ? 413 : 422,
                               ctx.text("verifier.file." + e.fields.front().code));
        if (e.kind == Error::Kind::Forbidden) return upload_page(ctx, *s, 403, ctx.text("verifier.key_revoked"));
        if (e.kind == Error::Kind::TooMany) {
            log_refusal(ctx, "rate.limited", {"rule", e.code});
            auto r = upload_page(ctx, *s, 429, ctx.text("verifier.rate_limited"));
            r.set("Retry-After", "60");
            return r;
        }
        return error_response(ctx, e);
    }
    // A file larger than the key's limit per minute could never get through: say how to split it.
    if (const auto* over = std::get_if<app::OverKeyLimit>(&*uploaded))
        return upload_page(ctx, *s, 422,
                           ctx.services.catalogue.format(ctx.lang, "verifier.file.over_key_limit",
                                                         {{"rows", std::to_string(over->rows)},
                                                          {"limit", std::to_string(over->ids_per_minute)}}));
    return redirect("/verifier/results/" + std::get<std::string>(*uploaded));
}

Response verifier_result(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    auto r = stored_result(ctx, *s, refusal);
    if (!r) return refusal;
    auto d = verifier_data(ctx, "verifier.result.title", &*s);
    mustache::data counts{mustache::data::type::list};
    for (auto o : {app::RowOutcome::Found, app::RowOutcome::NotFound, app::RowOutcome::Mistyped,
                   app::RowOutcome::Mismatch, app::RowOutcome::BadRow}) {
        mustache::data c{mustache::data::type::object};
        c.set("label", outcome_text(ctx, o));
        c.set("key", std::string(app::to_string(o)));
        c.set("count", std::to_string(r->count(o)));
        counts.push_back(c);
    }
    d.set("counts", counts);
    d.set("total", std::to_string(r->rows.size()));
    d.set("encoding",
          ctx.text(r->encoding == text::Encoding::ShiftJis ? "verifier.encoding.shift_jis" : "verifier.encoding.utf8"));
    // The row taken as the heading is not a result row: show it, so that no row goes unseen.
    if (r->header) {
        std::string cells;
        for (const auto& c : *r->header) {
            if (!cells.empty()) cells += ", ";
            cells += c;
        }
        d.set("heading", ctx.services.catalogue.format(ctx.lang, "verifier.result.heading",
                                                       {{"line", std::to_string(r->header_line)}, {"cells", cells}}));
    }
    // Every row that needs a look, with its line in the file; the downloads hold every row.
    constexpr std::size_t kShown = 2000;
    mustache::data problems{mustache::data::type::list};
    std::size_t n = 0, shown = 0;
    for (const auto& row : r->rows) {
        if (row.outcome == app::RowOutcome::Found) continue;
        ++n;
        if (shown == kShown) continue;
        ++shown;
        mustache::data p{mustache::data::type::object};
        p.set("line", std::to_string(row.line));
        p.set("id", row.fields.empty() ? std::string() : row.fields.front());
        p.set("result", outcome_text(ctx, row.outcome));
        p.set("reason", row.outcome == app::RowOutcome::Mismatch ? ctx.text("verifier.reason.mismatch")
                                                                 : reason_text(ctx, row.reason));
        problems.push_back(p);
    }
    d.set("problems", problems);
    if (n > 0) d.set("has_problems", true);
    if (n > shown)
        d.set("more",
              ctx.services.catalogue.format(ctx.lang, "verifier.result.more", {{"n", std::to_string(n - shown)}}));
    const std::string base = "/verifier/results/" + ctx.param("ref");
    d.set("csv_url", base + "/results.csv");
    d.set("xlsx_url", base + "/results.xlsx");
    return ctx.page(200, "verifier_result", std::move(d));
}

Response verifier_result_csv(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    auto r = stored_result(ctx, *s, refusal);
    if (!r) return refusal;
    const auto t = result_table(ctx, *r);
    std::string out;
    auto line = [&](const std::vector<std::string>& cells, bool raw_numbers) {
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) out += ',';
            const bool number = raw_numbers && (i == t.line_column || i == t.level_column);
            out += number ? cells[i] : render::csv_cell(cells[i]);
        }
        out += "\r\n";
    };
    line(t.header, false);
    for (const auto& row : t.rows) line(row, true);
    // The encoding the file came in: Excel in Japan reads a CSV without a BOM as Shift_JIS.
    if (r->encoding == text::Encoding::ShiftJis)
        return download_response("text/csv; charset=Shift_JIS", "verification-results.csv", text::to_cp932(out));
    return download_response("text/csv; charset=utf-8", "verification-results.csv", "\xEF\xBB\xBF" + out);
}

Response verifier_result_xlsx(Context& ctx) {
    Response refusal;
    auto s = signed_in(ctx, refusal);
    if (!s) return refusal;
    auto r = stored_result(ctx, *s, refusal);
    if (!r) return refusal;
    const auto t = result_table(ctx, *r);
    std::vector<std::string_view> header(t.header.begin(), t.header.end());
    std::vector<std::vector<render::XlsxCell>> rows;
    rows.reserve(t.rows.size());
    for (const auto& row : t.rows) {
        auto& cells = rows.emplace_back(row.size());
        for (std::size_t i = 0; i < row.size(); ++i) {
            cells[i].text = row[i];
            if ((i == t.line_column || i == t.level_column) && !row[i].empty())
                cells[i].number = static_cast<double>(std::stoll(row[i]));
        }
    }
    auto bytes = render::xlsx_bytes("results", header, rows);
    if (!bytes) return error_response(ctx, bytes.error());
    return download_response("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             "verification-results.xlsx", std::move(*bytes));
}

}  // namespace sengen::web::handlers
