// Handlers: each parses its input, makes one application call and maps the outcome.
#pragma once
#include "web/app.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx);
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
Response signin_form(Context& ctx);
Response signin_link(Context& ctx);
Response signin_complete(Context& ctx);
Response signout(Context& ctx);
Response mypage(Context& ctx);
Response mypage_declaration(Context& ctx);
Response mypage_edit(Context& ctx);
Response mypage_step_up(Context& ctx);
Response mypage_step_down(Context& ctx);
Response mypage_stop(Context& ctx);
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

// JSON API v1 (handlers_api.cpp)
Response api_declaration(Context& ctx);
Response api_apply(Context& ctx);
Response api_confirm(Context& ctx);
Response api_openapi(Context& ctx);

}  // namespace sengen::web::handlers
