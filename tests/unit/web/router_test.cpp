#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "domain/text.hpp"
#include "web/app.hpp"
#include "web/router.hpp"
#include "web/static_assets.hpp"

using namespace sengen::web;

namespace {
Response ok(Context&) { return {}; }
}  // namespace

TEST(Router, literal_route_matches_only_its_path) {
    Router r({{Method::Get, "/healthz", ok}});
    EXPECT_NE(r.match(Method::Get, "/healthz").route, nullptr);
    EXPECT_EQ(r.match(Method::Get, "/healthz/x").route, nullptr);
    EXPECT_EQ(r.match(Method::Get, "/").route, nullptr);
}

TEST(Router, variable_segment_is_captured) {
    Router r({{Method::Get, "/verify/{id}", ok}});
    auto m = r.match(Method::Get, "/verify/12345678901");
    ASSERT_NE(m.route, nullptr);
    ASSERT_EQ(m.params.size(), 1u);
    EXPECT_EQ(m.params[0].first, "id");
    EXPECT_EQ(m.params[0].second, "12345678901");
    EXPECT_EQ(r.match(Method::Get, "/verify/").route, nullptr);
}

TEST(Router, rest_variable_takes_the_remaining_path) {
    Router r({{Method::Get, "/static/{file...}", ok}});
    auto m = r.match(Method::Get, "/static/css/site.css");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.params[0].second, "css/site.css");
}

TEST(Router, wrong_method_reports_the_allowed_ones) {
    Router r({{Method::Get, "/", ok}});
    auto m = r.match(Method::Post, "/");
    EXPECT_EQ(m.route, nullptr);
    ASSERT_EQ(m.allowed.size(), 1u);
    EXPECT_EQ(m.allowed[0], Method::Get);
}

TEST(Router, head_is_served_by_the_get_route) {
    Router r({{Method::Get, "/", ok}});
    EXPECT_NE(r.match(Method::Head, "/").route, nullptr);
}

TEST(Router, the_match_names_the_pattern_and_whether_the_route_is_slow) {
    Router r({{Method::Get, "/verify/{id}", ok}, {Method::Post, "/report.pdf", ok, Speed::Slow}});
    auto fast = r.match(Method::Get, "/verify/1");
    EXPECT_EQ(fast.pattern, "/verify/{id}");
    EXPECT_FALSE(fast.slow());
    auto slow = r.match(Method::Post, "/report.pdf");
    EXPECT_EQ(slow.pattern, "/report.pdf");
    EXPECT_TRUE(slow.slow());
    // A path that exists only for another method is named by its pattern but is not slow.
    auto other = r.match(Method::Get, "/report.pdf");
    EXPECT_EQ(other.route, nullptr);
    EXPECT_EQ(other.pattern, "/report.pdf");
    EXPECT_FALSE(other.slow());
    EXPECT_TRUE(r.match(Method::Get, "/nothing").pattern.empty());
}

// The router looks only at the routes a path's first segment allows (the table, bucketed):
// over the real route table, every path made from a pattern, and some that match none, gets the
// first route of the table that matches it alone, with the methods of every matching route when
// none has the method.
TEST(Router, the_first_segment_index_finds_what_a_walk_of_the_whole_table_finds) {
    const StaticAssets assets;
    const auto table = route_table(assets);
    const Router router(table);
    std::vector<std::string> paths = {"/", "/nothing-here", "/static", "/a/b/c/d", "/healthz/x", "//", "/verify/"};
    for (const auto& r : table) {
        std::string p;
        for (const auto& seg : sengen::text::split(std::string_view(r.pattern).substr(1), '/')) {
            const bool rest = seg.size() > 5 && seg.substr(seg.size() - 4) == "...}";
            p += "/" + std::string(rest ? "x/y" : (!seg.empty() && seg.front() == '{') ? "12345678901" : seg);
        }
        paths.push_back(p.empty() ? "/" : p);
        paths.push_back(p + "/more");
    }
    std::vector<Router> alone;
    alone.reserve(table.size());
    for (const auto& r : table) alone.emplace_back(std::vector<Route>{r});
    int matched = 0;
    for (const auto& path : paths)
        for (auto m : {Method::Get, Method::Post, Method::Head, Method::Put, Method::Delete}) {
            const Route* want = nullptr;
            std::vector<Method> allowed;
            for (std::size_t k = 0; k < table.size() && !want; ++k) {
                auto one = alone[k].match(m, path);
                if (one.route)
                    want = &table[k];
                else if (!one.allowed.empty())
                    allowed.push_back(table[k].method);
            }
            const auto got = router.match(m, path);
            if (want) {
                ASSERT_NE(got.route, nullptr) << path;
                EXPECT_EQ(got.route->pattern, want->pattern) << path;
                EXPECT_EQ(got.route->method, want->method) << path;
                ++matched;
            } else {
                EXPECT_EQ(got.route, nullptr) << path;
                EXPECT_EQ(got.allowed, allowed) << path;
            }
        }
    EXPECT_GT(matched, static_cast<int>(table.size()));
}
