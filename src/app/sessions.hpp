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
    // now, but never past session_absolute_lifetime after it started. The slide is written at
    // most once every ten minutes per session, and a failure to write it is ignored: the session
    // is still valid. nullopt when the token is junk, unknown, idle too long or too old;
    // Unavailable when the store cannot be read.
    Result<std::optional<Session>> resume(std::string_view token);

    // A new anonymous session holding `data` (a JSON object's text): started only when there is
    // something to keep, such as an application in progress. Invalid "session.data_too_large"
    // over session_data_max_bytes.
    Result<OpenSession> start(const std::string& data = {});

    // A new session for the account in place of `previous` (none: nothing to replace), in one
    // transaction. The token changes, so a token known before signing in is worth nothing after
    // (no session fixation).
    Result<OpenSession> sign_in(const std::optional<Session>& previous, std::int64_t account_id);

    // Keeps `data` (a JSON object's text) with the session. Invalid "session.data_too_large"
    // over session_data_max_bytes, checked before anything is written.
    Status save_data(const Session& session, const std::string& data);

    // Removes the session from the store.
    Status end(const Session& session);

    // Removes every session of the session's account, this one included (signing out
    // everywhere: a browser left signed in elsewhere, or a stolen cookie, stops working at once,
    // on every node). Forbidden when the session is not signed in.
    Status end_everywhere(const Session& session);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace sengen::app
