#include "domain/ports.hpp"

namespace sengen {

std::string_view to_string(OutboxEntry::State s) {
    switch (s) {
        case OutboxEntry::State::Pending:
            return "pending";
        case OutboxEntry::State::Sending:
            return "sending";
        case OutboxEntry::State::Sent:
            return "sent";
        case OutboxEntry::State::Failed:
            return "failed";
    }
    return "pending";
}

std::optional<SavedPolicy::Status> parse_policy_status(std::string_view s) {
    for (auto st : {policy::Publication::Draft, policy::Publication::Published, policy::Publication::Unpublished})
        if (policy::to_string(st) == s) return st;
    return std::nullopt;
}

}  // namespace sengen

namespace sengen {

std::string_view to_string(ReminderOutcome o) {
    switch (o) {
        case ReminderOutcome::Queued:
            return "queued";
        case ReminderOutcome::Limited:
            return "limited";
        case ReminderOutcome::NotOwner:
            return "not_owner";
        case ReminderOutcome::OpenWhenSubscribed:
            return "open_when_subscribed";
    }
    return "queued";
}

}  // namespace sengen
