// The console's pages for running the registry day to day (issue 12, point 2): the review queue,
// corporate-number disputes, failed mail, the versions of the terms, verifier keys and the export
// of declarations. Each needs a fully signed-in operator (keys and exports an admin, ADR 38); each
// action goes through the use case the CLI calls and is recorded in the audit log with the
// operator and their address.
#include <algorithm>
#include <sstream>
#include <string>

#include "app/console.hpp"
#include "domain/dates.hpp"
#include "domain/text.hpp"
#include "render/xlsx_table.hpp"
#include "web/console_page.hpp"
#include "web/errors.hpp"
#include "web/form_values.hpp"
#include "web/handlers.hpp"

namespace sengen::web::handlers {

using namespace console;

namespace {

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

void set_error(mustache::data& d, const std::string& message) { d.set("error", message); }

// --- the review queue ---------------------------------------------------------------------------

// What the review queue and the disputes page both say of an open dispute.
mustache::data dispute_row(Context& ctx, const CorporateNumberDispute& x) {
    mustache::data r{mustache::data::type::object};
    r.set("dispute_id", std::to_string(x.id));
    r.set("corporate_number", x.corporate_number);
    r.set("claim_business_name", x.claim_business_name);
    r.set("opened", when(ctx, x.opened_at));
    return r;
}

// What was typed into one of the forms of a page that has one per item (an application waiting
// for review, an open dispute), shown back in that form. `mark` says whether its reason is marked
// as what the page's message is about; a language switch marks nothing.
struct Typed {
    std::int64_t id = 0;
    std::string reason = {};
    std::string winner = {};
    enum class Mark { Reason, None } mark = Mark::Reason;
};

// The item whose form the header's language switch belongs to: the one typed into when the page
// still shows it, otherwise the first (a button belongs to one form only; without scripts the
// page cannot know which form the operator is filling in, and they usually work from the top).
// With scripts, static/lang-switch.js moves the button to the form being filled in.
template <typename Items>
std::int64_t switch_target(const Items& items, std::int64_t typed_id) {
    const bool shown = std::any_of(items.begin(), items.end(), [&](const auto& i) { return i.id == typed_id; });
    return shown ? typed_id : items.front().id;
}

void show_typed(mustache::data& r, const Typed& typed) {
    r.set("reason", displayable(typed.reason));
    if (typed.mark == Typed::Mark::Reason) r.set("error_reason", true);
    if (typed.winner == "holder") r.set("winner_holder", true);
    if (typed.winner == "claimant") r.set("winner_claimant", true);
}

Response review_page(Context& ctx, const OperatorSession& s, int status, const std::string& error,
                     const Typed& typed = {}) {
    auto d = console_data(ctx, "console.review.title", &s);
    if (!ctx.services.registry.settings().hold_for_review) d.set("review_off", true);
    auto list = ctx.services.declarations.awaiting_review(200);
    if (!list) return error_response(ctx, list.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& a : *list) {
        mustache::data r{mustache::data::type::object};
        r.set("app_id", std::to_string(a.id));
        r.set("business_name", a.details.business_name);
        r.set("business_name_kana", a.details.business_name_kana);
        r.set("corporate_number", a.details.corporate_number.empty() ? "—" : a.details.corporate_number);
        r.set("contact_name", a.details.contact_name);
        r.set("contact_email", a.details.contact_email);
        r.set("prefecture", a.details.prefecture);
        r.set("level", stars(a.state.level));
        r.set("applied_at", when(ctx, a.created_at));
        r.set("terms_version", a.terms_version);
        if (!a.details.website.empty()) r.set("website", a.details.website);
        if (a.id == typed.id) show_typed(r, typed);
        rows.push_back(r);
    }
    d.set("applications", rows);
    if (list->empty()) d.set("none", true);
    if (!list->empty()) {
        const auto target = std::to_string(switch_target(*list, typed.id));
        d.set("lang_switch_form", lang_switch_button("reject-" + target, "/console/review/" + target + "/reject"));
    }
    // A claim to a number that already has a live declaration waits for an operator as much as
    // an application does: the queue names each one, and its decision is on the disputes page.
    auto disputes = ctx.services.declarations.open_disputes(200);
    if (!disputes) return error_response(ctx, disputes.error());
    mustache::data open{mustache::data::type::list};
    for (const auto& x : *disputes) open.push_back(dispute_row(ctx, x));
    if (!disputes->empty()) {
        d.set("has_disputes", true);
        d.set("disputes", open);
    }
    if (!error.empty()) set_error(d, error);
    return ctx.page(status, "console_review", std::move(d));
}

// A decision that lost its race (another operator was quicker, or the number is held after all):
// the page again with what happened, not an error page.
std::string refusal_text(const Context& ctx, const Error& e, const std::string& gone_id) {
    if (e.code.ends_with(".number_taken")) return ctx.text("console.review.number_taken");
    return ctx.text(gone_id);
}

bool lost_race(const Error& e) {
    return e.kind == Error::Kind::IllegalTransition || e.kind == Error::Kind::Conflict ||
           e.kind == Error::Kind::NotFound;
}

}  // namespace

Response console_review(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    return review_page(ctx, *s, 200, {});
}

Response console_review_decide(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    if (id == 0) return status_response(ctx, 404);
    const bool approving = ctx.route.ends_with("/approve");
    const auto reason = form_value(ctx, "reason");
    // A language switch approves and rejects nothing: the queue again, the reason kept.
    if (posted_lang_switch(ctx) == LangSwitch::Posted)
        return review_page(ctx, *s, 200, {}, {.id = id, .reason = reason, .mark = Typed::Mark::None});
    if (!approving && blank(reason))
        return review_page(ctx, *s, 422, ctx.text("console.review.reason_required"), {.id = id, .reason = reason});
    // The broken text is not shown back in the form either.
    if (!approving && !keepable_reason(reason))
        return review_page(ctx, *s, 422, ctx.text("console.reason.invalid"), {.id = id});
    auto done = approving ? ctx.services.declarations.approve(id, actor_of(*s), ctx.req.remote_ip)
                          : ctx.services.declarations.reject(id, reason, actor_of(*s), ctx.req.remote_ip);
    if (!done) {
        if (lost_race(done.error()))
            return review_page(ctx, *s, 409, refusal_text(ctx, done.error(), "console.review.gone"));
        return error_response(ctx, done.error());
    }
    // An approved application is a declaration now: its record shows the ID just issued.
    if (approving && done->public_id) return redirect("/console/declarations/" + done->public_id->digits());
    return redirect("/console/review");
}

// --- corporate-number disputes ------------------------------------------------------------------

namespace {

Response disputes_page(Context& ctx, const OperatorSession& s, int status, const std::string& error,
                       const Typed& typed = {}) {
    auto d = console_data(ctx, "console.disputes.title", &s);
    auto list = ctx.services.declarations.open_disputes(200);
    if (!list) return error_response(ctx, list.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& x : *list) {
        mustache::data r = dispute_row(ctx, x);
        r.set("claim_contact_email", x.claim_contact_email);
        r.set("holder_business_name", x.holder_business_name);
        if (x.holder_public_id) {
            r.set("holder_id", x.holder_public_id->digits());
            r.set("holder_url", "/console/declarations/" + x.holder_public_id->digits());
        }
        if (x.id == typed.id) show_typed(r, typed);
        rows.push_back(r);
    }
    d.set("disputes", rows);
    if (list->empty()) d.set("none", true);
    if (!list->empty()) {
        const auto target = std::to_string(switch_target(*list, typed.id));
        d.set("lang_switch_form", lang_switch_button("settle-" + target, "/console/disputes/" + target + "/settle"));
    }
    if (!error.empty()) set_error(d, error);
    return ctx.page(status, "console_disputes", std::move(d));
}

}  // namespace

Response console_disputes(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    return disputes_page(ctx, *s, 200, {});
}

Response console_dispute_settle(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    if (id == 0) return status_response(ctx, 404);
    const auto winner = form_value(ctx, "winner");
    const auto reason = form_value(ctx, "reason");
    // A language switch settles nothing: the disputes again, the choice and the reason kept.
    if (posted_lang_switch(ctx) == LangSwitch::Posted)
        return disputes_page(ctx, *s, 200, {},
                             {.id = id, .reason = reason, .winner = winner, .mark = Typed::Mark::None});
    if (winner != "holder" && winner != "claimant")
        return disputes_page(ctx, *s, 422, ctx.text("console.disputes.choose_outcome"),
                             {.id = id, .reason = reason, .winner = winner});
    if (blank(reason))
        return disputes_page(ctx, *s, 422, ctx.text("console.disputes.reason_required"),
                             {.id = id, .reason = reason, .winner = winner});
    if (!keepable_reason(reason))
        return disputes_page(ctx, *s, 422, ctx.text("console.reason.invalid"), {.id = id, .winner = winner});
    using W = app::Declarations::DisputeWinner;
    auto done = ctx.services.declarations.settle_dispute(id, winner == "holder" ? W::Holder : W::Claimant, reason,
                                                         actor_of(*s), ctx.req.remote_ip);
    if (!done) {
        if (lost_race(done.error()))
            return disputes_page(ctx, *s, 409, refusal_text(ctx, done.error(), "console.disputes.gone"));
        return error_response(ctx, done.error());
    }
    return redirect("/console/disputes");
}

// --- failed mail --------------------------------------------------------------------------------

namespace {

Response mail_page(Context& ctx, const OperatorSession& s, int status, const std::string& error) {
    auto d = console_data(ctx, "console.mail.title", &s);
    const bool with_pending = query_value(ctx, "pending") == "1";
    if (with_pending) d.set("with_pending", true);
    auto list = ctx.services.console->mail_to_look_at(with_pending ? app::Console::PendingMail::Include
                                                                   : app::Console::PendingMail::Omit);
    if (!list) return error_response(ctx, list.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& m : *list) {
        mustache::data r{mustache::data::type::object};
        r.set("mail_id", std::to_string(m.id));
        r.set("recipient", m.recipient);
        // Mail queued before kinds were kept is named by its subject (never by its text).
        r.set("kind", m.kind.empty() ? m.subject : m.kind);
        r.set("attempts", std::to_string(m.attempts));
        r.set("last_error", m.last_error.empty() ? "—" : m.last_error);
        r.set("created", when(ctx, m.created_at));
        const bool failed = m.state == OutboxEntry::State::Failed;
        r.set("state", ctx.text(failed ? "console.mail.state_failed" : "console.mail.state_pending"));
        if (failed) r.set("can_retry", true);
        rows.push_back(r);
    }
    d.set("mails", rows);
    if (list->empty()) d.set("none", true);
    if (!error.empty()) set_error(d, error);
    return ctx.page(status, "console_mail", std::move(d));
}

}  // namespace

Response console_mail(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    return mail_page(ctx, *s, 200, {});
}

Response console_mail_retry(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    if (id == 0) return status_response(ctx, 404);
    auto done = ctx.services.console->retry_mail(id, actor_of(*s), ctx.req.remote_ip);
    if (!done) {
        if (done.error().kind == Error::Kind::NotFound) return mail_page(ctx, *s, 409, ctx.text("console.mail.gone"));
        return error_response(ctx, done.error());
    }
    return redirect("/console/mail");
}

// --- the versions of the terms ------------------------------------------------------------------

Response console_terms(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Staff, refusal);
    if (!s) return refusal;
    auto uses = ctx.services.console->terms_in_use(ctx.services.registry.content().terms);
    if (!uses) return error_response(ctx, uses.error());
    auto d = console_data(ctx, "console.terms.title", &*s);
    mustache::data rows{mustache::data::type::list};
    // Newest first: the current version leads.
    for (auto u = uses->rbegin(); u != uses->rend(); ++u) {
        mustache::data r{mustache::data::type::object};
        r.set("version", u->terms->version);
        r.set("title", u->terms->title.in(ctx.lang));
        auto effective = dates::parse_iso_date(u->terms->effective);
        r.set("effective", effective ? dates::display(ctx.lang, *effective) : u->terms->effective);
        r.set("agreements", std::to_string(u->agreements));
        r.set("url", "/terms/" + u->terms->version);
        if (u->current) r.set("current", true);
        rows.push_back(r);
    }
    d.set("versions", rows);
    return ctx.page(200, "console_terms", std::move(d));
}

