// The audit log (table audit_events): SQL and row mapping.
#include "storage/batched_insert.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

// On SQLite `OR FAIL`, so that no statement journal is kept for each event (the pages it touches
// copied before the write, which made an import of many declarations spend much of its time on its
// audit events): a failed statement dooms the whole transaction anyway (SqlConnection::run), so
// undoing the statement alone is never needed. PostgreSQL keeps no such journal.
#define SENGEN_AUDIT_INSERT_INTO " INTO audit_events (at, actor, action, subject, ip, details) VALUES"
#define SENGEN_AUDIT_INSERT_TAIL SENGEN_AUDIT_INSERT_INTO " ($1, $2, $3, $4, $5, $6) RETURNING id"
constexpr Statement kInsertSqlite{"insert_audit", "INSERT OR FAIL" SENGEN_AUDIT_INSERT_TAIL};
constexpr Statement kInsertPostgres{"insert_audit", "INSERT" SENGEN_AUDIT_INSERT_TAIL};

// The same, many events a statement (record_all on SQLite).
const BatchedInsert& insert_many() {
    static const BatchedInsert s{"insert_audit_many", "INSERT OR FAIL" SENGEN_AUDIT_INSERT_INTO, 6, ""};
    return s;
}
// PostgreSQL: the same columns by COPY (record_all), ids drawn in the rows' order as by INSERT.
constexpr std::string_view kCopyColumns[] = {"at", "actor", "action", "subject", "ip", "details"};
constexpr sql::CopyTarget kCopy{"audit_events", kCopyColumns};
constexpr Statement kForSubject{"audit_for_subject",
                                "SELECT id, at, actor, action, subject, ip, details FROM audit_events "
                                "WHERE subject = $1 ORDER BY id LIMIT $2"};
constexpr Statement kBetween{"audit_between",
                             "SELECT id, at, actor, action, subject, ip, details FROM audit_events "
                             "WHERE at >= $1 AND at < $2 AND id > $3 ORDER BY id LIMIT $4"};

AuditEvent read_event(const Row& r) {
    AuditEvent e;
    e.id = r.int64(0);
    e.at = r.time(1);
    e.actor = r.string(2);
    e.action = r.string(3);
    e.subject = r.string(4);
    e.ip = r.string(5);
    e.details = r.string(6);
    return e;
}

}  // namespace

Result<std::int64_t> SqlAudit::record(const AuditEvent& e) {
    auto id =
        first_int64(c_, c_.dialect() == Dialect::Sqlite ? kInsertSqlite : kInsertPostgres,
                    {e.at, e.actor, e.action, e.subject, e.ip, e.details.empty() ? "{}" : std::string_view(e.details)});
    if (!id) return fail(id.error());
    return id->value_or(0);
}

Status SqlAudit::record_all(std::span<const AuditEvent> events) {
    auto bind = [&](std::size_t i, BatchParams& out) {
        const AuditEvent& e = events[i];
        out.add(e.at);
        out.add(e.actor);
        out.add(e.action);
        out.add(e.subject);
        out.add(e.ip);
        out.add(e.details.empty() ? "{}" : std::string_view(e.details));
    };
    if (c_.dialect() == Dialect::Postgres) return copy_rows(c_, kCopy, events.size(), bind);
    return insert_many().run(c_, events.size(), bind);
}

Result<std::vector<AuditEvent>> SqlAudit::for_subject(const std::string& subject, std::size_t limit) {
    return all(c_, kForSubject, {subject, limit}, read_event);
}

Result<std::vector<AuditEvent>> SqlAudit::between(TimePoint from, TimePoint until, std::int64_t after_id,
                                                  std::size_t limit) {
    return all(c_, kBetween, {from, until, after_id, limit}, read_event);
}

}  // namespace sengen::storage
