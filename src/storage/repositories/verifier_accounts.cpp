// Verifier accounts, their sessions and their uploads' results (tables verifier_accounts,
// verifier_sessions, verifier_uploads, verifier_registrations): SQL and row mapping. Only hashes
// of passwords, session tokens and registration links are kept; uploads and registrations go once
// they expire; a disabled account keeps its row (the audit log names it) but has no session.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr Statement kInsert{"insert_verifier_account",
                            "INSERT INTO verifier_accounts (key_id, email, password_hash, created_at, totp_pending) "
                            "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (email) DO NOTHING RETURNING id"};
#define SENGEN_ACCOUNT_COLUMNS                                                                             \
    "SELECT a.id, a.key_id, a.email, a.password_hash, a.created_at, k.name, k.revoked_at, a.disabled_at, " \
    "a.last_signed_in_at, a.totp_secret, a.totp_pending, a.totp_last_step "                                \
    "FROM verifier_accounts a JOIN verifier_keys k ON k.id = a.key_id "
constexpr Statement kByEmail{"verifier_account_by_email", SENGEN_ACCOUNT_COLUMNS "WHERE a.email = $1"};
constexpr Statement kById{"verifier_account_by_id", SENGEN_ACCOUNT_COLUMNS "WHERE a.id = $1"};
constexpr Statement kList{"verifier_accounts", SENGEN_ACCOUNT_COLUMNS "ORDER BY a.key_id, a.email"};
constexpr Statement kListOfKey{"verifier_accounts_of_key",
                               SENGEN_ACCOUNT_COLUMNS "WHERE a.key_id = $1 ORDER BY a.email"};
#undef SENGEN_ACCOUNT_COLUMNS
constexpr Statement kDisable{"disable_verifier_account",
                             "UPDATE verifier_accounts SET disabled_at = $2 WHERE id = $1 AND disabled_at IS NULL"};
constexpr Statement kDeleteSessionsOf{"delete_verifier_sessions_of_account",
                                      "DELETE FROM verifier_sessions WHERE account_id = $1"};
// No session's hash is empty, so "" as the one to keep keeps none.
constexpr Statement kDeleteSessionsBut{"delete_verifier_sessions_but",
                                       "DELETE FROM verifier_sessions WHERE account_id = $1 AND id_hash <> $2"};
constexpr Statement kSetPassword{"set_verifier_password",
                                 "UPDATE verifier_accounts SET password_hash = $2 WHERE id = $1"};
constexpr Statement kSignedIn{"verifier_account_signed_in",
                              "UPDATE verifier_accounts SET last_signed_in_at = $2 WHERE id = $1"};
constexpr Statement kInsertSession{"insert_verifier_session",
                                   "INSERT INTO verifier_sessions (id_hash, account_id, created_at, expires_at, stage) "
                                   "VALUES ($1, $2, $3, $4, $5)"};
// The second factor (ADR 0056), as the operators' statements of the same names.
constexpr Statement kSetTotpPending{"set_verifier_totp_pending",
                                    "UPDATE verifier_accounts SET totp_pending = $2 "
                                    "WHERE id = $1 AND totp_secret = '' AND totp_pending = ''"};
constexpr Statement kConfirmTotp{"confirm_verifier_totp",
                                 "UPDATE verifier_accounts SET totp_secret = totp_pending, totp_pending = '', "
                                 "totp_last_step = $2 WHERE id = $1 AND totp_pending <> ''"};
constexpr Statement kAcceptStep{
    "accept_verifier_totp_step",
    "UPDATE verifier_accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2"};
constexpr Statement kResetTotp{"reset_verifier_totp",
                               "UPDATE verifier_accounts SET totp_secret = '', totp_pending = '' "
                               "WHERE id = $1 AND disabled_at IS NULL"};
constexpr Statement kFindSession{
    "find_verifier_session",
    "SELECT s.id_hash, s.account_id, s.created_at, s.expires_at, a.email, a.key_id, k.name, k.revoked_at, s.stage "
    "FROM verifier_sessions s JOIN verifier_accounts a ON a.id = s.account_id "
    "JOIN verifier_keys k ON k.id = a.key_id "
    "WHERE s.id_hash = $1 AND s.expires_at > $2 AND a.disabled_at IS NULL"};
constexpr Statement kExtendSession{"extend_verifier_session",
                                   "UPDATE verifier_sessions SET expires_at = $2 WHERE id_hash = $1"};