// --- verifier keys (admin) ----------------------------------------------------------------------

namespace {

Response keys_page(Context& ctx, const OperatorSession& s, int status, mustache::data d) {
    auto keys = ctx.services.console->verifier_keys();
    if (!keys) return error_response(ctx, keys.error());
    mustache::data rows{mustache::data::type::list};
    for (const auto& k : *keys) {
        mustache::data r{mustache::data::type::object};
        r.set("key_id", std::to_string(k.key.id));
        r.set("name", k.key.name);
        r.set("rate", std::to_string(k.key.ids_per_minute));
        r.set("created", when(ctx, k.key.created_at));
        r.set("last_used", k.last_used ? when(ctx, *k.last_used) : ctx.text("console.keys.never_used"));
        if (k.key.revoked_at)
            r.set("revoked", when(ctx, *k.key.revoked_at));
        else
            r.set("revoke_url", "/console/verifier-keys/" + std::to_string(k.key.id) + "/revoke");
        rows.push_back(r);
    }
    d.set("keys", rows);
    if (keys->empty()) d.set("none", true);
    if (!d.get("rate")) d.set("rate", std::to_string(app::VerifierKeys::kDefaultIdsPerMinute));
    // The accounts key holders made (ADR 0037): an account verifies with its key, so a revoked
    // key is shown as what stops it.
    auto accounts = ctx.services.console->keys().accounts();
    if (!accounts) return error_response(ctx, accounts.error());
    mustache::data account_rows{mustache::data::type::list};
    for (const auto& a : *accounts) {
        mustache::data r{mustache::data::type::object};
        r.set("account_id", std::to_string(a.id));
        r.set("key_name", a.key_name);
        r.set("email", a.email);
        r.set("created", when(ctx, a.created_at));
        r.set("last_sign_in",
              a.last_signed_in_at ? when(ctx, *a.last_signed_in_at) : ctx.text("console.accounts.never_signed_in"));
        if (a.disabled_at) {
            r.set("status", ctx.services.catalogue.format(ctx.lang, "console.accounts.status_disabled",
                                                          {{"date", when(ctx, *a.disabled_at)}}));
        } else {
            r.set("status",
                  ctx.text(a.key_revoked ? "console.accounts.status_key_revoked" : "console.accounts.status_active"));
            r.set("disable_url", "/console/verifier-accounts/" + std::to_string(a.id) + "/disable");
            // A second factor to forget, for a verifier who lost its device (ADR 0056).
            if (!a.totp_secret.empty())
                r.set("reset_url", "/console/verifier-accounts/" + std::to_string(a.id) + "/reset-code");
        }
        account_rows.push_back(r);
    }
    d.set("accounts", account_rows);
    if (accounts->empty()) d.set("no_accounts", true);
    d.set("lang_switch_form", lang_switch_button("key-form", "/console/verifier-keys"));
    (void)s;
    return ctx.page(status, "console_keys", std::move(d));
}

// After revoking a key or disabling an account (`failed`: nullptr when it was done): on to `to`;
// when the thing was gone already (another operator, another node), the keys page with `gone`
// and 409; any other error as usual.
Response after_keys_action(Context& ctx, const OperatorSession& s, const Error* failed, const char* gone,
                           const std::string& to) {
    if (!failed) return redirect(to);
    if (failed->kind != Error::Kind::NotFound) return error_response(ctx, *failed);
    auto d = console_data(ctx, "console.keys.title", &s);
    set_error(d, ctx.text(gone));
    return keys_page(ctx, s, 409, std::move(d));
}

}  // namespace

