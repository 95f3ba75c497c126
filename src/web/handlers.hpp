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
