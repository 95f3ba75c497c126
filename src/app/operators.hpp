// Operator accounts as use cases: creating one (a one-time set-up link), setting it up (password,
// then TOTP, then recovery codes shown once), signing in (password, then a TOTP or recovery code),
// and the operator's sessions, which are apart from declarants' and shorter-lived. Bad attempts
// are counted per address and per account on every node and recorded in the audit log.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/passwords.hpp"
#include "app/rate_limit.hpp"
#include "app/second_factor.hpp"
#include "app/sessions.hpp"
#include "domain/clock.hpp"
#include "domain/operator.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct OperatorSettings {
    std::chrono::seconds idle{std::chrono::minutes(30)};    // setting operator-session-idle
    std::chrono::seconds absolute{std::chrono::hours(12)};  // setting operator-session-absolute
    std::chrono::seconds setup_link{std::chrono::hours(72)};
    std::string base_url;
    std::string issuer = "sengen";  // the name authenticator apps show
    double rate_limit_factor = 1.0;
};

// An operator session with the token its cookie carries.
struct OpenOperatorSession {
    std::string token;
    OperatorSession session;
};

inline constexpr int kRecoveryCodes = 10;

class Operators {
public:
    Operators(Store& store, const Clock& clock, PasswordHasher& hasher, const PasswordPolicy& policy,
              OperatorSettings settings)
        : store_(store),
          clock_(clock),
          hasher_(hasher),
          policy_(policy),
          settings_(std::move(settings)),
          factor_(store, clock, settings_.issuer, settings_.rate_limit_factor) {}

    struct Created {
        std::int64_t id = 0;
        std::string setup_link;
        TimePoint expires_at;
    };
    // A new account and its one-time set-up link. Invalid for a malformed address; Conflict
    // "operator.exists" when the address has an account.
    Result<Created> create(std::string_view email, OperatorRole role, const std::string& actor, const std::string& ip);

    // The account an unused, unexpired set-up link belongs to; NotFound "operator.setup_unknown".
    Result<OperatorAccount> setup_for(std::string_view token);
    // Sets the password (checked against the policy) and starts a session that may only set up TOTP.
    Result<OpenOperatorSession> complete_setup(std::string_view token, std::string_view password,
                                               const std::string& ip);

    Result<TotpSetup> totp_setup(const OperatorSession& s);
    struct Confirmed {
        OpenOperatorSession session;
        std::vector<std::string> recovery_codes;  // shown once, stored hashed
    };
    // Invalid "operator.code_wrong" (field code) when the code does not match the pending secret.
    // `client` is kept with the session for the operator's list of its sessions.
    Result<Confirmed> confirm_totp(const OperatorSession& s, std::string_view code, const std::string& ip,
                                   const SessionClient& client = {});

    // The password step; TooMany when the address or account has tried too often, Forbidden
    // "operator.signin_failed" for a wrong address or password (the same answer for both).
    Result<OpenOperatorSession> sign_in(std::string_view email, std::string_view password, const std::string& ip);
    // The second step: a TOTP code, or a recovery code (used up). Gives a Full session.
    Result<OpenOperatorSession> second_factor(const OperatorSession& s, std::string_view code, const std::string& ip,
                                              const SessionClient& client = {});

    // The operator's own signed-in sessions, `s` marked current (ASVS V7.5.2), and ending one of
    // them by its ref (NotFound "session.not_found" when it is not one of them).
    Result<std::vector<SessionEntry>> sessions(const OperatorSession& s);
    Status end_session(const OperatorSession& s, std::string_view ref, const std::string& ip);

    // The live session `token` names, its expiry slid by the idle lifetime (never past the absolute
    // one); nullopt when unknown or expired.
    Result<std::optional<OperatorSession>> resume(std::string_view token);
    Status sign_out(const OperatorSession& s, const std::string& ip);

    // The signed-in operator's new password (ASVS V6.2.2, V6.2.3): `current` must match, counted
    // like a sign-in attempt (TooMany past the limit; Invalid "current_password": "wrong"
    // otherwise), and `fresh` meets the policy (Invalid on "new_password"). Every other session of
    // the operator ends, this one stays; audited as operator.password_changed.
    Status change_password(const OperatorSession& s, std::string_view current, std::string_view fresh,
                           const std::string& ip);

    Result<std::vector<OperatorAccount>> list();

private:
    Result<OpenOperatorSession> start_session(std::int64_t operator_id, OperatorStage stage,
                                              const std::optional<OperatorSession>& previous,
                                              const SessionClient& client = {});
    void record(const std::string& actor, const std::string& action, const std::string& subject, const std::string& ip,
                const std::string& details = {});
    Status limit(const RateRule& rule, const std::string& subject, const std::string& ip);

    Store& store_;
    const Clock& clock_;
    PasswordHasher& hasher_;
    const PasswordPolicy& policy_;
    OperatorSettings settings_;
    SecondFactor factor_;  // the code step, shared with verifiers (ADR 0056)
};

// Normalises a recovery code as typed (case, spaces, hyphens) before it is hashed.
std::string normalise_recovery_code(std::string_view typed);

}  // namespace sengen::app
