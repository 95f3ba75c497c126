// Signing in without a password: a single-use link sent by mail.
#pragma once
#include <string>

#include "app/registry_context.hpp"

namespace sengen::app {

class SignIn {
public:
    explicit SignIn(const RegistryContext& registry) : r_(registry) {}

    // The longest `next_path` kept with a sign-in link.
    static constexpr std::size_t kNextPathMaxBytes = 512;

    // Queues a sign-in link for any well-formed address (the answer is the same whether or not
    // the address is known). Rate-limited per address and per IP. A link to an address no account
    // holds is a mail to an unproven address: beyond that daily cap nothing is queued, and the
    // answer is still success. Invalid "next" "too_long" when `next_path` is over kNextPathMaxBytes
    // (checked before anything is stored).
    Status request(const std::string& email, const std::string& next_path, const Caller& caller);

    struct SignedIn {
        Account account;
        std::string next_path;
    };
    Result<SignedIn> complete(const std::string& token, const Caller& caller);

private:
    const RegistryContext& r_;
};

}  // namespace sengen::app
