// `sengen log audit` (issue 14, point 6): the registry's own records checked against its log. For
// every declaration with an ID, the public record as the database holds it now is hashed with the
// declaration's salt and compared with the `record` of its latest log entry, and its level and
// status with the entry's. A record changed without an entry (by hand in the database, by a
// bypassed code path, by a restore of an older backup of some tables) no longer matches.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct LogAuditFinding {
    enum class Kind {
        NotLogged,      // issued since the log began, yet no entry
        RecordChanged,  // the public record does not hash to the latest entry's record
        StateChanged,   // the level or status differs from the latest entry's
        BadEntry,       // the latest entry cannot be read, or is about another declaration
        NoSalt,         // an entry, but no salt to check it with
    };
    Kind kind = Kind::RecordChanged;
    std::string public_id;
    std::string detail;
};

struct LogAuditReport {
    std::int64_t declarations = 0;    // with an ID, checked
    std::int64_t matching = 0;        // whose latest entry matches
    std::int64_t before_the_log = 0;  // issued before the log's first entry, never changed since
    std::vector<LogAuditFinding> findings;
    std::int64_t findings_not_listed = 0;  // past max_findings
};

// Reads every declaration, a page at a time, each page in one read transaction.
Result<LogAuditReport> audit_log(Store& store, std::size_t max_findings = 1000);

}  // namespace sengen::app
