// Verifier accounts (issue 12 point 7, ADR 0037): the holder of a verifier key makes an account in
// the browser by presenting the key with an e-mail address and a password, proves the address by
// following the link mailed to it (ADR 0049: the form's answer never tells whether the address
// has an account already), then signs in to the bulk verification page with the address and
// password. An account is bound to its key: its
// uploads count against the key's limit and are recorded as the key's calls, and a revoked key
// stops its accounts from verifying. Sessions are apart from declarants' and operators' and as
// short-lived as operators'. Bad passwords are slowed and recorded in the audit log as operators'
// are. Operators list and disable accounts through app/verifier_keys.hpp; a disabled account
// cannot sign in and has no session.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "app/passwords.hpp"
#include "app/rate_limit.hpp"
#include "app/registry_context.hpp"
#include "app/second_factor.hpp"
#include "app/verifications.hpp"
#include "app/verifier_uploads.hpp"
#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct VerifierAccountSettings {
    std::chrono::seconds idle{std::chrono::minutes(30)};    // as operator-session-idle
    std::chrono::seconds absolute{std::chrono::hours(12)};  // as operator-session-absolute
    std::chrono::seconds upload_lifetime{std::chrono::hours(1)};
    double rate_limit_factor = 1.0;
    std::string issuer = "sengen";  // the name authenticator apps show, as operators'
};

// An upload refused before anything was verified or counted: the file has more rows than the
// key admits in a minute, so no wait would ever let it through; the verifier must split it.
struct OverKeyLimit {
    std::size_t rows = 0;    // in the file, bad ones too (the heading apart)
    int ids_per_minute = 0;  // the key's limit
};

// What an upload comes to: the reference of its kept result, or the refusal above.
using UploadOutcome = std::variant<std::string, OverKeyLimit>;

struct OpenVerifierSession {
    std::string token;
    VerifierSession session;
};

class VerifierAccounts {
public:
    VerifierAccounts(const RegistryContext& registry, PasswordHasher& hasher, const PasswordPolicy& policy,
                     Verifications& verifications, VerifierAccountSettings settings)
        : registry_(registry),
          store_(registry.store()),
          clock_(registry.clock()),
          hasher_(hasher),
          policy_(policy),
          verifications_(verifications),
          settings_(std::move(settings)),
          factor_(registry.store(), registry.clock(), settings_.issuer, settings_.rate_limit_factor) {}

    // Asks for an account for the holder of `key`. Invalid with field errors ("key": "unknown" or
    // "revoked"; "email": "email"; "password": the policy's codes); TooMany when the client address
    // has tried too often or the address has had its day's mails. Otherwise a mail goes to the
    // address, and the answer is the same whether or not it has an account: a new address gets
    // the link that makes the account (complete_registration), an address with one is told so
    // and where to sign in, and nothing about that account changes.
    Status request_account(std::string_view key, std::string_view email, std::string_view password,
                           const std::string& ip, Lang lang);
    // The address a registration link is for, without using the link (its page shows a button);
    // NotFound "verifier_registration.unknown" when unknown, used or expired.
    Result<std::string> registration_for(std::string_view token);
    // Follows the link: the account is made, once per link, with a session that may only set up
    // the second factor (totp_setup, confirm_totp). NotFound as above;
    // Forbidden "verifier_key.revoked" when the key was revoked meanwhile; Conflict
    // "verifier_account.exists" when the address has had an account made meanwhile.
    Result<OpenVerifierSession> complete_registration(std::string_view token, const std::string& ip);
    // The password step (ADR 0056): a session that awaits the code (SecondFactor), or, for an
    // account without a second factor yet, one that may only set it up (TotpSetup). TooMany when
    // the address or account has tried too often; Forbidden "verifier_account.signin_failed" for a
    // wrong address or password, or a disabled account (the same answer for all three).
    Result<OpenVerifierSession> sign_in(std::string_view email, std::string_view password, const std::string& ip);
    // What the set-up page shows; Forbidden "verifier_account.stage" unless `s` is at TotpSetup.
    Result<TotpSetup> totp_setup(const VerifierSession& s);
    // The set-up's code: the pending secret becomes the account's second factor and a Full session
    // replaces `s`. TooMany; Invalid "verifier.code_wrong" (field "code").
    Result<OpenVerifierSession> confirm_totp(const VerifierSession& s, std::string_view code, const std::string& ip);
    // The sign-in's code, good once: a Full session replaces `s`. TooMany; Invalid
    // "verifier.code_wrong" (field "code").
    Result<OpenVerifierSession> second_factor(const VerifierSession& s, std::string_view code, const std::string& ip);
    // The live session `token` names, its expiry slid (a Full one only); nullopt when unknown or
    // expired. The pages other than sign-in's own open for a Full session only.
    Result<std::optional<VerifierSession>> resume(std::string_view token);
    Status sign_out(const VerifierSession& s, const std::string& ip);

    // The signed-in verifier's new password, as Operators::change_password: the current one must
    // match (counted like a sign-in; Invalid "current_password": "wrong"), the new one meets the
    // policy (Invalid on "new_password"); the account's other sessions end; audited as
    // verifier.password_changed.
    Status change_password(const VerifierSession& s, std::string_view current, std::string_view fresh,
                           const std::string& ip);

    // Reads and verifies an uploaded file, keeps its result for `upload_lifetime`, and returns the
    // reference of the result, or OverKeyLimit for a file larger than the key's limit per minute.
    // Every row of the file counts against that limit, bad rows too. Invalid (read_upload's file
    // errors), Forbidden "verifier_key.revoked", TooMany "rate.verifier_key".
    Result<UploadOutcome> upload(const VerifierSession& s, std::string_view bytes);
    // The session's account's result `ref`; NotFound "verifier_upload.not_found" once expired.
    Result<UploadResult> result(const VerifierSession& s, std::string_view ref);

private:
    Result<OpenVerifierSession> start_session(std::int64_t account_id, SignInStage stage,
                                              const std::optional<VerifierSession>& previous);
    Result<std::optional<VerifierAccount>> account_of(const VerifierSession& s);
    Status limit(const RateRule& rule, const std::string& subject, const std::string& ip);
    void record(const std::string& actor, const std::string& action, const std::string& subject, const std::string& ip,
                const std::string& details = {});

    const RegistryContext& registry_;
    Store& store_;
    const Clock& clock_;
    PasswordHasher& hasher_;
    const PasswordPolicy& policy_;
    Verifications& verifications_;
    VerifierAccountSettings settings_;
    SecondFactor factor_;  // the code step, shared with operators (ADR 0056)
};

}  // namespace sengen::app
