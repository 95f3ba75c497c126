// The public history of a declaration (issued, level changes, stopped, revoked, reinstated,
// imported) and its state on a past date. Pure functions over the lifecycle events the audit log
// recorded: storage reads them, the API and /verify show the result.
#pragma once
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "domain/clock.hpp"
#include "domain/dates.hpp"
#include "domain/declaration.hpp"
#include "domain/lifecycle.hpp"

namespace sengen::history {

// The kinds of public event. Applying, confirming an address, review and disputes happen before a
// declaration is public and are not part of its public history.
enum class EventKind { Issued, LevelChanged, Stopped, Revoked, Reinstated, Imported };
std::string_view to_string(EventKind k);  // "issued", "level_changed", ...

// A recorded lifecycle event, as storage reads it from the audit log: the action and the numbers
// its details carry.
enum class Action { Applied, Confirmed, Approved, StepUp, StepDown, Stop, Revoke, Reinstate, Imported };
// The audit action ("declaration.confirmed", ...) of a public lifecycle event; nullopt for others.
std::optional<Action> action_from_audit(std::string_view audit_action);
// The audit actions action_from_audit knows, for storage's `action IN (...)`.
std::span<const std::string_view> audit_actions();

struct Recorded {
    TimePoint at;
    Action action = Action::Applied;
    int level = 0;  // Applied: the level applied for; StepUp/StepDown: the new level; Imported: its level
    std::optional<lifecycle::Status> status;  // Confirmed and Imported: the status it led to
};

// One public event, with the level and status the declaration had right after it.
struct PublicEvent {
    TimePoint at;
    EventKind kind = EventKind::Issued;
    int level = 1;
    lifecycle::Status status = lifecycle::Status::Declared;
    bool operator==(const PublicEvent&) const = default;
};

// What `sengen import` keeps of an imported declaration's past, in its row (ADR 0064): the level
// it had when it was imported and the date of that level. Its declared_at is kept as it was.
struct ImportedAs {
    int level = 1;
    TimePoint level_since;
};

// The events an import stands for, read as if recorded: imported on `declared_at` at the level it
// had then, and a step up on level_since when the level rose later (★ first, then ★★).
std::vector<Recorded> imported_events(TimePoint declared_at, const ImportedAs& as);

// The public events of `recorded` (oldest first), replayed in order. Events that cannot have
// happened in that order (e.g. a step up before the ID was issued) are skipped, not guessed at.
std::vector<PublicEvent> public_events(std::span<const Recorded> recorded);

// What the declaration's own dates imply when no lifecycle event was recorded for it (made by
// `sengen seed`, or before the audit log): issued at declared_at, at its present level unless
// level_since is later (then ★ first, the present level from level_since), ended at ended_at.
std::vector<PublicEvent> implied_events(const PublicDeclaration& d);

// The recorded events, completed with the declaration's present end when the record lacks it (a
// stop or a revocation written outside the use cases): the history never contradicts the record.
std::vector<PublicEvent> completed(std::vector<PublicEvent> events, const PublicDeclaration& d);

// The level and status after the last event at or before `instant`; nullopt when the declaration
// had not been issued yet.
std::optional<lifecycle::State> state_at(std::span<const PublicEvent> events, TimePoint instant);

// The last instant of a calendar day in Japan: "on that date" means at the end of it.
TimePoint end_of_japan_day(dates::CivilDate d);

}  // namespace sengen::history
