// Handlers: each parses its input, makes one application call and maps the outcome.
#pragma once
#include "web/app.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx);
// The operator's pages (handlers_operator.cpp)
Response about(Context& ctx);
// The public statistics (handlers_statistics.cpp): the page, its CSV tables, the API.
Response statistics_page(Context& ctx);
Response statistics_csv(Context& ctx);  // /statistics/{table}: level.csv, prefecture.csv, ...
Response api_statistics(Context& ctx);
// The subsidy catalogue (handlers_subsidies.cpp): its pages, a declarant's readiness, the API.
Response subsidies_page(Context& ctx);
Response subsidy_page(Context& ctx);  // /subsidies/{slug}
Response mypage_subsidies(Context& ctx);
// Reminders (issue 13 point 5): subscribe and unsubscribe on My Page, and the mail's link.
Response subsidy_subscribe(Context& ctx);
Response subsidy_unsubscribe(Context& ctx);
Response reminder_unsubscribe_show(Context& ctx);
Response reminder_unsubscribe_submit(Context& ctx);
Response api_subsidies(Context& ctx);
Response api_subsidy(Context& ctx);
Response api_declaration_readiness(Context& ctx);
Response privacy(Context& ctx);
Response terms_current(Context& ctx);
Response terms_version(Context& ctx);    // /terms/{id}: one version of the terms
Response switch_language(Context& ctx);  // handlers_language.cpp
// A form posted by the layout's language switch (a button named switch_lang that belongs to the
// page's form): remembers the language, and says so, so that the handler keeps what was typed and
// shows the same page again in that language instead of checking it. handlers_language.cpp.
enum class LangSwitch { None, Posted };
LangSwitch posted_lang_switch(Context& ctx);
// The same for a form sent by GET (the verification forms): the switch arrives in the query.
LangSwitch queried_lang_switch(Context& ctx);
// The data the layout needs to make its switch a button of the page's form `form_id`, sent to
// `action` (the form's own address, whose handler shows the page again when it sees switch_lang).
mustache::data lang_switch_button(const std::string& form_id, const std::string& action);
Response healthz(Context& ctx);
Response readyz(Context& ctx);
Response metrics(Context& ctx);

// Applying (handlers_apply.cpp)
Response apply_terms(Context& ctx);
Response apply_business(Context& ctx);
Response apply_declaration(Context& ctx);
Response apply_check(Context& ctx);
Response apply_sent(Context& ctx);
Response apply_resend(Context& ctx);

// Confirming, signing in and My Page (handlers_account.cpp)
Response confirm_show(Context& ctx);
Response confirm_submit(Context& ctx);
Response contact_change_show(Context& ctx);
Response contact_change_submit(Context& ctx);
Response signin_form(Context& ctx);
Response signin_link(Context& ctx);
Response signin_complete(Context& ctx);
Response signout(Context& ctx);
Response signout_everywhere(Context& ctx);
Response mypage(Context& ctx);
Response mypage_session_end(Context& ctx);
Response mypage_declaration(Context& ctx);
Response mypage_edit(Context& ctx);
Response mypage_step_up(Context& ctx);
Response mypage_step_down(Context& ctx);
Response mypage_stop(Context& ctx);
// Supporters (issue 13 point 6, handlers_supporters.cpp).
Response mypage_supporter_invite(Context& ctx);
Response mypage_supporter_end(Context& ctx);
Response mypage_invitation_cancel(Context& ctx);
Response support_invitation_show(Context& ctx);
Response support_invitation_accept(Context& ctx);
Response mypage_badge(Context& ctx);
Response mypage_badge_file(Context& ctx);
// The ★★ self-assessment (handlers_assessment.cpp).
Response assessment_start(Context& ctx);
Response assessment_part(Context& ctx);
Response assessment_part_post(Context& ctx);
Response assessment_result(Context& ctx);
Response assessment_result_get(Context& ctx);
Response assessment_pdf(Context& ctx);
Response assessment_csv(Context& ctx);
Response api_assessment(Context& ctx);
Response api_assessment_score(Context& ctx);

// Public verification and search (handlers_verify.cpp)
Response verify_form(Context& ctx);
Response verify_declaration(Context& ctx);
Response verify_search(Context& ctx);
// /verify/offline: a statement bundle checked in the browser (static/verify-offline.js).
Response verify_offline(Context& ctx);

// JSON API v1 (handlers_api.cpp)
Response api_declaration(Context& ctx);
Response api_apply(Context& ctx);
Response api_confirm(Context& ctx);
Response api_openapi(Context& ctx);
// The transparency log (handlers_log.cpp; issue 14, ADR 46).
Response log_key(Context& ctx);
Response log_checkpoint(Context& ctx);
Response log_tile(Context& ctx);
Response api_declaration_statement(Context& ctx);
// What the pages show of the log (issue 14 point 4), added to a page's data: on /about the
// verifier key ("log_key"); on /verify/{id} and the badge page, where the declaration's latest
// entry stands ("log_position", "log_size", "statement_url", "statement_file"). Nothing without a
// key, nor while no checkpoint covers the entry; a failed read is logged and shows nothing.
void add_log_key(Context& ctx, mustache::data& d);
void add_log_position(Context& ctx, const DeclarationId& id, mustache::data& d);
// Verifiers (issue 12)
Response api_verifications(Context& ctx);
Response api_declaration_history(Context& ctx);

