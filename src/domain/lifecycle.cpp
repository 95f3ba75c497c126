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
        case Status::Disputed:
            return "disputed";
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
    return (from.status == Status::AwaitingConfirmation || from.status == Status::AwaitingReview ||
            from.status == Status::Disputed) &&
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

Result<Plan> plan(const State& from, const Event& e, const Levels& levels) {
    Plan p;
    p.to = from;
    const Status s = from.status;
    // Owner actions record the change of level and status; operator actions record the reason,
    // which the mail quotes too.
    auto by_operator = [&](std::string_view action, std::string_view mail) {
        p.audit_action = action;
        p.audit_details = AuditDetails::Reason;
        p.mail_kind = mail;
        p.mail_reason = MailReason::Include;
    };

    if (auto* c = std::get_if<event::Confirm>(&e)) {
        if (s != Status::AwaitingConfirmation) return illegal(from, e);
        if (from.level > levels.highest_self_declared) return illegal(from, e, "not_self_declared");
        p.audit_details = AuditDetails::Confirmed;
        if (c->number == event::CorporateNumber::Taken) {
            // Another business holds a live declaration for this number: neither displace it on
            // the word of whoever can receive mail, nor turn the claimant away. The claim waits
            // for the operator, who sees it as a dispute.
            p.to.status = Status::Disputed;
            p.audit_action = "declaration.disputed";
            p.mail_kind = "mail.disputed";
            p.dispute = Dispute::Record;
        } else {
            p.to.status = c->hold_for_review ? Status::AwaitingReview : Status::Declared;
            p.audit_action = "declaration.confirmed";
            // Held for review: the contact is told the ID comes after the operator's check.
            p.mail_kind = p.to.status == Status::Declared ? "mail.declared" : "mail.held";
        }
    } else if (auto* approve = std::get_if<event::Approve>(&e)) {
        // A disputed claim is the operator's to settle: approved only once nobody else holds the
        // number live (the holder's declaration ended first), so one number never has two.
        if (s != Status::AwaitingReview && s != Status::Disputed) return illegal(from, e);
        if (approve->number == event::CorporateNumber::Taken) return illegal(from, e, "number_taken");
        p.to.status = Status::Declared;
        p.ending = Ending::Clear;
        by_operator("declaration.approve", "mail.declared");
    } else if (auto* reject = std::get_if<event::Reject>(&e)) {
        if (s != Status::AwaitingReview && s != Status::Disputed) return illegal(from, e);
        if (!has_text(reject->reason)) return illegal(from, e, "reason_required");
        p.to.status = Status::Rejected;
        p.ending = Ending::Now;
        p.reason = reject->reason;
        by_operator("declaration.reject", "mail.rejected");
    } else if (auto* up = std::get_if<event::StepUp>(&e)) {
        if (s != Status::Declared) return illegal(from, e);
        if (up->to_level <= from.level) return illegal(from, e, "not_higher");
        if (up->to_level > levels.highest) return illegal(from, e, "beyond_max");
        if (up->to_level > levels.highest_self_declared) return illegal(from, e, "not_self_declared");
        p.to.level = up->to_level;
        p.level_since = DateChange::Now;
        p.audit_action = "declaration.step_up";
        p.mail_kind = "mail.stepped_up";
    } else if (auto* down = std::get_if<event::StepDown>(&e)) {
        if (s != Status::Declared) return illegal(from, e);
        if (down->to_level >= from.level) return illegal(from, e, "not_lower");
        if (down->to_level < 1) return illegal(from, e, "below_one");
        p.to.level = down->to_level;
        p.level_since = DateChange::Now;
        p.audit_action = "declaration.step_down";
        p.mail_kind = "mail.stepped_down";
    } else if (std::holds_alternative<event::Stop>(e)) {
        if (s != Status::Declared) return illegal(from, e);
        p.to.status = Status::Stopped;
        p.ending = Ending::Now;
        p.audit_action = "declaration.stop";
        p.mail_kind = "mail.stopped";
    } else if (auto* revoke = std::get_if<event::Revoke>(&e)) {
        if (s != Status::Declared && s != Status::Stopped) return illegal(from, e);
        if (!has_text(revoke->reason)) return illegal(from, e, "reason_required");
        p.to.status = Status::Revoked;
        p.ending = Ending::Now;
        p.reason = revoke->reason;
        by_operator("declaration.revoke", "mail.revoked");
    } else if (auto* reinstate = std::get_if<event::Reinstate>(&e)) {
        if (s != Status::Revoked) return illegal(from, e);
        if (!has_text(reinstate->reason)) return illegal(from, e, "reason_required");
        if (reinstate->number == event::CorporateNumber::Taken) return illegal(from, e, "number_taken");
        p.to.status = Status::Declared;
        p.ending = Ending::Clear;
        p.reason = reinstate->reason;
        by_operator("declaration.reinstate", "mail.reinstated");
    } else {
        return illegal(from, e);
    }
    if (issues_id(from, p.to)) p.id = IdIssue::Issue;
    return p;
}

Result<State> transition(const State& from, const Event& e, const Levels& levels) {
    auto p = plan(from, e, levels);
    if (!p) return fail(p.error());
    return p->to;
}

Result<Plan> plan_application(int level, const Levels& levels) {
    if (level < 1 || level > levels.highest_self_declared)
        return fail(Error::illegal_transition("lifecycle.apply.not_self_declared"));
    Plan p;
    p.to = {Status::AwaitingConfirmation, level};
    p.audit_action = "declaration.applied";
    p.audit_details = AuditDetails::Applied;
    p.mail_kind = "mail.receipt";
    return p;
}

Result<Plan> plan_resend(const State& from, LinkExpiry link) {
    if (from.status != Status::AwaitingConfirmation)
        return fail(Error::illegal_transition("lifecycle." + std::string(to_string(from.status)) + ".resend"));
    // An expired application is dead (and soon purged): a fresh link would revive it for longer
    // than anyone asked for.
    if (link == LinkExpiry::Expired)
        return fail(Error::illegal_transition("lifecycle.awaiting_confirmation.resend.expired"));
    Plan p;
    p.to = from;
    p.audit_action = "declaration.confirmation_resent";
    p.audit_details = AuditDetails::None;
    p.mail_kind = "mail.receipt";
    return p;
}

Result<Plan> plan_contact_change_request(const State& from) {
    if (!may_change_details(from.status))
        return fail(
            Error::illegal_transition("lifecycle." + std::string(to_string(from.status)) + ".contact_change_request"));
    Plan p;
    p.to = from;
    p.audit_action = "declaration.contact_change_requested";
    p.audit_details = AuditDetails::None;
    p.mail_kind = "mail.contact_change";
    p.mail_to = Recipient::NewContact;
    return p;
}

Result<Plan> plan_contact_change(const State& from) {
    if (!may_change_details(from.status))
        return fail(Error::illegal_transition("lifecycle." + std::string(to_string(from.status)) + ".contact_change"));
    Plan p;
    p.to = from;
    p.audit_action = "declaration.contact_changed";
    p.audit_details = AuditDetails::None;
    p.mail_kind = "mail.contact_moved";
    p.mail_to = Recipient::FormerContact;
    p.ownership = Ownership::MoveToNewContact;
    return p;
}

bool allows(const State& from, const Event& e, const Levels& levels) { return plan(from, e, levels).has_value(); }

bool may_change_details(Status s) { return s == Status::Declared; }

}  // namespace sengen::lifecycle
