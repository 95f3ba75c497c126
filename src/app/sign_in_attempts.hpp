// What the operators' and the verifiers' password sign-ins share: counting attempts against a rate
// rule scaled by the rate-limit-factor setting, recording a refusal, and writing one audit event
// in a transaction of its own (so that a failed attempt is on record even though the action fails).
#pragma once
#include <string>
#include <string_view>

#include "app/rate_limit.hpp"
#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// Writes `e` in its own write transaction; a failure to write is logged by the store, not returned
// (an audit event must never turn a good sign-in into an error).
void record_event(Store& store, const AuditEvent& e);

// Counts one attempt of `subject` under `rule` (its limit times `factor`, at least 1). TooMany once
// past it, and then an audit event `refused_action` ("operator.signin_refused", ...) naming the rule
// and the client address `ip`.
Status count_attempt(Store& store, TimePoint now, const RateRule& rule, double factor, const std::string& subject,
                     const std::string& ip, std::string_view refused_action);

}  // namespace sengen::app
