// Applying and confirming: the application form's submission, the 受付確認 mail and its link.
#pragma once
#include <chrono>
#include <cstdint>
#include <string>

#include "app/registry_context.hpp"
#include "domain/application.hpp"

namespace sengen::app {

class Applications {
public:
    explicit Applications(const RegistryContext& registry) : r_(registry) {}

    // Stores the application and queues the 受付確認 mail with a single-use link. Invalid with
    // every field error; TooMany when the caller applies too often or the address has had its
    // mails for the day. A corporate number held by a live declaration is not refused here (the
    // answer would tell strangers about the number): confirming such an application records a
    // dispute instead of a declaration.
    Result<std::int64_t> apply(const ApplicationInput& in, const Caller& caller);

    // Sends the 受付確認 mail again with a new link (the old one stops working), for an
    // application still awaiting confirmation whose link has not expired (NotFound
    // "confirm.expired" once it has). Rate-limited per application, per IP and by the mail limits.
    Status resend_confirmation(std::int64_t application_id, const Caller& caller);

    // The application a confirmation link belongs to, without confirming it (the page shows a
    // button; link scanners that fetch the URL do not confirm anything). NotFound
    // "confirm.unknown" or "confirm.expired".
    Result<Declaration> application_for(const std::string& token);

    // Whether following a confirmation link signs its owner in as well.
    enum class SignsIn { No, Yes };
    // A link that signs in must be used within this time of being sent (ASVS 5.0 V6.5.5), as a
    // sign-in link must (RegistrySettings::signin_lifetime). The confirmation link itself lasts
    // RegistrySettings::confirm_lifetime: followed later, it confirms, and the owner signs in
    // by a sign-in link.
    static constexpr std::chrono::minutes kSignsInWithin{10};

    struct Confirmed {
        Declaration declaration;
        bool newly_confirmed = false;    // false when the link had been followed before
        SignsIn signs_in = SignsIn::No;  // Yes only when newly confirmed within kSignsInWithin of the mail
    };
    // Follows the confirmation link: issues the ID at once (or holds it for review) and queues
    // the 完了 mail. When the corporate number already has a live declaration, the application
    // becomes a disputed claim for the operator instead (status disputed, no ID). Following it
    // again shows the same declaration and issues nothing.
    Result<Confirmed> confirm(const std::string& token, const Caller& caller);

private:
    Result<std::optional<Declaration>> find_by_token(const std::string& token) const;
    // A supporter applying for a business (issue 13 point 6): noted when it applies, and its
    // support started, with the default rights, in the transaction where the contact confirms.
    Status note_supporter(Transaction& tx, const Caller& caller, const Declaration& d) const;
    Status start_applicants_support(Transaction& tx, const Declaration& d, const Caller& caller) const;

    const RegistryContext& r_;
};

}  // namespace sengen::app
