#include "app/local_rate_limit.hpp"

#include <functional>

namespace sengen::app {

Status LocalRateLimiter::hit(const RateRule& rule, const std::string& subject, TimePoint now) {
    const std::string key = rule.name + ":" + subject;
    auto& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
    const auto secs = unix_seconds(now);
    const auto start = secs - secs % rule.window.count();
    std::int64_t count = 0;
    {
        std::lock_guard lock(shard.mutex);
        if (shard.window_start != start) {
            shard.counts.clear();
            shard.window_start = start;
        }
        auto it = shard.counts.find(key);
        if (it == shard.counts.end()) {
            if (shard.counts.size() >= kMaxSubjectsPerShard) return {};
            it = shard.counts.emplace(key, 0).first;
        }
        count = ++it->second;
    }
    if (count > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

}  // namespace sengen::app
