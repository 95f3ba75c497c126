// Security lines in the log, within a per-second budget (see security_log.hpp).
#include "app/security_log.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <mutex>

#include "domain/ip_network.hpp"

namespace sengen::app {

namespace {

void append_safe(std::string& out, std::string_view value) {
    for (const char c : value) out += (c > ' ' && c < 0x7f) ? c : '?';
}

std::mutex budget_mutex;
SecurityLineBudget budget;

}  // namespace

SecurityLineBudget::Verdict SecurityLineBudget::take(std::int64_t now_second) {
    if (now_second != second_) {
        second_ = now_second;
        written_ = 0;
    }
    if (written_ >= per_second_) {
        ++held_back_;
        return {};
    }
    ++written_;
    Verdict v{true, held_back_};
    held_back_ = 0;
    return v;
}

std::string security_line(std::string_view event, std::string_view client_ip, std::span<const SecurityField> fields) {
    std::string line = "security event=";
    append_safe(line, event);
    for (const auto& f : fields) {
        line += ' ';
        append_safe(line, f.name);
        line += '=';
        append_safe(line, f.value.empty() ? std::string_view("-") : f.value);
    }
    line += " client=";
    line += client_network(client_ip);
    return line;
}

void log_security_event(std::string_view event, std::string_view client_ip, std::span<const SecurityField> fields) {
    const auto second =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
    SecurityLineBudget::Verdict v;
    {
        const std::lock_guard lock(budget_mutex);
        v = budget.take(second);
    }
    if (!v.write) return;
    std::string line = security_line(event, client_ip, fields);
    if (v.held_back > 0) line += " held_back=" + std::to_string(v.held_back);
    spdlog::warn("{}", line);
}

}  // namespace sengen::app
