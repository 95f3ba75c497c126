// Rate limits kept in this node's memory, for reads too frequent to count in the database: the
// public lookup of a declaration (GET /api/v1/declarations/{id}, /verify/{id}), which anyone can
// walk through ID by ID. Fixed windows as in app/rate_limit.hpp, but each node counts on its own:
// behind a load balancer with N nodes a client may make up to N times the limit.
#pragma once
#include <array>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "app/rate_limit.hpp"
#include "domain/clock.hpp"
#include "domain/error.hpp"

namespace sengen::app {

class LocalRateLimiter {
public:
    // Counts one hit of `subject` against `rule`; TooMany ("rate.<rule>") once the window's count
    // passes the limit.
    Status hit(const RateRule& rule, const std::string& subject, TimePoint now);

    // Subjects tracked per shard and window at most; beyond that, new subjects are let through
    // uncounted rather than letting memory grow without bound.
    static constexpr std::size_t kMaxSubjectsPerShard = 1 << 16;

private:
    struct Shard {
        std::mutex mutex;
        std::int64_t window_start = -1;  // unix seconds; every count below is of this window
        std::unordered_map<std::string, std::int64_t> counts;
    };
    std::array<Shard, 16> shards_;
};

}  // namespace sengen::app
