// Removes what has expired: sessions past their idle lifetime, old rate-limit windows, sign-in and
// change-of-contact links once used or expired, applications never confirmed, and verifiers'
// sessions and uploaded results past their time.
// Every node runs it; running it on several at once is harmless (deletes are idempotent).
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

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
    Housekeeper(Store& store, const Clock& clock, std::chrono::seconds every = std::chrono::minutes(10))
        : store_(store), clock_(clock), every_(every) {}
    ~Housekeeper() { stop(); }
    void start();
    void stop();

private:
    Store& store_;
    const Clock& clock_;
    std::chrono::seconds every_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sengen::app
