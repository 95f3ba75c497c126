// The request pipeline (web::App) in process: routing once, the language switch as a route, and
// the session cookie handed to and from the sessions use case.
#include <gtest/gtest.h>

#include "../support/test_app.hpp"
#include "web/security.hpp"

using namespace sengen;
using namespace sengen::web;

namespace {

std::vector<std::string> cookies_of(const Response& r) {
    std::vector<std::string> out;
    for (const auto& [name, value] : r.headers)
        if (name == "Set-Cookie") out.push_back(value);
    return out;
}

// The value a Set-Cookie header gives `name`, if it sets it.
std::optional<std::string> cookie_value(const Response& r, const std::string& name) {
    for (const auto& c : cookies_of(r))
        if (c.rfind(name + "=", 0) == 0) return c.substr(name.size() + 1, c.find(';') - name.size() - 1);
    return std::nullopt;
}

class AppTest : public ::testing::Test {
protected:
    test_support::TestApp app;
};

TEST_F(AppTest, the_match_tells_whether_a_route_is_slow) {
    auto pdf = app.app().route(test_support::TestApp::make_request(Method::Post, "/assessment/report.pdf"));
    ASSERT_NE(pdf.route, nullptr);
    EXPECT_TRUE(pdf.slow());
    auto lookup = app.app().route(test_support::TestApp::make_request(Method::Get, "/api/v1/declarations/10000000018"));
    ASSERT_NE(lookup.route, nullptr);
    EXPECT_EQ(lookup.pattern, "/api/v1/declarations/{id}");
    EXPECT_FALSE(lookup.slow());
    auto policy = app.app().route(test_support::TestApp::make_request(Method::Get, "/policy/abcdefghjk/1/policy.pdf"));
    EXPECT_TRUE(policy.slow());
}

TEST_F(AppTest, handle_runs_the_route_it_is_given) {
    const auto req = test_support::TestApp::make_request(Method::Get, "/healthz");
    const auto match = app.app().route(req);
    auto r = app.app().handle(req, match);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "ok\n");
    auto none = app.app().handle(req, Match{});
    EXPECT_EQ(none.status, 404);
}

TEST_F(AppTest, a_pdf_turned_away_gets_503_with_retry_after_and_a_page_in_the_visitors_language) {
    for (const auto& [accept, lang] : {std::pair{"ja", "ja"}, std::pair{"en-GB,en;q=0.9", "en"}}) {
        auto req = test_support::TestApp::make_request(Method::Post, "/assessment/report.pdf", "business_name=x",
                                                       {{"accept-language", accept}});
        auto r = app.app().busy(req, app.app().route(req));
        EXPECT_EQ(r.status, 503) << lang;
        EXPECT_EQ(r.header("Retry-After").value_or(""), "5");
        EXPECT_EQ(r.header("Content-Language").value_or(""), lang);
        EXPECT_EQ(r.header("Cache-Control").value_or(""), "no-store");
        EXPECT_NE(r.body.find(std::string("lang=\"") + lang + "\""), std::string::npos) << r.body.substr(0, 300);
        EXPECT_TRUE(r.header("Content-Security-Policy").has_value());
    }
    // It does not start a session.
    auto req = test_support::TestApp::make_request(Method::Get, "/policy/abcdefghjk/1/policy.pdf");
    auto r = app.app().busy(req, app.app().route(req));
    EXPECT_TRUE(cookies_of(r).empty());
}

TEST_F(AppTest, the_policy_pdf_has_a_quick_path_and_other_routes_do_not) {
    auto report = test_support::TestApp::make_request(Method::Post, "/assessment/report.pdf");
    EXPECT_FALSE(app.app().handle_quick(report, app.app().route(report)).has_value());
    auto healthz = test_support::TestApp::make_request(Method::Get, "/healthz");
    EXPECT_FALSE(app.app().handle_quick(healthz, app.app().route(healthz)).has_value());
    // A policy that does not exist is answered on the quick path (nothing to make).
    auto policy = test_support::TestApp::make_request(Method::Get, "/policy/abcdefghjk/1/policy.pdf");
    auto r = app.app().handle_quick(policy, app.app().route(policy));
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 404);
}

TEST_F(AppTest, the_language_switch_is_a_route_that_sets_the_cookie_and_goes_back) {
    auto match = app.app().route(test_support::TestApp::make_request(Method::Get, "/lang/en"));
    ASSERT_NE(match.route, nullptr);
    EXPECT_EQ(match.pattern, "/lang/{code}");

    auto r = app.request(Method::Get, "/lang/en?next=%2Fverify%3Fq%3D1");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location").value_or(""), "/verify?q=1");
    EXPECT_EQ(cookie_value(r, "sengen_lang"), "en");
    EXPECT_NE(cookies_of(r).front().find("Max-Age=31536000"), std::string::npos);

    auto away = app.request(Method::Get, "/lang/ja?next=//evil.example/");
    EXPECT_EQ(away.header("Location").value_or(""), "/");
    EXPECT_EQ(app.request(Method::Get, "/lang/xx?next=/").status, 404);
    EXPECT_EQ(app.request(Method::Get, "/lang/").status, 404);
    auto head = app.request(Method::Head, "/lang/en");
    EXPECT_EQ(head.status, 303);
}

