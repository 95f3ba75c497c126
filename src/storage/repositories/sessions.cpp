// Sessions (table sessions): SQL and row mapping.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

// ON CONFLICT DO NOTHING rather than a unique violation: a taken id is a Conflict the caller can
// act on, without failing the statement (which would doom the transaction).
constexpr Statement kInsert{"insert_session",
                            "INSERT INTO sessions (id_hash, account_id, created_at, expires_at, client_label, "
                            "client_network, stage) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                            "ON CONFLICT (id_hash) DO NOTHING"};
constexpr Statement kFind{"find_session",
                          "SELECT id_hash, account_id, created_at, expires_at, data, last_used_at, client_label, "
                          "client_network, stage FROM sessions WHERE id_hash = $1 AND expires_at > $2"};
constexpr Statement kListOfAccount{"list_sessions_of_account",
                                   "SELECT id_hash, account_id, created_at, expires_at, '', last_used_at, "
                                   "client_label, client_network, stage FROM sessions "
                                   "WHERE account_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id_hash"};
constexpr Statement kSaveData{"save_session_data", "UPDATE sessions SET data = $2 WHERE id_hash = $1"};
constexpr Statement kExtend{"extend_session",
                            "UPDATE sessions SET expires_at = $2, last_used_at = $3 WHERE id_hash = $1"};
constexpr Statement kDelete{"delete_session", "DELETE FROM sessions WHERE id_hash = $1"};
constexpr Statement kDeleteOfAccount{"delete_sessions_of_account", "DELETE FROM sessions WHERE account_id = $1"};
constexpr Statement kPurge{"purge_sessions", "DELETE FROM sessions WHERE expires_at <= $1"};

Result<Session> read_session(const Row& r) {
    auto stage = parse_operator_stage(r.text(8));
    if (!stage) return fail(Error::unavailable("storage.corrupt", "unknown session stage"));
    Session s;
    s.stage = *stage;
    s.id_hash = r.string(0);
    s.account_id = r.optional_int64(1);
    s.created_at = r.time(2);
    s.expires_at = r.time(3);
    s.data = r.string(4);
    s.last_used_at = r.optional_time(5);
    s.client_label = r.string(6);
    s.client_network = r.string(7);
    return s;
}

}  // namespace

Status SqlSessions::create(const Session& s) {
    auto changed = execute(c_, kInsert,
                           {s.id_hash, s.account_id, s.created_at, s.expires_at, s.client_label, s.client_network,
                            std::string(to_string(s.stage))});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::conflict("session.exists", "a session with this id exists"));
    return {};
}

Result<std::optional<Session>> SqlSessions::find(const std::string& id_hash, TimePoint now) {
    return first(c_, kFind, {id_hash, now}, read_session);
}

Status SqlSessions::save_data(const std::string& id_hash, const std::string& data) {
    return perform(c_, kSaveData, {id_hash, data});
}

Status SqlSessions::extend(const std::string& id_hash, TimePoint expires_at, TimePoint used_at) {
    return perform(c_, kExtend, {id_hash, expires_at, used_at});
}

Status SqlSessions::remove(const std::string& id_hash) { return perform(c_, kDelete, {id_hash}); }

Result<std::size_t> SqlSessions::remove_all_of(std::int64_t account_id) {
    return execute(c_, kDeleteOfAccount, {account_id});
}

Result<std::vector<Session>> SqlSessions::list_of(std::int64_t account_id, TimePoint now) {
    return all(c_, kListOfAccount, {account_id, now}, read_session);
}

Result<std::size_t> SqlSessions::purge_expired(TimePoint now) { return execute(c_, kPurge, {now}); }

}  // namespace sengen::storage
