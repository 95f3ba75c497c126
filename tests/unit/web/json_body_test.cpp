// Request bodies read as JSON: exactly one JSON text, and nothing after it. nlohmann's parser
// takes a NUL byte for the end of its input, so "{}" followed by a NUL and anything at all used to
// read as {} (found by the fuzz target json_request).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/test_app.hpp"
#include "web/json_text.hpp"

using namespace sengen;
using namespace sengen::web;
using namespace std::string_literals;

namespace {
bool malformed(std::string_view body) {
    auto r = parse_json_body(body);
    return !r && r.error().fields.size() == 1 && r.error().fields.front().code == "malformed_json";
}
}  // namespace

TEST(JsonBody, a_nul_byte_after_a_document_is_malformed_not_the_end) {
    EXPECT_TRUE(malformed("{}\0{\"ignored\":1}"s));
    EXPECT_TRUE(malformed("{\"a\":1}\0"s));
    EXPECT_TRUE(malformed("\0"s));
}

TEST(JsonBody, reads_one_json_text_and_an_escaped_nul_inside_a_string) {
    EXPECT_EQ(parse_json_body(R"({"a":[1,"x"]})").value(), nlohmann::json::parse(R"({"a":[1,"x"]})"));
    EXPECT_EQ(parse_json_body(R"("a\u0000b")").value().get<std::string>(), "a\0b"s);
    EXPECT_TRUE(malformed("{} {}"));
    EXPECT_TRUE(malformed(""));
}

TEST(JsonBody, score_api_refuses_a_body_with_text_after_a_nul_byte) {
    test_support::TestApp app;
    nlohmann::json answers = nlohmann::json::object();
    for (int n = 1; n <= 25; ++n) answers[std::to_string(n)] = "done";
    const std::string body = nlohmann::json{{"answers", answers}}.dump();
    auto post = [&](const std::string& b) {
        return app.request(Method::Post, "/api/v1/assessments/score", b,
                           {{"content-type", "application/json"}, {"accept-language", "ja"}});
    };
    ASSERT_EQ(post(body).status, 200);
    auto r = post(body + "\0trailing"s);
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("malformed_json"), std::string::npos) << r.body;
}

TEST(JsonBody, applications_api_refuses_a_body_with_text_after_a_nul_byte) {
    test_support::TestApp app;
    auto r = app.request(Method::Post, "/api/v1/applications", "{}\0{\"business_name\":\"x\"}"s,
                         {{"content-type", "application/json"}, {"accept-language", "ja"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("malformed_json"), std::string::npos) << r.body;
}