TEST_F(AppTest, a_form_page_sets_a_csrf_cookie_whose_token_passes_and_stores_no_session) {
    auto form = app.request(Method::Get, "/signin");
    ASSERT_EQ(form.status, 200);
    EXPECT_FALSE(cookie_value(form, "sengen_session")) << "nothing to keep, so no session";
    auto secret = cookie_value(form, "sengen_csrf");
    ASSERT_TRUE(secret);
    EXPECT_EQ(secret->size(), 43u);
    EXPECT_NE(form.body.find(csrf_token_for(*secret)), std::string::npos);

    // The same cookie is kept, and a post with its token gets past the check.
    const std::string cookie = "sengen_csrf=" + *secret;
    auto again = app.request(Method::Get, "/signin", {}, {{"cookie", cookie}});
    EXPECT_EQ(again.status, 200);
    EXPECT_FALSE(cookie_value(again, "sengen_csrf"));
    const std::vector<std::pair<std::string, std::string>> form_post = {
        {"cookie", cookie}, {"content-type", "application/x-www-form-urlencoded"}};
    EXPECT_EQ(app.request(Method::Post, "/signout", "csrf=" + csrf_token_for(*secret), form_post).status, 303);
    EXPECT_EQ(app.request(Method::Post, "/signout", "csrf=" + csrf_token_for(random_token()), form_post).status, 403);
    EXPECT_EQ(app.request(Method::Post, "/signout", "csrf=" + csrf_token_for(*secret),
                          {{"content-type", "application/x-www-form-urlencoded"}})
                  .status,
              403);
}

TEST_F(AppTest, a_stored_session_is_resumed_by_later_requests_until_signing_out) {
    auto open = app.sessions().start(R"({"flash":"x"})");
    ASSERT_TRUE(open);
    const auto& token = open->token;

    // The cookie names a live session: its CSRF token is accepted, the CSRF cookie's is not
    // needed, and no new cookie is set.
    const std::string cookie = "sengen_session=" + token;
    auto again = app.request(Method::Get, "/signin", {}, {{"cookie", cookie}});
    EXPECT_EQ(again.status, 200);
    EXPECT_FALSE(cookie_value(again, "sengen_session"));
    EXPECT_FALSE(cookie_value(again, "sengen_csrf"));
    EXPECT_NE(again.body.find(csrf_token_for(token)), std::string::npos);
    auto out = app.request(Method::Post, "/signout", "csrf=" + csrf_token_for(token),
                           {{"cookie", cookie}, {"content-type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(out.status, 303);
    EXPECT_EQ(cookie_value(out, "sengen_session"), "");

    // Signed out: the old token names nothing, so a form post with it is refused.
    auto refused = app.request(Method::Post, "/signout", "csrf=" + csrf_token_for(token),
                               {{"cookie", cookie}, {"content-type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(refused.status, 403);
}

}  // namespace

// The home page is kept once rendered for a visitor without a cookie or a query (AnonymousPages):
// what is served from it must be what rendering gives, and a visitor with a cookie or a query
// must still get the page made for them.
TEST_F(AppTest, the_home_page_kept_for_anonymous_visitors_is_the_rendered_one_and_others_get_their_own) {
    auto first = app.request(Method::Get, "/", {}, {{"accept-language", "ja"}});
    auto kept = app.request(Method::Get, "/", {}, {{"accept-language", "ja"}});
    ASSERT_EQ(first.status, 200);
    EXPECT_EQ(kept.status, 200);
    EXPECT_EQ(kept.body, first.body);
    EXPECT_EQ(kept.header("Content-Type"), first.header("Content-Type"));
    EXPECT_EQ(kept.header("Set-Cookie"), first.header("Set-Cookie"));
    EXPECT_EQ(kept.header("Content-Security-Policy"), first.header("Content-Security-Policy"));
    auto en = app.request(Method::Get, "/", {}, {{"accept-language", "en"}});
    EXPECT_NE(en.body, first.body);
    EXPECT_NE(en.body.find("lang=\"en\""), std::string::npos);
    EXPECT_EQ(app.request(Method::Get, "/", {}, {{"accept-language", "en"}}).body, en.body);

    // A query goes into the language switch's return address: rendered for it.
    auto queried = app.request(Method::Get, "/?from=flyer", {}, {{"accept-language", "ja"}});
    EXPECT_NE(queried.body.find("next=%2F%3Ffrom%3Dflyer"), std::string::npos);
    EXPECT_EQ(kept.body.find("from%3Dflyer"), std::string::npos);

    // A signed-in visitor gets the sign-out button in the header; the kept page has none.
    auto signed_in = app.sessions().sign_in(std::nullopt, 1);
    ASSERT_TRUE(signed_in);
    auto own = app.request(Method::Get, "/", {},
                           {{"accept-language", "ja"}, {"cookie", "sengen_session=" + signed_in->token}});
    EXPECT_EQ(own.status, 200);
    EXPECT_NE(own.body.find(csrf_token_for(signed_in->token)), std::string::npos);
    EXPECT_EQ(kept.body.find("/signout"), std::string::npos);
    EXPECT_NE(own.body.find("/signout"), std::string::npos);
    // And the anonymous page is still the kept one afterwards.
    EXPECT_EQ(app.request(Method::Get, "/", {}, {{"accept-language", "ja"}}).body, first.body);
}
