// Security events in the line log: refused links, refused authorization, rate-limit refusals and
// refused hostile input, one line each, so that operators can grep for them (docs/operations.md,
// Logs). A line names what was refused and the client's network, never a token, a typed value or
// the client's own address.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace sengen::app {

struct SecurityField {
    std::string_view name;
    std::string_view value;
};

// How many security lines one node writes in a second at most. A flood of refused requests could
// otherwise turn the log into the thing that fills the disk; past this, lines are counted instead,
// and the count is written with the next line allowed.
inline constexpr int kSecurityLinesPerSecond = 20;

// Writes `security event=<event> <name>=<value>... client=<network>` at level warn (so it stays when
// the access log is turned off), the network by client_network. Values are internal names (route
// patterns, rule names, error codes); a byte outside printable ASCII or a space is written as '?'
// all the same, so that no value can forge or split a line.
void log_security_event(std::string_view event, std::string_view client_ip, std::span<const SecurityField> fields);
inline void log_security_event(std::string_view event, std::string_view client_ip,
                               std::initializer_list<SecurityField> fields = {}) {
    log_security_event(event, client_ip, std::span<const SecurityField>(fields.begin(), fields.size()));
}

// The line log_security_event writes, without the budget (unit tests).
std::string security_line(std::string_view event, std::string_view client_ip, std::span<const SecurityField> fields);
inline std::string security_line(std::string_view event, std::string_view client_ip,
                                 std::initializer_list<SecurityField> fields) {
    return security_line(event, client_ip, std::span<const SecurityField>(fields.begin(), fields.size()));
}

// The per-second budget: whether a line may be written at second `now_second`, and how many were
// held back before it (to be reported on that line). Thread-safe.
class SecurityLineBudget {
public:
    explicit SecurityLineBudget(int per_second = kSecurityLinesPerSecond) : per_second_(per_second) {}
    struct Verdict {
        bool write = false;
        std::int64_t held_back = 0;  // lines not written since the last one that was
    };
    Verdict take(std::int64_t now_second);

private:
    int per_second_;
    std::int64_t second_ = -1;
    int written_ = 0;
    std::int64_t held_back_ = 0;
};

}  // namespace sengen::app
