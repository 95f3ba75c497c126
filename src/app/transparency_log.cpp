// The transparency log's write and read sides (see transparency_log.hpp; ADR 46).
#include "app/transparency_log.hpp"

#include <map>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "app/witness_submission.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/encoding.hpp"
#include "tlog/merkle.hpp"
#include "tlog/statement.hpp"
#include "tlog/tiles.hpp"

namespace sengen::app {

namespace {

constexpr std::size_t kSaltBytes = 32;
constexpr char kHex[] = "0123456789abcdef";

}  // namespace

std::string new_record_salt() {
    std::array<unsigned char, kSaltBytes> salt{};
    randombytes_buf(salt.data(), salt.size());
    std::string out;
    out.reserve(salt.size() * 2);
    for (unsigned char b : salt) {
        out += kHex[b >> 4];
        out += kHex[b & 0x0f];
    }
    return out;
}

namespace {

std::optional<std::vector<unsigned char>> bytes_of_hex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    std::vector<unsigned char> out(hex.size() / 2);
    if (sodium_hex2bin(out.data(), out.size(), hex.data(), hex.size(), nullptr, nullptr, nullptr) != 0)
        return std::nullopt;
    return out;
}

// The stored hashes as the tree being appended to sees them: those this append computed, held
// in memory, over those already stored, read once each from the transaction.
class AppendingHashes final : public tlog::HashReader {
public:
    AppendingHashes(TransparencyLogRepository& log, std::int64_t first_new) : log_(log), first_new_(first_new) {}

    void add(std::span<const tlog::Hash> hs) { fresh_.insert(fresh_.end(), hs.begin(), hs.end()); }
    const std::vector<tlog::Hash>& fresh() const { return fresh_; }

    Result<std::vector<tlog::Hash>> read_hashes(std::span<const std::int64_t> indexes) const override {
        std::vector<std::int64_t> missing;
        for (auto i : indexes)
            if (i < first_new_ && !read_.contains(i)) missing.push_back(i);
        if (!missing.empty()) {
            auto got = log_.hashes(missing);
            if (!got) return fail(got.error());
            for (std::size_t k = 0; k < missing.size(); ++k) read_[missing[k]] = (*got)[k];
        }
        std::vector<tlog::Hash> out;
        out.reserve(indexes.size());
        for (auto i : indexes) {
            if (i >= first_new_) {
                const auto at = static_cast<std::size_t>(i - first_new_);
                if (at >= fresh_.size()) return fail(Error::unavailable("tlog.short_read", "a hash not made yet"));
                out.push_back(fresh_[at]);
            } else {
                out.push_back(read_.at(i));
            }
        }
        return out;
    }

private:
    TransparencyLogRepository& log_;
    std::int64_t first_new_;
    std::vector<tlog::Hash> fresh_;
    mutable std::map<std::int64_t, tlog::Hash> read_;
};

// The record salt of each event's declaration, made now for those that have none (their first
// entry), read and written a few statements for the lot.
Result<std::vector<std::string>> salts_of(TransparencyLogRepository& log, std::span<const LoggedEvent> events) {
    std::vector<std::string> out(events.size());
    // The declarations whose salt the caller did not give: read, and made where none is stored.
    std::vector<std::size_t> unknown;
    std::vector<std::int64_t> ids;
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (!events[i].record_salt.empty()) {
            out[i] = std::string(events[i].record_salt);
        } else {
            unknown.push_back(i);
            ids.push_back(events[i].declaration->id);
        }
    }
    if (unknown.empty()) return out;
    auto stored = log.record_salts(ids);
    if (!stored) return fail(stored.error());
    std::map<std::int64_t, std::string> made;  // one salt per declaration, however many events it has
    for (std::size_t k = 0; k < unknown.size(); ++k) {
        std::string hex;
        if ((*stored)[k]) {
            hex = *(*stored)[k];
        } else {
            auto [it, fresh] = made.try_emplace(ids[k]);
            if (fresh) it->second = new_record_salt();
            hex = it->second;
        }
        out[unknown[k]] = std::move(hex);
    }
    if (!made.empty()) {
        const std::vector<std::pair<std::int64_t, std::string>> writes(made.begin(), made.end());
        if (auto ok = log.set_record_salts(writes); !ok) return fail(ok.error());
    }
    return out;
}

