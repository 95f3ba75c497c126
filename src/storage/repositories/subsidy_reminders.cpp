// Subsidy reminders (tables subsidy_subscriptions, subsidy_reminders): SQL and row mapping. The
// primary key of subsidy_reminders is what sends a round's reminder once (ADR 41).
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

#define SENGEN_SUBSCRIPTION_COLUMNS "s.id, s.declaration_id, s.account_id, s.programme, s.created_at"

constexpr Statement kSubscribe{
    "subscribe_subsidy",
    "INSERT INTO subsidy_subscriptions (declaration_id, account_id, programme, created_at) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (declaration_id, programme) DO NOTHING RETURNING id"};
constexpr Statement kSubscriptionId{
    "subsidy_subscription_id", "SELECT id FROM subsidy_subscriptions WHERE declaration_id = $1 AND programme = $2"};
constexpr Statement kUnsubscribe{"unsubscribe_subsidy",
                                 "DELETE FROM subsidy_subscriptions WHERE declaration_id = $1 AND programme = $2"};
constexpr Statement kProgrammesOf{
    "subsidy_programmes_of",
    "SELECT programme FROM subsidy_subscriptions WHERE declaration_id = $1 ORDER BY programme"};
constexpr Statement kAwaiting{"subsidy_subscriptions_awaiting",
                              "SELECT " SENGEN_SUBSCRIPTION_COLUMNS
                              " FROM subsidy_subscriptions s WHERE s.programme = $1 AND s.id > $3 "
                              "AND NOT EXISTS (SELECT 1 FROM subsidy_reminders r "
                              "                WHERE r.subscription_id = s.id AND r.round = $2) "
                              "ORDER BY s.id LIMIT $4"};
// ON CONFLICT DO NOTHING: the loser of two nodes writes nothing and learns it from the missing row,
// without a failed statement dooming its transaction. WHERE EXISTS: a subscription ended meanwhile
// gets no reminder (rather than a broken reference). The casts give PostgreSQL the parameters' types,
// which a select list does not.
constexpr Statement kClaim{
    "claim_subsidy_reminder",
    "INSERT INTO subsidy_reminders (subscription_id, round, outcome, token_hash, created_at) "
    "SELECT CAST($1 AS BIGINT), CAST($2 AS TEXT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS BIGINT) "
    "WHERE EXISTS (SELECT 1 FROM subsidy_subscriptions WHERE id = $1) "
    "ON CONFLICT (subscription_id, round) DO NOTHING RETURNING subscription_id"};
constexpr Statement kFindByToken{"find_subsidy_subscription_by_token",
                                 "SELECT " SENGEN_SUBSCRIPTION_COLUMNS
                                 " FROM subsidy_reminders r JOIN subsidy_subscriptions s ON s.id = r.subscription_id "
                                 "WHERE r.token_hash = $1"};
constexpr Statement kUnsubscribeByToken{"unsubscribe_subsidy_by_token",
                                        "DELETE FROM subsidy_subscriptions WHERE id = "
                                        "(SELECT subscription_id FROM subsidy_reminders WHERE token_hash = $1) "
                                        "RETURNING id, declaration_id, account_id, programme, created_at"};
constexpr Statement kOutcome{"subsidy_reminder_outcome",
                             "SELECT outcome FROM subsidy_reminders WHERE subscription_id = $1 AND round = $2"};

SubsidySubscription read_subscription(const Row& r) {
    return SubsidySubscription{r.int64(0), r.int64(1), r.int64(2), r.string(3), r.time(4)};
}

constexpr ReminderOutcome kOutcomes[] = {ReminderOutcome::Queued, ReminderOutcome::Limited, ReminderOutcome::NotOwner,
                                         ReminderOutcome::OpenWhenSubscribed};

}  // namespace

Result<std::int64_t> SqlSubsidyReminders::subscribe(std::int64_t declaration_id, std::int64_t account_id,
                                                    const std::string& programme, TimePoint now) {
    auto id = first_int64(c_, kSubscribe, {declaration_id, account_id, programme, now});
    if (!id) return fail(id.error());
    if (*id) return **id;
    auto existing = first_int64(c_, kSubscriptionId, {declaration_id, programme});
    if (!existing) return fail(existing.error());
    if (!*existing) return fail(corrupt("subsidy subscription vanished while subscribing"));
    return **existing;
}

Result<bool> SqlSubsidyReminders::unsubscribe(std::int64_t declaration_id, const std::string& programme) {
    auto n = execute(c_, kUnsubscribe, {declaration_id, programme});
    if (!n) return fail(n.error());
    return *n > 0;
}

Result<std::vector<std::string>> SqlSubsidyReminders::programmes_of(std::int64_t declaration_id) {
    return all(c_, kProgrammesOf, {declaration_id}, [](const Row& r) { return r.string(0); });
}

Result<std::vector<SubsidySubscription>> SqlSubsidyReminders::awaiting(const std::string& programme,
                                                                       const std::string& round, std::int64_t after_id,
                                                                       std::size_t limit) {
    return all(c_, kAwaiting, {programme, round, after_id, static_cast<std::int64_t>(limit)}, read_subscription);
}

Result<bool> SqlSubsidyReminders::claim(std::int64_t subscription_id, const std::string& round, ReminderOutcome outcome,
                                        const std::string& token_hash, TimePoint now) {
    const std::optional<std::string> token = token_hash.empty() ? std::nullopt : std::optional(token_hash);
    auto id = first_int64(c_, kClaim, {subscription_id, round, std::string(to_string(outcome)), token, now});
    if (!id) return fail(id.error());
    return id->has_value();
}

Result<std::optional<SubsidySubscription>> SqlSubsidyReminders::find_by_token(const std::string& token_hash) {
    return first(c_, kFindByToken, {token_hash}, read_subscription);
}

Result<std::optional<SubsidySubscription>> SqlSubsidyReminders::unsubscribe_by_token(const std::string& token_hash) {
    return first(c_, kUnsubscribeByToken, {token_hash}, read_subscription);
}

Result<std::optional<ReminderOutcome>> SqlSubsidyReminders::outcome(std::int64_t subscription_id,
                                                                    const std::string& round) {
    auto text = first(c_, kOutcome, {subscription_id, round}, [](const Row& r) { return r.string(0); });
    if (!text) return fail(text.error());
    if (!*text) return std::optional<ReminderOutcome>();
    for (const auto o : kOutcomes)
        if (to_string(o) == **text) return std::optional(o);
    return fail(corrupt("subsidy reminder outcome: " + **text));
}

}  // namespace sengen::storage
