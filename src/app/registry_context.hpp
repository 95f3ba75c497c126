// What the registry's use cases share: their ports, the content and settings, the links put in
// mail, rate limiting, audit recording, and carrying out a lifecycle plan. The use cases
// themselves are in applications.hpp, sign_in.hpp, declarations.hpp and lookup.hpp.
#pragma once
#include <chrono>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/rate_limit.hpp"
#include "content/registry_content.hpp"
#include "domain/declaration.hpp"
#include "domain/lifecycle.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// How many mails the registry sends a day, whatever asks for them and from wherever (counted in
// the database, so every node shares the count). An address is "unproven" until someone has
// followed a link mailed to it; such mails carry no text of the requester's but the business name.
struct MailLimits {
    int per_address = 30;      // to one recipient address
    int per_declaration = 20;  // about one declaration or application
    int unproven = 5;          // to one address, of mails a stranger can cause (applying, resending, contact changes,
                               // sign-in links to an address no account holds)
};

struct RegistrySettings {
    int id_leading_digit = 1;      // the first digit of every declaration ID issued here
    bool hold_for_review = false;  // the operator reviews applications before IDs are issued
    std::string base_url;          // for links in mail
    std::chrono::hours confirm_lifetime{24};
    std::chrono::minutes signin_lifetime{10};  // at most 10 minutes for a link that signs in (ASVS 5.0 V6.5.5)
    int rate_limit_factor = 1;                 // multiplies every limit (load tests only)
    MailLimits mail_limits;
    std::string log_origin = "localhost/log";  // the transparency log's (app/transparency_log.hpp)
};

// Whether a mail's recipient address has shown that it receives the registry's mail.
enum class Proof { Unproven, Proven };

// Who asks, from where, in which language.
struct Caller {
    std::string ip;
    Lang lang = Lang::Ja;
    std::optional<std::int64_t> account_id;

    std::string actor() const { return account_id ? "account:" + std::to_string(*account_id) : "anonymous"; }
};

// The registry's rate limits, by what they guard.
namespace limits {
inline const RateRule kApplyPerIp{"apply.ip", 20, std::chrono::hours(1), RateSubject::ClientAddress};
inline const RateRule kApplyPerEmail{"apply.email", 5, std::chrono::hours(24)};
inline const RateRule kSigninPerEmail{"signin.email", 5, std::chrono::hours(1)};
inline const RateRule kSigninPerIp{"signin.ip", 30, std::chrono::hours(1), RateSubject::ClientAddress};
inline const RateRule kConfirmPerIp{"confirm.ip", 60, std::chrono::hours(1), RateSubject::ClientAddress};
inline const RateRule kResendPerApplication{"resend.application", 3, std::chrono::hours(1)};
inline const RateRule kSearchPerIp{"search.ip", 120, std::chrono::minutes(10), RateSubject::ClientAddress};
// Mail, per day; the numbers come from RegistrySettings::mail_limits.
inline constexpr std::chrono::hours kMailWindow{24};
// Lookups of single declarations: a verifier checking a few thousand IDs in an hour passes; a
// script walking the ID space from one address is slowed to this pace. Counted per node, in memory.
inline const RateRule kLookupPerIp{"lookup.ip", 10000, std::chrono::hours(1), RateSubject::ClientAddress};
}  // namespace limits

using MailValues = std::vector<std::pair<std::string, std::string>>;

// Who else a plan involves besides the declaration itself.
struct Involved {
    std::string new_contact = {};             // Recipient::NewContact and Ownership::MoveToNewContact
    std::string former_contact = {};          // Recipient::FormerContact (set by carry_out when it moves)
    std::optional<std::int64_t> holder = {};  // Dispute::Record: the live declaration holding the number
};

class RegistryContext {
public:
    RegistryContext(Store& store, const Clock& clock, MailQueue& mail, const content::RegistryContent& content,
                    RegistrySettings settings)
        : store_(store), clock_(clock), mail_(mail), content_(content), settings_(std::move(settings)) {}

    Store& store() const { return store_; }
    const Clock& clock() const { return clock_; }
    const content::RegistryContent& content() const { return content_; }
    const RegistrySettings& settings() const { return settings_; }
    std::string today() const;  // YYYY-MM-DD in Japan time

    // Links in mail; a one-time link carries its token in the fragment (app::link_url, ADR 59).
    std::string confirm_url(const std::string& token) const;
    std::string signin_url(const std::string& token) const;
    std::string verify_url(const DeclarationId& public_id) const;
    std::string contact_change_url(const std::string& token) const;
    std::string base_url() const { return settings_.base_url; }

    // Counts one use of `rule` by `subject`, with the settings' factor; TooMany beyond it.
    Status limit(const RateRule& rule, const std::string& subject, TimePoint now) const;
    // Counts one mail to `to` (and about `declaration`, when there is one) against the mail
    // limits; TooMany ("rate.mail.address", "rate.mail.declaration", "rate.mail.unproven") beyond
    // one. Called before the work that queues the mail, whether or not the address is known, so the
    // answer says nothing about who has an account.
    Status limit_mail(const std::string& to, std::optional<std::int64_t> declaration, Proof proof, TimePoint now) const;
    // As limit_mail for a proven address, but counted in `tx` (enforce_in): for mail that several
    // nodes may try to send and one sends (the subsidy reminders).
    Status limit_mail_in(Transaction& tx, const std::string& to, std::int64_t declaration, TimePoint now) const;
    // Counts one mail to `to` against the cap on mails to unproven addresses alone; TooMany
    // ("rate.mail.unproven") beyond it.
    Status limit_unproven_mail(const std::string& to, TimePoint now) const;

    // Runs `work` in a write transaction and returns what it produced.
    template <typename T, typename F>
    Result<T> write(F&& work) const {
        return store_.query<T>(TxMode::Write, std::forward<F>(work));
    }

    // Carries out `plan` for `d`, read in state `before`: the new state and dates, the ID when the
    // plan issues one, the move to the new contact's account, the state saved only if still
    // `before`, the former owner's sessions ended, the dispute recorded, the audit event and the mail.
    Status carry_out(Transaction& tx, const lifecycle::Plan& plan, Declaration& d, const lifecycle::State& before,
                     const std::string& actor, const std::string& ip, MailValues extra_mail = {},
                     Involved involved = {}) const;
    // The audit event and the mail of `plan` alone, for a plan that saves no state of its own
    // (applying, resending the confirmation, asking for a change of contact).
    Status record_and_tell(Transaction& tx, const lifecycle::Plan& plan, const Declaration& d,
                           const lifecycle::State& before, const std::string& actor, const std::string& ip,
                           MailValues extra_mail = {}, const Involved& involved = {}) const;

    // Records an audit event about declaration `d`.
    Status record(Transaction& tx, const std::string& actor, const std::string& action, const Declaration& d,
                  const std::string& ip, const std::string& details_json) const;
    // The values every mail about `d` may use.
    MailValues mail_values(const Declaration& d) const;
    MailQueue& mail() const { return mail_; }

private:
    Store& store_;
    mutable RefusalMemo refusals_;  // this node's refused subjects (rate_limit.hpp)
    const Clock& clock_;
    MailQueue& mail_;
    const content::RegistryContent& content_;
    RegistrySettings settings_;
};

// A JSON object of string values, for audit details.
std::string json_of(std::initializer_list<std::pair<const char*, std::string>> kv);

}  // namespace sengen::app