// The declaration's record salt as the API and the statement serve it: base64 (tlog/encoding.hpp),
// or nullopt before its first entry.
Result<std::optional<std::string>> served_salt(TransparencyLogRepository& log, std::int64_t declaration_id) {
    auto hex = log.record_salt(declaration_id);
    if (!hex) return fail(hex.error());
    if (!*hex) return std::optional<std::string>();
    auto bytes = bytes_of_hex(**hex);
    if (!bytes) return fail(Error::unavailable("storage.corrupt", "declarations.record_salt is not hex"));
    return std::optional<std::string>(tlog::base64(*bytes));
}

}  // namespace

Result<tlog::Hash> record_hash_of(const Declaration& d, std::string_view salt_hex) {
    auto salt = bytes_of_hex(salt_hex);
    if (!salt) return fail(Error::unavailable("storage.corrupt", "declarations.record_salt is not hex"));
    return tlog::record_hash(*salt, tlog::canonical_record(public_view(d)));
}

std::string log_origin_of(std::string_view base_url) {
    if (const auto scheme = base_url.find("://"); scheme != std::string_view::npos) base_url.remove_prefix(scheme + 3);
    while (!base_url.empty() && base_url.back() == '/') base_url.remove_suffix(1);
    return std::string(base_url) + "/log";
}

std::optional<tlog::LogEvent> log_event_of(const lifecycle::Plan& plan, const lifecycle::State& before,
                                           const Declaration& after) {
    using lifecycle::Status;
    if (!after.public_id) return std::nullopt;
    if (plan.id == lifecycle::IdIssue::Issue) return tlog::LogEvent::Issued;
    if (plan.to.status != before.status) {
        switch (plan.to.status) {
            case Status::Stopped:
                return tlog::LogEvent::Stopped;
            case Status::Revoked:
                return tlog::LogEvent::Revoked;
            case Status::Declared:
                return before.status == Status::Revoked ? std::optional(tlog::LogEvent::Reinstated) : std::nullopt;
            default:
                return std::nullopt;
        }
    }
    if (plan.to.level != before.level) return tlog::LogEvent::LevelChanged;
    return std::nullopt;
}

namespace {

// Places entries[i], made for the declaration of id ids[i], at the end of the log, whose size
// `first` the caller read under the head's lock (ADR 46: the head's row lock orders appenders on
// every node until this transaction ends): gives each its index, and stores them with the hashes
// they complete (RFC 9162 2.1.1: the leaf hash, then each subtree the leaf completes). The texts
// are moved out of `entries`. Returns the first leaf's index.
Result<std::int64_t> place_entries(TransparencyLogRepository& log, std::int64_t first,
                                   std::span<const std::int64_t> ids, std::span<PreparedEntry> entries, TimePoint now) {
    if (ids.size() != entries.size()) return fail(Error::unavailable("tlog.count", "an entry for each declaration"));
    if (entries.empty()) return first;
    AppendingHashes hashes(log, tlog::stored_hash_count(first));
    std::vector<LogLeaf> leaves;
    leaves.reserve(entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto index = first + static_cast<std::int64_t>(i);
        auto stored = tlog::hashes_to_store(index, entries[i].leaf, hashes);
        if (!stored) return fail(stored.error());
        hashes.add(*stored);
        leaves.push_back(LogLeaf{index, ids[i], std::move(entries[i].text), now});
    }
    if (auto ok = log.append(leaves, tlog::stored_hash_count(first), hashes.fresh()); !ok) return fail(ok.error());
    return first;
}

}  // namespace

