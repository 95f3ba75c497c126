// The public statistics (/statistics, GET /api/v1/statistics): counts of declarations, never
// who. Computed by the database at most once per `ttl` on each node and shared by every request
// until then, so that a crawler hitting the page costs nothing more than a copy of a pointer.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct Statistics {
    TimePoint computed_at;
    // Declarations in force (status declared).
    std::int64_t in_force = 0;
    std::vector<std::pair<int, std::int64_t>> by_level;               // every level, 1 and 2
    std::vector<std::pair<std::string, std::int64_t>> by_prefecture;  // JIS code, only those with any
    std::vector<std::pair<std::string, std::int64_t>> by_industry;    // industry code, only those with any
    // IDs issued per month in Japan ("2026-04"), the last `kMonths` months oldest first, the
    // current month last (so far); months with none are there with 0.
    std::vector<std::pair<std::string, std::int64_t>> issued_by_month;
};

inline constexpr int kStatisticsMonths = 24;

// Reads the counts and shapes them (pure apart from the store).
Result<Statistics> compute_statistics(Store& store, TimePoint now);

class StatisticsCache {
public:
    StatisticsCache(Store& store, const Clock& clock, std::chrono::seconds ttl)
        : store_(store), clock_(clock), ttl_(ttl) {}

    // The figures, at most `ttl` old. One request recomputes when they are stale; the others
    // arriving meanwhile wait for it rather than all asking the database at once.
    Result<std::shared_ptr<const Statistics>> get();

private:
    Store& store_;
    const Clock& clock_;
    std::chrono::seconds ttl_;
    std::mutex mutex_;
    std::shared_ptr<const Statistics> current_;
};

}  // namespace sengen::app
