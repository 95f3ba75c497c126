// The checks of one monitoring run (see monitor.hpp).
#include "tlog/monitor.hpp"

namespace sengen::tlog {
namespace {

Error wrong(const std::string& what, std::string detail) {
    return Error{Error::Kind::Invalid, "tlog.monitor." + what, std::move(detail), {}};
}

Result<Checkpoint> open_checkpoint(std::string_view text, std::span<const VerifierKey> keys, const char* which) {
    auto note = parse_note(text);
    if (!note)
        return fail(wrong("bad_note", std::string(which) + " checkpoint is not a signed note: " + note.error().detail));
    auto opened = open_note(*note, keys);
    if (!opened)
        return fail(wrong("bad_signature",
                          std::string(which) + " checkpoint is not signed by the given key: " + opened.error().detail));
    auto checkpoint = parse_checkpoint(*opened);
    if (!checkpoint)
        return fail(wrong("bad_checkpoint", std::string(which) + " checkpoint: " + checkpoint.error().detail));
    return checkpoint;
}

}  // namespace

Result<MonitorResult> monitor_log(const std::optional<std::string>& previous_note, std::string_view latest_note,
                                  std::span<const VerifierKey> keys, const TileFetcher& fetch,
                                  std::int64_t max_new_entries) {
    auto latest = open_checkpoint(latest_note, keys, "the latest");
    if (!latest) return fail(latest.error());
    std::optional<Checkpoint> previous;
    if (previous_note) {
        auto p = open_checkpoint(*previous_note, keys, "the kept");
        if (!p) return fail(p.error());
        previous = std::move(*p);
        if (previous->origin != latest->origin)
            return fail(wrong("other_log", "the checkpoint is of log \"" + latest->origin + "\", not \"" +
                                               previous->origin + "\" seen before"));
        if (latest->size < previous->size)
            return fail(wrong("shrunk", "the log has " + std::to_string(latest->size) + " entries, fewer than the " +
                                            std::to_string(previous->size) + " seen before"));
        if (latest->size == previous->size && latest->root != previous->root)
            return fail(wrong("fork", "two checkpoints of " + std::to_string(latest->size) +
                                          " entries with different roots: the log has forked"));
    }
    const std::int64_t from = previous ? previous->size : 0;
    if (latest->size - from > max_new_entries)
        return fail(wrong("too_many", std::to_string(latest->size - from) + " new entries, more than one run reads (" +
                                          std::to_string(max_new_entries) + ")"));

    MonitorResult out;
    out.checkpoint = *latest;
    out.note = std::string(latest_note);
    out.previous_size = from;
    if (latest->size == 0) {
        if (latest->root != empty_tree_hash())
            return fail(wrong("bad_root", "an empty log with a root that is not empty"));
        return out;
    }
    const TileHashReader tiles(latest->size, fetch);
    auto root = tree_hash(latest->size, tiles);
    if (!root) return fail(root.error());
    if (*root != latest->root)
        return fail(wrong("bad_root", "the tiles do not give the root the checkpoint of " +
                                          std::to_string(latest->size) + " entries signs"));
    if (previous && previous->size > 0) {
        // The tree seen before, rebuilt from today's tiles, must have the root signed then.
        auto old_root = tree_hash(previous->size, tiles);
        if (!old_root) return fail(old_root.error());
        if (*old_root != previous->root)
            return fail(
                wrong("inconsistent", "the first " + std::to_string(previous->size) +
                                          " entries are not those seen before: the log's history was rewritten"));
    }
    auto entries = tiles.read_entries(from, latest->size);
    if (!entries) {
        if (entries.error().code == "tlog.entry_mismatch") return fail(wrong("entry_mismatch", entries.error().detail));
        return fail(entries.error());
    }
    out.entries.reserve(entries->size());
    for (std::size_t i = 0; i < entries->size(); ++i) {
        const std::int64_t index = from + static_cast<std::int64_t>(i);
        auto entry = parse_entry((*entries)[i]);
        if (!entry) return fail(wrong("bad_entry", "entry " + std::to_string(index) + ": " + entry.error().detail));
        if (entry->origin != latest->origin)
            return fail(wrong("bad_entry", "entry " + std::to_string(index) + " names log \"" + entry->origin + "\""));
        out.entries.push_back(std::move(*entry));
    }
    return out;
}

}  // namespace sengen::tlog
