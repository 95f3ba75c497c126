// A browser session, kept server-side so that any node can serve any request. Only the hash of
// the session token is stored; the token itself lives in the visitor's cookie.
#pragma once
#include <cstddef>
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

// How long a session lives at most, however often it is used: a stolen cookie stops working
// within a week even if the thief keeps it busy. Signing in again starts a new session.
inline constexpr std::chrono::days session_absolute_lifetime{7};

// The most a session's data (a JSON object's text) may hold: an application in progress with
// every field at its longest fits several times over.
inline constexpr std::size_t session_data_max_bytes = std::size_t{16} * 1024;

}  // namespace sengen
