// Removes what has expired: sessions past their idle lifetime, old rate-limit windows, sign-in and
// change-of-contact links once used or expired, applications never confirmed, and verifiers'
// sessions and uploaded results past their time.
// Every node runs it; running it on several at once is harmless (deletes are idempotent).
#pragma once
#include <chrono>

#include "app/periodic.hpp"
#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// An application whose link has expired is kept this long before it is deleted, so that a late
// click on its link still says "expired" rather than "unknown".
inline constexpr std::chrono::hours kExpiredApplicationGrace{24};

// One pass; returns how many rows went.
Result<std::size_t> purge_expired(Store& store, TimePoint now);

class Housekeeper {
public:
    Housekeeper(Store& store, const Clock& clock, std::chrono::seconds every = std::chrono::minutes(10));
    void start() { periodic_.start(); }
    void stop() { periodic_.stop(); }

private:
    Periodic periodic_;
};

}  // namespace sengen::app
