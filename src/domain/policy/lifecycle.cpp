// The policy's transition table: guards and what each transition causes.
#include "domain/policy/lifecycle.hpp"

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
        auto problems = publish_problems(p->draft);
        if (!problems.empty()) return fail(Error::invalid(std::move(problems), "policy.incomplete"));
        return PublicationPlan{Publication::Published, Version::Add, "policy.published"};
    }
    if (from != Publication::Published) return fail(Error::illegal_transition("policy.not_published"));
    return PublicationPlan{Publication::Unpublished, Version::Keep, "policy.unpublished"};
}

bool is_public(Publication s) { return s == Publication::Published; }

}  // namespace sengen::policy
