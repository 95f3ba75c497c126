// Operator accounts, recovery codes and operator sessions (tables operators,
// operator_recovery_codes, operator_sessions): SQL and row mapping.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

#define SENGEN_OPERATOR_COLUMNS \
    "id, email, role, password_hash, totp_secret, totp_pending, totp_last_step, created_at, disabled_at"

constexpr Statement kInsert{"insert_operator",
                            "INSERT INTO operators (email, role, setup_token_hash, setup_expires_at, created_at) "
                            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id"};
constexpr Statement kFind{"find_operator", "SELECT " SENGEN_OPERATOR_COLUMNS " FROM operators WHERE id = $1"};
constexpr Statement kFindByEmail{"find_operator_by_email",
                                 "SELECT " SENGEN_OPERATOR_COLUMNS " FROM operators WHERE email = $1"};
constexpr Statement kFindBySetup{"find_operator_by_setup",
                                 "SELECT " SENGEN_OPERATOR_COLUMNS
                                 " FROM operators WHERE setup_token_hash = $1 AND setup_expires_at > $2 "
                                 "AND disabled_at IS NULL"};
constexpr Statement kCompleteSetup{"complete_operator_setup",
                                   "UPDATE operators SET password_hash = $3, totp_pending = $4, "
                                   "setup_token_hash = NULL, setup_expires_at = 0 "
                                   "WHERE id = $1 AND setup_token_hash = $2"};
constexpr Statement kConfirmTotp{"confirm_operator_totp",
                                 "UPDATE operators SET totp_secret = totp_pending, totp_pending = '', "
                                 "totp_last_step = $2 WHERE id = $1 AND totp_pending <> ''"};
constexpr Statement kInsertCode{"insert_recovery_code",
                                "INSERT INTO operator_recovery_codes (operator_id, code_hash) VALUES ($1, $2)"};
constexpr Statement kAcceptStep{"accept_totp_step",
                                "UPDATE operators SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2"};
constexpr Statement kUseCode{"use_recovery_code",
                             "UPDATE operator_recovery_codes SET used_at = $3 "
                             "WHERE operator_id = $1 AND code_hash = $2 AND used_at IS NULL"};
constexpr Statement kList{"list_operators", "SELECT " SENGEN_OPERATOR_COLUMNS " FROM operators ORDER BY id"};
constexpr Statement kInsertSession{
    "insert_operator_session",
    "INSERT INTO operator_sessions (id_hash, operator_id, stage, created_at, expires_at, client_label, "
    "client_network) VALUES ($1, $2, $3, $4, $5, $6, $7)"};
constexpr Statement kFindSession{
    "find_operator_session",
    "SELECT s.id_hash, s.operator_id, s.stage, s.created_at, s.expires_at, o.role, o.email, s.last_used_at, "
    "s.client_label, s.client_network FROM operator_sessions s JOIN operators o ON o.id = s.operator_id "
    "WHERE s.id_hash = $1 AND s.expires_at > $2 AND o.disabled_at IS NULL"};
constexpr Statement kListSessions{
    "list_operator_sessions",
    "SELECT s.id_hash, s.operator_id, s.stage, s.created_at, s.expires_at, o.role, o.email, s.last_used_at, "
    "s.client_label, s.client_network FROM operator_sessions s JOIN operators o ON o.id = s.operator_id "
    "WHERE s.operator_id = $1 AND s.stage = 'full' AND s.expires_at > $2 AND o.disabled_at IS NULL "
    "ORDER BY s.created_at DESC, s.id_hash"};
constexpr Statement kExtendSession{
    "extend_operator_session", "UPDATE operator_sessions SET expires_at = $2, last_used_at = $3 WHERE id_hash = $1"};
constexpr Statement kDeleteSession{"delete_operator_session", "DELETE FROM operator_sessions WHERE id_hash = $1"};
// No session's hash is empty, so "" as the one to keep keeps none.
constexpr Statement kDeleteSessionsOf{"delete_operator_sessions_of",
                                      "DELETE FROM operator_sessions WHERE operator_id = $1 AND id_hash <> $2"};
constexpr Statement kSetPassword{"set_operator_password",
                                 "UPDATE operators SET password_hash = $2 WHERE id = $1 AND password_hash <> ''"};

Result<OperatorAccount> read_operator(const Row& r) {
    OperatorAccount o;
    o.id = r.int64(0);
    o.email = r.string(1);
    auto role = parse_operator_role(r.text(2));
    if (!role) return fail(Error::unavailable("storage.corrupt", "unknown operator role"));
    o.role = *role;
    o.password_hash = r.string(3);
    o.totp_secret = r.string(4);
    o.totp_pending = r.string(5);
    o.totp_last_step = r.int64(6);
    o.created_at = r.time(7);
    o.disabled = !r.is_null(8);
    return o;
}

Result<OperatorSession> read_session(const Row& r) {
    OperatorSession s;
    s.id_hash = r.string(0);
    s.operator_id = r.int64(1);
    auto stage = parse_operator_stage(r.text(2));
    auto role = parse_operator_role(r.text(5));
    if (!stage || !role) return fail(Error::unavailable("storage.corrupt", "unknown operator session stage or role"));
    s.stage = *stage;
    s.created_at = r.time(3);
    s.expires_at = r.time(4);
    s.role = *role;
    s.email = r.string(6);
    s.last_used_at = r.optional_time(7);
    s.client_label = r.string(8);
    s.client_network = r.string(9);
    return s;
}

}  // namespace

