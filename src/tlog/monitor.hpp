// What `sengen log monitor` checks each time it runs, as pure logic over fetched bytes: that the
// log's latest checkpoint is signed by a trusted key, that its tiles give its root, that the tree
// it saw last time is a prefix of this one (nothing was rewritten or forked), and that every new
// entry is well formed, from this log, and the one its leaf hash was made from.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/entry.hpp"
#include "tlog/note.hpp"
#include "tlog/tile_reader.hpp"

namespace sengen::tlog {

struct MonitorResult {
    Checkpoint checkpoint;           // the latest, verified
    std::string note;                // its signed note as fetched: what to keep for next time
    std::int64_t previous_size = 0;  // the size seen last time (0 on the first run)
    std::vector<LogEntry> entries;   // the entries appended since then, in order
};

// Errors: "tlog.monitor.<what>" for anything the log got wrong (a bad signature, a root its tiles
// do not give, a shrunk or forked tree, a bad entry), with a sentence saying what; the fetcher's
// own errors pass through unchanged. `previous_note` is the signed checkpoint kept from the last
// run (checked again, so a tampered state file is caught too); `max_new_entries` bounds one run.
Result<MonitorResult> monitor_log(const std::optional<std::string>& previous_note, std::string_view latest_note,
                                  std::span<const VerifierKey> keys, const TileFetcher& fetch,
                                  std::int64_t max_new_entries = 1'000'000);

}  // namespace sengen::tlog
