// What every page of the operators' console shares (defined in handlers_console.cpp): the
// signed-in operator or the refusal to give instead, the page's common data, and the ways the
// console shows dates, levels and statuses. Used by handlers_console*.cpp only.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "app/operators.hpp"
#include "domain/lifecycle.hpp"
#include "web/app.hpp"

namespace sengen::web::handlers::console {

enum class Need { Staff, Admin };

// The fully signed-in operator, or the answer to give instead (`refusal`): the sign-in page for
// none, 403 for a staff member on an admin page.
std::optional<OperatorSession> require_operator(Context& ctx, Need need, Response& refusal);
// The audit log's actor for the operator: "operator:<id>".
std::string actor_of(const OperatorSession& s);
// The page's title, the CSRF token for its forms and, for a signed-in operator, the menu.
mustache::data console_data(Context& ctx, const std::string& title_id, const OperatorSession* s);
std::string form_value(const Context& ctx, std::string_view name);
// Whether a reason typed by an operator can be kept, mailed and published: UTF-8 (PostgreSQL
// refuses other bytes outright) without control characters other than tabs and line breaks (no
// text column holds a NUL). Checked before any use case runs, so the operator is told what is
// wrong ("console.reason.invalid") instead of getting an error page.
bool keepable_reason(std::string_view reason);
std::string query_value(const Context& ctx, std::string_view name);
// The date and the time of day in Japan (My Page's list of sessions shows them so too).
std::string when(const Context& ctx, TimePoint t);
std::string status_label(const Context& ctx, lifecycle::Status s);
std::string stars(int level);

}  // namespace sengen::web::handlers::console
