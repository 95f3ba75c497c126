#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <vector>

#include "domain/text.hpp"
#include "web/json_text.hpp"

using namespace sengen::web;

TEST(JsonText, writes_the_same_compact_text_as_nlohmann) {
    JsonWriter j;
    j.begin_object()
        .member("id", "10000000016")
        .member("name", std::string("合同会社\"疾風\"\\製作所"))
        .member("level", 2)
        .member("ok", true)
        .null_member("url");
    j.key("parts").begin_array();
    for (int n = 1; n <= 3; ++n) j.begin_object().member("part", n).member("max", std::int64_t{20}).end_object();
    j.end_array().key("empty").begin_array().end_array().key("nested").begin_array();
    j.begin_array().value("a").value(-1).null().end_array();
    j.begin_object().end_object();
    j.end_array().end_object();

    nlohmann::ordered_json expected;
    expected["id"] = "10000000016";
    expected["name"] = "合同会社\"疾風\"\\製作所";
    expected["level"] = 2;
    expected["ok"] = true;
    expected["url"] = nullptr;
    expected["parts"] = nlohmann::ordered_json::array();
    for (int n = 1; n <= 3; ++n) expected["parts"].push_back({{"part", n}, {"max", 20}});
    expected["empty"] = nlohmann::ordered_json::array();
    expected["nested"] = {nlohmann::ordered_json::array({"a", -1, nullptr}), nlohmann::ordered_json::object()};
    EXPECT_EQ(j.take(), expected.dump());
}

TEST(JsonText, an_empty_object_is_braces) { EXPECT_EQ(JsonWriter().begin_object().end_object().take(), "{}"); }

TEST(JsonText, a_taken_writer_starts_again_empty) {
    JsonWriter j;
    j.begin_object().member("a", 1);
    (void)j.take();
    EXPECT_EQ(j.begin_array().value(2).end_array().take(), "[2]");
}

TEST(JsonText, control_characters_are_escaped) {
    std::string out;
    append_json_string(out, std::string("a\nb\tc\x01\x1f\x7f", 8));
    EXPECT_EQ(out, "\"a\\nb\\tc\\u0001\\u001f\x7f\"");
}

TEST(JsonText, invalid_utf8_becomes_the_replacement_character) {
    std::string out;
    append_json_string(out, "ab\xff\xfe");
    EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), "ab\xEF\xBF\xBD\xEF\xBF\xBD");
}

// The check is made while writing: a bad sequence found after escapes and valid characters gives
// the same text as one found first, and what the buffer held before stays.
TEST(JsonText, a_bad_sequence_late_in_the_string_leaves_only_the_replacement_text_after_what_was_there) {
    for (const std::string bad : {"\xff", "\xe5\xae", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80"}) {
        std::string out = "[1,";
        append_json_string(out, "a\n\"宣言\"" + bad + "z");
        ASSERT_EQ(out.rfind("[1,\"", 0), 0u) << out;
        auto parsed = nlohmann::json::parse(out + "]");
        const auto text = parsed[1].get<std::string>();
        EXPECT_EQ(text.rfind("a\n\"宣言\"\xEF\xBF\xBD", 0), 0u) << out;
        EXPECT_EQ(text.back(), 'z');
        EXPECT_TRUE(sengen::text::valid_utf8(text));
    }
}

TEST(Utf8, a_sequence_is_measured_where_it_starts_and_refused_when_malformed) {
    using sengen::text::utf8_sequence_at;
    const std::string s = "a\xc3\xa9\xe5\xae\xa3\xf0\x9f\x98\x80";
    EXPECT_EQ(utf8_sequence_at(s, 0), 1u);
    EXPECT_EQ(utf8_sequence_at(s, 1), 2u);
    EXPECT_EQ(utf8_sequence_at(s, 3), 3u);
    EXPECT_EQ(utf8_sequence_at(s, 6), 4u);
    EXPECT_EQ(utf8_sequence_at(s, 2), 0u) << "a continuation byte";
    EXPECT_EQ(utf8_sequence_at(s, 10), 0u) << "past the end";
    EXPECT_EQ(utf8_sequence_at(s.substr(0, 8), 6), 0u) << "cut short";
    EXPECT_EQ(utf8_sequence_at("\xc0\x80", 0), 0u) << "overlong";
    EXPECT_EQ(utf8_sequence_at("\xed\xa0\x80", 0), 0u) << "a surrogate";
}

// Any valid UTF-8 string, written and parsed back, is itself.
TEST(JsonText, every_string_round_trips_through_a_json_parser) {
    std::mt19937 rng(20261126);
    const std::u32string alphabet = U"aZ09 \"\\/\b\f\n\r\t\x01\x1f\x7f<>&'é宣言ｱ\u2028\U0001F600";
    for (int n = 0; n < 2000; ++n) {
        std::string s;
        const int len = static_cast<int>(rng() % 24);
        for (int i = 0; i < len; ++i) {
            const char32_t c = alphabet[rng() % alphabet.size()];
            if (c < 0x80) {
                s += static_cast<char>(c);
            } else if (c < 0x800) {
                s += static_cast<char>(0xC0 | (c >> 6));
                s += static_cast<char>(0x80 | (c & 0x3F));
            } else if (c < 0x10000) {
                s += static_cast<char>(0xE0 | (c >> 12));
                s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                s += static_cast<char>(0x80 | (c & 0x3F));
            } else {
                s += static_cast<char>(0xF0 | (c >> 18));
                s += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
                s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
                s += static_cast<char>(0x80 | (c & 0x3F));
            }
        }
        JsonWriter j;
        j.begin_object().member("v", s).end_object();
        const auto parsed = nlohmann::json::parse(j.take());
        ASSERT_EQ(parsed.at("v").get<std::string>(), s);
    }
}

TEST(ParseJsonBody, a_body_within_the_limit_reads_as_a_tree) {
    auto j = parse_json_body(R"({"answers":{"1":"yes","2":"no"},"edition":"2023"})");
    ASSERT_TRUE(j);
    EXPECT_EQ((*j)["answers"]["2"], "no");
    // 1 object + 1 object + 2 strings + 1 string = 5 values.
    EXPECT_TRUE(parse_json_body(R"({"answers":{"1":"yes","2":"no"},"edition":"2023"})", 5));
}

TEST(ParseJsonBody, past_the_limit_nothing_more_is_kept_and_the_body_is_refused) {
    auto r = parse_json_body(R"({"answers":{"1":"yes","2":"no"},"edition":"2023"})", 4);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, sengen::Error::Kind::Invalid);
    ASSERT_EQ(r.error().fields.size(), 1U);
    EXPECT_EQ(r.error().fields[0].field, "body");
    EXPECT_EQ(r.error().fields[0].code, "too_many_items");
    std::string big = "[";
    for (int n = 0; n < 100000; ++n) big += n ? ",1" : "1";
    big += "]";
    EXPECT_FALSE(parse_json_body(big));
}

