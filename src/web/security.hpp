// Tokens, their stored hashes, CSRF tokens and the headers every response carries.
#pragma once
#include <string>
#include <string_view>

#include "app/tokens.hpp"
#include "web/http.hpp"

namespace sengen::web {

using app::random_token;
using app::token_hash;

// The CSRF token for a session: a keyed hash of the session token, so that every node derives
// the same value without storing it, and it is useless without the HttpOnly cookie.
std::string csrf_token_for(std::string_view session_token);

// Constant-time comparison.
bool same_secret(std::string_view a, std::string_view b);

// What a page lets the browser tell other sites about its address when a link is followed or a
// resource fetched.
enum class Referrer {
    OriginOnly,  // the origin alone to other sites, the full address within sengen
    None,        // nothing: the page's address holds a secret (a confirmation or sign-in token)
};

// Referrer::None for a route whose pattern carries a token in its path ("/confirm/{token}") and for
// the pages of mailed one-time links (kLinkPages, ADR 59), so that a token never leaves in a
// Referer header; every other route OriginOnly.
Referrer referrer_for_route(std::string_view pattern);

// Where a page's scripts may connect: to sengen itself, or nowhere (a page whose script handles
// what the visitor pasted and must not send it anywhere, /verify/offline).
enum class Connect { Self, None };

// The Content-Security-Policy of every response: no inline script or style, files from 'self'.
std::string content_security_policy(Connect connect = Connect::Self);

// Content-Security-Policy and the other headers on every response. A response that already
// carries a Content-Security-Policy (the stricter Connect::None one) keeps it.
void apply_security_headers(Response& r, bool https, Referrer referrer = Referrer::OriginOnly);

}  // namespace sengen::web
