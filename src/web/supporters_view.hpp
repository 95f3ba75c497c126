// What the pages of My Page show of supporters (ADR 42): the owner's list on a declaration's page,
// the businesses a supporter helps on its own My Page, and the words for rights and for who
// changed what. The pages themselves are in handlers_supporters.cpp and handlers_account.cpp.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "web/app.hpp"

namespace sengen::web::supporters {

// The supporters' addresses by account id.
using Names = std::map<std::int64_t, std::string>;

// The owner's part of a declaration's page: who supports it with what rights, the pending
// invitations, each with its button (POST with CSRF), and the link to invite someone. Returns the
// supporters' addresses, for the history.
Result<Names> add_to_declaration_page(Context& ctx, std::int64_t owner, const Declaration& d, mustache::data& v);

// A supporter's part of a declaration's page (ADR 48): with the right "prepare", the way to the
// self-assessment and the business's policy drafts (each with its editor, and a button for a new
// one); and, either way, that the business alone publishes and steps up. No link to a page the
// supporter cannot open.
Status add_prepare_section(Context& ctx, std::int64_t account, const Declaration& d, const support::Access& access,
                           mustache::data& v);

// The businesses the account supports, for its My Page: level, status and readiness for subsidies.
Status add_to_mypage(Context& ctx, std::int64_t account, mustache::data& v);

// "change the business details, prepare ..." in the request's language; "see only" for none.
std::string rights_text(const Context& ctx, support::Rights rights);

// Who made a change in the history: the owner, "you (supporter)", a supporter by address when the
// owner looks, or "a supporter".
std::string actor_text(const Context& ctx, const std::string& actor, std::int64_t viewer, const Names& names);

}  // namespace sengen::web::supporters