Response console_keys(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    return keys_page(ctx, *s, 200, console_data(ctx, "console.keys.title", &*s));
}

Response console_key_create(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const bool switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    auto d = console_data(ctx, "console.keys.title", &*s);
    const auto name = form_value(ctx, "name");
    const auto rate_typed = form_value(ctx, "rate");
    d.set("name", displayable(name));
    d.set("rate", displayable(rate_typed));
    // A language switch makes no key: the page again with the name and the rate typed.
    if (switched) return keys_page(ctx, *s, 200, std::move(d));
    // Digits (full width too) and spaces only: a sign or a hyphen makes it no rate at all, rather
    // than being dropped ("-5" is not 5). 0 is refused by the use case with the field named.
    int rate = 0;
    auto folded = text::fold_for_numbers(rate_typed);
    std::erase_if(folded, [](char c) { return c == ' ' || c == '\t'; });
    if (!folded.empty() && folded.size() <= 9 &&
        std::all_of(folded.begin(), folded.end(), [](char c) { return c >= '0' && c <= '9'; }))
        rate = std::stoi(folded);
    auto made = ctx.services.console->keys().create(name, rate, actor_of(*s), ctx.req.remote_ip);
    if (!made) {
        const auto& e = made.error();
        if (e.kind == Error::Kind::Invalid && !e.fields.empty()) {
            const auto& f = e.fields.front();
            d.set("error_" + f.field, true);
            set_error(d, ctx.text(f.field == "rate"      ? "console.keys.rate_invalid"
                                  : f.code == "required" ? "console.keys.name_required"
                                                         : "console.keys.name_too_long"));
            return keys_page(ctx, *s, 422, std::move(d));
        }
        if (e.kind == Error::Kind::Conflict) {
            d.set("error_name", true);
            set_error(d, ctx.text("console.keys.name_taken"));
            return keys_page(ctx, *s, 409, std::move(d));
        }
        return error_response(ctx, e);
    }
    // The one time the key is shown: only its hash is stored, so nobody can show it again.
    d.set("name", std::string());
    d.set("rate", std::to_string(app::VerifierKeys::kDefaultIdsPerMinute));
    d.set("created_key", made->secret);
    d.set("created_name", made->key.name);
    return keys_page(ctx, *s, 200, std::move(d));
}

