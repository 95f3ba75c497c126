// Managing a declaration once it exists: the declarant's own (My Page: read, change the details,
// step up or down, stop) and the operator's (review, revoke, reinstate; the CLI calls these).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/registry_context.hpp"
#include "domain/application.hpp"

namespace sengen::app {

class Declarations {
public:
    explicit Declarations(const RegistryContext& registry) : r_(registry) {}

    Result<std::vector<Declaration>> declarations_of(std::int64_t account_id);
    // The declaration with this public ID if the account holds it; NotFound otherwise (the same
    // answer for someone else's declaration, so IDs cannot be probed for ownership).
    Result<Declaration> owned(std::int64_t account_id, const DeclarationId& public_id);
    Result<std::vector<DetailChange>> history(std::int64_t account_id, const DeclarationId& public_id);

    // Changes the registered details (level and commitments stay); every changed field is kept
    // in the history and the contact is told by mail.
    Result<Declaration> change_details(std::int64_t account_id, const DeclarationId& public_id, ApplicationInput in,
                                       const Caller& caller);
    // One level up, with the ★★ evidence; refused for a level the declarant may not give itself.
    Result<Declaration> step_up(std::int64_t account_id, const DeclarationId& public_id,
                                const std::string& assessment_date, const std::string& policy_url,
                                const Caller& caller);
    Result<Declaration> step_down(std::int64_t account_id, const DeclarationId& public_id, const Caller& caller);
    Result<Declaration> stop(std::int64_t account_id, const DeclarationId& public_id, const Caller& caller);

    // Operator actions.
    Result<Declaration> revoke(const DeclarationId& public_id, const std::string& reason, const std::string& actor);
    Result<Declaration> reinstate(const DeclarationId& public_id, const std::string& reason, const std::string& actor);

    // The review queue (setting review-applications): applications confirmed by mail and
    // waiting for the operator, oldest first; approving issues the ID, rejecting needs a reason.
    Result<std::vector<Declaration>> awaiting_review(std::size_t limit);
    Result<Declaration> approve(std::int64_t application_id, const std::string& actor);
    Result<Declaration> reject(std::int64_t application_id, const std::string& reason, const std::string& actor);

private:
    // Runs in the transition's transaction before the plan is carried out.
    using AlsoDo = std::function<Status(Transaction&, Declaration&)>;
    Result<Declaration> owner_transition(const Declaration& current, const lifecycle::Event& e, const Caller& caller,
                                         const AlsoDo& also = {});
    using Finder = std::function<Result<std::optional<Declaration>>(Transaction&)>;
    Result<Declaration> operator_transition(const Finder& find, const lifecycle::Event& e, const std::string& actor);

    const RegistryContext& r_;
};

}  // namespace sengen::app
