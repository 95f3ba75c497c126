// Rate limits shared by every node: fixed windows counted in the database.
#pragma once
#include <chrono>
#include <string>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct RateRule {
    std::string name;  // e.g. "signin.email"
    int limit;         // allowed hits per window
    std::chrono::seconds window;
};

// Counts one hit of `subject` (an address, an IP, ...) against the rule in its own write
// transaction, so that the hit is kept even when the action it guards fails. TooMany once the
// window's count passes the limit. The subject is stored hashed, never as typed.
Status enforce(Store& store, const RateRule& rule, const std::string& subject, TimePoint now);

}  // namespace sengen::app
