#include "app/rate_limit.hpp"

#include "app/tokens.hpp"
#include "domain/ip_network.hpp"

namespace sengen::app {

std::string rate_subject_key(const RateRule& rule, const std::string& subject) {
    return rule.subject == RateSubject::ClientAddress ? rate_limit_subject(subject) : subject;
}

namespace {

std::string stored_key(const RateRule& rule, const std::string& subject) {
    return rule.name + ":" + token_hash(rate_subject_key(rule, subject)).substr(0, 32);
}

std::int64_t window_start(const RateRule& rule, TimePoint now) {
    const auto secs = unix_seconds(now);
    return secs - secs % rule.window.count();
}

Status check(const RateRule& rule, const Result<std::int64_t>& count) {
    if (!count) return fail(count.error());
    if (*count > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

Result<std::int64_t> hit_in(Transaction& tx, const RateRule& rule, const std::string& key, TimePoint now) {
    const TimePoint start = from_unix_seconds(window_start(rule, now));
    return tx.rate_limits().hit(key, start, start + rule.window + rule.window);
}

Status hit(Store& store, const RateRule& rule, const std::string& key, TimePoint now) {
    auto count = store.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) { return hit_in(tx, rule, key, now); });
    if (!count) return fail(count.error());
    if (*count > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

}  // namespace

Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now) {
    return hit(store, rule, stored_key(rule, subject), now);
}

Status enforce_in(Transaction& tx, const RateRule& rule, const std::string& subject, TimePoint now) {
    return check(rule, hit_in(tx, rule, stored_key(rule, subject), now));
}

Status enforce(Store& store, RefusalMemo& memo, const RateRule& rule, const std::string& subject, TimePoint now) {
    const std::string key = stored_key(rule, subject);
    if (memo.refused(key, unix_seconds(now))) return fail(Error::too_many("rate." + rule.name));
    auto st = hit(store, rule, key, now);
    if (!st && st.error().kind == Error::Kind::TooMany)
        memo.remember(key, unix_seconds(now), window_start(rule, now) + rule.window.count());
    return st;
}

bool RefusalMemo::refused(const std::string& key, std::int64_t now_secs) {
    std::lock_guard lock(mutex_);
    auto it = until_.find(key);
    return it != until_.end() && now_secs < it->second;
}

void RefusalMemo::remember(const std::string& key, std::int64_t now_secs, std::int64_t window_end_secs) {
    std::lock_guard lock(mutex_);
    if (until_.size() >= max_entries_ && !until_.contains(key)) {
        std::erase_if(until_, [&](const auto& kv) { return kv.second <= now_secs; });
        if (until_.size() >= max_entries_) until_.clear();
    }
    until_[key] = window_end_secs;
}

std::size_t RefusalMemo::size() {
    std::lock_guard lock(mutex_);
    return until_.size();
}

}  // namespace sengen::app
