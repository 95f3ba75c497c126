// Managing a declaration once it exists: the declarant's own (My Page: read, change the details,
// step up or down, stop) and the operator's (review, revoke, reinstate; the CLI calls these).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/applications.hpp"
#include "app/registry_context.hpp"
#include "app/supporters.hpp"
#include "domain/application.hpp"

namespace sengen::app {

class Declarations {
public:
    explicit Declarations(const RegistryContext& registry) : r_(registry) {}

    Result<std::vector<Declaration>> declarations_of(std::int64_t account_id);
    // The declaration with this public ID if the account holds it; NotFound otherwise (the same
    // answer for someone else's declaration, so IDs cannot be probed for ownership).
    Result<Declaration> owned(std::int64_t account_id, const DeclarationId& public_id);
    // The history of the details, for the owner and its supporters.
    Result<std::vector<DetailChange>> history(std::int64_t account_id, const DeclarationId& public_id);
    // The declaration if the account may take `action` on it (its owner, or a live supporter the
    // owner allowed to), with how the account stands to it: the guard of app::act_on.
    Result<Acting> acting(std::int64_t account_id, const DeclarationId& public_id, support::Action action);

    // How long ago the asking session signed in, against recent_sign_in (domain/session.hpp).
    enum class SignInAge { Recent, Old };
    enum class ContactRequest { None, Sent };
    struct Changed {
        Declaration declaration;
        // Sent: a new contact address was given; it has been sent a link and nothing about the
        // contact changes until that link is followed.
        ContactRequest contact = ContactRequest::None;
    };
    // Changes the registered details (level and commitments stay), as the owner or as a supporter
    // allowed to (the history and the audit log name which); every changed field is kept
    // in the history and the contact is told by mail. A new contact address is not saved: it is
    // mailed a link (contact_change_for, change_contact). Asking for a new contact address needs
    // a recent sign-in: with SignInAge::Old nothing changes and the answer is Forbidden
    // "account.sign_in_again" (the caller has the declarant sign in again and come back).
    Result<Changed> change_details(std::int64_t account_id, const DeclarationId& public_id, ApplicationInput in,
                                   const Caller& caller, SignInAge age = SignInAge::Recent);

    struct PendingContact {
        Declaration declaration;
        std::string new_email;
    };
    // The change of contact a link belongs to, without carrying it out (the page shows a button).
    // NotFound "contact_change.unknown" when the link is unknown, used, expired or stale.
    Result<PendingContact> contact_change_for(const std::string& token);
    struct ContactChanged {
        Declaration declaration;  // as it now is
        // Yes when the link was followed within Applications::kSignsInWithin of being mailed: only
        // then does following it sign the new contact in.
        Applications::SignsIn signs_in = Applications::SignsIn::No;
    };
    // Follows the link: the declaration passes to the new address's account, the former address
    // is told, and the former owner's sessions end.
    Result<ContactChanged> change_contact(const std::string& token, const Caller& caller);
    // One level up, with the ★★ evidence; refused for a level the declarant may not give itself.
    Result<Declaration> step_up(std::int64_t account_id, const DeclarationId& public_id,
                                const std::string& assessment_date, const std::string& policy_url,
                                const Caller& caller);
    Result<Declaration> step_down(std::int64_t account_id, const DeclarationId& public_id, const Caller& caller);
    Result<Declaration> stop(std::int64_t account_id, const DeclarationId& public_id, const Caller& caller);

    // Operator actions. `ip` is the console operator's address ("" from the command line).
    // Reinstating is refused ("...reinstate.number_taken") while another declaration holds the
    // corporate number live.
    Result<Declaration> revoke(const DeclarationId& public_id, const std::string& reason, const std::string& actor,
                               const std::string& ip = {});
    Result<Declaration> reinstate(const DeclarationId& public_id, const std::string& reason, const std::string& actor,
                                  const std::string& ip = {});

    // The review queue (setting review-applications): applications confirmed by mail and
    // waiting for the operator, oldest first; approving issues the ID, rejecting needs a reason.
    Result<std::vector<Declaration>> awaiting_review(std::size_t limit);
    // Refused ("...approve.number_taken") while another declaration holds the corporate number live.
    Result<Declaration> approve(std::int64_t application_id, const std::string& actor, const std::string& ip = {});
    Result<Declaration> reject(std::int64_t application_id, const std::string& reason, const std::string& actor,
                               const std::string& ip = {});
    // Claims to a corporate number that already had a live declaration, oldest first.
    Result<std::vector<CorporateNumberDispute>> open_disputes(std::size_t limit);

    // Settling a dispute, in one transaction. Holder: the claim is rejected with the reason (mailed
    // to the claimant). Claimant: the holder's declaration ends with the reason (revoked if
    // declared, rejected if still held for review; mailed to the holder, and public like any
    // revocation), then the claim is approved and gets its ID (the 完了 mail). Either way the
    // dispute is marked settled and "dispute.settled" recorded. NotFound "dispute.not_found";
    // Conflict "dispute.not_open" for one already settled; IllegalTransition from the lifecycle.
    enum class DisputeWinner { Holder, Claimant };
    Result<Declaration> settle_dispute(std::int64_t dispute_id, DisputeWinner winner, const std::string& reason,
                                       const std::string& actor, const std::string& ip);

private:
    // Runs in the transition's transaction before the plan is carried out.
    using AlsoDo = std::function<Status(Transaction&, Declaration&)>;
    Result<Declaration> owner_transition(const Declaration& current, const lifecycle::Event& e, const Caller& caller,
                                         const AlsoDo& also = {});
    using Finder = std::function<Result<std::optional<Declaration>>(Transaction&)>;
    Result<Declaration> operator_transition(const Finder& find, const lifecycle::Event& e, const std::string& actor,
                                            const std::string& ip);
    // Carries out an operator's event on `d` inside `tx` (d is updated).
    Status operator_event(Transaction& tx, Declaration& d, const lifecycle::Event& e, const std::string& actor,
                          const std::string& ip);
    // Whether a declaration other than `d` holds d's corporate number live.
    Result<lifecycle::event::CorporateNumber> number_for(Transaction& tx, const Declaration& d);

    const RegistryContext& r_;
};

}  // namespace sengen::app
