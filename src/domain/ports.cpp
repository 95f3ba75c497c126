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

}  // namespace sengen
