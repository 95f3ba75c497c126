// Rate limits kept in this node's memory, for reads too frequent to count in the database: the
// public lookup of a declaration (GET /api/v1/declarations/{id}, /verify/{id}), which anyone can
// walk through ID by ID. Sliding windows as in app/rate_limit.hpp, but each node counts on its own:
// behind a load balancer with N nodes a client may make up to N times the limit.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "app/rate_limit.hpp"
#include "domain/clock.hpp"
#include "domain/error.hpp"

namespace sengen::app {

class LocalRateLimiter {
public:
    // Subjects tracked per shard and window at most (16 shards); the previous window's counts of as
    // many more are kept beside them.
    static constexpr std::size_t kMaxSubjectsPerShard = 1 << 16;

    explicit LocalRateLimiter(std::size_t max_subjects_per_shard = kMaxSubjectsPerShard);

    // Counts one hit of `subject` against `rule` (a client address by its /64 when the rule counts
    // addresses); TooMany ("rate.<rule>") once the sliding window's count (domain/rate_window.hpp)
    // passes the limit. When a shard
    // is full, the subject seen least recently is forgotten to make room: memory stays bounded and
    // every subject is counted, and a client that keeps hitting is never the one forgotten.
    Status hit(const RateRule& rule, const std::string& subject, TimePoint now);

    // How many subjects are tracked now, over all shards (for tests and metrics).
    std::size_t tracked();

private:
    struct Entry {
        std::string key;
        std::int64_t count = 0;
    };
    struct Shard {
        std::mutex mutex;
        std::int64_t window_start = -1;  // unix seconds; every count below is of this window
        std::list<Entry> recent;         // most recently hit first
        std::unordered_map<std::string_view, std::list<Entry>::iterator> index;  // views into `recent`
        std::unordered_map<std::string, std::int64_t> previous;                  // the window before: key -> count
    };
    std::size_t max_per_shard_;
    std::array<Shard, 16> shards_;
};

}  // namespace sengen::app