constexpr Statement kDeleteSession{"delete_verifier_session", "DELETE FROM verifier_sessions WHERE id_hash = $1"};
constexpr Statement kInsertUpload{"insert_verifier_upload",
                                  "INSERT INTO verifier_uploads (ref, account_id, created_at, expires_at, content) "
                                  "VALUES ($1, $2, $3, $4, $5)"};
constexpr Statement kFindUpload{"find_verifier_upload",
                                "SELECT ref, account_id, created_at, expires_at, content FROM verifier_uploads "
                                "WHERE ref = $1 AND account_id = $2 AND expires_at > $3"};
#define SENGEN_REGISTRATION_COLUMNS "token_hash, key_id, email, password_hash, created_at, expires_at"
constexpr Statement kInsertRegistration{"insert_verifier_registration",
                                        "INSERT INTO verifier_registrations (" SENGEN_REGISTRATION_COLUMNS
                                        ") VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Statement kFindRegistration{"find_verifier_registration",
                                      "SELECT " SENGEN_REGISTRATION_COLUMNS
                                      " FROM verifier_registrations WHERE token_hash = $1 AND expires_at > $2"};
constexpr Statement kTakeRegistration{"take_verifier_registration",
                                      "DELETE FROM verifier_registrations WHERE token_hash = $1 AND expires_at > $2 "
                                      "RETURNING " SENGEN_REGISTRATION_COLUMNS};
#undef SENGEN_REGISTRATION_COLUMNS
constexpr Statement kPurgeRegistrations{"purge_verifier_registrations",
                                        "DELETE FROM verifier_registrations WHERE expires_at <= $1"};
constexpr Statement kPurgeSessions{"purge_verifier_sessions", "DELETE FROM verifier_sessions WHERE expires_at <= $1"};
constexpr Statement kPurgeUploads{"purge_verifier_uploads", "DELETE FROM verifier_uploads WHERE expires_at <= $1"};

VerifierAccount read_account(const Row& r) {
    VerifierAccount a;
    a.id = r.int64(0);
    a.key_id = r.int64(1);
    a.email = r.string(2);
    a.password_hash = r.string(3);
    a.created_at = r.time(4);
    a.key_name = r.string(5);
    a.key_revoked = !r.is_null(6);
    a.disabled_at = r.optional_time(7);
    a.last_signed_in_at = r.optional_time(8);
    a.totp_secret = r.string(9);
    a.totp_pending = r.string(10);
    a.totp_last_step = r.int64(11);
    return a;
}

Result<VerifierSession> read_session(const Row& r) {
    auto stage = parse_operator_stage(r.text(8));
    if (!stage) return fail(Error::unavailable("storage.corrupt", "unknown verifier session stage"));
    VerifierSession s;
    s.stage = *stage;
    s.id_hash = r.string(0);
    s.account_id = r.int64(1);
    s.created_at = r.time(2);
    s.expires_at = r.time(3);
    s.email = r.string(4);
    s.key_id = r.int64(5);
    s.key_name = r.string(6);
    s.key_revoked = !r.is_null(7);
    return s;
}

VerifierUpload read_upload(const Row& r) {
    VerifierUpload u;
    u.ref = r.string(0);
    u.account_id = r.int64(1);
    u.created_at = r.time(2);
    u.expires_at = r.time(3);
    u.content = r.string(4);
    return u;
}

VerifierRegistration read_registration(const Row& r) {
    VerifierRegistration g;
    g.token_hash = r.string(0);
    g.key_id = r.int64(1);
    g.email = r.string(2);
    g.password_hash = r.string(3);
    g.created_at = r.time(4);
    g.expires_at = r.time(5);
    return g;
}

}  // namespace

Result<std::int64_t> SqlVerifierAccounts::create(const VerifierAccount& a) {
    auto id = first_int64(c_, kInsert, {a.key_id, a.email, a.password_hash, a.created_at, a.totp_pending});
    if (!id) return fail(id.error());
    if (!*id) return fail(Error::conflict("verifier_account.exists"));
    return **id;
}

Result<std::optional<VerifierAccount>> SqlVerifierAccounts::find_by_email(const std::string& email) {
    return first(c_, kByEmail, {email}, read_account);
}

Result<std::optional<VerifierAccount>> SqlVerifierAccounts::find_by_id(std::int64_t id) {
    return first(c_, kById, {id}, read_account);
}

Result<std::vector<VerifierAccount>> SqlVerifierAccounts::list(std::optional<std::int64_t> key_id) {
    if (key_id) return all(c_, kListOfKey, {*key_id}, read_account);
    return all(c_, kList, {}, read_account);
}

