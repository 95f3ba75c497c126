// The people who run the registry from the console: operator accounts, their roles and their
// sessions (kept apart from declarants' sessions, and shorter-lived).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"

namespace sengen {

// Staff run the registry day to day; an admin also manages operator accounts.
enum class OperatorRole { Staff, Admin };

std::string_view to_string(OperatorRole r);
std::optional<OperatorRole> parse_operator_role(std::string_view s);

struct OperatorAccount {
    std::int64_t id = 0;
    std::string email;
    OperatorRole role = OperatorRole::Staff;
    std::string password_hash;        // libsodium's Argon2id string; "" until the set-up link is used
    std::string totp_secret;          // base32; "" until the second factor is confirmed
    std::string totp_pending;         // base32 secret shown during set-up, not yet confirmed
    std::int64_t totp_last_step = 0;  // the last time step accepted: a code is good once
    TimePoint created_at;
    bool disabled = false;
};

// How far a session signed in with two factors has got, an operator's or a verifier's (ADR 0056):
// only Full opens the console or the verifier's pages.
enum class SignInStage { TotpSetup, SecondFactor, Full };
using OperatorStage = SignInStage;

std::string_view to_string(OperatorStage s);
std::optional<OperatorStage> parse_operator_stage(std::string_view s);

struct OperatorSession {
    std::string id_hash;
    std::int64_t operator_id = 0;
    OperatorStage stage = OperatorStage::SecondFactor;
    TimePoint created_at;
    TimePoint expires_at;
    // Read with the session from the operator's row, so that a changed role or a disabled
    // account takes effect on the next request.
    OperatorRole role = OperatorRole::Staff;
    std::string email;
    // For the operator's list of its sessions, as a declarant's Session has them.
    std::optional<TimePoint> last_used_at = {};
    std::string client_label = {};
    std::string client_network = {};
};

}  // namespace sengen