// The ★★ toolkit: saved self-assessments (handlers_assessment.cpp, handlers_toolkit.cpp) and the
// basic security policy (handlers_policy.cpp)
Response assessment_save(Context& ctx);
Response assessment_save_pending(Context& ctx);
Response mypage_assessment(Context& ctx);
Response mypage_assessment_compare(Context& ctx);
Response mypage_policy_create(Context& ctx);
Response mypage_policy_edit(Context& ctx);
Response mypage_policy_save(Context& ctx);
// A supporter's policy draft for a business it helps (ADR 48).
Response mypage_prepared_policy_create(Context& ctx);
Response mypage_prepared_policy_edit(Context& ctx);
Response mypage_prepared_policy_save(Context& ctx);
Response mypage_policy_publish(Context& ctx);
Response mypage_policy_unpublish(Context& ctx);
Response policy_public(Context& ctx);
Response policy_version(Context& ctx);
Response policy_pdf(Context& ctx);
// The PDF from the node's cache, or nullopt when it has to be made (on the PDF pool).
std::optional<Response> policy_pdf_cached(Context& ctx);
Response policy_text(Context& ctx);

// The operators' console (handlers_console.cpp, issue 12)
Response console_setup_form(Context& ctx);
Response console_setup_submit(Context& ctx);
Response console_totp_form(Context& ctx);
Response console_totp_submit(Context& ctx);
Response console_signin_form(Context& ctx);
Response console_signin_submit(Context& ctx);
Response console_code_form(Context& ctx);
Response console_code_submit(Context& ctx);
Response console_signout(Context& ctx);
Response console_dashboard(Context& ctx);
Response console_find(Context& ctx);
Response console_declaration(Context& ctx);
Response console_end_sessions(Context& ctx);
Response console_password_form(Context& ctx);
Response console_password_submit(Context& ctx);
Response console_sessions(Context& ctx);
Response console_session_end(Context& ctx);
Response console_revoke(Context& ctx);  // revoke and reinstate, by the route
Response console_audit(Context& ctx);
Response console_operators(Context& ctx);
Response console_operator_end_sessions(Context& ctx);
Response console_operator_create(Context& ctx);
// The console's further pages (handlers_console_operations.cpp, issue 12 point 2)
Response console_review(Context& ctx);
Response console_review_decide(Context& ctx);  // approve and reject, by the route
Response console_disputes(Context& ctx);
Response console_dispute_settle(Context& ctx);
Response console_mail(Context& ctx);
Response console_mail_retry(Context& ctx);
Response console_terms(Context& ctx);
Response console_keys(Context& ctx);
Response console_key_create(Context& ctx);
Response console_key_revoke_confirm(Context& ctx);
Response console_key_revoke(Context& ctx);
Response console_account_disable_confirm(Context& ctx);
Response console_account_disable(Context& ctx);
Response console_account_reset_confirm(Context& ctx);
Response console_account_reset(Context& ctx);
Response console_export(Context& ctx);
Response console_export_download(Context& ctx);

// The verifiers' bulk verification page (handlers_verifier.cpp, issue 12 point 7)
Response verifier_home(Context& ctx);
Response verifier_upload(Context& ctx);
Response verifier_signin_form(Context& ctx);
Response verifier_signin_submit(Context& ctx);
Response verifier_totp_form(Context& ctx);
Response verifier_totp_submit(Context& ctx);
Response verifier_code_form(Context& ctx);
Response verifier_code_submit(Context& ctx);
Response verifier_password_form(Context& ctx);
Response verifier_password_submit(Context& ctx);
Response verifier_signout(Context& ctx);
Response verifier_register_form(Context& ctx);
Response verifier_register_submit(Context& ctx);
Response verifier_registration_show(Context& ctx);
Response verifier_registration_complete(Context& ctx);
Response verifier_result(Context& ctx);
Response verifier_result_csv(Context& ctx);
Response verifier_result_xlsx(Context& ctx);

// A declarant's code from an authenticator app (handlers_declarant_code.cpp, ADR 61)
Response signin_code_form(Context& ctx);
Response signin_code_submit(Context& ctx);
Response code_setup_form(Context& ctx);
Response code_setup_submit(Context& ctx);
Response code_off_submit(Context& ctx);
// My Page's note on the code and the link to its page.
Status add_code_to_mypage(Context& ctx, std::int64_t account, mustache::data& page);
Response console_declarant_code_reset_confirm(Context& ctx);
Response console_declarant_code_reset(Context& ctx);

}  // namespace sengen::web::handlers
