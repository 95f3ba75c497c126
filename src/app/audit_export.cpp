// The audit log as JSON lines (see audit_export.hpp).
#include "app/audit_export.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

namespace sengen::app {

namespace {
constexpr std::size_t kPage = 1000;
}

Result<std::size_t> export_audit(Store& store, dates::CivilDate since, dates::CivilDate until, std::ostream& out) {
    const TimePoint from = dates::japan_midnight(since);
    const TimePoint to = dates::japan_midnight(until) + std::chrono::hours(24);
    std::size_t written = 0;
    std::int64_t after = 0;
    for (;;) {
        auto page = store.query<std::vector<AuditEvent>>(
            TxMode::Single, [&](Transaction& tx) { return tx.audit().between(from, to, after, kPage); });
        if (!page) return fail(page.error());
        for (const auto& e : *page) {
            nlohmann::ordered_json line;
            line["id"] = e.id;
            line["at"] = dates::rfc3339_utc(e.at);
            line["actor"] = e.actor;
            line["action"] = e.action;
            line["subject"] = e.subject;
            line["ip"] = e.ip;
            // The stored text is a JSON object written by the application; should a row ever hold
            // something else, it is kept as a string rather than dropped.
            auto details = nlohmann::ordered_json::parse(e.details, nullptr, false);
            line["details"] = details.is_discarded() ? nlohmann::ordered_json(e.details) : details;
            out << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
            ++written;
        }
        if (page->size() < kPage) break;
        after = page->back().id;
    }
    out.flush();
    return written;
}

}  // namespace sengen::app