namespace {

// The key a revoke URL names, while it can still be revoked.
std::optional<VerifierKey> revocable_key(Context& ctx, std::int64_t id, Response& instead) {
    auto keys = ctx.services.console->verifier_keys();
    if (!keys) {
        instead = error_response(ctx, keys.error());
        return std::nullopt;
    }
    for (const auto& k : *keys)
        if (k.key.id == id && !k.key.revoked_at) return k.key;
    instead = status_response(ctx, 404);
    return std::nullopt;
}

}  // namespace

Response console_key_revoke_confirm(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    Response instead;
    auto key = revocable_key(ctx, id, instead);
    if (!key) return instead;
    auto d = console_data(ctx, "console.keys.revoke_title", &*s);
    d.set("question", ctx.services.catalogue.format(ctx.lang, "console.keys.revoke_question", {{"name", key->name}}));
    d.set("action", "/console/verifier-keys/" + std::to_string(id) + "/revoke");
    return ctx.page(200, "console_key_revoke", std::move(d));
}

Response console_key_revoke(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    if (id == 0) return status_response(ctx, 404);
    auto done = ctx.services.console->keys().revoke(id, actor_of(*s), ctx.req.remote_ip);
    return after_keys_action(ctx, *s, done ? nullptr : &done.error(), "console.keys.gone", "/console/verifier-keys");
}

