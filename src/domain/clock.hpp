// The Clock port: the core never reads the time itself.
#pragma once
#include <chrono>

namespace sengen {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
public:
    virtual ~Clock() = default;
    virtual TimePoint now() const = 0;
};

class SystemClock final : public Clock {
public:
    TimePoint now() const override { return std::chrono::system_clock::now(); }
};

inline std::int64_t unix_seconds(TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}
inline TimePoint from_unix_seconds(std::int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

}  // namespace sengen
