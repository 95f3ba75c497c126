// Per-node request counters and latency histograms by route and status, as Prometheus text.
#pragma once
#include <array>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace sengen::web {

class Metrics {
public:
    void observe(const std::string& route, const std::string& method, int status, std::chrono::nanoseconds took);
    std::string prometheus_text() const;  // text exposition format 0.0.4
    // A slow request turned away because the render pool's queue was full.
    void count_busy(std::string_view route);
    // A public policy download made (rendered) rather than served from the node's cache, and one
    // served from it: what shows that a published version is rendered once per node.
    void count_policy_render(std::string_view kind);
    void count_policy_cache_hit(std::string_view kind);

    static constexpr std::array<double, 12> bucket_seconds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                              0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

private:
    struct Series {
        std::uint64_t count = 0;
        double sum = 0;
        std::array<std::uint64_t, bucket_seconds.size()> buckets{};
    };
    mutable std::mutex mutex_;
    // Orders (route, method, status) keys whether held as strings or looked up as string_views, so a
    // request is counted without copying its route and method. Spelled out because comparing a
    // tuple of strings with a tuple of string_views is not portable (clang rejects it).
    struct KeyLess {
        using is_transparent = void;
        template <typename T>
        static std::tuple<std::string_view, std::string_view, int> view(const T& k) {
            return {std::get<0>(k), std::get<1>(k), std::get<2>(k)};
        }
        template <typename A, typename B>
        bool operator()(const A& a, const B& b) const {
            return view(a) < view(b);
        }
    };
    std::map<std::tuple<std::string, std::string, int>, std::uint64_t, KeyLess> requests_;
    std::map<std::string, Series, std::less<>> latency_;                // by route
    std::map<std::string, std::uint64_t, std::less<>> busy_;            // by route
    std::map<std::string, std::uint64_t, std::less<>> policy_renders_;  // by kind (pdf, txt)
    std::map<std::string, std::uint64_t, std::less<>> policy_hits_;     // by kind
};

}  // namespace sengen::web
