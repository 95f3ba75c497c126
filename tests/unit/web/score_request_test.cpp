// The scoring API's body read by events (web/score_request.hpp) against the same body read as a
// tree by parse_json_body, as the handler read it before: the same error, or the same edition and
// the same answers, for hand-written bodies and for many generated and mutated ones.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include <nlohmann/json.hpp>

#include "web/score_request.hpp"

using namespace sengen;
using namespace sengen::web;
using namespace std::string_literals;
using Member = ScoreRequestBody::Member;

namespace {

// The handler's reading before score_request.hpp: the tree, then its members.
Result<ScoreRequestBody> by_tree(std::string_view body, std::size_t max_values) {
    auto parsed = parse_json_body(body, max_values);
    if (!parsed) return fail(parsed.error());
    const auto& doc = *parsed;
    if (!doc.is_object()) return fail(Error::invalid({{"body", "invalid_type"}}));
    ScoreRequestBody out;
    if (auto it = doc.find("edition"); it != doc.end()) {
        out.edition = it->is_string() ? Member::String : Member::Other;
        if (it->is_string()) out.edition_name = it->get<std::string>();
    }
    if (auto it = doc.find("answers"); it != doc.end()) {
        out.answers = it->is_object() ? Member::Object : Member::Other;
        if (it->is_object())
            for (const auto& [key, value] : it->items())
                out.answer_list.push_back(
                    {key, value.is_string() ? std::optional<std::string>(value.get<std::string>()) : std::nullopt});
    }
    return out;
}

std::string describe(const Result<ScoreRequestBody>& r) {
    std::ostringstream s;
    if (!r) {
        s << "error " << r.error().code;
        for (const auto& f : r.error().fields) s << " " << f.field << ":" << f.code;
        return s.str();
    }
    s << "edition " << static_cast<int>(r->edition) << " '" << r->edition_name << "' answers "
      << static_cast<int>(r->answers);
    if (r->answers == Member::Object)
        for (const auto& a : r->answer_list) s << " [" << a.key << "=" << (a.value ? "'" + *a.value + "'" : "-") << "]";
    return s.str();
}

void expect_same(const std::string& body, std::size_t max_values = kMaxJsonValues) {
    EXPECT_EQ(describe(read_score_request(body, max_values)), describe(by_tree(body, max_values)))
        << "body: " << body << " (limit " << max_values << ")";
}

}  // namespace

TEST(ScoreRequest, reads_the_documented_body) {
    auto r = read_score_request(R"({"edition":"2024","answers":{"2":"done","1":"partly","10":"no"}})");
    ASSERT_TRUE(r) << r.error().code;
    EXPECT_EQ(r->edition, Member::String);
    EXPECT_EQ(r->edition_name, "2024");
    ASSERT_EQ(r->answers, Member::Object);
    ASSERT_EQ(r->answer_list.size(), 3u);
    // In the names' byte order, as the tree kept them.
    EXPECT_EQ(r->answer_list[0].key, "1");
    EXPECT_EQ(r->answer_list[1].key, "10");
    EXPECT_EQ(r->answer_list[2].key, "2");
    EXPECT_EQ(r->answer_list[2].value, "done");
}

TEST(ScoreRequest, gives_what_the_tree_gave_for_every_hand_written_body) {
    for (const std::string& body : std::vector<std::string>{
             R"({"answers":{"1":"done"}})",
             R"({"answers":{"1":"done","1":"no"}})",                     // a repeated name: the last value
             R"({"answers":{"1":"done"},"answers":{"2":"no"}})",         // a repeated member: the last one
             R"({"answers":{"1":"done"},"answers":[1,2]})",              // ... even when it is not an object
             R"({"answers":["x",{"1":"y"}],"answers":{"3":"z"}})",       // an array's items are not answers
             R"({"answers":{"1":{"2":"x"},"3":[{"4":"y"}],"5":null}})",  // values that are not strings
             R"({"answers":{"1":1,"2":true,"3":1.5,"4":-2,"5":""}})",
             R"({"answers":"done"})",
             R"({"answers":null})",
             R"({"edition":2024,"answers":{}})",
             R"({"edition":"a","edition":"b","answers":{}})",
             R"({"edition":"a","edition":{"x":"b"},"answers":{}})",
             R"({"edition":["x"],"answers":{}})",
             R"({"other":{"answers":{"1":"x"},"edition":"y"},"answers":{"2":"z"}})",
             R"({"answers":{"\u0031":"d\u00f3ne","a\"b":"\n","":"empty name"}})",
             R"({"answers":{"é":"1","e":"2","z":"3","Z":"4"}})",
             R"({})",
             R"([])",
             R"("answers")",
             R"(42)",
             R"(null)",
             R"({"answers":{"1":"done"})",
             R"({"answers":{"1":"done"}} x)",
             R"({"answers":{"1":"done",}})",
             R"({'answers':{}})",
             R"(   {"answers" : { "1" : "done" } }   )",
             "",
             "{}\0{\"answers\":{}}"s,
             "{\"answers\":{\"1\":\"\xff\"}}"s,
             R"({"answers":{"1":"done"}} /* comment */)",
         })
        expect_same(body);
}

