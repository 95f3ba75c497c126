// Rate limits shared by every node: fixed windows counted in the database.
#pragma once
#include <chrono>
#include <string>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// What a rule counts. A client's address is counted by rate_limit_subject (domain/ip_network.hpp):
// an IPv6 client by its /64, so that a client holding a whole prefix is still one client.
enum class RateSubject { Value, ClientAddress };

struct RateRule {
    std::string name;  // e.g. "signin.email"
    int limit;         // allowed hits per window
    std::chrono::seconds window;
    RateSubject subject = RateSubject::Value;
};

// The key `subject` is counted under for `rule` (the client's /64 for an IPv6 address).
std::string rate_subject_key(const RateRule& rule, const std::string& subject);

// Counts one hit of `subject` (an address, an IP, ...) against the rule in its own write
// transaction, so that the hit is kept even when the action it guards fails. TooMany once the
// window's count passes the limit. The subject is stored hashed, never as typed.
Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now);

}  // namespace sengen::app