Status SqlVerifierAccounts::disable(std::int64_t id, TimePoint at) {
    auto changed = execute(c_, kDisable, {id, at});
    if (!changed) return fail(changed.error());
    if (*changed != 1) return fail(Error::not_found("verifier_account.not_found"));
    return perform(c_, kDeleteSessionsOf, {id});
}

Status SqlVerifierAccounts::create_session(const VerifierSession& s) {
    if (auto ok =
            perform(c_, kInsertSession, {s.id_hash, s.account_id, s.created_at, s.expires_at, to_string(s.stage)});
        !ok)
        return ok;
    if (s.stage != SignInStage::Full) return {};
    return perform(c_, kSignedIn, {s.account_id, s.created_at});
}

Status SqlVerifierAccounts::set_totp_pending(std::int64_t id, const std::string& secret) {
    return perform(c_, kSetTotpPending, {id, secret});
}

Status SqlVerifierAccounts::confirm_totp(std::int64_t id, std::int64_t step) {
    auto changed = execute(c_, kConfirmTotp, {id, step});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("verifier_account.totp_not_pending"));
    return {};
}

Result<bool> SqlVerifierAccounts::accept_totp_step(std::int64_t id, std::int64_t step) {
    auto changed = execute(c_, kAcceptStep, {id, step});
    if (!changed) return fail(changed.error());
    return *changed == 1;
}

Status SqlVerifierAccounts::reset_totp(std::int64_t id) {
    auto changed = execute(c_, kResetTotp, {id});
    if (!changed) return fail(changed.error());
    if (*changed != 1) return fail(Error::not_found("verifier_account.not_found"));
    return perform(c_, kDeleteSessionsOf, {id});
}

Result<std::optional<VerifierSession>> SqlVerifierAccounts::find_session(const std::string& id_hash, TimePoint now) {
    return first(c_, kFindSession, {id_hash, now}, read_session);
}

Status SqlVerifierAccounts::extend_session(const std::string& id_hash, TimePoint expires_at) {
    return perform(c_, kExtendSession, {id_hash, expires_at});
}

Status SqlVerifierAccounts::remove_session(const std::string& id_hash) {
    return perform(c_, kDeleteSession, {id_hash});
}

Result<std::size_t> SqlVerifierAccounts::remove_sessions_of(std::int64_t account_id,
                                                            const std::optional<std::string>& keep) {
    return execute(c_, kDeleteSessionsBut, {account_id, keep.value_or("")});
}

Status SqlVerifierAccounts::set_password(std::int64_t account_id, const std::string& password_hash) {
    auto changed = execute(c_, kSetPassword, {account_id, password_hash});
    if (!changed) return fail(changed.error());
    if (*changed != 1) return fail(Error::not_found("verifier_account.not_found"));
    return {};
}

Status SqlVerifierAccounts::save_upload(const VerifierUpload& u) {
    return perform(c_, kInsertUpload, {u.ref, u.account_id, u.created_at, u.expires_at, u.content});
}

Result<std::optional<VerifierUpload>> SqlVerifierAccounts::find_upload(const std::string& ref, std::int64_t account_id,
                                                                       TimePoint now) {
    return first(c_, kFindUpload, {ref, account_id, now}, read_upload);
}

Status SqlVerifierAccounts::save_registration(const VerifierRegistration& r) {
    return perform(c_, kInsertRegistration,
                   {r.token_hash, r.key_id, r.email, r.password_hash, r.created_at, r.expires_at});
}

Result<std::optional<VerifierRegistration>> SqlVerifierAccounts::find_registration(const std::string& token_hash,
                                                                                   TimePoint now) {
    return first(c_, kFindRegistration, {token_hash, now}, read_registration);
}

Result<std::optional<VerifierRegistration>> SqlVerifierAccounts::take_registration(const std::string& token_hash,
                                                                                   TimePoint now) {
    return first(c_, kTakeRegistration, {token_hash, now}, read_registration);
}

Result<std::size_t> SqlVerifierAccounts::purge(TimePoint now) {
    auto sessions = execute(c_, kPurgeSessions, {now});
    if (!sessions) return sessions;
    auto uploads = execute(c_, kPurgeUploads, {now});
    if (!uploads) return uploads;
    auto registrations = execute(c_, kPurgeRegistrations, {now});
    if (!registrations) return registrations;
    return *sessions + *uploads + *registrations;
}

}  // namespace sengen::storage
