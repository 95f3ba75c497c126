// Fuzz target: the transparency log's formats as they arrive from outside (src/tlog): a witness
// reads add-checkpoint bodies from the network, `sengen log monitor` reads checkpoints, signed
// notes, tiles and entry bundles from a registry it does not trust, `verify-statement` reads a
// saved statement bundle, and the registry reads tile paths from request URLs. Every input goes
// through each parser. What one accepts, its writer writes back to what the parser reads again
// the same (the entries, tile paths and entry bundles exactly as given: they have one spelling);
// nothing crashes, and nothing reads or allocates beyond its bounds (ASan/UBSan in the fuzz build).
#include <string>
#include <vector>

#include "fuzz_check.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/entry.hpp"
#include "tlog/note.hpp"
#include "tlog/statement.hpp"
#include "tlog/tiles.hpp"
#include "tlog/witness.hpp"

namespace {

using namespace sengen::tlog;

bool same(const Note& a, const Note& b) {
    if (a.text != b.text || a.signatures.size() != b.signatures.size()) return false;
    for (std::size_t i = 0; i < a.signatures.size(); ++i) {
        const auto &x = a.signatures[i], &y = b.signatures[i];
        if (x.name != y.name || x.key_id != y.key_id || x.signature != y.signature) return false;
    }
    return true;
}

bool same(const Checkpoint& a, const Checkpoint& b) {
    return a.origin == b.origin && a.size == b.size && a.root == b.root && a.extensions == b.extensions;
}

void notes(std::string_view s) {
    auto note = parse_note(s);
    if (!note) return;
    auto again = parse_note(format_note(*note));
    FUZZ_CHECK(again && same(*note, *again));
}

void checkpoints(std::string_view s) {
    auto c = parse_checkpoint(s);
    if (!c) return;
    auto again = parse_checkpoint(checkpoint_text(*c));
    FUZZ_CHECK(again && same(*c, *again));
}

void add_checkpoint_bodies(std::string_view s) {
    auto r = parse_add_checkpoint(s);
    if (!r) return;
    auto again = parse_add_checkpoint(format_add_checkpoint(*r));
    FUZZ_CHECK(again && again->old_size == r->old_size && again->proof == r->proof &&
               again->checkpoint == r->checkpoint);
    (void)claimed_origin(*r);
    (void)size_in_conflict(s);
}

void entries(std::string_view s) {
    auto e = parse_entry(s);
    if (e) FUZZ_CHECK(entry_text(*e) == s);
    auto bundle = parse_entry_bundle(s);
    if (bundle) {
        auto written = entry_bundle(*bundle);
        FUZZ_CHECK(written && *written == s);
    }
}

void tile_paths(std::string_view s) {
    auto t = parse_tile_path(s);
    if (!t) return;
    FUZZ_CHECK(tile_path(*t) == "tile/" + std::string(s));
    FUZZ_CHECK(t->width >= 1 && t->width <= kTileWidth && t->n >= 0);
    (void)tile_in_tree(*t, 1'000'000);
}

void keys(std::string_view s) {
    auto k = parse_verifier_key(s);
    if (!k) return;
    auto again = parse_verifier_key(format_verifier_key(*k));
    FUZZ_CHECK(again && again->name == k->name && again->key_id == k->key_id && again->public_key == k->public_key &&
               again->type == k->type);
}

void bundles(std::string_view s) {
    auto b = parse_bundle_json(s);
    if (!b) return;
    auto again = parse_bundle_json(bundle_json(*b));
    FUZZ_CHECK(again && again->statement == b->statement && again->leaf_index == b->leaf_index &&
               again->inclusion_proof == b->inclusion_proof && again->checkpoint == b->checkpoint &&
               again->record_salt == b->record_salt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto s = sengen::fuzz::as_text(data, size);
    notes(s);
    checkpoints(s);
    add_checkpoint_bodies(s);
    entries(s);
    tile_paths(s);
    keys(s);
    bundles(s);
    return 0;
}
