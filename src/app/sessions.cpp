// Sessions in the database, so that any node can serve any request of a visitor.
#include "app/sessions.hpp"

#include <algorithm>

#include "app/second_factor.hpp"
#include "app/tokens.hpp"

namespace sengen::app {

namespace {

// How stale a stored expiry may get before a use writes the slid one: sessions are read on most
// requests, and a write on each would make every page view a write transaction.
constexpr auto kSlideEvery = std::chrono::minutes(10);

OpenSession fresh_session(std::optional<std::int64_t> account_id, TimePoint now, std::string data = {}) {
    auto token = random_token();
    Session s{token_hash(token), account_id, now, now + session_idle_lifetime, std::move(data)};
    return {std::move(token), std::move(s)};
}

// A session waiting for its code (ADR 0061) has an account but is not signed in to it yet.
bool signed_in(const Session& s) { return s.account_id && s.stage == SignInStage::Full; }

std::string ref_of(const Session& s) { return session_ref(s.id_hash); }

Status check_data_size(const std::string& data) {
    if (data.size() > session_data_max_bytes)
        return fail(Error::invalid({{"session", "too_long"}}, "session.data_too_large"));
    return {};
}

}  // namespace

// A hash of the stored hash, shortened: knowing it gives nothing towards the token; it only picks
// one of the account's own sessions.
std::string session_ref(std::string_view id_hash) {
    return token_hash("session-ref:" + std::string(id_hash)).substr(0, 32);
}

Result<std::optional<Session>> Sessions::resume(std::string_view token) {
    if (!plausible_token(token)) return std::optional<Session>{};
    const auto now = clock_.now();
    auto found = store_.query<std::optional<Session>>(
        TxMode::Single, [&](Transaction& tx) { return tx.sessions().find(token_hash(token), now); });
    if (!found || !*found) return found;
    auto& session = **found;
    if (session.stage != SignInStage::Full) return found;  // waiting for its code: never slides
    const auto last_moment = session.created_at + session_absolute_lifetime;
    if (now >= last_moment) return std::optional<Session>{};
    const auto slid = std::min(now + session_idle_lifetime, last_moment);
    if (slid - session.expires_at > kSlideEvery) {
        session.expires_at = slid;
        (void)store_.transact(TxMode::Write, [&](Transaction& tx) {
            return tx.sessions().extend(session.id_hash, session.expires_at, now);
        });
    }
    return found;
}

Result<OpenSession> Sessions::start(const std::string& data) {
    if (auto ok = check_data_size(data); !ok) return fail(ok.error());
    auto open = fresh_session(std::nullopt, clock_.now(), data);
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto created = tx.sessions().create(open.session); !created) return created;
        return data.empty() ? Status{} : tx.sessions().save_data(open.session.id_hash, data);
    });
    if (!ok) return fail(ok.error());
    return open;
}

Result<OpenSession> Sessions::sign_in(const std::optional<Session>& previous, std::int64_t account_id,
                                      const SessionClient& client, SignInStage stage) {
    const auto now = clock_.now();
    auto open = fresh_session(account_id, now);
    open.session.client_label = client.label;
    open.session.client_network = client.network;
    open.session.stage = stage;
    if (stage != SignInStage::Full) open.session.expires_at = now + std::chrono::seconds(kPendingLifetime);
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (previous)
            if (auto r = tx.sessions().remove(previous->id_hash); !r) return r;
        return tx.sessions().create(open.session);
    });
    if (!ok) return fail(ok.error());
    return open;
}

Result<OpenSession> Sessions::finish_second_factor(const Session& pending) {
    if (pending.stage != SignInStage::SecondFactor || !pending.account_id)
        return fail(Error::forbidden("session.stage"));
    auto open = fresh_session(pending.account_id, clock_.now(), pending.data);
    open.session.client_label = pending.client_label;
    open.session.client_network = pending.client_network;
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto r = tx.sessions().remove(pending.id_hash); !r) return r;
        if (auto r = tx.sessions().create(open.session); !r) return r;
        return open.session.data.empty() ? Status{} : tx.sessions().save_data(open.session.id_hash, open.session.data);
    });
    if (!ok) return fail(ok.error());
    return open;
}

Status Sessions::save_data(const Session& session, const std::string& data) {
    if (auto ok = check_data_size(data); !ok) return ok;
    return store_.transact(TxMode::Write,
                           [&](Transaction& tx) { return tx.sessions().save_data(session.id_hash, data); });
}

Status Sessions::end(const Session& session) {
    return store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.sessions().remove(session.id_hash); });
}

Status Sessions::end_everywhere(const Session& session) {
    if (!signed_in(session)) return fail(Error::forbidden("session.not_signed_in"));
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto removed = tx.sessions().remove_all_of(*session.account_id);
        if (!removed) return fail(removed.error());
        return {};
    });
}

Result<std::vector<SessionEntry>> Sessions::list(const Session& session) {
    if (!signed_in(session)) return fail(Error::forbidden("session.not_signed_in"));
    const auto now = clock_.now();
    auto found = store_.query<std::vector<Session>>(
        TxMode::Single, [&](Transaction& tx) { return tx.sessions().list_of(*session.account_id, now); });
    if (!found) return fail(found.error());
    std::vector<SessionEntry> out;
    out.reserve(found->size());
    for (const auto& s : *found) {
        // A session past its absolute lifetime is refused by resume even before its row expires.
        if (now >= s.created_at + session_absolute_lifetime) continue;
        if (s.stage != SignInStage::Full) continue;  // not signed in yet: waiting for its code
        out.push_back({ref_of(s), s.created_at, s.last_used_at.value_or(s.created_at), s.client_label, s.client_network,
                       s.id_hash == session.id_hash});
    }
    return out;
}

Status Sessions::end_one(const Session& session, std::string_view ref) {
    if (!signed_in(session)) return fail(Error::forbidden("session.not_signed_in"));
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto found = tx.sessions().list_of(*session.account_id, clock_.now());
        if (!found) return fail(found.error());
        for (const auto& s : *found)
            if (ref_of(s) == ref) return tx.sessions().remove(s.id_hash);
        return fail(Error::not_found("session.not_found"));
    });
}

Result<std::size_t> Sessions::end_all_of(std::int64_t account_id) {
    return store_.query<std::size_t>(TxMode::Write,
                                     [&](Transaction& tx) { return tx.sessions().remove_all_of(account_id); });
}

}  // namespace sengen::app
