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

// Whether the account that holds the policy may publish at all. A public policy speaks for a
// business, so only an account with a live declaration (declared: not still awaiting
// confirmation or review, not stopped, revoked or rejected) may put one up.
enum class Standing { Declared, NotDeclared };

namespace event {
// Publishing the draft as the next version (also from Published, which adds a version, and from
// Unpublished, which puts the policy back up).
struct Publish {
    const Draft& draft;
    Standing standing;
    const Document& next;     // the draft as it would be published
    const Document* current;  // the newest version's, when the policy has one (nullptr otherwise)
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

// The one transition function. Publishing is Forbidden "policy.not_declared" for an account
// without a live declaration; Invalid "policy.incomplete", with a "required" error per missing
// part, for an incomplete draft; and Conflict "policy.unchanged" when the policy is up and its
// newest version already says the same (a version that repeats the last one would only add
// noise; putting a taken-down policy back up with the same text is fine). Taking down a policy
// that is not published is IllegalTransition "policy.not_published".
Result<PublicationPlan> transition(Publication from, const PublicationEvent& e);

// Whether the public page shows the policy, and whether it may be offered as ★★ evidence.
bool is_public(Publication s);

}  // namespace sengen::policy
