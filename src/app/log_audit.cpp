// The registry's records against its log (see log_audit.hpp).
#include "app/log_audit.hpp"

#include "app/transparency_log.hpp"
#include "tlog/entry.hpp"

namespace sengen::app {
namespace {

constexpr std::size_t kPage = 500;

}  // namespace

Result<LogAuditReport> audit_log(Store& store, std::size_t max_findings) {
    LogAuditReport report;
    auto note = [&](LogAuditFinding::Kind kind, const Declaration& d, std::string detail) {
        if (report.findings.size() >= max_findings) {
            ++report.findings_not_listed;
            return;
        }
        report.findings.push_back({kind, d.public_id->digits(), std::move(detail)});
    };
    // When the log began: a declaration issued before has no entry until its next change.
    auto first =
        store.query<std::optional<TimePoint>>(TxMode::Read, [](Transaction& tx) -> Result<std::optional<TimePoint>> {
            auto size = tx.transparency_log().size();
            if (!size) return fail(size.error());
            if (*size == 0) return std::optional<TimePoint>{};
            auto leaf = tx.transparency_log().entries(0, 1);
            if (!leaf) return fail(leaf.error());
            auto entry = tlog::parse_entry(leaf->front());
            if (!entry) return fail(Error::unavailable("storage.corrupt", "the log's first entry cannot be read"));
            return std::optional<TimePoint>{entry->time};
        });
    if (!first) return fail(first.error());

    std::int64_t after = 0;
    for (;;) {
        bool more = false;
        auto page = store.transact(TxMode::Read, [&](Transaction& tx) -> Status {
            auto declarations = tx.declarations().page_after(after, kPage);
            if (!declarations) return fail(declarations.error());
            more = declarations->size() == kPage;
            for (const Declaration& d : *declarations) {
                after = d.id;
                if (!d.public_id) continue;
                ++report.declarations;
                auto latest = tx.transparency_log().latest_of(d.id);
                if (!latest) return fail(latest.error());
                if (!*latest) {
                    const TimePoint issued = d.declared_at.value_or(d.created_at);
                    if (*first && issued >= **first)
                        note(LogAuditFinding::Kind::NotLogged, d, "issued since the log began, but not in the log");
                    else
                        ++report.before_the_log;
                    continue;
                }
                auto entry = tlog::parse_entry((*latest)->entry);
                if (!entry || entry->id != d.public_id->digits()) {
                    note(LogAuditFinding::Kind::BadEntry, d,
                         "entry " + std::to_string((*latest)->index) + " cannot be read or names another ID");
                    continue;
                }
                const std::string where = " (entry " + std::to_string((*latest)->index) + ")";
                auto salt = tx.transparency_log().record_salt(d.id);
                if (!salt) return fail(salt.error());
                if (!*salt) {
                    note(LogAuditFinding::Kind::NoSalt, d, "in the log, but the declaration has no salt" + where);
                    continue;
                }
                if (entry->level != d.state.level || entry->status != d.state.status) {
                    note(LogAuditFinding::Kind::StateChanged, d,
                         "the log says level " + std::to_string(entry->level) + " " +
                             std::string(lifecycle::to_string(entry->status)) + ", the database level " +
                             std::to_string(d.state.level) + " " + std::string(lifecycle::to_string(d.state.status)) +
                             where);
                    continue;
                }
                auto record = record_hash_of(d, **salt);
                if (!record) return fail(record.error());
                if (*record != entry->record) {
                    note(LogAuditFinding::Kind::RecordChanged, d,
                         "the public record differs from the one the log holds" + where);
                    continue;
                }
                ++report.matching;
            }
            return {};
        });
        if (!page) return fail(page.error());
        if (!more) break;
    }
    return report;
}

}  // namespace sengen::app