Result<std::int64_t> SqlOperators::create(const std::string& email, OperatorRole role,
                                          const std::string& setup_token_hash, TimePoint setup_expires_at,
                                          TimePoint now) {
    auto id = first_int64(c_, kInsert, {email, to_string(role), setup_token_hash, setup_expires_at, now});
    if (!id) return fail(id.error());
    if (!*id) return fail(Error::conflict("operator.exists", "an operator with this address exists"));
    return **id;
}

Result<std::optional<OperatorAccount>> SqlOperators::find(std::int64_t id) {
    return first(c_, kFind, {id}, read_operator);
}

Result<std::optional<OperatorAccount>> SqlOperators::find_by_email(const std::string& email) {
    return first(c_, kFindByEmail, {email}, read_operator);
}

Result<std::optional<OperatorAccount>> SqlOperators::find_by_setup_token(const std::string& token_hash, TimePoint now) {
    return first(c_, kFindBySetup, {token_hash, now}, read_operator);
}

Status SqlOperators::complete_setup(std::int64_t id, const std::string& token_hash, const std::string& password_hash,
                                    const std::string& totp_pending) {
    auto changed = execute(c_, kCompleteSetup, {id, token_hash, password_hash, totp_pending});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("operator.setup_unknown"));
    return {};
}

Status SqlOperators::confirm_totp(std::int64_t id, std::int64_t step, const std::vector<std::string>& code_hashes) {
    auto changed = execute(c_, kConfirmTotp, {id, step});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("operator.totp_not_pending"));
    for (const auto& h : code_hashes)
        if (auto ok = perform(c_, kInsertCode, {id, h}); !ok) return ok;
    return {};
}

Result<bool> SqlOperators::accept_totp_step(std::int64_t id, std::int64_t step) {
    auto changed = execute(c_, kAcceptStep, {id, step});
    if (!changed) return fail(changed.error());
    return *changed == 1;
}

Result<bool> SqlOperators::use_recovery_code(std::int64_t id, const std::string& code_hash, TimePoint now) {
    auto changed = execute(c_, kUseCode, {id, code_hash, now});
    if (!changed) return fail(changed.error());
    return *changed == 1;
}

Result<std::vector<OperatorAccount>> SqlOperators::list() { return all(c_, kList, {}, read_operator); }

Status SqlOperators::create_session(const OperatorSession& s) {
    return perform(
        c_, kInsertSession,
        {s.id_hash, s.operator_id, to_string(s.stage), s.created_at, s.expires_at, s.client_label, s.client_network});
}

Result<std::optional<OperatorSession>> SqlOperators::find_session(const std::string& id_hash, TimePoint now) {
    return first(c_, kFindSession, {id_hash, now}, read_session);
}

Status SqlOperators::extend_session(const std::string& id_hash, TimePoint expires_at, TimePoint used_at) {
    return perform(c_, kExtendSession, {id_hash, expires_at, used_at});
}

Result<std::vector<OperatorSession>> SqlOperators::list_sessions(std::int64_t id, TimePoint now) {
    return all(c_, kListSessions, {id, now}, read_session);
}

Status SqlOperators::remove_session(const std::string& id_hash) { return perform(c_, kDeleteSession, {id_hash}); }

Result<std::size_t> SqlOperators::remove_sessions_of(std::int64_t id, const std::optional<std::string>& keep) {
    return execute(c_, kDeleteSessionsOf, {id, keep.value_or("")});
}

Status SqlOperators::set_password(std::int64_t id, const std::string& password_hash) {
    auto changed = execute(c_, kSetPassword, {id, password_hash});
    if (!changed) return fail(changed.error());
    if (*changed != 1) return fail(Error::not_found("operator.not_found"));
    return {};
}

}  // namespace sengen::storage
