// A declarant's code from an authenticator app (ADR 0061): set up from My Page, asked for after
// the mailed link wherever a session is signed in, turned off with a current code, and reset by
// an operator for a lost phone. The check of a code is the operators' and verifiers' own
// (app::SecondFactor, ADR 0056); only where the secret is kept differs.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "app/registry_context.hpp"
#include "app/second_factor.hpp"
#include "domain/session.hpp"

namespace sengen::app {

struct DeclarantCodeSettings {
    DeclarantSecondFactor rule = DeclarantSecondFactor::Optional;
    std::string issuer = "sengen";  // the name authenticator apps show
    double rate_limit_factor = 1;
};

// What My Page's page about the code shows.
struct DeclarantCodeState {
    bool set_up = false;
    bool required = false;  // every account must have one: it cannot be turned off
};

class DeclarantCodes {
public:
    DeclarantCodes(const RegistryContext& registry, DeclarantCodeSettings settings)
        : r_(registry),
          settings_(std::move(settings)),
          factor_(registry.store(), registry.clock(), settings_.issuer, settings_.rate_limit_factor) {}

    bool required() const { return settings_.rule == DeclarantSecondFactor::Required; }

    // Where a session signed in to the account starts: SecondFactor when the account has a code
    // (the link alone does not sign in), else Full.
    Result<SignInStage> stage_for(std::int64_t account_id);
    // Whether the account must set up a code before My Page opens: the setting is `required` and
    // it has none.
    Result<bool> setup_needed(std::int64_t account_id);
    Result<DeclarantCodeState> state(std::int64_t account_id);

    // The set-up page's secret and URI; a secret is made and kept pending on the first visit, so a
    // QR code scanned before leaving the page still works. Conflict "declarant_code.set_up" when
    // the account has a code already.
    Result<TotpSetup> setup(std::int64_t account_id);
    // The set-up step: `typed` must be the pending secret's code. Recorded as
    // declarant.totp_confirmed and told to the declarant by mail. TooMany; Invalid
    // "declarant.code_wrong" (recorded as declarant.code_failed).
    Status confirm_setup(std::int64_t account_id, std::string_view typed, const std::string& ip);
    // The sign-in step after the link: `typed` must be the account's code at a step not accepted
    // before. TooMany; Invalid "declarant.code_wrong".
    Status check(std::int64_t account_id, std::string_view typed, const std::string& ip);
    // Turns the code off after a current one is typed; recorded as declarant.totp_removed and told
    // by mail. Forbidden "declarant_code.required" when every account must have one; NotFound
    // "declarant_code.none" when it has none; TooMany; Invalid "declarant.code_wrong".
    Status turn_off(std::int64_t account_id, std::string_view typed, const std::string& ip);
    // An operator forgets the code of an account whose phone was lost, and ends its sessions: the
    // next mailed link signs in without a code (or goes to the set-up page when it is required).
    // Recorded as declarant.second_factor_reset by `actor` and told by mail. NotFound
    // "declarant_code.none" when the account has no code.
    Status reset(std::int64_t account_id, const std::string& actor, const std::string& ip);

private:
    Result<AccountSecondFactor> factor_of(std::int64_t account_id);
    // `typed` checked against the account's code (counted, recorded when wrong, good once);
    // `none` when the account has no code.
    Status check_typed(std::int64_t account_id, std::string_view typed, const std::string& ip, Error none);
    // Removes the account's code (NotFound "declarant_code.none" if it has none), ends its sessions
    // when asked, records `action` by `actor` and queues the notice `mail_kind`, in one transaction.
    Status clear(std::int64_t account_id, const std::string& actor, const std::string& action, const std::string& ip,
                 const std::string& mail_kind, bool end_sessions);
    // The account a notice goes to, its mail counted; none when it is past the day's mails.
    Result<std::optional<Account>> mail_to(std::int64_t account_id, const std::string& ip);
    // Records `action` about the account and queues the mail `mail_kind` to `to` (none: no mail).
    Status record_and_tell(Transaction& tx, std::int64_t account_id, const std::string& actor,
                           const std::string& action, const std::string& ip, const std::optional<Account>& to,
                           const std::string& mail_kind);

    const RegistryContext& r_;
    DeclarantCodeSettings settings_;
    SecondFactor factor_;  // the code step, shared with operators and verifiers (ADR 0056)
};

}  // namespace sengen::app
