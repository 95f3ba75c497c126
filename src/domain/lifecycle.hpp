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
};

std::string_view to_string(Status s);
std::optional<Status> status_from_string(std::string_view s);

struct State {
    Status status = Status::AwaitingConfirmation;
    int level = 1;  // an ordinal: 1 = ★, 2 = ★★, higher levels defined by content
};

namespace event {
struct Confirm {
    bool hold_for_review = false;  // an operator setting
};
struct Approve {};
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
struct Reinstate {
    std::string reason;
};
}  // namespace event

using Event = std::variant<event::Confirm, event::Approve, event::Reject, event::StepUp, event::StepDown, event::Stop,
                           event::Revoke, event::Reinstate>;

// A stable name for the event ("confirm", "step_up", ...): the audit log's action suffix.
std::string_view event_name(const Event& e);

// Whether the ID is issued on entering this state (Declared from an application).
bool issues_id(const State& from, const State& to);

// The one transition function. `max_level` comes from the content's level definitions.
Result<State> transition(const State& from, const Event& e, int max_level);

// Every status, in a fixed order.
inline constexpr std::array<Status, 6> kAllStatuses{Status::AwaitingConfirmation,
                                                    Status::AwaitingReview,
                                                    Status::Declared,
                                                    Status::Stopped,
                                                    Status::Revoked,
                                                    Status::Rejected};

// The sets of statuses the rest of the system asks about. They are decided here and nowhere else:
// storage builds its SQL from the lists below, the web layer asks the predicates.
//
// Live: counts for the rule "one live declaration per corporate number" (declared, and confirmed
// applications awaiting the operator's review; an application awaiting its mail confirmation does not).
bool is_live(Status s);
// Listed: shown by the public search (declared, stopped and revoked: a stopped or revoked
// declaration stays findable, with its status, so that a badge seen somewhere can be checked).
bool is_listed(Status s);
// May show a badge: only a declaration that is declared now.
bool may_show_badge(Status s);
// The statuses for which `pred` holds, in kAllStatuses order.
std::vector<Status> statuses_where(bool (*pred)(Status));

}  // namespace sengen::lifecycle
