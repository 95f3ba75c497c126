// The public statistics and their per-node cache (see statistics.hpp).
#include "app/statistics.hpp"

#include <cstdio>
#include <map>

#include "domain/dates.hpp"

namespace sengen::app {

namespace {

// Days since 1970-01-01 in Japan, as storage counts them, back to a calendar month "YYYY-MM".
std::string month_of_japan_day(std::int64_t day) {
    const auto d = dates::japan_date(from_unix_seconds(day * 86400));
    return dates::iso_date(d).substr(0, 7);
}

}  // namespace

Result<Statistics> compute_statistics(Store& store, TimePoint now) {
    // The first day of the month kStatisticsMonths - 1 months before this one, in Japan.
    const auto today = dates::japan_date(now);
    int year = today.year;
    int month = today.month - (kStatisticsMonths - 1);
    while (month < 1) {
        month += 12;
        --year;
    }
    const TimePoint since = dates::japan_midnight({year, month, 1});
    auto counts = store.query<DeclarationRepository::Counts>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().counts(since); });
    if (!counts) return fail(counts.error());

    Statistics s;
    s.computed_at = now;
    std::map<int, std::int64_t> levels{{1, 0}, {2, 0}};
    for (const auto& [level, n] : counts->by_level) {
        levels[static_cast<int>(level)] += n;
        s.in_force += n;
    }
    s.by_level.assign(levels.begin(), levels.end());
    s.by_prefecture = std::move(counts->by_prefecture);
    s.by_industry = std::move(counts->by_industry);

    std::map<std::string, std::int64_t> months;
    for (int i = 0, y = year, m = month; i < kStatisticsMonths; ++i) {
        char key[32];
        std::snprintf(key, sizeof key, "%04d-%02d", y, m);
        months[key] = 0;
        if (++m > 12) {
            m = 1;
            ++y;
        }
    }
    for (const auto& [day, n] : counts->issued_by_day)
        if (auto it = months.find(month_of_japan_day(day)); it != months.end()) it->second += n;
    s.issued_by_month.assign(months.begin(), months.end());
    return s;
}

Result<std::shared_ptr<const Statistics>> StatisticsCache::get() {
    std::lock_guard lock(mutex_);
    const auto now = clock_.now();
    if (current_ && now - current_->computed_at < ttl_) return current_;
    auto fresh = compute_statistics(store_, now);
    if (!fresh) {
        // An outage shows the last figures rather than an error, when there are any.
        if (current_) return current_;
        return fail(fresh.error());
    }
    current_ = std::make_shared<const Statistics>(std::move(*fresh));
    return current_;
}

}  // namespace sengen::app
