#include <gtest/gtest.h>

#include "web/router.hpp"

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
