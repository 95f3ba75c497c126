// Prometheus text exposition of the request counters.
#include "web/metrics.hpp"

#include <fmt/format.h>

namespace sengen::web {

namespace {
// Label values escape backslash, quote and newline (exposition format).
std::string label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}
}  // namespace

void Metrics::observe(const std::string& route, const std::string& method, int status, std::chrono::nanoseconds took) {
    double s = std::chrono::duration<double>(took).count();
    std::lock_guard lock(mutex_);
    const std::tuple<std::string_view, std::string_view, int> key{route, method, status};
    if (auto it = requests_.find(key); it != requests_.end())
        ++it->second;
    else
        requests_.emplace(std::tuple<std::string, std::string, int>{route, method, status}, 1);
    auto found = latency_.find(std::string_view(route));
    if (found == latency_.end()) found = latency_.emplace(route, Series{}).first;
    auto& series = found->second;
    ++series.count;
    series.sum += s;
    for (std::size_t i = 0; i < bucket_seconds.size(); ++i)
        if (s <= bucket_seconds[i]) ++series.buckets[i];
}

namespace {
void bump(std::map<std::string, std::uint64_t, std::less<>>& m, std::string_view key) {
    if (auto it = m.find(key); it != m.end())
        ++it->second;
    else
        m.emplace(std::string(key), 1);
}
}  // namespace

void Metrics::count_busy(std::string_view route) {
    std::lock_guard lock(mutex_);
    bump(busy_, route);
}

void Metrics::count_policy_render(std::string_view kind) {
    std::lock_guard lock(mutex_);
    bump(policy_renders_, kind);
}

void Metrics::count_policy_cache_hit(std::string_view kind) {
    std::lock_guard lock(mutex_);
    bump(policy_hits_, kind);
}

std::string Metrics::prometheus_text() const {
    std::lock_guard lock(mutex_);
    std::string out;
    out += "# HELP sengen_http_requests_total HTTP requests by route, method and status.\n";
    out += "# TYPE sengen_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
        const auto& [route, method, status] = key;
        out += fmt::format("sengen_http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n", label(route),
                           label(method), status, n);
    }
    out += "# HELP sengen_http_request_duration_seconds Time to handle a request, by route.\n";
    out += "# TYPE sengen_http_request_duration_seconds histogram\n";
    for (const auto& [route, s] : latency_) {
        for (std::size_t i = 0; i < bucket_seconds.size(); ++i)
            out += fmt::format("sengen_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                               label(route), bucket_seconds[i], s.buckets[i]);
        out += fmt::format("sengen_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", label(route),
                           s.count);
        out += fmt::format("sengen_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n", label(route), s.sum);
        out += fmt::format("sengen_http_request_duration_seconds_count{{route=\"{}\"}} {}\n", label(route), s.count);
    }
    out +=
        "# HELP sengen_render_queue_full_total Slow requests (PDFs) answered 503 because the render queue was full.\n";
    out += "# TYPE sengen_render_queue_full_total counter\n";
    for (const auto& [route, n] : busy_)
        out += fmt::format("sengen_render_queue_full_total{{route=\"{}\"}} {}\n", label(route), n);
    out += "# HELP sengen_policy_renders_total Public policy downloads rendered on this node, by kind.\n";
    out += "# TYPE sengen_policy_renders_total counter\n";
    for (const auto& [kind, n] : policy_renders_)
        out += fmt::format("sengen_policy_renders_total{{kind=\"{}\"}} {}\n", label(kind), n);
    out += "# HELP sengen_policy_cache_hits_total Public policy downloads served from this node's cache, by kind.\n";
    out += "# TYPE sengen_policy_cache_hits_total counter\n";
    for (const auto& [kind, n] : policy_hits_)
        out += fmt::format("sengen_policy_cache_hits_total{{kind=\"{}\"}} {}\n", label(kind), n);
    return out;
}

}  // namespace sengen::web
