// The TOTP second factor of operators and verifiers, with its protections (second_factor.hpp).
#include "app/second_factor.hpp"

#include "app/sign_in_attempts.hpp"
#include "app/totp.hpp"
#include "domain/text.hpp"

namespace sengen::app {

std::string typed_code(std::string_view typed) {
    if (auto digits = text::digits_only(typed)) return *digits;
    std::string out;
    for (char c : typed)
        if (c != ' ') out += c;
    return out;
}

Result<TotpSetup> SecondFactor::setup_of(const std::string& email, const std::string& pending,
                                         const std::string& stage_error) const {
    if (pending.empty()) return fail(Error::forbidden(stage_error));
    return TotpSetup{pending, totp::provisioning_uri(issuer_, email, pending)};
}

Status SecondFactor::count(const CodeHolder& h, const std::string& ip) {
    return count_attempt(store_, clock_.now(), h.rule, rate_limit_factor_, std::to_string(h.id), ip,
                         std::string(h.kind) + ".signin_refused");
}

Error SecondFactor::refuse(const CodeHolder& h, std::string_view stage, const std::string& ip) {
    record_event(store_, AuditEvent{0, clock_.now(), h.actor(), std::string(h.kind) + ".code_failed", h.actor(), ip,
                                    R"({"stage":")" + std::string(stage) + "\"}"});
    return Error::invalid({{"code", "code_wrong"}}, std::string(h.kind) + ".code_wrong");
}

Result<std::int64_t> SecondFactor::confirm(const CodeHolder& h, const std::string& pending, std::string_view typed,
                                           const std::string& ip) {
    if (auto ok = count(h, ip); !ok) return fail(ok.error());
    auto step = totp::matching_step(pending, typed_code(typed), clock_.now());
    if (!step) return fail(refuse(h, "setup", ip));
    return *step;
}

Result<bool> SecondFactor::fresh_code(const std::string& secret, std::string_view typed,
                                      const AcceptStep& accept_step) {
    auto step = totp::matching_step(secret, typed_code(typed), clock_.now());
    if (!step) return false;
    // A code is good once: a step at or before the last accepted one is refused (RFC 6238 §5.2).
    return accept_step(*step);
}

Status SecondFactor::check(const CodeHolder& h, const std::string& secret, std::string_view typed,
                           const std::string& ip, const AcceptStep& accept_step) {
    if (auto ok = count(h, ip); !ok) return ok;
    auto fresh = fresh_code(secret, typed, accept_step);
    if (!fresh) return fail(fresh.error());
    if (!*fresh) return fail(refuse(h, "signin", ip));
    return {};
}

}  // namespace sengen::app
