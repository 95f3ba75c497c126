#include "app/rate_limit.hpp"

#include "app/tokens.hpp"

namespace sengen::app {

Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now) {
    const auto secs = unix_seconds(now);
    const auto window = rule.window.count();
    const TimePoint start = from_unix_seconds(secs - secs % window);
    const std::string key = rule.name + ":" + token_hash(subject).substr(0, 32);
    auto count = store.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) {
        return tx.rate_limits().hit(key, start, start + rule.window + rule.window);
    });
    if (!count) return fail(count.error());
    if (*count > rule.limit) return fail(Error::too_many("rate." + rule.name));
    return {};
}

}  // namespace sengen::app
