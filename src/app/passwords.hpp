// Operators' passwords: the policy a new one must meet, and hashing with Argon2id (libsodium's
// crypto_pwhash_str) under a cap on how many hashes run at once, since each takes 64 MiB.
#pragma once
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_set>

#include "domain/error.hpp"

namespace sengen::app {

inline constexpr std::size_t kPasswordMinLength = 12;  // characters (code points)
inline constexpr std::size_t kPasswordMaxBytes = 1024;

// The common passwords a new password may not be (content/passwords/common-1.txt, compared
// lower-cased).
class PasswordPolicy {
public:
    // The list shipped in the binary.
    static PasswordPolicy embedded();
    explicit PasswordPolicy(std::string_view list_text);
    // Invalid with a field error on `field`: "too_short", "too_long", "common" or "same_as_email".
    Status check(std::string_view password, std::string_view email, const std::string& field = "password") const;
    std::size_t size() const { return common_.size(); }

private:
    std::unordered_set<std::string> common_;
};

class PasswordHasher {
public:
    // At most `concurrent` hashes at once (each holds 64 MiB while it runs).
    explicit PasswordHasher(int concurrent);
    // Unavailable "operator.busy" when no slot frees up within a few seconds.
    Result<std::string> hash(std::string_view password);
    // Whether `password` matches `stored`; with an empty `stored` (no such account) a dummy
    // hash is checked, so that the answer takes as long either way.
    Result<bool> verify(std::string_view password, const std::string& stored);

private:
    std::counting_semaphore<64> slots_;
    std::string dummy_;
};

}  // namespace sengen::app