// --- verifier accounts (admin) ------------------------------------------------------------------

namespace {

// An action on one verifier account: its words in the catalogue ("console.accounts.<name>_..."),
// its path under /console/verifier-accounts/{id}/ and the use case that does it.
struct AccountAction {
    std::string name;
    std::string path;
    Result<VerifierAccount> (*run)(app::VerifierKeys& keys, std::int64_t id, const std::string& actor,
                                   const std::string& ip);
};

const AccountAction kDisable{"disable", "disable",
                             [](app::VerifierKeys& keys, std::int64_t id, const std::string& actor,
                                const std::string& ip) { return keys.disable_account(id, actor, ip); }};
const AccountAction kReset{"reset", "reset-code",
                           [](app::VerifierKeys& keys, std::int64_t id, const std::string& actor,
                              const std::string& ip) { return keys.reset_second_factor(id, actor, ip); }};

Response account_action_confirm(Context& ctx, const AccountAction& action) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    if (id == 0) return status_response(ctx, 404);
    auto accounts = ctx.services.console->keys().accounts();
    if (!accounts) return error_response(ctx, accounts.error());
    const auto a = std::find_if(accounts->begin(), accounts->end(),
                                [&](const VerifierAccount& x) { return x.id == id && !x.disabled_at; });
    if (a == accounts->end()) return status_response(ctx, 404);
    const auto prefix = "console.accounts." + action.name;
    auto d = console_data(ctx, prefix + "_title", &*s);
    d.set("heading", ctx.text(prefix + "_title"));
    d.set("question_id", action.name + "-question");
    d.set("question",
          ctx.services.catalogue.format(ctx.lang, prefix + "_question", {{"email", a->email}, {"key", a->key_name}}));
    d.set("submit", ctx.text(prefix + "_submit"));
    d.set("action", "/console/verifier-accounts/" + std::to_string(id) + "/" + action.path);
    return ctx.page(200, "console_account_disable", std::move(d));
}

