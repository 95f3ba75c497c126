// How a rate limit counts over time: a sliding window, estimated from two fixed windows.
//
// Hits are counted in fixed windows (aligned to the Unix epoch, so every node agrees on them). A
// limit checked against the current fixed window alone lets a client make twice the limit in a
// moment: the limit just before a boundary and the limit again just after it (ten password guesses
// in a second where five per quarter-hour are allowed). So the count a limit is checked against
// is the sliding window's: this window's hits plus the previous window's hits, weighted by how much
// of the previous window still lies within one window of now. The weight is rounded up, so a burst
// just before a boundary is never counted as less than it was.
#pragma once
#include <cstdint>

namespace sengen::rate_window {

// Where the fixed window of `window_secs` holding the instant `now_secs` starts (Unix seconds).
constexpr std::int64_t start(std::int64_t now_secs, std::int64_t window_secs) {
    return now_secs - now_secs % window_secs;
}

// The sliding window's count at `now_secs`, given `current` hits in the fixed window holding it
// and `previous` hits in the fixed window before that one.
constexpr std::int64_t sliding_count(std::int64_t current, std::int64_t previous, std::int64_t now_secs,
                                     std::int64_t window_secs) {
    const std::int64_t covered = window_secs - (now_secs - start(now_secs, window_secs));  // 1 .. window
    return current + (previous * covered + window_secs - 1) / window_secs;
}

// Until when (Unix seconds, exclusive) a subject refused at `now_secs`, with these counts, stays
// refused if it makes no more hits: the first second at which the sliding count is back within
// `limit`, or the end of the current window if this window's count alone passes it (what follows
// is for the next window's counts to decide).
constexpr std::int64_t refused_until(std::int64_t current, std::int64_t previous, std::int64_t now_secs,
                                     std::int64_t window_secs, std::int64_t limit) {
    const std::int64_t window_end = start(now_secs, window_secs) + window_secs;
    if (current > limit || previous <= 0) return window_end;
    // Back within the limit once previous * covered <= room * window, covered = window_end - t.
    const std::int64_t room = limit - current;
    return window_end - room * window_secs / previous;
}

}  // namespace sengen::rate_window
