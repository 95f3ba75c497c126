// Sessions in the database, so that any node can serve any request of a visitor.
#include "app/sessions.hpp"

#include "app/tokens.hpp"

namespace sengen::app {

namespace {

// How stale a stored expiry may get before a use writes the slid one: sessions are read on most
// requests, and a write on each would make every page view a write transaction.
constexpr auto kSlideEvery = std::chrono::minutes(10);

OpenSession fresh_session(std::optional<std::int64_t> account_id, TimePoint now) {
    auto token = random_token();
    Session s{token_hash(token), account_id, now, now + session_idle_lifetime, {}};
    return {std::move(token), std::move(s)};
}

}  // namespace

Result<std::optional<Session>> Sessions::resume(std::string_view token) {
    if (!plausible_token(token)) return std::optional<Session>{};
    const auto now = clock_.now();
    auto found = store_.query<std::optional<Session>>(
        TxMode::Single, [&](Transaction& tx) { return tx.sessions().find(token_hash(token), now); });
    if (!found || !*found) return found;
    auto& session = **found;
    if (session.expires_at - now < session_idle_lifetime - kSlideEvery) {
        session.expires_at = now + session_idle_lifetime;
        (void)store_.transact(
            TxMode::Write, [&](Transaction& tx) { return tx.sessions().extend(session.id_hash, session.expires_at); });
    }
    return found;
}

Result<OpenSession> Sessions::start() {
    auto open = fresh_session(std::nullopt, clock_.now());
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.sessions().create(open.session); });
    if (!ok) return fail(ok.error());
    return open;
}

Result<OpenSession> Sessions::sign_in(const std::optional<Session>& previous, std::int64_t account_id) {
    auto open = fresh_session(account_id, clock_.now());
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (previous)
            if (auto r = tx.sessions().remove(previous->id_hash); !r) return r;
        return tx.sessions().create(open.session);
    });
    if (!ok) return fail(ok.error());
    return open;
}

Status Sessions::save_data(const Session& session, const std::string& data) {
    return store_.transact(TxMode::Write,
                           [&](Transaction& tx) { return tx.sessions().save_data(session.id_hash, data); });
}

Status Sessions::end(const Session& session) {
    return store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.sessions().remove(session.id_hash); });
}

}  // namespace sengen::app
