// Replaying recorded lifecycle events into the public history (see declaration_history.hpp).
#include "domain/declaration_history.hpp"

#include <array>

namespace sengen::history {

std::string_view to_string(EventKind k) {
    switch (k) {
        case EventKind::Issued:
            return "issued";
        case EventKind::LevelChanged:
            return "level_changed";
        case EventKind::Stopped:
            return "stopped";
        case EventKind::Revoked:
            return "revoked";
        case EventKind::Reinstated:
            return "reinstated";
        case EventKind::Imported:
            return "imported";
    }
    return "issued";
}

namespace {
// The audit actions of domain/lifecycle.cpp's plans (and the import's), in Action order.
constexpr std::array<std::string_view, 9> kAuditActions{
    "declaration.applied", "declaration.confirmed", "declaration.approve",
    "declaration.step_up", "declaration.step_down", "declaration.stop",
    "declaration.revoke",  "declaration.reinstate", "declaration.imported",
};
}  // namespace

std::optional<Action> action_from_audit(std::string_view audit_action) {
    for (std::size_t i = 0; i < kAuditActions.size(); ++i)
        if (kAuditActions[i] == audit_action) return static_cast<Action>(i);
    return std::nullopt;
}

std::span<const std::string_view> audit_actions() { return kAuditActions; }

std::vector<Recorded> imported_events(TimePoint declared_at, const ImportedAs& as) {
    const bool rose_later = as.level_since > declared_at && as.level > 1;
    std::vector<Recorded> out{{declared_at, Action::Imported, rose_later ? 1 : as.level, lifecycle::Status::Declared}};
    if (rose_later) out.push_back({as.level_since, Action::StepUp, as.level, lifecycle::Status::Declared});
    return out;
}

std::vector<PublicEvent> public_events(std::span<const Recorded> recorded) {
    using lifecycle::Status;
    std::vector<PublicEvent> out;
    int level = 1;
    bool issued = false;
    Status status = Status::AwaitingConfirmation;
    auto add = [&](TimePoint at, EventKind kind) { out.push_back({at, kind, level, status}); };
    for (const auto& r : recorded) {
        switch (r.action) {
            case Action::Applied:
                if (!issued && r.level >= 1) level = r.level;
                break;
            case Action::Confirmed:
                // Held for review or disputed: not public yet; the approval issues it.
                if (!issued && r.status == Status::Declared) {
                    issued = true;
                    status = Status::Declared;
                    add(r.at, EventKind::Issued);
                }
                break;
            case Action::Approved:
                if (!issued) {
                    issued = true;
                    status = Status::Declared;
                    add(r.at, EventKind::Issued);
                }
                break;
            case Action::Imported:
                if (!issued && r.level >= 1) {
                    issued = true;
                    level = r.level;
                    status = r.status.value_or(Status::Declared);
                    add(r.at, EventKind::Imported);
                }
                break;
            case Action::StepUp:
            case Action::StepDown:
                if (issued && status == Status::Declared && r.level >= 1) {
                    level = r.level;
                    add(r.at, EventKind::LevelChanged);
                }
                break;
            case Action::Stop:
                if (issued && status == Status::Declared) {
                    status = Status::Stopped;
                    add(r.at, EventKind::Stopped);
                }
                break;
            case Action::Revoke:
                if (issued && (status == Status::Declared || status == Status::Stopped)) {
                    status = Status::Revoked;
                    add(r.at, EventKind::Revoked);
                }
                break;
            case Action::Reinstate:
                if (issued && status == Status::Revoked) {
                    status = Status::Declared;
                    add(r.at, EventKind::Reinstated);
                }
                break;
        }
    }
    return out;
}

std::vector<PublicEvent> implied_events(const PublicDeclaration& d) {
    using lifecycle::Status;
    std::vector<PublicEvent> out;
    if (d.level_since > d.declared_at && d.level > 1) {
        out.push_back({d.declared_at, EventKind::Issued, 1, Status::Declared});
        out.push_back({d.level_since, EventKind::LevelChanged, d.level, Status::Declared});
    } else {
        out.push_back({d.declared_at, EventKind::Issued, d.level, Status::Declared});
    }
    if (d.ended_at && (d.status == Status::Stopped || d.status == Status::Revoked))
        out.push_back(
            {*d.ended_at, d.status == Status::Stopped ? EventKind::Stopped : EventKind::Revoked, d.level, d.status});
    return out;
}

std::vector<PublicEvent> completed(std::vector<PublicEvent> events, const PublicDeclaration& d) {
    using lifecycle::Status;
    if (events.empty()) return implied_events(d);
    const bool ended = d.status == Status::Stopped || d.status == Status::Revoked;
    if (ended && d.ended_at && events.back().status != d.status && *d.ended_at >= events.back().at)
        events.push_back({*d.ended_at, d.status == Status::Stopped ? EventKind::Stopped : EventKind::Revoked,
                          events.back().level, d.status});
    return events;
}

std::optional<lifecycle::State> state_at(std::span<const PublicEvent> events, TimePoint instant) {
    std::optional<lifecycle::State> out;
    for (const auto& e : events) {
        if (e.at > instant) break;
        out = lifecycle::State{e.status, e.level};
    }
    return out;
}

TimePoint end_of_japan_day(dates::CivilDate d) {
    // The midnight of the next day, less one second (times are whole seconds).
    auto next = dates::japan_midnight(d) + std::chrono::hours(24);
    return next - std::chrono::seconds(1);
}

}  // namespace sengen::history
