// A supporter prepares the ★★ evidence for a business it helps (issue 13 point 6, ADR 48): it
// saves a self-assessment and writes the policy draft in the owner's account, where the owner
// finds them on its own My Page; publishing the policy and stepping up stay the owner's. Every
// step passes the one guard (act_on) and is noted in the declaration's history and the audit log.
#pragma once
#include <cstdint>
#include <vector>

#include "app/policy.hpp"
#include "app/supporters.hpp"
#include "domain/assessment/scoring.hpp"

namespace sengen::app {

class Preparing {
public:
    Preparing(const RegistryContext& registry, Policies& policies) : r_(registry), policies_(policies) {}

    // The live declarations `account` may prepare the ★★ evidence for (a live support with the
    // right "prepare"), oldest support first: the choices on the self-assessment's result page.
    Result<std::vector<Declaration>> businesses(std::int64_t account);

    // Saves a scored self-assessment for the business, in its owner's account. NotFound for
    // anyone with no part in it, Forbidden "support.not_allowed" for a supporter without the
    // right; TooMany past the saving limit of the one who saves. Returns the result's id.
    Result<std::int64_t> save_assessment(std::int64_t account, const DeclarationId& public_id,
                                         const assessment::Scorecard& card, const Caller& caller);

    // The owner's policies (drafts and published), for the supporter's page; refused as above.
    Result<std::vector<SavedPolicy>> policies(std::int64_t account, const DeclarationId& public_id);
    // Starts a draft in the owner's account, written in `lang`; refused as above.
    Result<SavedPolicy> start_policy(std::int64_t account, const DeclarationId& public_id, Lang lang,
                                     const Caller& caller);
    // The owner's policy `policy_id` with the declaration it is prepared for; NotFound
    // "policy.not_found" when the owner has no such policy.
    struct PolicyFor {
        Declaration declaration;
        SavedPolicy policy;
    };
    Result<PolicyFor> policy(std::int64_t account, const DeclarationId& public_id, std::int64_t policy_id);
    // Saves what was typed as the draft of the owner's policy, as Policies::edit does.
    Result<SavedPolicy> edit_policy(std::int64_t account, const DeclarationId& public_id, std::int64_t policy_id,
                                    const policy::DraftInput& typed, const DraftAction& action, const Caller& caller);

    const Policies& all_policies() const { return policies_; }

private:
    // The guard for `action`, and the owner's account the work goes to.
    struct For {
        Acting acting;
        std::int64_t owner = 0;
    };
    Result<For> for_business(std::int64_t account, const DeclarationId& public_id, support::Action action);
    // The note in the history and the audit event of one step, in the transaction that did it.
    Status note(Transaction& tx, const For& f, const char* field, const std::string& after, const char* audit_action,
                const std::string& details_json, const Caller& caller) const;

    const RegistryContext& r_;
    Policies& policies_;
};

}  // namespace sengen::app
