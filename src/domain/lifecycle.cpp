// The transition table. Each guard returns an error code of the form
// "lifecycle.<status>.<event>" or a more specific one, so tests and logs can tell them apart.
#include "domain/lifecycle.hpp"

namespace sengen::lifecycle {

std::string_view to_string(Status s) {
    switch (s) {
        case Status::AwaitingConfirmation:
            return "awaiting_confirmation";
        case Status::AwaitingReview:
            return "awaiting_review";
        case Status::Declared:
            return "declared";
        case Status::Stopped:
            return "stopped";
        case Status::Revoked:
            return "revoked";
        case Status::Rejected:
            return "rejected";
    }
    return "awaiting_confirmation";
}

std::optional<Status> status_from_string(std::string_view s) {
    for (auto st : kAllStatuses)
        if (to_string(st) == s) return st;
    return std::nullopt;
}

std::string_view event_name(const Event& e) {
    struct Names {
        std::string_view operator()(const event::Confirm&) const { return "confirm"; }
        std::string_view operator()(const event::Approve&) const { return "approve"; }
        std::string_view operator()(const event::Reject&) const { return "reject"; }
        std::string_view operator()(const event::StepUp&) const { return "step_up"; }
        std::string_view operator()(const event::StepDown&) const { return "step_down"; }
        std::string_view operator()(const event::Stop&) const { return "stop"; }
        std::string_view operator()(const event::Revoke&) const { return "revoke"; }
        std::string_view operator()(const event::Reinstate&) const { return "reinstate"; }
    };
    return std::visit(Names{}, e);
}

bool issues_id(const State& from, const State& to) {
    return (from.status == Status::AwaitingConfirmation || from.status == Status::AwaitingReview) &&
           to.status == Status::Declared;
}

bool is_live(Status s) { return s == Status::Declared || s == Status::AwaitingReview; }
bool is_listed(Status s) { return s == Status::Declared || s == Status::Stopped || s == Status::Revoked; }
bool may_show_badge(Status s) { return s == Status::Declared; }

std::vector<Status> statuses_where(bool (*pred)(Status)) {
    std::vector<Status> out;
    for (auto s : kAllStatuses)
        if (pred(s)) out.push_back(s);
    return out;
}

namespace {

tl::unexpected<Error> illegal(const State& from, const Event& e, std::string_view why = {}) {
    std::string code = "lifecycle." + std::string(to_string(from.status)) + "." + std::string(event_name(e));
    if (!why.empty()) code += "." + std::string(why);
    return fail(Error::illegal_transition(code));
}

bool has_text(const std::string& s) { return s.find_first_not_of(" \t\r\n") != std::string::npos; }

}  // namespace

Result<State> transition(const State& from, const Event& e, int max_level) {
    State to = from;
    const Status s = from.status;

    if (auto* c = std::get_if<event::Confirm>(&e)) {
        if (s != Status::AwaitingConfirmation) return illegal(from, e);
        to.status = c->hold_for_review ? Status::AwaitingReview : Status::Declared;
        return to;
    }
    if (std::holds_alternative<event::Approve>(e)) {
        if (s != Status::AwaitingReview) return illegal(from, e);
        to.status = Status::Declared;
        return to;
    }
    if (auto* r = std::get_if<event::Reject>(&e)) {
        if (s != Status::AwaitingReview) return illegal(from, e);
        if (!has_text(r->reason)) return illegal(from, e, "reason_required");
        to.status = Status::Rejected;
        return to;
    }
    if (auto* up = std::get_if<event::StepUp>(&e)) {
        if (s != Status::Declared) return illegal(from, e);
        if (up->to_level <= from.level) return illegal(from, e, "not_higher");
        if (up->to_level > max_level) return illegal(from, e, "beyond_max");
        to.level = up->to_level;
        return to;
    }
    if (auto* down = std::get_if<event::StepDown>(&e)) {
        if (s != Status::Declared) return illegal(from, e);
        if (down->to_level >= from.level) return illegal(from, e, "not_lower");
        if (down->to_level < 1) return illegal(from, e, "below_one");
        to.level = down->to_level;
        return to;
    }
    if (std::holds_alternative<event::Stop>(e)) {
        if (s != Status::Declared) return illegal(from, e);
        to.status = Status::Stopped;
        return to;
    }
    if (auto* r = std::get_if<event::Revoke>(&e)) {
        if (s != Status::Declared && s != Status::Stopped) return illegal(from, e);
        if (!has_text(r->reason)) return illegal(from, e, "reason_required");
        to.status = Status::Revoked;
        return to;
    }
    if (auto* r = std::get_if<event::Reinstate>(&e)) {
        if (s != Status::Revoked) return illegal(from, e);
        if (!has_text(r->reason)) return illegal(from, e, "reason_required");
        to.status = Status::Declared;
        return to;
    }
    return illegal(from, e);
}

}  // namespace sengen::lifecycle
