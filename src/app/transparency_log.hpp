// The transparency log's write side (issue 14, ADR 46): the one function every lifecycle change
// calls, inside its own transaction, to append the entry that records it. And its read side:
// signing checkpoints as the tree grows, and the checkpoint and tiles the web serves.
#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "app/periodic.hpp"
#include "domain/declaration.hpp"
#include "domain/lifecycle.hpp"
#include "domain/ports.hpp"
#include "tlog/entry.hpp"
#include "tlog/note.hpp"

namespace sengen::app {

// The log's origin for a registry at `base_url`: its host and path without the scheme, then
// "/log" ("https://registry.example.jp" -> "registry.example.jp/log"). Every entry names it, and
// the signing key must bear it as its name.
std::string log_origin_of(std::string_view base_url);

// The `record` an entry carries for `d`: SHA-256 of its salt (hex, as stored) and its public
// record (tlog::canonical_record of public_view). What an append writes and the audit recomputes.
Result<tlog::Hash> record_hash_of(const Declaration& d, std::string_view salt_hex);

// Which entry, if any, a lifecycle plan carried out on a declaration appends: issuing the ID,
// a change of level, stopping, revoking, reinstating. Nothing for what a declaration without an
// ID goes through (applying, review, rejection, disputes) nor for a change of contact address,
// which is not part of the public record.
std::optional<tlog::LogEvent> log_event_of(const lifecycle::Plan& plan, const lifecycle::State& before,
                                           const Declaration& after);

// One event to log: the declaration as the change left it.
struct LoggedEvent {
    const Declaration* declaration = nullptr;
    tlog::LogEvent event = tlog::LogEvent::Issued;
    // The record salt the caller stored with the declaration in this transaction (an import:
    // ImportRepository::insert_all, ADR 57); empty: the stored one is read, or a new one written.
    std::string_view record_salt{};
};

// A new record salt (ADR 46): 32 random bytes, as hex.
std::string new_record_salt();

// Appends one entry per event, in order, inside `tx` (the transaction of the change they record,
// so both commit or neither does): locks the log's head, gives each declaration its record salt if
// it has none yet (its first entry), and stores the entries and the hashes they complete. Returns
// the first entry's leaf index.
Result<std::int64_t> append_to_log(Transaction& tx, const std::string& origin, std::span<const LoggedEvent> events,
                                   TimePoint now);
Result<std::int64_t> append_to_log(Transaction& tx, const std::string& origin, const Declaration& d,
                                   tlog::LogEvent event, TimePoint now);

// An entry made before the transaction that appends it: everything in an entry but its place in
// the log is known beforehand, so an import makes its entries and their leaf hashes on the
// threads that check its rows, and its one writing thread only places them.
struct PreparedEntry {
    std::string text;
    tlog::Hash leaf{};
};
// The entry for `event` of `d` (which must have an ID), with the record salt stored with it.
Result<PreparedEntry> prepare_entry(const std::string& origin, const Declaration& d, tlog::LogEvent event,
                                    std::string_view record_salt_hex, TimePoint now);
// Appends entries[i] for ds[i], in order, inside `tx`, as append_to_log does; the texts are moved
// out of `entries`. The entries must have been made with the same `now`. Returns the first entry's
// leaf index.
Result<std::int64_t> append_prepared(Transaction& tx, std::span<const Declaration> ds, std::span<PreparedEntry> entries,
                                     TimePoint now);

// A hash tile or entry bundle, as served.
struct Tile {
    std::string body;
    bool full = false;  // a full tile never changes: cacheable for good
};

// Where a declaration's latest entry stands in the log, as the web pages show it.
struct LogPosition {
    std::int64_t leaf_index = 0;  // its latest entry's index (from 0)
    std::int64_t tree_size = 0;   // the size of the latest signed checkpoint, which covers it
};

// The read side, over the store: what /log/* serves, and the checkpoints a node signs.
// What the log serves of witnesses' cosignatures (ADR 55). With `on`, /log/checkpoint (and the
// checkpoint of a statement) carries the cosignatures stored for it, and is the latest checkpoint
// with at least `required` of them (0: the latest, with what it has so far).
struct Witnessing {
    bool on = false;
    int required = 0;
};

class TransparencyLog {
public:
    TransparencyLog(Store& store, const Clock& clock, Witnessing witnessing = {})
        : store_(store), clock_(clock), witnessing_(witnessing) {}

    // Signs a checkpoint of the current tree when it has grown past the latest one, and stores it
    // unless another node stored that size first. The size this call stored, or nullopt when there
    // was nothing new or another node stored it first (that node submits it to the witnesses).
    Result<std::optional<std::int64_t>> sign_if_grown(const tlog::NoteSigner& signer) const;
    // The checkpoint served (a signed note, with its cosignatures when witnessing is on: see
    // Witnessing); NotFound "tlog.no_checkpoint" before the first.
    Result<SignedCheckpoint> checkpoint() const;
    // The stored checkpoint of `size`, as signed (no cosignatures).
    Result<std::optional<SignedCheckpoint>> checkpoint_of(std::int64_t size) const;
    // The consistency proof from the tree of `old_size` to that of `new_size` (RFC 9162 2.1.4).
    Result<std::vector<tlog::Hash>> consistency_proof(std::int64_t old_size, std::int64_t new_size) const;
    // Keeps a witness's cosignature, checked by the caller (WitnessSubmitter).
    Status add_cosignature(const StoredCosignature& c) const;
    // The tile at `path` (what follows "tile/"), as C2SP tlog-tiles gives it, read from the tree
    // of the latest checkpoint; NotFound "tlog.no_tile" for a path the specification does not
    // allow or a tile that tree does not hold.
    Result<Tile> tile(std::string_view path) const;
    // The declaration's signed statement (issue 14 point 4): its latest entry signed as a note, the
    // entry's leaf index, its inclusion proof to the latest checkpoint, and that checkpoint, as
    // the JSON of tlog/statement.hpp. NotFound "tlog.no_entry" for a declaration with no entry;
    // Unavailable "tlog.not_signed_yet" while no checkpoint covers its latest entry (a second).
    Result<std::string> statement(const DeclarationId& public_id, const tlog::NoteSigner& signer) const;
    // The salt of the declaration's record hash (tlog/entry.hpp) in base64, as the API serves it
    // with the public record so that anyone can recompute an entry's `record`; nullopt for a
    // declaration with no entry yet.
    Result<std::optional<std::string>> record_salt(const DeclarationId& public_id) const;
    // The declaration's latest entry and the latest checkpoint, when one covers that entry;
    // nullopt for a declaration with no entry or while no checkpoint covers it yet.
    Result<std::optional<LogPosition>> position(const DeclarationId& public_id) const;

    const Clock& clock() const { return clock_; }

private:
    // The checkpoint served, read in the caller's transaction.
    Result<std::optional<SignedCheckpoint>> served_checkpoint(TransparencyLogRepository& log) const;

    Store& store_;
    const Clock& clock_;
    Witnessing witnessing_;
};

class WitnessSubmitter;

// Signs checkpoints on one node: about once `every`, a new checkpoint when the tree has grown
// (ADR 46). Every node runs one; two signing the same size store one note. With `witnesses`, the
// node offers each checkpoint it stored to them (ADR 55).
class Checkpointer {
public:
    Checkpointer(const TransparencyLog& log, const tlog::NoteSigner& signer, WitnessSubmitter* witnesses = nullptr,
                 std::chrono::milliseconds every = std::chrono::seconds(1));
    void start() { periodic_.start(); }
    void stop() { periodic_.stop(); }

private:
    Periodic periodic_;
};

}  // namespace sengen::app
