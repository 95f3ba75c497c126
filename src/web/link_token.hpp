// One-time links from mail (ADR 59, ASVS V14.2.1). A link mailed now opens the page without the
// token ("/confirm#<token>"): the fragment never reaches the server. The page's script
// (static/link-token.js) posts the token in the body to "<page>/view", which shows what the old
// "GET <page>/{token}" showed; that page's form posts the token, in the body again, to "<page>". A
// link mailed before the upgrade still carries the token in its path, and its pages keep posting
// there, until those routes are removed.
#pragma once
#include <array>
#include <string>
#include <string_view>

#include "web/app.hpp"

namespace sengen::web {

// The pages a mailed one-time link opens; each also answers "<page>/view" (POST) and "<page>"
// (POST). Their answers, like those of the old "{token}" routes, send no Referer.
inline constexpr std::array<std::string_view, 6> kLinkPages{"/confirm", "/contact-change", "/signin/link",
                                                            "/support", "/console/setup",  "/verifier/register/link"};

// Whether a route pattern is one of kLinkPages or its "/view".
bool is_link_page(std::string_view pattern);

namespace handlers {

// The link's token: from the path of a link mailed before the upgrade ("{token}"), else from the
// posted form's "token" field (spaces around a pasted code dropped).
std::string link_token(const Context& ctx);

// For the page a link shows (confirm, sign in, ...): where its form posts and what it carries.
// An old link's form posts to "<page>/<token>" as before; a new one's to `page`, with the token in
// a hidden field ("link_token") and the language switch re-sending the form to "<page>/view" (the
// form's id is `form_id`), so that the token never appears in an address.
void set_link_form(const Context& ctx, mustache::data& v, const std::string& page, const std::string& form_id);
// Only the address the form posts to, by the same rule.
std::string link_action(const Context& ctx, const std::string& page);

// GET <page>: the page a new link opens. Its form posts the code to "<page>/view"; its script fills
// the code in from the fragment and sends the form; without JavaScript the person pastes the code
// printed in the mail. `title_id` names the flow ("confirm.title").
Response link_page(Context& ctx, const std::string& page, const std::string& title_id);

// POST <page>/view: `show` (the handler of the old "GET <page>/{token}") with the token from the
// body; an empty code shows the link page again with the error, a language switch without a code
// shows it in the other language.
Response link_view(Context& ctx, const std::string& page, const std::string& title_id, Response (*show)(Context&));

}  // namespace handlers

}  // namespace sengen::web