Result<PreparedEntry> prepare_entry(const std::string& origin, const Declaration& d, tlog::LogEvent event,
                                    std::string_view record_salt_hex, TimePoint now) {
    if (!d.public_id) return fail(Error::unavailable("tlog.no_id", "only a declaration with an ID is logged"));
    tlog::LogEntry entry;
    entry.origin = origin;
    entry.id = d.public_id->digits();
    entry.event = event;
    entry.level = d.state.level;
    entry.status = d.state.status;
    entry.time = std::chrono::floor<std::chrono::seconds>(now);
    auto record = record_hash_of(d, record_salt_hex);
    if (!record) return fail(record.error());
    entry.record = *record;
    PreparedEntry out{tlog::entry_text(entry), {}};
    out.leaf = tlog::leaf_hash(out.text);
    return out;
}

Result<std::int64_t> append_to_log(Transaction& tx, const std::string& origin, std::span<const LoggedEvent> events,
                                   TimePoint now) {
    auto& log = tx.transparency_log();
    auto size = log.lock_size();
    if (!size) return fail(size.error());
    if (events.empty()) return *size;
    for (const LoggedEvent& e : events)
        if (!e.declaration->public_id)
            return fail(Error::unavailable("tlog.no_id", "only a declaration with an ID is logged"));
    auto salts = salts_of(log, events);
    if (!salts) return fail(salts.error());
    std::vector<std::int64_t> ids;
    std::vector<PreparedEntry> entries;
    ids.reserve(events.size());
    entries.reserve(events.size());
    for (std::size_t i = 0; i < events.size(); ++i) {
        const Declaration& d = *events[i].declaration;
        auto entry = prepare_entry(origin, d, events[i].event, (*salts)[i], now);
        if (!entry) return fail(entry.error());
        ids.push_back(d.id);
        entries.push_back(std::move(*entry));
    }
    return place_entries(log, *size, ids, entries, now);
}

Result<std::int64_t> append_prepared(Transaction& tx, std::span<const Declaration> ds, std::span<PreparedEntry> entries,
                                     TimePoint now) {
    auto size = tx.transparency_log().lock_size();
    if (!size) return fail(size.error());
    std::vector<std::int64_t> ids;
    ids.reserve(ds.size());
    for (const Declaration& d : ds) ids.push_back(d.id);
    return place_entries(tx.transparency_log(), *size, ids, entries, now);
}

Result<std::int64_t> append_to_log(Transaction& tx, const std::string& origin, const Declaration& d,
                                   tlog::LogEvent event, TimePoint now) {
    const LoggedEvent one{&d, event};
    return append_to_log(tx, origin, std::span(&one, 1), now);
}

namespace {

// The stored hashes of a committed tree, read in one transaction.
class StoredHashes final : public tlog::HashReader {
public:
    explicit StoredHashes(TransparencyLogRepository& log) : log_(log) {}
    Result<std::vector<tlog::Hash>> read_hashes(std::span<const std::int64_t> indexes) const override {
        return log_.hashes(indexes);
    }

private:
    TransparencyLogRepository& log_;
};

}  // namespace

Result<std::optional<std::int64_t>> TransparencyLog::sign_if_grown(const tlog::NoteSigner& signer) const {
    struct Head {
        std::int64_t size = 0;
        tlog::Hash root{};
        std::int64_t signed_size = -1;
    };
    auto head = store_.query<Head>(TxMode::Read, [&](Transaction& tx) -> Result<Head> {
        auto& log = tx.transparency_log();
        Head h;
        auto latest = log.latest_checkpoint();
        if (!latest) return fail(latest.error());
        if (*latest) h.signed_size = (*latest)->size;
        auto size = log.size();
        if (!size) return fail(size.error());
        h.size = *size;
        if (h.size <= h.signed_size) return h;
        auto root = tlog::tree_hash(h.size, StoredHashes(log));
        if (!root) return fail(root.error());
        h.root = *root;
        return h;
    });
    if (!head) return fail(head.error());
    // The empty tree is signed once too, so that /log/checkpoint answers from the start.
    if (head->size <= head->signed_size) return std::optional<std::int64_t>();
    if (head->size == 0) head->root = tlog::empty_tree_hash();
    const std::string text = tlog::checkpoint_text({signer.verifier().name, head->size, head->root, {}});
    const std::string note = tlog::format_note({text, {signer.sign(text)}});
    auto added = store_.query<bool>(TxMode::Write, [&](Transaction& tx) -> Result<bool> {
        return tx.transparency_log().add_checkpoint({head->size, note, clock_.now()});
    });
    if (!added) return fail(added.error());
    if (!*added) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(head->size);
}

