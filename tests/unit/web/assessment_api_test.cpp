// The JSON shapes of the self-assessment API, through the whole request pipeline in process.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../support/test_app.hpp"
#include "web/assessment_view.hpp"

using namespace sengen;
using namespace sengen::web;
using json = nlohmann::json;

namespace {

class AssessmentApi : public ::testing::Test {
protected:
    Response score(const std::string& body, const std::string& query = "") {
        return app.request(Method::Post, "/api/v1/assessments/score" + query, body,
                           {{"content-type", "application/json"}, {"accept-language", "ja"}});
    }
    static json body_of(const Response& r) { return json::parse(r.body); }
    static std::string all_answers(const std::string& choice) {
        json a = json::object();
        for (int n = 1; n <= 25; ++n) a[std::to_string(n)] = choice;
        return json{{"answers", a}}.dump();
    }

    test_support::TestApp app;
};

}  // namespace

TEST_F(AssessmentApi, questionnaire_document_has_every_part_question_and_choice) {
    auto r = app.request(Method::Get, "/api/v1/assessment");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), "application/json");
    auto j = body_of(r);
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    // nlohmann's json sorts keys when parsing; the order sent is checked by the HTTP tests.
    std::sort(keys.begin(), keys.end());
    EXPECT_EQ(keys,
              (std::vector<std::string>{"choices", "date", "edition", "max", "min", "parts", "questions", "title"}));
    EXPECT_EQ(j["max"], 100);
    EXPECT_EQ(j["min"], -25);
    ASSERT_EQ(j["questions"].size(), 25u);
    const auto& q1 = j["questions"][0];
    EXPECT_EQ(q1["number"], 1);
    EXPECT_EQ(q1["part"], 1);
    EXPECT_TRUE(q1["text"]["ja"].is_string());
    EXPECT_TRUE(q1["text"]["en"].is_string());
    EXPECT_TRUE(q1["steps"]["ja"].is_array());
    EXPECT_EQ(j["parts"][1]["max"], 52);
}

TEST_F(AssessmentApi, lang_gives_plain_strings_in_that_language) {
    auto j = body_of(app.request(Method::Get, "/api/v1/assessment?lang=ja"));
    EXPECT_EQ(j["questions"][0]["text"], app.edition().question(1).text.ja);
    EXPECT_EQ(j["choices"][3]["label"], "わからない");
    auto bad = app.request(Method::Get, "/api/v1/assessment?lang=de");
    EXPECT_EQ(bad.status, 422);
    EXPECT_EQ(bad.header("Content-Type"), "application/problem+json");
    auto unknown = app.request(Method::Get, "/api/v1/assessment?edition=1999");
    EXPECT_EQ(unknown.status, 404);
}

TEST_F(AssessmentApi, score_document_has_the_documented_fields_in_order) {
    auto r = score(all_answers("partly"));
    ASSERT_EQ(r.status, 200) << r.body;
    // Raw text: keys in the documented order.
    EXPECT_EQ(
        r.body.rfind(
            R"({"edition":"2023","score":50,"max":100,"band":"inadequate","parts":[{"part":1,"score":10,"max":20},)",
            0),
        0u)
        << r.body;
    auto j = body_of(r);
    EXPECT_EQ(j["unknown_items"], json::array());
    ASSERT_EQ(j["actions"].size(), 25u);
    EXPECT_EQ(j["actions"][0]["question"], 1);
    EXPECT_EQ(j["actions"][0]["answer"], "partly");
    EXPECT_EQ(j["actions"][0]["points"], 2);
    EXPECT_EQ(j["actions"][0]["title"], app.edition().question(1).title.ja);
    EXPECT_EQ(j["actions"][0]["steps"].size(), app.edition().question(1).steps.ja.size());
}

TEST_F(AssessmentApi, score_uses_lang_for_titles_and_steps) {
    auto j = body_of(score(all_answers("unknown"), "?lang=en"));
    EXPECT_EQ(j["band"], "urgent");
    EXPECT_EQ(j["score"], -25);
    EXPECT_EQ(j["actions"][24]["title"], app.edition().question(25).title.en);
    EXPECT_EQ(j["unknown_items"].size(), 25u);
}

