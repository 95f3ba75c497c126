// The second factor that operators, verifiers and declarants share (ADR 0031, ADR 0056, ADR 0061):
// what the set-up page shows (the secret and the otpauth:// URI of its QR code), and the check of a
// typed code with its protections, the same for all: every attempt counted per account (TooMany
// past the rule), a wrong code refused on the field "code" and recorded as <kind>.code_failed, a
// code good once.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "app/rate_limit.hpp"
#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// A session that has not finished signing in (password given, code not yet) lives a few minutes only.
inline constexpr std::chrono::minutes kPendingLifetime{15};

// When a session of an account signed in with two factors, started at `now` at `stage`, first
// expires: a pending one after kPendingLifetime, a full one after the idle lifetime (never past
// the absolute one).
inline TimePoint stage_expiry(SignInStage stage, TimePoint now, std::chrono::seconds idle,
                              std::chrono::seconds absolute) {
    return stage == SignInStage::Full ? now + std::min(idle, absolute) : now + std::chrono::seconds(kPendingLifetime);
}

// Stores `fresh` in `sessions` (operators' or verifiers'), removing `previous`: a new token at every
// step, so that a token seen before a step is worth nothing after it.
template <class Sessions, class Session>
Status replace_session(Sessions& sessions, const std::optional<Session>& previous, const Session& fresh) {
    if (previous)
        if (auto r = sessions.remove_session(previous->id_hash); !r) return r;
    return sessions.create_session(fresh);
}

struct TotpSetup {
    std::string secret;  // base32, for typing in by hand
    std::string uri;     // otpauth://, for the QR code
};

// Whose code is checked, and the names its attempts are counted and recorded under.
struct CodeHolder {
    // "operator", "verifier" or "declarant": events <kind>.code_failed, <kind>.signin_refused
    std::string_view kind;
    std::int64_t id = 0;   // the account: the rate limit's subject, the events' actor "<kind>:<id>"
    const RateRule& rule;  // wrong and right codes alike count against it
    // How the audit log names the holder, when not by `kind` (a declarant is "account:<id>" there).
    std::string_view actor_kind = {};
    std::string actor() const { return std::string(actor_kind.empty() ? kind : actor_kind) + ":" + std::to_string(id); }
};

// Records `step` as the holder's last accepted one; false when it is not later (the code was used).
using AcceptStep = std::function<Result<bool>(std::int64_t step)>;

class SecondFactor {
public:
    SecondFactor(Store& store, const Clock& clock, std::string issuer, double rate_limit_factor)
        : store_(store), clock_(clock), issuer_(std::move(issuer)), rate_limit_factor_(rate_limit_factor) {}

    // The set-up page's secret and URI for the account `email` with the pending secret; Forbidden
    // `stage_error` when nothing is pending (no account, or its set-up is done).
    Result<TotpSetup> setup_of(const std::string& email, const std::string& pending,
                               const std::string& stage_error) const;

    // The set-up step: `typed` must be the pending secret's code now (give or take a step). The
    // step it matched, for the account's last accepted one; TooMany; Invalid "<kind>.code_wrong".
    Result<std::int64_t> confirm(const CodeHolder& h, const std::string& pending, std::string_view typed,
                                 const std::string& ip);
    // The sign-in step: `typed` must be the secret's code at a step not accepted before. TooMany;
    // Invalid "<kind>.code_wrong".
    Status check(const CodeHolder& h, const std::string& secret, std::string_view typed, const std::string& ip,
                 const AcceptStep& accept_step);

    // The parts of check(), for a holder with another way in besides the code (an operator's
    // recovery codes): count the attempt; whether `typed` is the secret's code at a fresh step;
    // and the refusal, recorded.
    Status count(const CodeHolder& h, const std::string& ip);
    Result<bool> fresh_code(const std::string& secret, std::string_view typed, const AcceptStep& accept_step);
    Error refuse(const CodeHolder& h, std::string_view stage, const std::string& ip);

private:
    Store& store_;
    const Clock& clock_;
    std::string issuer_;
    double rate_limit_factor_;
};

// A code as typed, spaces dropped and full-width digits made ASCII; as typed, without spaces, when
// it is not digits (a recovery code).
std::string typed_code(std::string_view typed);

}  // namespace sengen::app