Result<SignedCheckpoint> TransparencyLog::checkpoint() const {
    // Without witnesses it is one statement; with them, the checkpoint and its cosignatures are
    // read in one transaction.
    auto latest = store_.query<std::optional<SignedCheckpoint>>(
        witnessing_.on ? TxMode::Read : TxMode::Single,
        [&](Transaction& tx) { return served_checkpoint(tx.transparency_log()); });
    if (!latest) return fail(latest.error());
    if (!*latest) return fail(Error::not_found("tlog.no_checkpoint"));
    return std::move(**latest);
}

Result<std::optional<SignedCheckpoint>> TransparencyLog::served_checkpoint(TransparencyLogRepository& log) const {
    if (!witnessing_.on) return log.latest_checkpoint();
    std::optional<SignedCheckpoint> c;
    if (witnessing_.required == 0) {
        auto latest = log.latest_checkpoint();
        if (!latest) return fail(latest.error());
        c = std::move(*latest);
    } else {
        auto size = log.latest_cosigned_size(witnessing_.required);
        if (!size) return fail(size.error());
        if (!*size) return c;
        auto of = log.checkpoint_of(**size);
        if (!of) return fail(of.error());
        c = std::move(*of);
    }
    if (!c) return c;
    // The log's own signature first, then the witnesses' (C2SP tlog-witness).
    auto lines = log.cosignatures_of(c->size);
    if (!lines) return fail(lines.error());
    for (const std::string& line : *lines) c->note += line;
    return c;
}

Result<std::optional<SignedCheckpoint>> TransparencyLog::checkpoint_of(std::int64_t size) const {
    return store_.query<std::optional<SignedCheckpoint>>(
        TxMode::Single, [size](Transaction& tx) { return tx.transparency_log().checkpoint_of(size); });
}

Result<std::vector<tlog::Hash>> TransparencyLog::consistency_proof(std::int64_t old_size, std::int64_t new_size) const {
    return store_.query<std::vector<tlog::Hash>>(TxMode::Read, [&](Transaction& tx) {
        return tlog::consistency_proof(old_size, new_size, StoredHashes(tx.transparency_log()));
    });
}

Status TransparencyLog::add_cosignature(const StoredCosignature& c) const {
    return store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.transparency_log().add_cosignature(c); });
}

Result<Tile> TransparencyLog::tile(std::string_view path) const {
    const auto ref = tlog::parse_tile_path(path);
    if (!ref) return fail(Error::not_found("tlog.no_tile"));
    return store_.query<Tile>(TxMode::Read, [&](Transaction& tx) -> Result<Tile> {
        auto& log = tx.transparency_log();
        auto size = log.size();
        if (!size) return fail(size.error());
        if (!tlog::tile_in_tree(*ref, *size)) return fail(Error::not_found("tlog.no_tile"));
        Tile out;
        out.full = tlog::full_tile(*ref);
        if (ref->kind == tlog::TileRef::Kind::Entries) {
            auto entries = log.entries(tlog::bundle_first_leaf(*ref), ref->width);
            if (!entries) return fail(entries.error());
            auto bundle = tlog::entry_bundle(*entries);
            if (!bundle) return fail(bundle.error());
            out.body = std::move(*bundle);
            return out;
        }
        auto hashes = log.hashes(tlog::tile_hash_indexes(*ref));
        if (!hashes) return fail(hashes.error());
        out.body.reserve(hashes->size() * 32);
        for (const auto& h : *hashes) out.body.append(reinterpret_cast<const char*>(h.data()), h.size());
        return out;
    });
}

