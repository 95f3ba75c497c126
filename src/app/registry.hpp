// Use cases of the declaration registry: apply, confirm, sign in, change, step up, step down,
// stop, revoke, verify and search. Each takes its ports, returns a Result and knows no HTTP.
#pragma once
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "app/local_rate_limit.hpp"
#include "app/rate_limit.hpp"
#include "content/registry_content.hpp"
#include "domain/application.hpp"
#include "domain/declaration.hpp"
#include "domain/identifiers.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct RegistrySettings {
    int id_leading_digit = 1;      // the first digit of every declaration ID issued here
    bool hold_for_review = false;  // the operator reviews applications before IDs are issued
    std::string base_url;          // for links in mail
    std::chrono::hours confirm_lifetime{24};
    std::chrono::minutes signin_lifetime{15};
    int rate_limit_factor = 1;  // multiplies every limit (load tests only)
};

// Who asks, from where, in which language.
struct Caller {
    std::string ip;
    std::string lang = "ja";
    std::optional<std::int64_t> account_id;

    std::string actor() const { return account_id ? "account:" + std::to_string(*account_id) : "anonymous"; }
};

class Registry {
public:
    Registry(Store& store, const Clock& clock, MailQueue& mail, const content::RegistryContent& content,
             RegistrySettings settings)
        : store_(store), clock_(clock), mail_(mail), content_(content), settings_(std::move(settings)) {}

    const content::RegistryContent& content() const { return content_; }
    const RegistrySettings& settings() const { return settings_; }
    std::string today() const;  // YYYY-MM-DD in Japan time

    // Stores the application and queues the 受付確認 mail with a single-use link. Invalid with
    // every field error; Conflict "declaration.duplicate_corporate_number" when that corporate
    // number already has a live declaration; TooMany when the caller applies too often.
    Result<std::int64_t> apply(const ApplicationInput& in, const Caller& caller);

    // Sends the 受付確認 mail again with a new link (the old one stops working), for an
    // application still awaiting confirmation. Rate-limited per application and per IP.
    Status resend_confirmation(std::int64_t application_id, const Caller& caller);

    // The application a confirmation link belongs to, without confirming it (the page shows a
    // button; link scanners that fetch the URL do not confirm anything). NotFound
    // "confirm.unknown" or "confirm.expired".
    Result<Declaration> application_for(const std::string& token);

    struct Confirmed {
        Declaration declaration;
        bool newly_confirmed = false;  // false when the link had been followed before
    };
    // Follows the confirmation link: issues the ID at once (or holds it for review) and queues
    // the 完了 mail. Following it again shows the same declaration and issues nothing.
    Result<Confirmed> confirm(const std::string& token, const Caller& caller);

    // Queues a sign-in link for any well-formed address (the answer is the same whether or not
    // the address is known). Rate-limited per address and per IP.
    Status request_signin(const std::string& email, const std::string& next_path, const Caller& caller);
    struct SignedIn {
        Account account;
        std::string next_path;
    };
    Result<SignedIn> complete_signin(const std::string& token, const Caller& caller);

    Result<std::vector<Declaration>> declarations_of(std::int64_t account_id);
    // The declaration with this public ID if the account holds it; NotFound otherwise (the same
    // answer for someone else's declaration, so IDs cannot be probed for ownership).
    Result<Declaration> owned(std::int64_t account_id, const std::string& public_id);
    Result<std::vector<DetailChange>> history(std::int64_t account_id, const std::string& public_id);

    // Changes the registered details (level and commitments stay); every changed field is kept
    // in the history and the contact is told by mail.
    Result<Declaration> change_details(std::int64_t account_id, const std::string& public_id, ApplicationInput in,
                                       const Caller& caller);
    Result<Declaration> step_up(std::int64_t account_id, const std::string& public_id,
                                const std::string& assessment_date, const std::string& policy_url,
                                const Caller& caller);
    Result<Declaration> step_down(std::int64_t account_id, const std::string& public_id, const Caller& caller);
    Result<Declaration> stop(std::int64_t account_id, const std::string& public_id, const Caller& caller);

    // Operator actions (the console comes later; the CLI calls these).
    Result<Declaration> revoke(const std::string& public_id, const std::string& reason, const std::string& actor);
    Result<Declaration> reinstate(const std::string& public_id, const std::string& reason, const std::string& actor);

    // The review queue (setting review-applications): applications confirmed by mail and
    // waiting for the operator, oldest first; approving issues the ID, rejecting needs a reason.
    Result<std::vector<Declaration>> awaiting_review(std::size_t limit);
    Result<Declaration> approve(std::int64_t application_id, const std::string& actor);
    Result<Declaration> reject(std::int64_t application_id, const std::string& reason, const std::string& actor);

    // Public verification. Invalid "id.malformed" or "id.check_digit" (probably mistyped),
    // NotFound "declaration.not_found". Every lookup, of any ID, counts against the caller's
    // address in this node's memory (kLookupPerIp); TooMany "rate.lookup.ip" beyond it.
    Result<PublicDeclaration> verify(const std::string& typed_id, const Caller& caller);

    struct SearchPage {
        std::vector<PublicDeclaration> rows;
        std::size_t total = 0;
        std::size_t page = 1, pages = 1;
    };
    static constexpr std::size_t kPageSize = 20;
    Result<SearchPage> search(const std::string& name, const std::string& prefecture, int level, std::size_t page,
                              const Caller& caller);

    // Links in mail.
    std::string confirm_url(const std::string& token) const;
    std::string signin_url(const std::string& token) const;
    std::string verify_url(const std::string& public_id) const;

private:
    // Runs in the transition's transaction after the new state is saved.
    using AlsoDo = std::function<Status(Transaction&, Declaration&)>;
    Result<Declaration> transition_owned(std::int64_t account_id, const std::string& public_id,
                                         const lifecycle::Event& e, const Caller& caller, const std::string& mail_id,
                                         const AlsoDo& also = {});
    using Finder = std::function<Result<std::optional<Declaration>>(Transaction&)>;
    Result<Declaration> operator_transition(const Finder& find, const lifecycle::Event& e, const std::string& reason,
                                            const std::string& actor);
    // Gives `d` its ID (a fresh serial) and the dates of being declared.
    Status issue_id(Transaction& tx, Declaration& d, TimePoint now);
    Status limit(const RateRule& rule, const std::string& subject, TimePoint now);
    Status record(Transaction& tx, const std::string& actor, const std::string& action, const Declaration& d,
                  const std::string& ip, const std::string& details_json);
    std::vector<std::pair<std::string, std::string>> mail_values(const Declaration& d) const;

    Store& store_;
    const Clock& clock_;
    MailQueue& mail_;
    const content::RegistryContent& content_;
    RegistrySettings settings_;
    std::unique_ptr<LocalRateLimiter> lookups_ = std::make_unique<LocalRateLimiter>();
};

}  // namespace sengen::app
