// The declaration lifecycle as one explicit state machine (drawn in docs/lifecycle.md).
// Every change of status or level goes through `transition`, which either returns the new
// state or an IllegalTransition error naming why; nothing infers a state from timestamps.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/error.hpp"

namespace sengen::lifecycle {

enum class Status {
    AwaitingConfirmation,  // applied; the 受付確認 link has not been followed yet
    AwaitingReview,        // confirmed, but the operator holds applications for review
    Declared,              // ID issued and public
    Stopped,               // 停止 by the declarant; public as stopped; final
    Revoked,               // by the operator, with a reason; public as revoked
    Rejected,              // the operator declined an application held for review; final
    Disputed,              // confirmed, but its corporate number already has a live declaration: a claim
                           // the operator settles (approve once the number is free, or reject); no ID,
                           // not public, not live
};

std::string_view to_string(Status s);
std::optional<Status> status_from_string(std::string_view s);

struct State {
    Status status = Status::AwaitingConfirmation;
    int level = 1;  // an ordinal: 1 = ★, 2 = ★★, higher levels defined by content

    bool operator==(const State&) const = default;
};

namespace event {
// Whether the application's corporate number already has a live declaration when it is confirmed.
enum class CorporateNumber { Free, Taken };
struct Confirm {
    bool hold_for_review = false;  // an operator setting
    CorporateNumber number = CorporateNumber::Free;
};
// Approving a held application, or a disputed claim once the number is free again (the operator
// settles a dispute for the claimant by ending the holder's declaration first).
struct Approve {
    CorporateNumber number = CorporateNumber::Free;
};
struct Reject {
    std::string reason;
};
struct StepUp {
    int to_level;
};
struct StepDown {
    int to_level;
};
struct Stop {};
struct Revoke {
    std::string reason;
};
// Reinstating puts the declaration back in force: refused while another declaration holds its
// corporate number live (the claimant a dispute was settled for, say), as approving is.
struct Reinstate {
    std::string reason;
    CorporateNumber number = CorporateNumber::Free;
};
}  // namespace event

using Event = std::variant<event::Confirm, event::Approve, event::Reject, event::StepUp, event::StepDown, event::Stop,
                           event::Revoke, event::Reinstate>;

// A stable name for the event ("confirm", "step_up", ...): the audit log's action suffix.
std::string_view event_name(const Event& e);

// Whether the ID is issued on entering this state (Declared from an application).
bool issues_id(const State& from, const State& to);

// The levels a declaration may have, from the content's level definitions: levels run 1..highest,
// and a declarant may give itself levels 1..highest_self_declared (higher ones, if content defines
// any, are granted by someone else and never reached by applying or stepping up).
struct Levels {
    int highest = 1;
    int highest_self_declared = 1;
};

// What a transition causes besides the new state. `app` carries it out in one transaction: it
// saves the state (checking that nobody changed it since it was read), issues the ID when told,
// records the audit event and queues the mail; it adds no rule of its own.
enum class IdIssue { Keep, Issue };      // Issue: a fresh ID, and declared_at and level_since set to now
enum class DateChange { Keep, Now };     // for level_since
enum class Ending { Keep, Now, Clear };  // ended_at and end_reason: set now (with the reason) or cleared
// Contact: the declarant's contact address as registered; NewContact: the address a change of
// contact asks for (not proven until its link is followed); FormerContact: the address a proven
// change of contact replaced.
enum class Recipient { Contact, NewContact, FormerContact };
enum class MailReason { Omit, Include };  // whether the mail quotes the operator's reason
// The audit record's details: none, the level and terms applied for, the outcome of confirming,
// the change of level and status, or the operator's reason.
enum class AuditDetails { None, Applied, Confirmed, Levels, Reason };
// Record: the claim is stored as a dispute over its corporate number, for the operator's review queue.
enum class Dispute { None, Record };
// MoveToNewContact: the declaration passes to the account of the proven new contact address, and
// the former owner's sessions end (a former employee's mailbox must not keep control).
enum class Ownership { Keep, MoveToNewContact };

struct Plan {
    State to;
    IdIssue id = IdIssue::Keep;
    DateChange level_since = DateChange::Keep;
    Ending ending = Ending::Keep;
    std::string reason;             // the operator's reason: the end reason with Ending::Now, quoted in audit and mail
    std::string_view audit_action;  // e.g. "declaration.step_up"
    AuditDetails audit_details = AuditDetails::Levels;
    std::string_view mail_kind;  // e.g. "mail.declared"
    Recipient mail_to = Recipient::Contact;
    MailReason mail_reason = MailReason::Omit;
    Dispute dispute = Dispute::None;
    Ownership ownership = Ownership::Keep;
};

// The one transition function: whether `e` is allowed from `from` and, if so, everything it causes.
Result<Plan> plan(const State& from, const Event& e, const Levels& levels);
// The new state alone (the same guards).
Result<State> transition(const State& from, const Event& e, const Levels& levels);
// Applying: a new application at `level` awaits the confirmation of its contact address. Refused
// ("lifecycle.apply.not_self_declared") for a level the declarant may not give itself.
Result<Plan> plan_application(int level, const Levels& levels);
// Resending the confirmation mail: only for an application that still awaits it and whose link
// has not expired ("lifecycle.awaiting_confirmation.resend.expired": apply again instead).
enum class LinkExpiry { Valid, Expired };
Result<Plan> plan_resend(const State& from, LinkExpiry link = LinkExpiry::Valid);
// Asking to change the contact address: only while declared. Nothing changes yet; the new address
// is mailed a link, and only following it proves the address and moves the declaration.
Result<Plan> plan_contact_change_request(const State& from);
// Following that link: the declaration passes to the new address's account, the former address
// is told, the former owner's sessions end. Only while still declared.
Result<Plan> plan_contact_change(const State& from);

// Whether `e` would be allowed from `from`: what a page asks before offering an action.
bool allows(const State& from, const Event& e, const Levels& levels);

// Whether the registered details may be changed (only while declared).
bool may_change_details(Status s);

// Every status, in a fixed order.
inline constexpr std::array<Status, 7> kAllStatuses{Status::AwaitingConfirmation,
                                                    Status::AwaitingReview,
                                                    Status::Declared,
                                                    Status::Stopped,
                                                    Status::Revoked,
                                                    Status::Rejected,
                                                    Status::Disputed};

// The sets of statuses the rest of the system asks about. They are decided here and nowhere else:
// storage builds its SQL from the lists below, the web layer asks the predicates.
//
// Live: counts for the rule "one live declaration per corporate number" (declared, and confirmed
// applications awaiting the operator's review; an application awaiting its mail confirmation does
// not, nor does a disputed claim: neither may keep the number from its rightful holder).
bool is_live(Status s);
// Listed: shown by the public search (declared, stopped and revoked: a stopped or revoked
// declaration stays findable, with its status, so that a badge seen somewhere can be checked).
bool is_listed(Status s);
// May show a badge: only a declaration that is declared now.
bool may_show_badge(Status s);
// The statuses for which `pred` holds, in kAllStatuses order.
std::vector<Status> statuses_where(bool (*pred)(Status));

}  // namespace sengen::lifecycle
