// Handlers: each parses its input, makes one application call and maps the outcome.
#pragma once
#include "web/app.hpp"

namespace sengen::web::handlers {

Response home(Context& ctx);
Response healthz(Context& ctx);
Response readyz(Context& ctx);
Response metrics(Context& ctx);

}  // namespace sengen::web::handlers
