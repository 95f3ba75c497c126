// Rate limits shared by every node, counted in the database: a sliding window estimated from two
// fixed windows (domain/rate_window.hpp), so that no burst across a window's boundary passes.
#pragma once
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// What a rule counts. A client's address is counted by rate_limit_subject (domain/ip_network.hpp):
// an IPv6 client by its /64, so that a client holding a whole prefix is still one client.
enum class RateSubject { Value, ClientAddress };

struct RateRule {
    std::string name;  // e.g. "signin.email"
    int limit;         // allowed hits per window
    std::chrono::seconds window;
    RateSubject subject = RateSubject::Value;
};

// The key `subject` is counted under for `rule` (the client's /64 for an IPv6 address).
std::string rate_subject_key(const RateRule& rule, const std::string& subject);

// Counts one hit of `subject` (an address, an IP, ...) against the rule in its own write
// transaction, so that the hit is kept even when the action it guards fails. TooMany once the
// sliding window's count passes the limit. The subject is stored hashed, never as typed.
Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now);

// As `enforce`, but counted in the caller's transaction: the hit stands or falls with the rest of
// it. For work that several nodes may attempt at once and only one carries out (a reminder, ADR
// 41): the others roll back, and their hits with them.
Status enforce_in(Transaction& tx, const RateRule& rule, const std::string& subject, TimePoint now);

// This node's memory of the subjects the database has already refused, each until the moment its
// sliding count, as the database held it at the refusal, is back within the limit (at most to the
// end of the current window; rate_window::refused_until). Hits answered from memory are refused
// without a write and not counted. A flood from one client then costs a lookup here instead of a
// wait for the database's write lock (which, on SQLite, every other writer of the node shares).
// Bounded: when full, entries whose refusal has ended are dropped, and if none are, everything is
// (forgetting only costs a database hit, never a wrong answer).
class RefusalMemo {
public:
    static constexpr std::size_t kMaxEntries = 1 << 16;
    explicit RefusalMemo(std::size_t max_entries = kMaxEntries) : max_entries_(max_entries) {}

    // Whether `key` was refused until a moment after `now_secs`.
    bool refused(const std::string& key, std::int64_t now_secs);
    // Remembers, at `now_secs`, that `key` is refused until `until_secs` (exclusive).
    void remember(const std::string& key, std::int64_t now_secs, std::int64_t until_secs);
    std::size_t size();

private:
    std::size_t max_entries_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::int64_t> until_;  // key -> end of its refusal
};

// As `enforce` above, but a subject already refused is refused again from `memo` until its refusal
// ends, without touching the database.
Status enforce(Store& store, RefusalMemo& memo, const RateRule& rule, const std::string& subject, TimePoint now);

}  // namespace sengen::app
