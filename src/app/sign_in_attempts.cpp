// Attempt counting and audit events for password sign-ins (see sign_in_attempts.hpp).
#include "app/sign_in_attempts.hpp"

#include <algorithm>

namespace sengen::app {

void record_event(Store& store, const AuditEvent& e) {
    (void)store.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto id = tx.audit().record(e);
        if (!id) return fail(id.error());
        return {};
    });
}

Status count_attempt(Store& store, TimePoint now, const RateRule& rule, double factor, const std::string& subject,
                     const std::string& ip, std::string_view refused_action) {
    RateRule scaled = rule;
    scaled.limit = std::max(1, static_cast<int>(rule.limit * factor));
    auto ok = enforce(store, scaled, subject, now);
    if (!ok && ok.error().kind == Error::Kind::TooMany)
        record_event(store, AuditEvent{0, now, "anonymous", std::string(refused_action), "", ip,
                                       R"({"rule":")" + rule.name + "\"}"});
    return ok;
}

}  // namespace sengen::app
