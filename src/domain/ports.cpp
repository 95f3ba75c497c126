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

std::string_view to_string(SavedPolicy::Status s) {
    switch (s) {
        case SavedPolicy::Status::Draft:
            return "draft";
        case SavedPolicy::Status::Published:
            return "published";
        case SavedPolicy::Status::Unpublished:
            return "unpublished";
    }
    return "draft";
}

std::optional<SavedPolicy::Status> parse_policy_status(std::string_view s) {
    if (s == "draft") return SavedPolicy::Status::Draft;
    if (s == "published") return SavedPolicy::Status::Published;
    if (s == "unpublished") return SavedPolicy::Status::Unpublished;
    return std::nullopt;
}

}  // namespace sengen