TEST_F(AssessmentApi, problems_are_problem_json_with_one_error_per_question) {
    auto r = score(R"({"answers":{"1":"done","2":null,"3":["done"]}})");
    ASSERT_EQ(r.status, 422);
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
    auto j = body_of(r);
    EXPECT_EQ(j["status"], 422);
    EXPECT_EQ(j["type"], "/problems/invalid");
    ASSERT_EQ(j["errors"].size(), 24u);
    EXPECT_EQ(j["errors"][0]["field"], "answers.2");
    EXPECT_EQ(j["errors"][0]["code"], "invalid_choice");
    EXPECT_EQ(j["errors"][1]["field"], "answers.3");
    EXPECT_EQ(j["errors"][2]["field"], "answers.4");
    EXPECT_EQ(j["errors"][2]["code"], "required");
    EXPECT_EQ(j["errors"][2]["message"], "答えを1つ選んでください。");
}

TEST_F(AssessmentApi, unreadable_bodies_are_400) {
    for (std::string body : {std::string("{"), std::string("nonsense"), std::string("{\"answers\":\"\xff\"}")}) {
        auto r = score(body);
        EXPECT_EQ(r.status, 400) << body;
        EXPECT_EQ(r.header("Content-Type"), "application/problem+json");
        EXPECT_EQ(body_of(r)["errors"][0]["field"], "body");
    }
}

TEST_F(AssessmentApi, the_api_needs_no_csrf_token_but_the_pages_do) {
    EXPECT_EQ(score(all_answers("done")).status, 200);
    auto page = app.request(Method::Post, "/assessment/result", "q1=done",
                            {{"content-type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(page.status, 403);
}

TEST(AssessmentJson, edition_json_in_both_languages_has_ja_and_en_objects) {
    auto lib = content::load_embedded_editions();
    ASSERT_TRUE(lib);
    auto j = web::assessment_view::edition_json(lib->current(), std::nullopt);
    EXPECT_EQ(j["title"]["ja"], lib->current().title.ja);
    EXPECT_EQ(j["questions"][24]["steps"]["en"], json(lib->current().question(25).steps.en));
    EXPECT_EQ(j.dump().rfind(R"({"edition":"2023","date":"2023-04-26","title":{"ja":)", 0), 0u);
}

// The scoring API writes the question texts it wrote once at start (ScoreTexts): its answer is,
// byte for byte, the one written text by text, for every edition, language and answer; an edition
// the texts were not written for (another library's) is written text by text.
TEST(AssessmentJson, the_answer_with_texts_written_once_is_the_answer_written_each_time) {
    auto lib = content::load_embedded_editions();
    ASSERT_TRUE(lib);
    const web::assessment_view::ScoreTexts texts(*lib);
    int compared = 0;
    for (const auto& [id, e] : lib->all())
        for (auto answer : assessment::all_answers)
            for (auto lang : i18n::all_langs) {
                assessment::Answers answers;
                for (const auto& q : e.questions) answers[q.number] = answer;
                auto card = assessment::score(e, answers);
                ASSERT_TRUE(card);
                const auto kept = web::assessment_view::scorecard_json(e, *card, lang, &texts);
                EXPECT_EQ(kept, web::assessment_view::scorecard_json(e, *card, lang)) << id;
                EXPECT_TRUE(json::accept(kept));
                ++compared;
            }
    EXPECT_GE(compared, 8);
    auto other = content::load_embedded_editions();
    ASSERT_TRUE(other);
    const auto& e = other->current();
    EXPECT_EQ(texts.find(e, 1, i18n::Lang::Ja), nullptr);
    EXPECT_NE(texts.find(lib->current(), 1, i18n::Lang::Ja), nullptr);
    EXPECT_EQ(texts.find(lib->current(), 26, i18n::Lang::Ja), nullptr);
}
