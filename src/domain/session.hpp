// A browser session, kept server-side so that any node can serve any request. Only the hash of
// the session token is stored; the token itself lives in the visitor's cookie.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "domain/clock.hpp"

namespace sengen {

struct Session {
    std::string id_hash;                     // hex of a keyed hash of the cookie token
    std::optional<std::int64_t> account_id;  // set once signed in
    TimePoint created_at;
    TimePoint expires_at;
    std::string data;  // JSON object text kept for the session ("" when none)
};

// How long a session lives without use; each use slides the expiry forward.
inline constexpr std::chrono::hours session_idle_lifetime{8};

}  // namespace sengen
