// The in-memory limiter: per shard, a hash index into a list kept in order of the last hit, so
// that a hit and an eviction are both constant time.
#include "app/local_rate_limit.hpp"

#include "domain/rate_window.hpp"

#include <algorithm>
#include <functional>
#include <iterator>

namespace sengen::app {

LocalRateLimiter::LocalRateLimiter(std::size_t max_subjects_per_shard)
    : max_per_shard_(std::max<std::size_t>(1, max_subjects_per_shard)) {}

Status LocalRateLimiter::hit(const RateRule& rule, const std::string& subject, TimePoint now) {
    std::string key = rule.name;
    key += ':';
    key += rate_subject_key(rule, subject);
    auto& shard = shards_[std::hash<std::string>{}(key) % shards_.size()];
    const auto secs = unix_seconds(now);
    const auto start = rate_window::start(secs, rule.window.count());
    std::int64_t count = 0;
    {
        std::lock_guard lock(shard.mutex);
        if (shard.window_start != start) {
            // The window that ends becomes the previous one if it is the one just before.
            shard.previous.clear();
            if (shard.window_start == start - rule.window.count())
                for (auto& e : shard.recent) shard.previous.emplace(std::move(e.key), e.count);
            shard.index.clear();
            shard.recent.clear();
            shard.window_start = start;
        }
        auto it = shard.index.find(key);
        if (it != shard.index.end()) {
            shard.recent.splice(shard.recent.begin(), shard.recent, it->second);
        } else {
            if (shard.index.size() >= max_per_shard_) {
                // Forget the subject idle longest; its node is reused for the new one.
                shard.index.erase(shard.recent.back().key);
                shard.recent.splice(shard.recent.begin(), shard.recent, std::prev(shard.recent.end()));
                shard.recent.front() = Entry{std::move(key), 0};
            } else {
                shard.recent.push_front(Entry{std::move(key), 0});
            }
            it = shard.index.emplace(shard.recent.front().key, shard.recent.begin()).first;
        }
        count = ++it->second->count;
        if (count <= rule.limit && !shard.previous.empty()) {
            const auto before = shard.previous.find(it->second->key);
            if (before != shard.previous.end())
                count = rate_window::sliding_count(count, before->second, secs, rule.window.count());
        }
    }
    if (count > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

std::size_t LocalRateLimiter::tracked() {
    std::size_t n = 0;
    for (auto& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        n += shard.index.size();
    }
    return n;
}

}  // namespace sengen::app
