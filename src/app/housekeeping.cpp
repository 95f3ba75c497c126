#include "app/housekeeping.hpp"

#include <spdlog/spdlog.h>

namespace sengen::app {

Result<std::size_t> purge_expired(Store& store, TimePoint now) {
    return store.query<std::size_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::size_t> {
        auto sessions = tx.sessions().purge_expired(now);
        if (!sessions) return fail(sessions.error());
        auto windows = tx.rate_limits().purge_windows(now);
        if (!windows) return fail(windows.error());
        auto signin = tx.signin_tokens().purge(now);
        if (!signin) return fail(signin.error());
        auto contact = tx.contact_changes().purge(now);
        if (!contact) return fail(contact.error());
        auto applications = tx.declarations().purge_expired_applications(now - kExpiredApplicationGrace);
        if (!applications) return fail(applications.error());
        auto verifiers = tx.verifier_accounts().purge(now);
        if (!verifiers) return fail(verifiers.error());
        return *sessions + *windows + *signin + *contact + *applications + *verifiers;
    });
}

Housekeeper::Housekeeper(Store& store, const Clock& clock, std::chrono::seconds every)
    : periodic_(every, [&store, &clock] {
          auto n = purge_expired(store, clock.now());
          if (!n)
              spdlog::warn("housekeeping failed: {}", n.error().code);
          else if (*n > 0)
              spdlog::debug("housekeeping removed {} expired rows", *n);
      }) {}

}  // namespace sengen::app
