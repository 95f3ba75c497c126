// Operators' passwords: the policy a new one must meet, and hashing with Argon2id (libsodium's
// crypto_pwhash_str) under a cap on how many hashes run at once, since each takes 64 MiB.
#pragma once
#include <semaphore>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "domain/error.hpp"

namespace sengen::app {

inline constexpr std::size_t kPasswordMinLength = 12;  // characters (code points)
// Far above the 64 characters ASVS asks to allow: a pass phrase of Japanese words is 3 bytes a
// character. Argon2id hashes any length in the same time, so the cap only bounds the request.
inline constexpr std::size_t kPasswordMaxBytes = 1024;

// What a new password must be (ASVS V6.2): long enough, not too long, not one of the common
// passwords of content/passwords/common-1.txt (compared lower-cased), and not built on a word
// anyone would guess first for this account: its address, the local part or the domain's first
// label of it, or the programme's and the software's own names. There are no composition rules
// (a long phrase of plain words is a good password) and no expiry; pasting is allowed, so that
// password managers work.
class PasswordPolicy {
public:
    // The list shipped in the binary.
    static PasswordPolicy embedded();
    explicit PasswordPolicy(std::string_view list_text);
    // Invalid with a field error on `field`: "too_short", "too_long", "common", "same_as_email"
    // or "context" (it holds a word of the account or the programme, see context_words).
    Status check(std::string_view password, std::string_view email, const std::string& field = "password") const;
    std::size_t size() const { return common_.size(); }

    // The words a password of the account of `email` may not contain, lower-cased: the local part
    // and the domain's first label (when four characters or longer, so that short ones such as
    // "ab" refuse nothing by chance) and the fixed names of kContextWords.
    static std::vector<std::string> context_words(std::string_view email);

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