TEST(ScoreRequest, the_limit_on_values_holds_as_in_the_tree) {
    const std::string body = R"({"answers":{"1":"a","2":"b","3":"c","4":[1,2,{"5":"d"}]},"edition":"x"})";
    for (std::size_t limit = 1; limit <= 14; ++limit) expect_same(body, limit);
    // Over the limit before a syntax error is "too many"; a syntax error first is "malformed".
    expect_same(R"({"answers":{"1":"a","2":"b","3":"c"}, oops)", 3);
    expect_same(R"({"answers": oops {"1":"a","2":"b","3":"c"}})", 3);
    auto r = read_score_request(body, 5);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields.front().code, "too_many_items");
}

// Bodies made from pieces with repeated, nested and misplaced members, then the same bodies with a
// few bytes changed, added or taken away: whatever the text, the two readings agree.
TEST(ScoreRequest, gives_what_the_tree_gave_for_generated_and_mutated_bodies) {
    std::mt19937 rng(20261207);  // NOLINT(cert-msc51-cpp): the same bodies every run, so a failure repeats
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    const std::vector<std::string> names{"1", "2", "10", "a", "é", "", "1", "answers", "edition"};
    const std::vector<std::string> scalars{R"("done")", R"("no")", R"("")", "1", "true", "null", R"("\u3042")", "-0.5"};
    std::function<std::string(int)> value = [&](int depth) -> std::string {
        const auto kind = depth > 2 ? 0 : pick(4);
        if (kind <= 1) return scalars[pick(scalars.size())];
        std::string out = kind == 2 ? "{" : "[";
        const auto n = pick(4);
        for (std::size_t i = 0; i < n; ++i) {
            if (i) out += ",";
            if (kind == 2) out += "\"" + names[pick(names.size())] + "\":";
            out += value(depth + 1);
        }
        return out + (kind == 2 ? "}" : "]");
    };
    const std::string bytes = "{}[]\",:\\ 01ae\xe3\x81\x82";
    for (int round = 0; round < 4000; ++round) {
        std::string body = "{";
        const auto members = pick(5);
        for (std::size_t i = 0; i < members; ++i) {
            if (i) body += ",";
            const auto which = pick(4);
            body += which == 0   ? R"("answers":)"
                    : which == 1 ? R"("edition":)"
                                 : "\"" + names[pick(names.size())] + "\":";
            body += which == 0 && pick(3) ? "{\"" + names[pick(names.size())] + "\":" + value(2) + ",\"" +
                                                names[pick(names.size())] + "\":" + value(2) + "}"
                                          : value(1);
        }
        body += "}";
        const std::size_t limit = pick(3) == 0 ? 1 + pick(12) : kMaxJsonValues;
        expect_same(body, limit);
        for (int m = 0; m < 3; ++m) {
            std::string changed = body;
            const auto at = pick(changed.size() + 1);
            switch (pick(3)) {
                case 0:
                    changed.insert(at, 1, bytes[pick(bytes.size())]);
                    break;
                case 1:
                    if (at < changed.size()) changed.erase(at, 1);
                    break;
                default:
                    if (at < changed.size()) changed[at] = bytes[pick(bytes.size())];
                    break;
            }
            expect_same(changed, limit);
        }
        if (HasFailure()) break;
    }
}
