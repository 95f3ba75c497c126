// The published life of a basic security policy as an explicit state machine (drawn in
// docs/lifecycle.md beside the declaration's): a private draft is published as numbered versions,
// can be taken down, and published again. Editing the draft is allowed in every state and changes
// no state, so it is not an event here.
#pragma once
#include <string_view>
#include <variant>

#include "domain/error.hpp"
#include "domain/policy/draft.hpp"

namespace sengen::policy {

enum class Publication {
    Draft,        // never published: private to its account
    Published,    // its newest version is public at /policy/<slug>
    Unpublished,  // taken down by its owner: the page says so; the versions stay
};

std::string_view to_string(Publication s);

namespace event {
// Publishing the draft as the next version (also from Published, which adds a version, and from
// Unpublished, which puts the policy back up).
struct Publish {
    const Draft& draft;
};
struct Unpublish {};
}  // namespace event

using PublicationEvent = std::variant<event::Publish, event::Unpublish>;

// What a transition causes: the new state, whether a version is written, and the audit action.
enum class Version { Keep, Add };
struct PublicationPlan {
    Publication to = Publication::Draft;
    Version version = Version::Keep;
    std::string_view audit_action;  // "policy.published", "policy.unpublished"
};

// The one transition function. Publishing an incomplete draft is Invalid "policy.incomplete" with
// a "required" error per missing part; taking down a policy that is not published is
// IllegalTransition "policy.not_published".
Result<PublicationPlan> transition(Publication from, const PublicationEvent& e);

// Whether the public page shows the policy, and whether it may be offered as ★★ evidence.
bool is_public(Publication s);

}  // namespace sengen::policy