// Bodies well under the limit take a quicker parser, chosen by a bound on their values that skips
// strings: whichever path reads it, a body of exactly the limit is read and one value more is
// refused, whatever its strings hold (commas, brackets, quotes and backslashes escaped).
TEST(ParseJsonBody, the_limit_holds_exactly_whichever_parser_reads_the_body) {
    std::mt19937 rng(20261207);
    const std::vector<std::string> texts = {"a", ",", "[", "{", "\\", "\"", "\\\"", "],[", "宣言,{"};
    std::function<nlohmann::json(int)> make = [&](int depth) -> nlohmann::json {
        const auto pick = rng() % (depth > 3 ? 3 : 5);
        if (pick == 0) return static_cast<int>(rng() % 100);
        if (pick == 1 || pick == 2) return texts[rng() % texts.size()] + texts[rng() % texts.size()];
        if (pick == 3) {
            nlohmann::json a = nlohmann::json::array();
            for (auto n = rng() % 4; n > 0; --n) a.push_back(make(depth + 1));
            return a;
        }
        nlohmann::json o = nlohmann::json::object();
        for (auto n = rng() % 4; n > 0; --n) o[texts[rng() % texts.size()] + std::to_string(n)] = make(depth + 1);
        return o;
    };
    std::function<std::size_t(const nlohmann::json&)> count = [&](const nlohmann::json& j) -> std::size_t {
        std::size_t n = 1;
        for (const auto& v : j) n += (j.is_structured() ? count(v) : 0);
        return j.is_structured() ? n : 1;
    };
    for (int i = 0; i < 500; ++i) {
        const auto doc = make(0);
        const auto body = doc.dump();
        const auto values = count(doc);
        auto read = parse_json_body(body, values);
        ASSERT_TRUE(read) << body;
        EXPECT_EQ(*read, doc);
        auto refused = parse_json_body(body, values - 1);
        ASSERT_FALSE(refused) << body;
        EXPECT_EQ(refused.error().fields[0].code, "too_many_items") << body;
    }
}

TEST(ParseJsonBody, malformed_json_and_bad_utf8_are_malformed_requests) {
    auto bad = parse_json_body("{\"a\":");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, "request.malformed");
    EXPECT_EQ(bad.error().fields[0].code, "malformed_json");
    auto bytes = parse_json_body("{\"a\":\"\xff\"}");
    ASSERT_FALSE(bytes);
    EXPECT_EQ(bytes.error().fields[0].code, "invalid_utf8");
}
