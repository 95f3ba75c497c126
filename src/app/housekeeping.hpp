// Removes what has expired: sessions past their idle lifetime and old rate-limit windows.
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