Result<std::string> TransparencyLog::statement(const DeclarationId& public_id, const tlog::NoteSigner& signer) const {
    return store_.query<std::string>(TxMode::Read, [&](Transaction& tx) -> Result<std::string> {
        auto& log = tx.transparency_log();
        auto d = tx.declarations().find_by_public_id(public_id);
        if (!d) return fail(d.error());
        if (!*d) return fail(Error::not_found("tlog.no_entry"));
        auto leaf = log.latest_of((*d)->id);
        if (!leaf) return fail(leaf.error());
        if (!*leaf) return fail(Error::not_found("tlog.no_entry"));
        auto checkpoint = served_checkpoint(log);
        if (!checkpoint) return fail(checkpoint.error());
        if (!*checkpoint || (*checkpoint)->size <= (*leaf)->index)
            return fail(Error::unavailable("tlog.not_signed_yet"));
        // RFC 9162 2.1.3.1: the proof to the tree the checkpoint signs.
        auto proof = tlog::inclusion_proof((*checkpoint)->size, (*leaf)->index, StoredHashes(log));
        if (!proof) return fail(proof.error());
        tlog::StatementBundle bundle;
        bundle.statement = tlog::format_note({(*leaf)->entry, {signer.sign((*leaf)->entry)}});
        bundle.leaf_index = (*leaf)->index;
        bundle.inclusion_proof = std::move(*proof);
        bundle.checkpoint = (*checkpoint)->note;
        auto salt = served_salt(log, (*d)->id);
        if (!salt) return fail(salt.error());
        if (*salt) bundle.record_salt = std::move(**salt);
        return tlog::bundle_json(bundle);
    });
}

Result<std::optional<std::string>> TransparencyLog::record_salt(const DeclarationId& public_id) const {
    return store_.query<std::optional<std::string>>(TxMode::Read,
                                                    [&](Transaction& tx) -> Result<std::optional<std::string>> {
                                                        auto d = tx.declarations().find_by_public_id(public_id);
                                                        if (!d) return fail(d.error());
                                                        if (!*d) return std::optional<std::string>();
                                                        return served_salt(tx.transparency_log(), (*d)->id);
                                                    });
}

Result<std::optional<LogPosition>> TransparencyLog::position(const DeclarationId& public_id) const {
    using Out = std::optional<LogPosition>;
    return store_.query<Out>(TxMode::Read, [&](Transaction& tx) -> Result<Out> {
        auto& log = tx.transparency_log();
        auto d = tx.declarations().find_by_public_id(public_id);
        if (!d) return fail(d.error());
        if (!*d) return Out();
        auto leaf = log.latest_of((*d)->id);
        if (!leaf) return fail(leaf.error());
        if (!*leaf) return Out();
        auto checkpoint = served_checkpoint(log);
        if (!checkpoint) return fail(checkpoint.error());
        if (!*checkpoint || (*checkpoint)->size <= (*leaf)->index) return Out();
        return Out(LogPosition{(*leaf)->index, (*checkpoint)->size});
    });
}

Checkpointer::Checkpointer(const TransparencyLog& log, const tlog::NoteSigner& signer, WitnessSubmitter* witnesses,
                           std::chrono::milliseconds every)
    : periodic_(every, [&log, &signer, witnesses] {
          auto signed_size = log.sign_if_grown(signer);
          if (!signed_size) {
              spdlog::warn("transparency log: signing a checkpoint failed: {}", signed_size.error().code);
          } else if (*signed_size) {
              spdlog::debug("transparency log: checkpoint of size {} signed", **signed_size);
              if (witnesses) witnesses->offer(**signed_size);
          }
      }) {}

}  // namespace sengen::app
