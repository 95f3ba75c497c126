// Browser sessions as use cases: finding the session a cookie's token names, starting one,
// replacing it on sign-in, keeping its data and ending it. The web layer only carries the token
// in a cookie; the rules (what is stored, when the expiry slides) live here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"
#include "domain/ports.hpp"
#include "domain/session.hpp"

namespace sengen::app {

// A session with the token its cookie carries (the store keeps only the token's hash).
struct OpenSession {
    std::string token;
    Session session;
};

class Sessions {
public:
    Sessions(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // The live session that `token` names, with its expiry slid to session_idle_lifetime from
    // now. The slide is written at most once every ten minutes per session, and a failure to
    // write it is ignored: the session is still valid. nullopt when the token is junk, unknown or
    // expired; Unavailable when the store cannot be read.
    Result<std::optional<Session>> resume(std::string_view token);

    // A new anonymous session (a page that shows a form needs one for its CSRF token).
    Result<OpenSession> start();

    // A new session for the account in place of `previous` (none: nothing to replace), in one
    // transaction. The token changes, so a token known before signing in is worth nothing after
    // (no session fixation).
    Result<OpenSession> sign_in(const std::optional<Session>& previous, std::int64_t account_id);

    // Keeps `data` (a JSON object's text) with the session.
    Status save_data(const Session& session, const std::string& data);

    // Removes the session from the store.
    Status end(const Session& session);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace sengen::app
