// Handlers: each parses its input, makes one application call and maps the outcome.
#pragma once
#include "web/app.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx);
Response healthz(Context& ctx);
Response readyz(Context& ctx);
Response metrics(Context& ctx);

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

}  // namespace sengen::web::handlers
