// Every route of the server, in one table.
#include "web/app.hpp"
#include "web/handlers.hpp"
#include "web/link_token.hpp"
#include "web/static_assets.hpp"

namespace sengen::web {

namespace {

// A mailed one-time link's routes (ADR 59): GET <page> opens the page whose script posts the token
// from the fragment to POST <page>/view, which shows what the link is for; its form posts the token
// to POST <page>, the action. Each is listed before the route of links mailed before the upgrade
// ("<page>/{token}"), which would otherwise take "view" for a token.
Handler link_opens(std::string page, std::string title_id) {
    return [page = std::move(page), title_id = std::move(title_id)](Context& ctx) {
        return handlers::link_page(ctx, page, title_id);
    };
}
Handler link_shows(std::string page, std::string title_id, Response (*show)(Context&)) {
    return [page = std::move(page), title_id = std::move(title_id), show](Context& ctx) {
        return handlers::link_view(ctx, page, title_id, show);
    };
}

}  // namespace

std::vector<Route> route_table(const StaticAssets& assets) {
    using M = Method;
    return {
        // Pages
        {M::Get, "/", handlers::home},
        {M::Get, "/about", handlers::about},
        {M::Get, "/privacy", handlers::privacy},
        {M::Get, "/terms", handlers::terms_current},
        {M::Get, "/terms/{id}", handlers::terms_version},
        {M::Get, "/statistics", handlers::statistics_page},
        {M::Get, "/statistics/{table}", handlers::statistics_csv},
        {M::Get, "/api/v1/statistics", handlers::api_statistics},
        // The subsidy catalogue (handlers_subsidies.cpp)
        {M::Get, "/subsidies", handlers::subsidies_page},
        {M::Get, "/subsidies/{slug}", handlers::subsidy_page},
        // A reminder's unsubscribe link: no sign-in; a mail program may POST to it without a CSRF
        // token (RFC 8058 one-click), the secret token in the path authorising it.
        {M::Get, "/subsidies/unsubscribe/{token}", handlers::reminder_unsubscribe_show},
        {M::Post,
         "/subsidies/unsubscribe/{token}",
         handlers::reminder_unsubscribe_submit,
         Speed::Fast,
         {},
         Csrf::OneClickUnsubscribe},
        {M::Get, "/api/v1/subsidies", handlers::api_subsidies},
        {M::Get, "/api/v1/subsidies/{slug}", handlers::api_subsidy},

        // Applying
        {M::Get, "/apply", handlers::apply_terms},
        {M::Post, "/apply", handlers::apply_terms},
        {M::Get, "/apply/business", handlers::apply_business},
        {M::Post, "/apply/business", handlers::apply_business},
        {M::Get, "/apply/declaration", handlers::apply_declaration},
        {M::Post, "/apply/declaration", handlers::apply_declaration},
        {M::Get, "/apply/check", handlers::apply_check},
        {M::Post, "/apply/check", handlers::apply_check},
        {M::Get, "/apply/sent", handlers::apply_sent},
        {M::Post, "/apply/resend", handlers::apply_resend},

        // Confirming, signing in, My Page
        {M::Get, "/confirm", link_opens("/confirm", "confirm.title")},
        {M::Post, "/confirm/view", link_shows("/confirm", "confirm.title", handlers::confirm_show)},
        {M::Post, "/confirm", handlers::confirm_submit},
        {M::Get, "/contact-change", link_opens("/contact-change", "contact_change.title")},
        {M::Post, "/contact-change/view",
         link_shows("/contact-change", "contact_change.title", handlers::contact_change_show)},
        {M::Post, "/contact-change", handlers::contact_change_submit},
        {M::Get, "/signin/link", link_opens("/signin/link", "signin.confirm.title")},
        {M::Post, "/signin/link/view", link_shows("/signin/link", "signin.confirm.title", handlers::signin_link)},
        {M::Post, "/signin/link", handlers::signin_complete},
        // Links mailed before ADR 59, with the token in the path; to be removed in a later release.
        {M::Get, "/confirm/{token}", handlers::confirm_show},
        {M::Post, "/confirm/{token}", handlers::confirm_submit},
        {M::Get, "/contact-change/{token}", handlers::contact_change_show},
        {M::Post, "/contact-change/{token}", handlers::contact_change_submit},
        {M::Get, "/signin", handlers::signin_form},
        {M::Post, "/signin", handlers::signin_form},
        {M::Get, "/signin/{token}", handlers::signin_link},
        {M::Post, "/signin/{token}", handlers::signin_complete},
        {M::Post, "/signout", handlers::signout},
        {M::Post, "/signout/everywhere", handlers::signout_everywhere},
        {M::Get, "/mypage", handlers::mypage},
        {M::Post, "/mypage/sessions/{ref}/end", handlers::mypage_session_end},
        {M::Get, "/mypage/declarations/{id}", handlers::mypage_declaration},
        {M::Get, "/mypage/declarations/{id}/edit", handlers::mypage_edit},
        {M::Post, "/mypage/declarations/{id}/edit", handlers::mypage_edit},
        {M::Get, "/mypage/declarations/{id}/step-up", handlers::mypage_step_up},
        {M::Post, "/mypage/declarations/{id}/step-up", handlers::mypage_step_up},
        {M::Get, "/mypage/declarations/{id}/step-down", handlers::mypage_step_down},
        {M::Post, "/mypage/declarations/{id}/step-down", handlers::mypage_step_down},
        {M::Get, "/mypage/declarations/{id}/stop", handlers::mypage_stop},
        {M::Post, "/mypage/declarations/{id}/stop", handlers::mypage_stop},
        {M::Get, "/mypage/declarations/{id}/badge", handlers::mypage_badge},
        {M::Get, "/mypage/declarations/{id}/badge/{file}", handlers::mypage_badge_file},
        {M::Get, "/mypage/declarations/{id}/subsidies", handlers::mypage_subsidies},
        {M::Post, "/mypage/declarations/{id}/subsidies/{slug}/subscribe", handlers::subsidy_subscribe},
        {M::Post, "/mypage/declarations/{id}/subsidies/{slug}/unsubscribe", handlers::subsidy_unsubscribe},
        {M::Get, "/mypage/declarations/{id}/supporters/invite", handlers::mypage_supporter_invite},
        {M::Post, "/mypage/declarations/{id}/supporters/invite", handlers::mypage_supporter_invite},
        {M::Post, "/mypage/declarations/{id}/supporters/{support}/end", handlers::mypage_supporter_end},
        {M::Post, "/mypage/declarations/{id}/invitations/{invitation}/cancel", handlers::mypage_invitation_cancel},
        // A supporter prepares the ★★ evidence in the business's account (ADR 48).
        {M::Post, "/mypage/declarations/{id}/policies", handlers::mypage_prepared_policy_create},
        {M::Get, "/mypage/declarations/{id}/policies/{policy}", handlers::mypage_prepared_policy_edit},
        {M::Post, "/mypage/declarations/{id}/policies/{policy}", handlers::mypage_prepared_policy_save},
        {M::Get, "/support", link_opens("/support", "supporters.accept.title")},
        {M::Post, "/support/view",
         link_shows("/support", "supporters.accept.title", handlers::support_invitation_show)},
        {M::Post, "/support", handlers::support_invitation_accept},
        {M::Get, "/support/{token}", handlers::support_invitation_show},
        {M::Post, "/support/{token}", handlers::support_invitation_accept},
        // The ★★ self-assessment: answers travel in the forms, nothing is stored.
        {M::Get, "/assessment", handlers::assessment_start},
        {M::Get, "/assessment/part/{n}", handlers::assessment_part},
        {M::Post, "/assessment/part/{n}", handlers::assessment_part_post},
        {M::Get, "/assessment/result", handlers::assessment_result_get},
        {M::Post, "/assessment/result", handlers::assessment_result},
        {M::Post, "/assessment/report.pdf", handlers::assessment_pdf, Speed::Slow},
        {M::Post, "/assessment/answers.csv", handlers::assessment_csv},

        // API (JSON; no cookies, so no CSRF token)
        {M::Get, "/api/v1/assessment", handlers::api_assessment},
        {M::Post, "/api/v1/assessments/score", handlers::api_assessment_score},

        // Public verification and search (noindex), and the JSON API (no cookies, no CSRF token)
        {M::Get, "/verify", handlers::verify_form},
        {M::Get, "/verify/search", handlers::verify_search},
        {M::Get, "/verify/offline", handlers::verify_offline},
        {M::Get, "/verify/{id}", handlers::verify_declaration},
        {M::Get, "/api/v1/declarations/{id}", handlers::api_declaration},
        {M::Post, "/api/v1/applications", handlers::api_apply},
        {M::Post, "/api/v1/applications/confirm", handlers::api_confirm},
        {M::Get, "/api/v1/openapi.json", handlers::api_openapi},
        // The transparency log as C2SP tlog-tiles (handlers_log.cpp; issue 14, ADR 46).
        {M::Get, "/log/key", handlers::log_key},
        {M::Get, "/log/checkpoint", handlers::log_checkpoint},
        {M::Get, "/log/tile/{path...}", handlers::log_tile},
        // Verifiers (issue 12): bulk verification with a key, and a declaration's public history
        {M::Post, "/api/v1/verifications", handlers::api_verifications},
        {M::Get, "/api/v1/declarations/{id}/history", handlers::api_declaration_history},
        {M::Get, "/api/v1/declarations/{id}/readiness", handlers::api_declaration_readiness},
        {M::Get, "/api/v1/declarations/{id}/statement", handlers::api_declaration_statement},

        // The ★★ toolkit: saved self-assessments, and basic security policies (drafts on My Page,
        // published versions public at /policy/{slug})
        {M::Post, "/assessment/save", handlers::assessment_save},
        {M::Get, "/assessment/save", handlers::assessment_save_pending},
        {M::Get, "/mypage/assessments/{id}", handlers::mypage_assessment},
        {M::Get, "/mypage/assessments/{id}/compare", handlers::mypage_assessment_compare},
        {M::Post, "/mypage/policies", handlers::mypage_policy_create},
        {M::Get, "/mypage/policies/{id}", handlers::mypage_policy_edit},
        {M::Post, "/mypage/policies/{id}", handlers::mypage_policy_save},
        {M::Get, "/mypage/policies/{id}/publish", handlers::mypage_policy_publish},
        {M::Post, "/mypage/policies/{id}/publish", handlers::mypage_policy_publish},
        {M::Get, "/mypage/policies/{id}/unpublish", handlers::mypage_policy_unpublish},
        {M::Post, "/mypage/policies/{id}/unpublish", handlers::mypage_policy_unpublish},
        {M::Get, "/policy/{slug}", handlers::policy_public},
        {M::Get, "/policy/{slug}/{n}", handlers::policy_version},
        {M::Get, "/policy/{slug}/{n}/policy.pdf", handlers::policy_pdf, Speed::Slow, handlers::policy_pdf_cached},
        {M::Get, "/policy/{slug}/{n}/policy.txt", handlers::policy_text},

        // The language switch (a plain link: it only sets the language cookie)
        {M::Get, "/lang/{code}", handlers::switch_language},

        // The operators' console (handlers_console.cpp)
        {M::Get, "/console", handlers::console_dashboard},
        {M::Get, "/console/setup", link_opens("/console/setup", "console.setup.title")},
        {M::Post, "/console/setup/view",
         link_shows("/console/setup", "console.setup.title", handlers::console_setup_form)},
        {M::Post, "/console/setup", handlers::console_setup_submit},
        {M::Get, "/console/setup/{token}", handlers::console_setup_form},
        {M::Post, "/console/setup/{token}", handlers::console_setup_submit},
        {M::Get, "/console/totp", handlers::console_totp_form},
        {M::Post, "/console/totp", handlers::console_totp_submit},
        {M::Get, "/console/signin", handlers::console_signin_form},
        {M::Post, "/console/signin", handlers::console_signin_submit},
        {M::Get, "/console/signin/code", handlers::console_code_form},
        {M::Post, "/console/signin/code", handlers::console_code_submit},
        {M::Post, "/console/signout", handlers::console_signout},
        {M::Get, "/console/password", handlers::console_password_form},
        {M::Get, "/console/sessions", handlers::console_sessions},
        {M::Post, "/console/sessions/{ref}/end", handlers::console_session_end},
        {M::Post, "/console/password", handlers::console_password_submit},
        {M::Get, "/console/declarations", handlers::console_find},
        {M::Get, "/console/declarations/{id}", handlers::console_declaration},
        {M::Post, "/console/declarations/{id}/revoke", handlers::console_revoke},
        {M::Post, "/console/declarations/{id}/reinstate", handlers::console_revoke},
        {M::Post, "/console/declarations/{id}/end-sessions", handlers::console_end_sessions},
        {M::Get, "/console/audit", handlers::console_audit},
        {M::Get, "/console/operators", handlers::console_operators},
        {M::Post, "/console/operators", handlers::console_operator_create},
        {M::Post, "/console/operators/{id}/end-sessions", handlers::console_operator_end_sessions},
        // The console's further pages (handlers_console_operations.cpp)
        {M::Get, "/console/review", handlers::console_review},
        {M::Post, "/console/review/{id}/approve", handlers::console_review_decide},
        {M::Post, "/console/review/{id}/reject", handlers::console_review_decide},
        {M::Get, "/console/disputes", handlers::console_disputes},
        {M::Post, "/console/disputes/{id}/settle", handlers::console_dispute_settle},
        {M::Get, "/console/mail", handlers::console_mail},
        {M::Post, "/console/mail/{id}/retry", handlers::console_mail_retry},
        {M::Get, "/console/terms", handlers::console_terms},
        {M::Get, "/console/verifier-keys", handlers::console_keys},
        {M::Post, "/console/verifier-keys", handlers::console_key_create},
        {M::Get, "/console/verifier-keys/{id}/revoke", handlers::console_key_revoke_confirm},
        {M::Post, "/console/verifier-keys/{id}/revoke", handlers::console_key_revoke},
        {M::Get, "/console/verifier-accounts/{id}/disable", handlers::console_account_disable_confirm},
        {M::Post, "/console/verifier-accounts/{id}/disable", handlers::console_account_disable},
        {M::Get, "/console/verifier-accounts/{id}/reset-code", handlers::console_account_reset_confirm},
        {M::Post, "/console/verifier-accounts/{id}/reset-code", handlers::console_account_reset},
        {M::Get, "/console/export", handlers::console_export},
        {M::Post, "/console/export", handlers::console_export_download, Speed::Slow},

        // The verifiers' bulk verification page (handlers_verifier.cpp)
        {M::Get, "/verifier", handlers::verifier_home},
        {M::Post, "/verifier/upload", handlers::verifier_upload},
        {M::Get, "/verifier/signin", handlers::verifier_signin_form},
        {M::Post, "/verifier/signin", handlers::verifier_signin_submit},
        {M::Get, "/verifier/signin/code", handlers::verifier_code_form},
        {M::Post, "/verifier/signin/code", handlers::verifier_code_submit},
        {M::Get, "/verifier/totp", handlers::verifier_totp_form},
        {M::Post, "/verifier/totp", handlers::verifier_totp_submit},
        {M::Post, "/verifier/signout", handlers::verifier_signout},
        {M::Get, "/verifier/password", handlers::verifier_password_form},
        {M::Post, "/verifier/password", handlers::verifier_password_submit},
        {M::Get, "/verifier/register", handlers::verifier_register_form},
        {M::Post, "/verifier/register", handlers::verifier_register_submit},
        {M::Get, "/verifier/register/link", link_opens("/verifier/register/link", "verifier.register.confirm.title")},
        {M::Post, "/verifier/register/link/view",
         link_shows("/verifier/register/link", "verifier.register.confirm.title",
                    handlers::verifier_registration_show)},
        {M::Post, "/verifier/register/link", handlers::verifier_registration_complete},
        {M::Get, "/verifier/register/{token}", handlers::verifier_registration_show},
        {M::Post, "/verifier/register/{token}", handlers::verifier_registration_complete},
        {M::Get, "/verifier/results/{ref}", handlers::verifier_result},
        {M::Get, "/verifier/results/{ref}/results.csv", handlers::verifier_result_csv},
        {M::Get, "/verifier/results/{ref}/results.xlsx", handlers::verifier_result_xlsx},

        // A declarant's code from an authenticator app (handlers_declarant_code.cpp, ADR 61)
        {M::Get, "/signin-code", handlers::signin_code_form},
        {M::Post, "/signin-code", handlers::signin_code_submit},
        {M::Get, "/mypage/signin-code", handlers::code_setup_form},
        {M::Post, "/mypage/signin-code", handlers::code_setup_submit},
        {M::Post, "/mypage/signin-code/off", handlers::code_off_submit},
        {M::Get, "/console/declarations/{id}/reset-code", handlers::console_declarant_code_reset_confirm},
        {M::Post, "/console/declarations/{id}/reset-code", handlers::console_declarant_code_reset},

        // Operations
        {M::Get, "/healthz", handlers::healthz},
        {M::Get, "/readyz", handlers::readyz},
        {M::Get, "/metrics", handlers::metrics},

        // Assets
        {M::Get, "/static/{file...}", [&assets](Context& ctx) { return assets.serve(ctx.req, ctx.param("file")); }},
        {M::Get, "/favicon.ico", [&assets](Context& ctx) { return assets.serve(ctx.req, "favicon.ico"); }},
        {M::Get, "/robots.txt", [&assets](Context& ctx) { return assets.serve(ctx.req, "robots.txt"); }},
    };
}

}  // namespace sengen::web
