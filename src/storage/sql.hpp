// The DML both adapters run word for word: `$1..$n` placeholders, RETURNING and ON CONFLICT mean
// the same on SQLite 3.40 and PostgreSQL 15. Statements that differ live in their adapter.
// Times are whole Unix seconds in BIGINT/INTEGER columns on both engines.
#pragma once
#include <string_view>

namespace sengen::storage::sql {

// A statement and the name PostgreSQL prepares it under (SQLite caches by the same name).
struct Statement {
    std::string_view name;
    std::string_view text;
};

// --- sessions ------------------------------------------------------------------------------

// ON CONFLICT DO NOTHING rather than a unique violation: a taken id is a Conflict the caller can
// act on, without failing the statement (which would doom a PostgreSQL transaction).
inline constexpr Statement kInsertSession{
    "insert_session",
    "INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (id_hash) DO NOTHING"};
inline constexpr Statement kFindSession{
    "find_session",
    "SELECT id_hash, account_id, created_at, expires_at, data FROM sessions WHERE id_hash = $1 AND expires_at > $2"};
inline constexpr Statement kSaveSessionData{"save_session_data", "UPDATE sessions SET data = $2 WHERE id_hash = $1"};
inline constexpr Statement kExtendSession{"extend_session", "UPDATE sessions SET expires_at = $2 WHERE id_hash = $1"};
inline constexpr Statement kDeleteSession{"delete_session", "DELETE FROM sessions WHERE id_hash = $1"};
inline constexpr Statement kPurgeSessions{"purge_sessions", "DELETE FROM sessions WHERE expires_at <= $1"};

// --- mail outbox -----------------------------------------------------------------------------

// Columns read by read_mail() in each adapter, in this order.
#define SENGEN_MAIL_COLUMNS \
    "id, recipient, subject, message, state, attempts, created_at, next_attempt_at, sent_at, last_error"

inline constexpr Statement kEnqueueMail{
    "enqueue_mail",
    "INSERT INTO mail_outbox (recipient, subject, message, created_at, next_attempt_at) VALUES ($1, $2, $3, $4, $4) "
    "RETURNING id"};
// The due mails, oldest due first. PostgreSQL appends FOR UPDATE SKIP LOCKED (see pg_store.cpp).
#define SENGEN_SELECT_DUE_MAIL                                                        \
    "SELECT id FROM mail_outbox WHERE (state = 'pending' AND next_attempt_at <= $1) " \
    "OR (state = 'sending' AND lease_until <= $1) ORDER BY next_attempt_at, id LIMIT $2"
inline constexpr Statement kLeaseMail{"lease_mail",
                                      "UPDATE mail_outbox SET state = 'sending', lease_until = $2, worker = $3, "
                                      "attempts = attempts + 1 WHERE id = $1 RETURNING " SENGEN_MAIL_COLUMNS};
inline constexpr Statement kMailSent{"mail_sent",
                                     "UPDATE mail_outbox SET state = 'sent', sent_at = $3, lease_until = NULL, "
                                     "last_error = '' WHERE id = $1 AND worker = $2 AND state = 'sending'"};
inline constexpr Statement kMailRetry{"mail_retry",
                                      "UPDATE mail_outbox SET state = 'pending', next_attempt_at = $3, lease_until = "
                                      "NULL, last_error = $4 WHERE id = $1 AND worker = $2 AND state = 'sending'"};
inline constexpr Statement kMailFailed{"mail_failed",
                                       "UPDATE mail_outbox SET state = 'failed', lease_until = NULL, last_error = $3 "
                                       "WHERE id = $1 AND worker = $2 AND state = 'sending'"};
inline constexpr Statement kListMail{"list_mail", "SELECT " SENGEN_MAIL_COLUMNS
                                                  " FROM mail_outbox WHERE ($1 = '' OR state = $1) "
                                                  "ORDER BY id DESC LIMIT $2"};
inline constexpr Statement kRetryMail{"retry_mail",
                                      "UPDATE mail_outbox SET state = 'pending', attempts = 0, next_attempt_at = $2, "
                                      "worker = NULL WHERE id = $1 AND state = 'failed'"};

// --- audit -----------------------------------------------------------------------------------

inline constexpr Statement kInsertAudit{
    "insert_audit",
    "INSERT INTO audit_events (at, actor, action, subject, ip, details) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};
inline constexpr Statement kAuditForSubject{
    "audit_for_subject",
    "SELECT id, at, actor, action, subject, ip, details FROM audit_events WHERE subject = $1 ORDER BY id LIMIT $2"};

// --- rate limits -----------------------------------------------------------------------------

inline constexpr Statement kHitRateLimit{
    "hit_rate_limit",
    "INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3) "
    "ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count"};
inline constexpr Statement kPurgeRateLimits{"purge_rate_limits", "DELETE FROM rate_limits WHERE expires_at <= $1"};

// --- migrations ------------------------------------------------------------------------------

inline constexpr std::string_view kMigrationApplied = "SELECT 1 FROM schema_migrations WHERE version = $1";

}  // namespace sengen::storage::sql
