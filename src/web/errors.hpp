// The one place where failures become HTTP responses: RFC 9457 problem details for the API,
// friendly pages in the user's language for HTML.
#pragma once
#include <string_view>
#include <vector>

#include "app/security_log.hpp"
#include "domain/error.hpp"
#include "web/app.hpp"

namespace sengen::web {

// By kind (Invalid 422, NotFound 404, ...), except the codes with a status of their own:
// "request.malformed" (unreadable JSON, invalid UTF-8) and the declaration ID's "id.malformed" and
// "id.check_digit" are 400, "request.unsupported_media_type" is 415.
int http_status(const Error& e);

// The message for one field problem, in the request's language ("field_error.<code>").
std::string field_message(const Context& ctx, const FieldError& f);

// A problem+json body (with the error's stable `code`, and `errors` listing every field problem
// with its message) or an HTML error page, by the request's path. Never indexed by search engines.
Response error_response(Context& ctx, const Error& e);

// A plain status page or problem (400, 403, 404, 405, 413, 415, 429, 500, 503) with no Error behind it.
Response status_response(Context& ctx, int status);

// A security line (app/security_log.hpp) about this request: `event`, up to two details, and the
// method and route pattern (never the path, which may hold a token). The events are listed in
// docs/operations.md (Logs).
void log_refusal(const Context& ctx, std::string_view event, app::SecurityField first = {},
                 app::SecurityField second = {});
// When `errors` refuse a field for the characters it holds (controls, bidi overrides, invisible
// characters), one `input.refused` line naming the first such field; never its value.
void log_hostile_fields(const Context& ctx, const std::vector<FieldError>& errors);

}  // namespace sengen::web
