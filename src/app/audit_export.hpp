// `sengen audit export`: the audit log of a period as JSON lines, for an auditor's tools.
#pragma once
#include <ostream>

#include "domain/dates.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// Writes one JSON object per line for every event from the start of `since` to the end of
// `until` (both days in Japan, inclusive), oldest first. Keys, always all present and in this
// order: id, at (RFC 3339 in UTC, "2026-03-31T15:00:00Z"), actor, action, subject, ip, details
// (the stored object). Reads in pages, each in its own snapshot, so a long export never holds a
// transaction open; events appended meanwhile with a later id may appear. Returns the count.
Result<std::size_t> export_audit(Store& store, dates::CivilDate since, dates::CivilDate until, std::ostream& out);

}  // namespace sengen::app
