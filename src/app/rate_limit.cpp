#include "app/rate_limit.hpp"

#include "app/tokens.hpp"
#include "domain/ip_network.hpp"
#include "domain/rate_window.hpp"

namespace sengen::app {

std::string rate_subject_key(const RateRule& rule, const std::string& subject) {
    return rule.subject == RateSubject::ClientAddress ? rate_limit_subject(subject) : subject;
}

namespace {

std::string stored_key(const RateRule& rule, const std::string& subject) {
    return rule.name + ":" + token_hash(rate_subject_key(rule, subject)).substr(0, 32);
}

std::int64_t window_start(const RateRule& rule, TimePoint now) {
    return rate_window::start(unix_seconds(now), rule.window.count());
}

// One hit counted: this fixed window's count, the previous window's, and the sliding window's
// (domain/rate_window.hpp), which the limit is checked against.
struct Counted {
    std::int64_t current = 0;
    std::int64_t previous = 0;
    std::int64_t sliding = 0;
};

// Counts one hit of `key` in the current fixed window. The previous window's count is read only
// when the current one alone has not already passed the limit.
Result<Counted> hit_in(Transaction& tx, const RateRule& rule, const std::string& key, TimePoint now) {
    const TimePoint start = from_unix_seconds(window_start(rule, now));
    auto current = tx.rate_limits().hit(key, start, start + rule.window + rule.window);
    if (!current) return fail(current.error());
    Counted c{*current, 0, *current};
    if (c.current > rule.limit) return c;
    auto previous = tx.rate_limits().count(key, start - rule.window);
    if (!previous) return fail(previous.error());
    c.previous = *previous;
    c.sliding = rate_window::sliding_count(c.current, c.previous, unix_seconds(now), rule.window.count());
    return c;
}

Status check(const RateRule& rule, const Result<Counted>& counted) {
    if (!counted) return fail(counted.error());
    if (counted->sliding > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

// As hit_in, in a write transaction of its own: the hit is kept even when it is refused.
Result<Counted> hit(Store& store, const RateRule& rule, const std::string& key, TimePoint now) {
    return store.query<Counted>(TxMode::Write, [&](Transaction& tx) { return hit_in(tx, rule, key, now); });
}

}  // namespace

Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now) {
    return check(rule, hit(store, rule, stored_key(rule, subject), now));
}

Status enforce_in(Transaction& tx, const RateRule& rule, const std::string& subject, TimePoint now) {
    return check(rule, hit_in(tx, rule, stored_key(rule, subject), now));
}

Status enforce(Store& store, RefusalMemo& memo, const RateRule& rule, const std::string& subject, TimePoint now) {
    const std::string key = stored_key(rule, subject);
    const auto secs = unix_seconds(now);
    if (memo.refused(key, secs)) return fail(Error::too_many("rate." + rule.name));
    const auto counted = hit(store, rule, key, now);
    auto st = check(rule, counted);
    if (!st && st.error().kind == Error::Kind::TooMany)
        memo.remember(
            key, secs,
            rate_window::refused_until(counted->current, counted->previous, secs, rule.window.count(), rule.limit));
    return st;
}

bool RefusalMemo::refused(const std::string& key, std::int64_t now_secs) {
    std::lock_guard lock(mutex_);
    auto it = until_.find(key);
    return it != until_.end() && now_secs < it->second;
}

void RefusalMemo::remember(const std::string& key, std::int64_t now_secs, std::int64_t until_secs) {
    std::lock_guard lock(mutex_);
    if (until_.size() >= max_entries_ && !until_.contains(key)) {
        std::erase_if(until_, [&](const auto& kv) { return kv.second <= now_secs; });
        if (until_.size() >= max_entries_) until_.clear();
    }
    until_[key] = until_secs;
}

std::size_t RefusalMemo::size() {
    std::lock_guard lock(mutex_);
    return until_.size();
}

}  // namespace sengen::app
