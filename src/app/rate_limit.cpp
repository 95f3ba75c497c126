#include "app/rate_limit.hpp"

#include "app/tokens.hpp"
#include "domain/ip_network.hpp"

namespace sengen::app {

std::string rate_subject_key(const RateRule& rule, const std::string& subject) {
    return rule.subject == RateSubject::ClientAddress ? rate_limit_subject(subject) : subject;
}

Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now) {
    const auto secs = unix_seconds(now);
    const auto window = rule.window.count();
    const TimePoint start = from_unix_seconds(secs - secs % window);
    const std::string key = rule.name + ":" + token_hash(rate_subject_key(rule, subject)).substr(0, 32);
    auto count = store.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) {
        return tx.rate_limits().hit(key, start, start + rule.window + rule.window);
    });
    if (!count) return fail(count.error());
    if (*count > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

}  // namespace sengen::app
