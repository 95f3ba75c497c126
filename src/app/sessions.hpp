// Browser sessions as use cases: finding the session a cookie's token names, starting one,
// replacing it on sign-in, keeping its data and ending it. The web layer only carries the token
// in a cookie; the rules (what is stored, when the expiry slides) live here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/clock.hpp"
#include "domain/ports.hpp"
#include "domain/session.hpp"

namespace sengen::app {

// A session with the token its cookie carries (the store keeps only the token's hash).
struct OpenSession {
    std::string token;
    Session session;
};

// Where a sign-in comes from, as the account's list of sessions shows it: a label from
// browser_label and a network from rate_limit_subject, never the raw header or token.
struct SessionClient {
    std::string label;
    std::string network;
};

// One of an account's sessions as its owner sees it. `ref` names it in the form that ends it; it
// is derived from the stored hash by a further hash, so neither the token nor its stored hash is
// ever on a page.
struct SessionEntry {
    std::string ref;
    TimePoint started_at;
    TimePoint last_used_at;
    std::string client_label;
    std::string client_network;
    bool current = false;
};

// What a page calls the session stored under `id_hash` (SessionEntry::ref).
std::string session_ref(std::string_view id_hash);

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
    // At SignInStage::SecondFactor (an account with a code from an authenticator app, ADR 0061)
    // the session is not signed in yet: it lives kPendingLifetime, never slides, and only
    // finish_second_factor makes it Full.
    Result<OpenSession> sign_in(const std::optional<Session>& previous, std::int64_t account_id,
                                const SessionClient& client = {}, SignInStage stage = SignInStage::Full);

    // A Full session in place of `pending`, with its account, client and data (a new token again).
    // Forbidden "session.stage" when `pending` is not waiting for its code.
    Result<OpenSession> finish_second_factor(const Session& pending);

    // The live sessions of the session's account, the most recently started first, with `session`
    // marked current. Forbidden when the session is not signed in.
    Result<std::vector<SessionEntry>> list(const Session& session);

    // Ends the account's session that `ref` (from list) names, leaving every other one as it is.
    // NotFound "session.not_found" when the account has no live session by that ref (another
    // account's included); Forbidden when `session` is not signed in.
    Status end_one(const Session& session, std::string_view ref);

    // Ends every session of `account_id` (an operator ending them on the declarant's behalf); how many.
    Result<std::size_t> end_all_of(std::int64_t account_id);

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
