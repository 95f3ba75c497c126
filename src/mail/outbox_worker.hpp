// The delivery worker: a thread in every `sengen serve` node that sends queued mail. Each pass
// leases one due mail at a time in a short write transaction (the lease keeps other nodes off
// it), sends it outside any transaction, and records the outcome: sent, retry later with
// exponential backoff, or failed after the last allowed attempt. Delivery is at least once: a
// node that dies while sending leaves the lease to expire, and the mail is sent again.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

#include "domain/clock.hpp"
#include "domain/ports.hpp"
#include "mail/transport.hpp"

namespace sengen::mail {

struct WorkerSettings {
    std::chrono::milliseconds poll{1000};                   // pause between passes when nothing is due
    std::chrono::seconds lease{60};                         // longer than a transport's whole send (SMTP: 30 s)
    int max_attempts = 8;                                   // then the mail is failed until an operator retries it
    std::chrono::seconds retry_base{30};                    // delay after attempt n: base * 2^(n-1) ...
    std::chrono::seconds retry_cap{std::chrono::hours(6)};  // ... but never more than this
    std::string worker_id;                                  // unique per process (default_worker_id)
};

// "hostname:pid:random", unique across nodes and restarts.
std::string default_worker_id();

// The wait before the next try after `attempts` failed attempts (1, 2, ...).
std::chrono::seconds retry_delay(int attempts, std::chrono::seconds base, std::chrono::seconds cap);

class OutboxWorker {
public:
    OutboxWorker(Store& store, Transport& transport, const Clock& clock, WorkerSettings settings);
    ~OutboxWorker();  // stops and joins
    OutboxWorker(const OutboxWorker&) = delete;
    OutboxWorker& operator=(const OutboxWorker&) = delete;

    void start();
    // Asks the thread to stop and waits for it; a send in progress is finished first.
    void stop();

    // One pass: leases and tries due mail, one at a time, until none is due or stop() is called.
    // Returns how many mails were tried. Used by the thread and by tests.
    Result<std::size_t> run_once();

    const WorkerSettings& settings() const { return settings_; }

private:
    void loop();
    // Tries the one leased mail and records the outcome.
    void deliver(const OutboxEntry& mail);

    Store& store_;
    Transport& transport_;
    const Clock& clock_;
    WorkerSettings settings_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::atomic<bool> stopping_{false};
};

}  // namespace sengen::mail
