// What one log entry says: a lifecycle event of one declaration, as UTF-8 text of one
// "key value" line each, after the log's origin and the format's name (docs/trust.md):
//
//   registry.example.jp/log
//   sengen-event v1
//   id 10000000424
//   event level_changed
//   level 2
//   status declared
//   time 2026-05-10T06:00:00Z
//   record 3Hk9...base64 of 32 bytes...=
//
// No personal data: `record` is SHA-256(salt || the declaration's public record), the record as
// the compact JSON of the API's answer (canonical_record) and the salt a random value kept with
// the declaration and served with its public record while it is public (the API's `record_salt`,
// base64). Anyone can check the
// hash while the record is public; once the record and its salt are erased, nobody can link the
// hash to a business.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "domain/clock.hpp"
#include "domain/declaration.hpp"
#include "domain/error.hpp"
#include "tlog/merkle.hpp"

namespace sengen::tlog {

enum class LogEvent { Issued, DetailsChanged, LevelChanged, Stopped, Revoked, Reinstated, Imported };

std::string_view log_event_code(LogEvent e);
std::optional<LogEvent> log_event_from_code(std::string_view code);

struct LogEntry {
    std::string origin;
    std::string id;  // the declaration ID's 11 digits
    LogEvent event = LogEvent::Issued;
    int level = 1;
    lifecycle::Status status = lifecycle::Status::Declared;
    TimePoint time;  // to the second
    Hash record{};
};

std::string entry_text(const LogEntry& entry);
// Refuses anything entry_text would not have written.
Result<LogEntry> parse_entry(std::string_view text);

// The public record whose hash an entry carries: exactly the members, values and order of
// GET /api/v1/declarations/{id} without `issuer` and without `record_salt` (the salt itself, which
// the answer carries while the log is served), as compact JSON (no spaces; only '"', '\' and
// control characters escaped, as Python's json.dumps(..., ensure_ascii=False,
// separators=(",", ":")) writes it, so a verifier can rebuild it from the API's answer).
std::string canonical_record(const PublicDeclaration& p);
Hash record_hash(std::span<const unsigned char> salt, std::string_view canonical);

}  // namespace sengen::tlog
