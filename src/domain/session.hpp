// A browser session, kept server-side so that any node can serve any request. Only the hash of
// the session token is stored; the token itself lives in the visitor's cookie.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"
#include "domain/operator.hpp"

namespace sengen {

struct Session {
    std::string id_hash;                     // hex of a keyed hash of the cookie token
    std::optional<std::int64_t> account_id;  // set once signed in
    TimePoint created_at;
    TimePoint expires_at;
    std::string data;  // JSON object text kept for the session ("" when none)
    // What the account's list of its sessions shows: when the session was last used (to within
    // the ten minutes between writes of the sliding expiry; none: not since it started), and
    // where it signed in from, as browser_label and rate_limit_subject give them.
    std::optional<TimePoint> last_used_at = {};
    std::string client_label = {};
    std::string client_network = {};
    // How far the sign-in has got (ADR 0061): a declarant whose account has a code from an
    // authenticator app is at SecondFactor between the mailed link and the code, and only a Full
    // session is signed in. Sessions of accounts without a code start Full.
    SignInStage stage = SignInStage::Full;
};

// Whether a declarant must add a code from an authenticator app to the mailed sign-in link (the
// setting declarant-second-factor, ADR 0061): each may choose (Optional), or every account must.
enum class DeclarantSecondFactor { Optional, Required };

// A short, fixed label of the browser family and system a User-Agent names ("Chrome / Windows",
// "Safari / iPhone"), or "" when it names none that is known. Only labels from a fixed list come
// out, so what a client sends is never shown or stored as it was sent.
std::string browser_label(std::string_view user_agent);

// How long a session lives without use; each use slides the expiry forward.
inline constexpr std::chrono::hours session_idle_lifetime{8};

// How long a session lives at most, however often it is used: a stolen cookie stops working
// within a week even if the thief keeps it busy. Signing in again starts a new session.
inline constexpr std::chrono::days session_absolute_lifetime{7};

// How recent a sign-in must be for the account's sign-in factor, the contact mailbox, to be
// changed (ASVS V7.5.1). A declarant signs in by a link that lasts fifteen minutes; ten minutes
// after following it is ample to fill in the form, while a browser left signed in or a stolen
// cookie, days old, cannot move the declaration to another mailbox without that mailbox first
// proving itself again. Signing in starts a new session, so its start is the sign-in's time.
inline constexpr std::chrono::minutes recent_sign_in{10};

// Whether a session that started (signed in) at `signed_in_at` counts as a recent sign-in at `now`.
inline bool signed_in_recently(TimePoint signed_in_at, TimePoint now) { return now < signed_in_at + recent_sign_in; }

// The most a session's data (a JSON object's text) may hold: an application in progress with
// every field at its longest fits several times over.
inline constexpr std::size_t session_data_max_bytes = std::size_t{16} * 1024;

}  // namespace sengen
