// Supporters (issue 13 point 6, ADR 42): who besides a declaration's owner may act on it, and what
// each may do. Pure rules: the app layer reads the owner and the live support from storage and
// asks here, so that every use case answers the same way.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/lifecycle.hpp"

namespace sengen::support {

// What an owner may let a supporter do, ticked when inviting.
enum class Right : std::uint8_t {
    EditDetails = 1,     // change the business details (never the contact address)
    PrepareTwoStar = 2,  // prepare the self-assessment and the policy draft (never publish them)
};

// A set of rights.
class Rights {
public:
    constexpr Rights() = default;
    [[nodiscard]] constexpr Rights with(Right r) const { return Rights(bits_ | static_cast<std::uint8_t>(r)); }
    [[nodiscard]] constexpr bool has(Right r) const { return (bits_ & static_cast<std::uint8_t>(r)) != 0; }
    [[nodiscard]] constexpr bool empty() const { return bits_ == 0; }
    constexpr bool operator==(const Rights&) const = default;

private:
    constexpr explicit Rights(std::uint8_t bits) : bits_(bits) {}
    std::uint8_t bits_ = 0;
};

// "edit_details,prepare_two_star" ("" for none): how storage keeps a set, in this order.
std::string to_string(Rights r);
// The set `text` names; nullopt when it names something else.
std::optional<Rights> rights_from_string(std::string_view text);
// What a supporter who applied on a business's behalf keeps once the business confirms.
Rights default_rights();

// Everything one may do to a declaration on My Page.
enum class Action {
    View,               // see the declaration, its history and its readiness for subsidies
    EditDetails,        // change the business details
    PrepareAssessment,  // save self-assessment results for the business
    PreparePolicy,      // write or edit the policy draft
    PublishPolicy,      // publish the policy (public under the business's name)
    StepUp,             // change the level (up or down)
    StepDown,
    Stop,           // stop the declaration
    ChangeContact,  // give the declaration a new contact address (and so a new owner)
    Badge,          // download the badge
    ManageSupport,  // invite supporters, end a support, cancel an invitation
    Subscribe,      // subscribe to subsidy reminders (mail to the contact)
};

// How the one who asks stands to the declaration.
enum class Role { Stranger, Owner, Supporter };

struct Access {
    Role role = Role::Stranger;
    Rights rights;  // a supporter's; ignored for the others
};

// Whether `access` allows `action`. A stranger gets NotFound "declaration.not_found" (the same as
// for a declaration that does not exist, so nobody learns who holds what); a supporter without the
// right gets Forbidden "support.not_allowed". Some actions are the owner's whatever it ticked.
Status allowed(const Access& access, Action action);

// Whether an action is the owner's alone, whatever rights it gave.
bool owner_only(Action action);

// What a page about reaching ★★ offers the one reading it (ADR 48), so that it links only to what
// the reader may open: the owner steps up itself; a supporter with the right prepares the
// self-assessment and the policy draft for the owner, who then steps up; anyone else leaves it all
// to the owner.
enum class TwoStarPath { StepUp, Prepare, LeaveToOwner };
TwoStarPath two_star_path(const Access& access);

// Whether a declaration in this status may be given a new supporter (a live, issued declaration).
bool may_invite(lifecycle::Status status);

}  // namespace sengen::support
