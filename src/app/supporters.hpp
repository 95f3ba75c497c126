// Supporters (issue 13 point 6, ADR 42): an owner invites someone by e-mail to help with one
// declaration, with the rights it ticks; the invitee follows the mailed link and supports it with
// its own account until the owner ends that. `act_on` is the one guard every use case of My Page
// asks who may do what (domain/support.hpp holds the rules).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "app/registry_context.hpp"
#include "domain/support.hpp"

namespace sengen::app {

// Someone allowed to take an action on a declaration, and the declaration as it was read.
struct Acting {
    Declaration declaration;
    support::Access access;
    std::string actor;  // the audit log's and the history's name: "account:12" or "supporter:15"
};

// The guard: reads the declaration with this public ID and how `account_id` stands to it (owner,
// live supporter, nobody), and answers as support::allowed does: NotFound for anyone with no
// part in it, Forbidden "support.not_allowed" for a supporter without the right.
Result<Acting> act_on(const RegistryContext& r, std::int64_t account_id, const DeclarationId& public_id,
                      support::Action action);
// The same inside an open transaction, for a declaration already read.
Result<Acting> act_on_in(Transaction& tx, std::int64_t account_id, const Declaration& d, support::Action action);

class Supporters {
public:
    explicit Supporters(const RegistryContext& registry) : r_(registry) {}

    // Who supports the declaration (live and ended) and the invitations still pending: its owner's view.
    struct Overview {
        std::vector<Support> supports;
        std::vector<SupportInvitation> invitations;
    };
    Result<Overview> overview(std::int64_t owner_account, const DeclarationId& public_id);

    // The owner invites `typed_email` with `rights`. Invalid with a field error on
    // "supporter_email" for an address that is not one, or is the declaration's own contact; the
    // mail limits (an unproven address) apply. The mail carries the business name and the link.
    Status invite(std::int64_t owner_account, const DeclarationId& public_id, const std::string& typed_email,
                  support::Rights rights, const Caller& caller);

    struct Pending {
        Declaration declaration;
        SupportInvitation invitation;
    };
    // The invitation a link stands for, without using it (the page shows a button). NotFound
    // "support.invitation_unknown" when the link is unknown, used, cancelled, expired, or its
    // inviter no longer holds the declaration.
    Result<Pending> invitation_for(const std::string& token);

    struct Accepted {
        Declaration declaration;
        std::int64_t account_id = 0;  // the supporter's own account, which the caller signs in
    };
    // Follows the link: the invited address has proved itself, so its account (made now if need
    // be) supports the declaration with the rights the owner gave. Once per link.
    Result<Accepted> accept(const std::string& token, const Caller& caller);

    // The owner ends a support (the supporter's next request is refused) or cancels an invitation.
    // NotFound "support.not_found" when there is no such live support or pending invitation.
    Status end(std::int64_t owner_account, const DeclarationId& public_id, std::int64_t support_id,
               const Caller& caller);
    Status cancel(std::int64_t owner_account, const DeclarationId& public_id, std::int64_t invitation_id,
                  const Caller& caller);

    struct Supported {
        Declaration declaration;
        Support support;
    };
    // The declarations the account supports, oldest support first: the supporter's My Page.
    Result<std::vector<Supported>> supported_by(std::int64_t account_id);

private:
    const RegistryContext& r_;
};

}  // namespace sengen::app
