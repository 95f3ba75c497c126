// The one place where failures become HTTP responses: RFC 9457 problem details for the API,
// friendly pages in the user's language for HTML.
#pragma once
#include "domain/error.hpp"
#include "web/app.hpp"

namespace sengen::web {

// Invalid maps to 422, except a request that could not be read at all (code "request.malformed":
// malformed JSON, invalid UTF-8), which is 400.
int http_status(const Error& e);

// The message for one field problem, in the request's language ("field_error.<code>").
std::string field_message(const Context& ctx, const FieldError& f);

// A problem+json body or an HTML error page, by the request's path.
Response error_response(Context& ctx, const Error& e);

// A plain status page or problem (400, 403, 404, 405, 413, 429, 500, 503) with no Error behind it.
Response status_response(Context& ctx, int status);

}  // namespace sengen::web
