// The console's read-only views (dashboard counts, finding a declaration, the audit log with
// filters): SQL and row mapping.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr Statement kCounts{"console_counts",
                            "SELECT status, level, COUNT(*) FROM declarations GROUP BY status, level "
                            "ORDER BY status, level"};
constexpr Statement kCreatedSince{"console_created_since", "SELECT COUNT(*) FROM declarations WHERE created_at >= $1"};
constexpr Statement kFailedMail{"console_failed_mail", "SELECT COUNT(*) FROM mail_outbox WHERE state = 'failed'"};
constexpr Statement kFind{"console_find_declarations",
                          "SELECT id FROM declarations WHERE ($1 <> '' AND (name_key LIKE $2 ESCAPE '!' "
                          "OR kana_key LIKE $2 ESCAPE '!')) OR ($3 <> '' AND (corporate_number = $3 "
                          "OR LOWER(contact_email) = $3)) ORDER BY id DESC LIMIT $4"};
constexpr Statement kAudit{"console_audit",
                           "SELECT id, at, actor, action, subject, ip, details FROM audit_events "
                           "WHERE ($1 = '' OR actor = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR subject = $3) "
                           "AND at >= $4 AND at < $5 ORDER BY id DESC LIMIT $6 OFFSET $7"};

constexpr Statement kAgreementsByTerms{"console_agreements_by_terms",
                                       "SELECT terms_version, COUNT(*) FROM declarations GROUP BY terms_version"};
constexpr Statement kKeysLastUsed{"console_verifier_keys_last_used",
                                  "SELECT key_id, MAX(at) FROM verification_calls GROUP BY key_id"};

}  // namespace

Result<std::vector<DeclarationCount>> SqlConsole::counts_by_level_and_status() {
    return all(c_, kCounts, {}, [](const Row& r) { return DeclarationCount{r.string(0), r.integer(1), r.int64(2)}; });
}

Result<std::int64_t> SqlConsole::created_since(TimePoint since) {
    auto n = first_int64(c_, kCreatedSince, {since});
    if (!n) return fail(n.error());
    return n->value_or(0);
}

Result<std::int64_t> SqlConsole::failed_mail() {
    auto n = first_int64(c_, kFailedMail, {});
    if (!n) return fail(n.error());
    return n->value_or(0);
}

Result<std::vector<std::int64_t>> SqlConsole::find_declarations(const std::string& name_key, const std::string& exact,
                                                                std::size_t limit) {
    return all(c_, kFind, {name_key, like_contains(name_key), exact, limit}, [](const Row& r) { return r.int64(0); });
}

Result<std::vector<AuditEvent>> SqlConsole::audit(const AuditQuery& q) {
    const TimePoint from = q.from.value_or(from_unix_seconds(0));
    // No upper bound: a moment far enough ahead (2242) that the clock's nanoseconds still fit.
    const TimePoint until = q.until.value_or(from_unix_seconds(std::int64_t{1} << 33));
    return all(c_, kAudit, {q.actor, q.action, q.subject, from, until, q.limit + 1, q.offset}, [](const Row& r) {
        return AuditEvent{r.int64(0), r.time(1), r.string(2), r.string(3), r.string(4), r.string(5), r.string(6)};
    });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqlConsole::agreements_by_terms() {
    return all(c_, kAgreementsByTerms, {}, [](const Row& r) { return std::pair(r.string(0), r.int64(1)); });
}

Result<std::vector<std::pair<std::int64_t, TimePoint>>> SqlConsole::verifier_keys_last_used() {
    return all(c_, kKeysLastUsed, {}, [](const Row& r) { return std::pair(r.int64(0), r.time(1)); });
}

}  // namespace sengen::storage