Response account_action_submit(Context& ctx, const AccountAction& action) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const auto id = path_id(ctx.param("id"));
    if (id == 0) return status_response(ctx, 404);
    auto done = action.run(ctx.services.console->keys(), id, actor_of(*s), ctx.req.remote_ip);
    return after_keys_action(ctx, *s, done ? nullptr : &done.error(), "console.accounts.gone",
                             "/console/verifier-keys#accounts");
}

}  // namespace

Response console_account_disable_confirm(Context& ctx) { return account_action_confirm(ctx, kDisable); }
Response console_account_disable(Context& ctx) { return account_action_submit(ctx, kDisable); }
// For a verifier who lost the device with its authenticator app (ADR 56).
Response console_account_reset_confirm(Context& ctx) { return account_action_confirm(ctx, kReset); }
Response console_account_reset(Context& ctx) { return account_action_submit(ctx, kReset); }

// --- exporting declarations (admin) -------------------------------------------------------------

Response console_export(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    return ctx.page(200, "console_export", console_data(ctx, "console.export.title", &*s));
}

Response console_export_download(Context& ctx) {
    Response refusal;
    auto s = require_operator(ctx, Need::Admin, refusal);
    if (!s) return refusal;
    const auto format = form_value(ctx, "format");
    if (format != "csv" && format != "xlsx") {
        auto d = console_data(ctx, "console.export.title", &*s);
        set_error(d, ctx.text("console.export.bad_format"));
        return ctx.page(422, "console_export", std::move(d));
    }
    const std::string stem = "declarations-" + dates::japan_iso_date(ctx.services.clock.now());
    Response r;
    if (format == "csv") {
        std::ostringstream out;
        auto n =
            ctx.services.console->export_declarations(app::ExportFormat::Csv, out, {}, actor_of(*s), ctx.req.remote_ip);
        if (!n) return error_response(ctx, n.error());
        r = download_response("text/csv; charset=utf-8", stem + ".csv", std::move(out).str());
    } else {
        auto body = render::workbook_bytes([&](const std::string& path) -> Status {
            std::ostringstream unused;
            auto n = ctx.services.console->export_declarations(app::ExportFormat::Xlsx, unused, path, actor_of(*s),
                                                               ctx.req.remote_ip);
            if (!n) return fail(n.error());
            return {};
        });
        if (!body) return error_response(ctx, body.error());
        r = download_response("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", stem + ".xlsx",
                              std::move(*body));
    }
    // Personal data of every declarant: never kept by a browser or a proxy.
    r.set("Cache-Control", "no-store");
    return r;
}

}  // namespace sengen::web::handlers
