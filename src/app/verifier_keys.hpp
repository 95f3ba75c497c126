// Verifiers' API keys (issue 12): create one (the key is shown once, only its hash is kept), list
// them, revoke one; and the accounts their holders made (ADR 0037): list them, disable one. The
// CLI calls these; the operators' console calls the same.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// A new key and the secret to hand to its holder (never stored, never shown again).
struct CreatedVerifierKey {
    VerifierKey key;
    std::string secret;
};

class VerifierKeys {
public:
    VerifierKeys(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // A subsidy office checking a call for applications: 1000-ID requests, one a second.
    static constexpr int kDefaultIdsPerMinute = 60000;
    static constexpr int kMaxIdsPerMinute = 100000000;

    // Invalid ("name" required / too_long, "rate" out of range) or Conflict "verifier_key.name_taken".
    // Recorded in the audit log as verifier_key.created by `actor`.
    Result<CreatedVerifierKey> create(const std::string& name, int ids_per_minute, const std::string& actor,
                                      const std::string& ip = {});
    Result<std::vector<VerifierKey>> list();
    // By its number or its name; NotFound "verifier_key.not_found" (or already revoked). Recorded
    // as verifier_key.revoked.
    Result<VerifierKey> revoke(const std::string& id_or_name, const std::string& actor, const std::string& ip = {});
    // By its number alone (the console's button, where a name that looks like a number must not
    // be taken for another key's number).
    Result<VerifierKey> revoke(std::int64_t id, const std::string& actor, const std::string& ip);

    // The verifier accounts (of one key when `key_id` is given), by key and address.
    Result<std::vector<VerifierAccount>> accounts(std::optional<std::int64_t> key_id = std::nullopt);
    // Disables an account at once: it can no longer sign in and its sessions end. By its number
    // (the console) or its address (the CLI); NotFound "verifier_account.not_found" (or already
    // disabled). Recorded as verifier.account_disabled by `actor` from `ip`.
    Result<VerifierAccount> disable_account(std::int64_t id, const std::string& actor, const std::string& ip);
    Result<VerifierAccount> disable_account(std::string_view email, const std::string& actor, const std::string& ip);
    // Forgets an account's second factor, for a verifier who lost the device with the app, once
    // the office has made sure who is asking (ADR 0056): its sessions end and its next sign-in,
    // with the password, goes to the set-up page. NotFound "verifier_account.not_found" (or
    // disabled). Recorded as verifier.second_factor_reset by `actor` from `ip`.
    Result<VerifierAccount> reset_second_factor(std::int64_t id, const std::string& actor, const std::string& ip);

private:
    enum class AccountAction { Disable, ResetSecondFactor };
    using AccountFinder = std::function<Result<std::optional<VerifierAccount>>(Transaction&)>;
    Result<VerifierAccount> act_on_found(const AccountFinder& find, AccountAction action, const std::string& actor,
                                         const std::string& ip);
    using Finder = std::function<Result<std::optional<VerifierKey>>(Transaction&)>;
    Result<VerifierKey> revoke_found(const Finder& find, const std::string& actor, const std::string& ip);
    Store& store_;
    const Clock& clock_;
};

// The secret's form: "sv_" and a random token (app/tokens.hpp), so that a key is recognisable in a
// leaked file; whether `s` has that form (junk is refused before any lookup).
inline constexpr std::string_view kVerifierKeyPrefix = "sv_";
bool plausible_verifier_key(std::string_view s);

}  // namespace sengen::app
