// The policy's transition table: guards and what each transition causes.
#include "domain/policy/lifecycle.hpp"

#include "domain/error_codes.hpp"

namespace sengen::policy {

std::string_view to_string(Publication s) {
    switch (s) {
        case Publication::Draft:
            return "draft";
        case Publication::Published:
            return "published";
        case Publication::Unpublished:
            return "unpublished";
    }
    return "draft";
}

Result<PublicationPlan> transition(Publication from, const PublicationEvent& e) {
    if (auto* p = std::get_if<event::Publish>(&e)) {
        // Every state may publish: the first version, a newer one, or the policy back up.
        if (p->standing != Standing::Declared)
            return fail(Error::forbidden(codes::kPolicyNotDeclared, "the account has no live declaration"));
        auto problems = publish_problems(p->draft);
        if (!problems.empty()) return fail(Error::invalid(std::move(problems), "policy.incomplete"));
        if (from == Publication::Published && p->current && same_text(*p->current, p->next))
            return fail(Error::conflict(codes::kPolicyUnchanged, "the draft says what the newest version says"));
        return PublicationPlan{Publication::Published, Version::Add, "policy.published"};
    }
    if (from != Publication::Published) return fail(Error::illegal_transition("policy.not_published"));
    return PublicationPlan{Publication::Unpublished, Version::Keep, "policy.unpublished"};
}

bool is_public(Publication s) { return s == Publication::Published; }

}  // namespace sengen::policy
