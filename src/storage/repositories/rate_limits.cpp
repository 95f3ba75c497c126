// Rate-limit counters, one per key and fixed window (table rate_limits; app/rate_limit.hpp reads
// two windows to count a sliding one).
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr Statement kHit{"hit_rate_limit",
                         "INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3) "
                         "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count"};
constexpr Statement kCount{"count_rate_limit_window",
                           "SELECT count FROM rate_limits WHERE key = $1 AND window_start = $2"};
constexpr Statement kPurge{"purge_rate_limits", "DELETE FROM rate_limits WHERE expires_at <= $1"};

}  // namespace

Result<std::int64_t> SqlRateLimits::hit(const std::string& key, TimePoint window_start, TimePoint expires_at) {
    auto count = first_int64(c_, kHit, {key, window_start, expires_at});
    if (!count) return fail(count.error());
    return count->value_or(0);
}

Result<std::int64_t> SqlRateLimits::count(const std::string& key, TimePoint window_start) {
    auto count = first_int64(c_, kCount, {key, window_start});
    if (!count) return fail(count.error());
    return count->value_or(0);
}

Result<std::size_t> SqlRateLimits::purge_windows(TimePoint now) { return execute(c_, kPurge, {now}); }

}  // namespace sengen::storage
