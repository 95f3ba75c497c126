// The questionnaire loader: the shipped edition loads; broken files are refused with messages that
// name the file and the line.
#include <gtest/gtest.h>

#include <regex>
#include <vector>

#include "content/edition_loader.hpp"
#include "domain/assessment/edition.hpp"
#include "embedded/embedded.hpp"

using namespace sengen;
using namespace sengen::assessment;

namespace {

// A valid edition as text, one line per key so that tests can find and break a line.
std::string valid_edition() {
    std::string t =
        "edition = \"t1\"\n"
        "date = 2024-01-02\n"
        "title.ja = \"テスト版\"\n"
        "title.en = \"Test edition\"\n"
        "source.ja = \"出典\"\n"
        "source.en = \"Source\"\n";
    const std::pair<const char*, int> choices[] = {{"done", 4}, {"partly", 2}, {"not_done", 0}, {"unknown", -1}};
    for (auto [id, pts] : choices)
        t += "\n[[choices]]\nid = \"" + std::string(id) + "\"\npoints = " + std::to_string(pts) +
             "\nlabel.ja = \"ラベル\"\nlabel.en = \"Label\"\n";
    const int ranges[3][2] = {{1, 5}, {6, 18}, {19, 25}};
    for (int p = 0; p < 3; ++p)
        t += "\n[[parts]]\nnumber = " + std::to_string(p + 1) + "\nfirst = " + std::to_string(ranges[p][0]) +
             "\nlast = " + std::to_string(ranges[p][1]) +
             "\ntitle.ja = \"パート\"\ntitle.en = \"Part\"\nintro.ja = \"説明\"\nintro.en = \"Intro\"\n";
    for (int n = 1; n <= 25; ++n) {
        int part = n <= 5 ? 1 : n <= 18 ? 2 : 3;
        t += "\n[[questions]]\nnumber = " + std::to_string(n) + "\npart = " + std::to_string(part) +
             "\ntitle.ja = \"題" + std::to_string(n) + "\"\ntitle.en = \"Title " + std::to_string(n) +
             "\"\ntext.ja = \"質問" + std::to_string(n) + "\"\ntext.en = \"Question " + std::to_string(n) +
             "\"\nwhy.ja = \"理由\"\nwhy.en = \"Why\"\nsteps.ja = [\"手順1\", \"手順2\"]\nsteps.en = [\"Step 1\", "
             "\"Step 2\"]\n";
    }
    return t;
}

// The 1-based line number of the first line equal to `line` at or after line `from`.
int line_of(const std::string& text, const std::string& line, int from = 1) {
    int n = 1;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        if (n >= from && text.compare(pos, end - pos, line) == 0) return n;
        pos = end + 1;
        ++n;
    }
    return -1;
}

// Replaces the first occurrence of `line` (a whole line) at or after line `from`.
std::string replace_line(std::string text, const std::string& line, const std::string& with, int from = 1) {
    int target = line_of(text, line, from);
    EXPECT_GT(target, 0) << "no line " << line;
    int n = 1;
    std::size_t pos = 0;
    while (n < target) {
        pos = text.find('\n', pos) + 1;
        ++n;
    }
    text.replace(pos, line.size(), with);
    return text;
}

std::string problems_of(const std::string& text) {
    auto e = content::load_edition(text, "content/assessment/t1.toml");
    EXPECT_FALSE(e) << "a broken file was accepted";
    if (e) return {};
    EXPECT_EQ(e.error().kind, Error::Kind::Invalid);
    return e.error().detail;
}

void expect_problem(const std::string& detail, int line, const std::string& words) {
    const std::string where = "content/assessment/t1.toml:" + std::to_string(line) + ": ";
    bool found = false;
    std::size_t pos = 0;
    while (!found && pos < detail.size()) {
        auto end = detail.find('\n', pos);
        std::string l = detail.substr(pos, end - pos);
        found = l.rfind(where, 0) == 0 && l.find(words) != std::string::npos;
        pos = end == std::string::npos ? detail.size() : end + 1;
    }
    EXPECT_TRUE(found) << "expected \"" << where << "..." << words << "\" in:\n" << detail;
}

}  // namespace

TEST(EditionLoader, the_shipped_edition_loads_with_25_questions_in_three_parts) {
    auto text = embedded::find("content/assessment/2023.toml");
    ASSERT_TRUE(text);
    auto e = content::load_edition(*text, "content/assessment/2023.toml");
    ASSERT_TRUE(e) << e.error().detail;
    EXPECT_EQ(e->id, "2023");
    EXPECT_EQ(e->date, "2023-04-26");
    ASSERT_EQ(e->questions.size(), 25u);
    ASSERT_EQ(e->parts.size(), 3u);
    EXPECT_EQ(e->part(1).first, 1);
    EXPECT_EQ(e->part(1).last, 5);
    EXPECT_EQ(e->part(2).first, 6);
    EXPECT_EQ(e->part(2).last, 18);
    EXPECT_EQ(e->part(3).first, 19);
    EXPECT_EQ(e->part(3).last, 25);
    EXPECT_EQ(e->part_max(1), 20);
    EXPECT_EQ(e->part_max(2), 52);
    EXPECT_EQ(e->part_max(3), 28);
    EXPECT_EQ(e->max_points(), 100);
    EXPECT_EQ(e->min_points(), -25);
    for (const auto& q : e->questions) {
        EXPECT_EQ(q.number, static_cast<int>(&q - e->questions.data()) + 1);
        EXPECT_FALSE(q.text.ja.empty());
        EXPECT_FALSE(q.text.en.empty());
        EXPECT_FALSE(q.why.ja.empty());
        EXPECT_FALSE(q.why.en.empty());
        EXPECT_GE(q.steps.ja.size(), 2u) << q.number;
        EXPECT_EQ(q.steps.ja.size(), q.steps.en.size()) << q.number;
    }
    EXPECT_EQ(e->choice(Answer::Done).label.ja, "実施している");
    EXPECT_EQ(e->choice(Answer::Unknown).label.en, "Don't know");
}

TEST(EditionLoader, every_embedded_edition_loads_and_the_latest_is_current) {
    auto lib = content::load_embedded_editions();
    ASSERT_TRUE(lib) << lib.error().detail;
    EXPECT_EQ(lib->current().id, "2023");
    EXPECT_NE(lib->find("2023"), nullptr);
    EXPECT_EQ(lib->find("1999"), nullptr);
}

TEST(EditionLoader, the_test_fixture_itself_is_valid) {
    auto e = content::load_edition(valid_edition(), "content/assessment/t1.toml");
    ASSERT_TRUE(e) << e.error().detail;
    EXPECT_EQ(e->id, "t1");
    EXPECT_EQ(e->question(25).steps.en.back(), "Step 2");
}

TEST(EditionLoader, a_toml_syntax_error_names_file_and_line) {
    auto text = replace_line(valid_edition(), "title.en = \"Test edition\"", "title.en = \"unterminated");
    expect_problem(problems_of(text), 4, "");
}

TEST(EditionLoader, a_question_number_twice_is_reported_where_it_repeats) {
    auto base = valid_edition();
    int q8 = line_of(base, "number = 8");
    auto text = replace_line(base, "number = 8", "number = 7", q8);
    auto d = problems_of(text);
    expect_problem(d, q8, "question 7 appears more than once");
    EXPECT_NE(d.find("question 8 is missing"), std::string::npos) << d;
}

TEST(EditionLoader, a_number_outside_1_to_25_is_reported) {
    auto base = valid_edition();
    int q25 = line_of(base, "number = 25");
    auto d = problems_of(replace_line(base, "number = 25", "number = 26", q25));
    expect_problem(d, q25, "numbers run from 1 to 25");
    EXPECT_NE(d.find("question 25 is missing"), std::string::npos) << d;
}

TEST(EditionLoader, a_question_in_the_wrong_part_is_reported) {
    auto base = valid_edition();
    int q6 = line_of(base, "number = 6");
    auto d = problems_of(replace_line(base, "part = 2", "part = 1", q6));
    expect_problem(d, q6 + 1, "question 6: is in part 2 by the parts' ranges, but says part 1");
}

TEST(EditionLoader, part_ranges_must_follow_on_from_1_to_25) {
    auto base = valid_edition();
    int p2 = line_of(base, "number = 2", line_of(base, "[[parts]]"));
    auto d = problems_of(replace_line(base, "first = 6", "first = 7", p2));
    expect_problem(d, p2 - 1, "part 2: should start at question 6, not 7");

    auto d2 = problems_of(replace_line(base, "last = 25", "last = 24"));
    expect_problem(d2, line_of(base, "last = 25") - 3, "the last part must end at question 25, not 24");
}

TEST(EditionLoader, points_must_be_those_of_the_scoring_rule) {
    auto base = valid_edition();
    auto d = problems_of(replace_line(base, "points = 2", "points = 3"));
    expect_problem(d, line_of(base, "points = 2"), "choice 'partly' must be worth 2 points, not 3");
}

TEST(EditionLoader, a_missing_or_unknown_choice_is_reported) {
    auto base = valid_edition();
    auto d = problems_of(replace_line(base, "id = \"unknown\"", "id = \"maybe\""));
    expect_problem(d, line_of(base, "id = \"unknown\""),
                   "choice 'maybe' is not one of done, partly, not_done, unknown");
    EXPECT_NE(d.find("choice 'unknown' is missing"), std::string::npos) << d;
}

TEST(EditionLoader, both_languages_must_be_present_and_not_empty) {
    auto base = valid_edition();
    int q3 = line_of(base, "number = 3", line_of(base, "[[questions]]"));
    auto text = replace_line(base, "text.en = \"Question 3\"", "", q3);
    text = replace_line(text, "why.ja = \"理由\"", "why.ja = \"  \"", q3);
    auto d = problems_of(text);
    expect_problem(d, q3 + 4, "question 3: 'text' has no en text");
    expect_problem(d, q3 + 6, "question 3: 'why'.ja is empty");
}

TEST(EditionLoader, steps_need_the_same_number_of_items_in_both_languages) {
    auto base = valid_edition();
    int q10 = line_of(base, "number = 10");
    auto d = problems_of(replace_line(base, "steps.en = [\"Step 1\", \"Step 2\"]", "steps.en = [\"Step 1\"]", q10));
    expect_problem(d, q10 + 8, "question 10: 'steps' has 2 Japanese but 1 English items");
}

TEST(EditionLoader, a_missing_key_is_reported_at_its_section) {
    auto base = valid_edition();
    int q12 = line_of(base, "number = 12");
    auto d = problems_of(replace_line(base, "title.en = \"Title 12\"", "", q12));
    expect_problem(d, q12 + 2, "question 12: 'title' has no en text");
    auto d2 = problems_of(replace_line(base, "part = 3", "", line_of(base, "number = 20")));
    expect_problem(d2, line_of(base, "number = 20") - 1, "question 20: 'part' is missing");
}

TEST(EditionLoader, an_unknown_key_is_reported_so_that_typos_are_caught) {
    auto base = valid_edition();
    int q2 = line_of(base, "number = 2", line_of(base, "[[questions]]"));
    auto d = problems_of(replace_line(base, "why.en = \"Why\"", "whyy.en = \"Why\"", q2));
    expect_problem(d, q2 + 7, "question: unknown key 'whyy'");
}

TEST(EditionLoader, all_problems_are_reported_at_once) {
    auto base = valid_edition();
    auto text = replace_line(base, "points = 4", "points = 5");
    text = replace_line(text, "number = 9", "number = 99", line_of(text, "[[questions]]"));
    auto d = problems_of(text);
    EXPECT_NE(d.find("must be worth 4 points"), std::string::npos) << d;
    EXPECT_NE(d.find("numbers run from 1 to 25"), std::string::npos) << d;
    EXPECT_NE(d.find("question 9 is missing"), std::string::npos) << d;
}

TEST(EditionLibrary, refuses_two_editions_with_one_id) {
    auto e = content::load_edition(valid_edition(), "a.toml");
    ASSERT_TRUE(e);
    auto lib = Library::build({*e, *e}, "questionnaire edition");
    ASSERT_FALSE(lib);
    EXPECT_NE(lib.error().detail.find("edition 't1' is defined twice"), std::string::npos);
}

TEST(EditionLibrary, the_latest_date_is_current) {
    auto a = content::load_edition(valid_edition(), "a.toml");
    auto b = content::load_edition(replace_line(replace_line(valid_edition(), "edition = \"t1\"", "edition = \"t2\""),
                                                "date = 2024-01-02", "date = 2025-06-30"),
                                   "b.toml");
    ASSERT_TRUE(a);
    ASSERT_TRUE(b) << b.error().detail;
    auto lib = Library::build({*b, *a}, "questionnaire edition");
    ASSERT_TRUE(lib);
    EXPECT_EQ(lib->current().id, "t2");
    EXPECT_EQ(lib->find("t1")->date, "2024-01-02");
}

// --- questions that do not apply (no staff, no office, no Wi-Fi, no outside services) ------------

namespace {

// The fixture with a not-applicable hint on question `n`, made of the given lines.
std::string with_hint(int n, const std::string& lines) {
    auto base = valid_edition();
    int at = line_of(base, "number = " + std::to_string(n), line_of(base, "[[questions]]"));
    return replace_line(base, "steps.en = [\"Step 1\", \"Step 2\"]", "steps.en = [\"Step 1\", \"Step 2\"]\n" + lines,
                        at);
}

}  // namespace

TEST(EditionLoader, the_shipped_edition_says_what_to_answer_when_a_question_does_not_apply) {
    auto text = embedded::find("content/assessment/2023.toml");
    ASSERT_TRUE(text);
    auto e = content::load_edition(*text, "content/assessment/2023.toml");
    ASSERT_TRUE(e) << e.error().detail;
    // Wi-Fi (9), the office (15-17), staff (5, 19, 20, 24, 25), devices and shared storage (4, 21),
    // taking information out (13) and outside services (23).
    std::vector<int> with;
    for (const auto& q : e->questions)
        if (q.not_applicable) with.push_back(q.number);
    EXPECT_EQ(with, (std::vector<int>{4, 5, 9, 13, 15, 16, 17, 19, 20, 21, 23, 24, 25}));
    for (int n : with) {
        const auto& na = *e->question(n).not_applicable;
        EXPECT_EQ(na.answer, Answer::Done) << n;
        EXPECT_NE(na.hint.ja.find("「実施している」"), std::string::npos) << n;
        EXPECT_NE(na.hint.en.find("\"Done\""), std::string::npos) << n;
    }
}

TEST(EditionLoader, a_not_applicable_hint_loads_with_its_answer) {
    auto e = content::load_edition(with_hint(9,
                                             "not_applicable.answer = \"done\"\n"
                                             "not_applicable.hint.ja = \"使っていなければ「ラベル」\"\n"
                                             "not_applicable.hint.en = \"If unused, \\\"Label\\\"\"\n"),
                                   "content/assessment/t1.toml");
    ASSERT_TRUE(e) << e.error().detail;
    ASSERT_TRUE(e->question(9).not_applicable);
    EXPECT_EQ(e->question(9).not_applicable->answer, Answer::Done);
    EXPECT_EQ(e->question(9).not_applicable->hint.ja, "使っていなければ「ラベル」");
    EXPECT_FALSE(e->question(8).not_applicable);
}

TEST(EditionLoader, a_not_applicable_hint_needs_a_known_answer_and_both_languages) {
    auto d = problems_of(with_hint(9,
                                   "not_applicable.answer = \"skip\"\n"
                                   "not_applicable.hint.ja = \"「ラベル」\"\n"));
    EXPECT_NE(d.find("question 9: not_applicable answer 'skip' is not one of done, partly, not_done, unknown"),
              std::string::npos)
        << d;
    EXPECT_NE(d.find("question 9 not_applicable: 'hint' has no en text"), std::string::npos) << d;
}

TEST(EditionLoader, a_not_applicable_hint_must_name_the_answer_it_asks_for) {
    auto d = problems_of(with_hint(9,
                                   "not_applicable.answer = \"done\"\n"
                                   "not_applicable.hint.ja = \"使っていなければ実施\"\n"
                                   "not_applicable.hint.en = \"If unused, \\\"Label\\\"\"\n"
                                   "not_applicable.extra = 1\n"));
    EXPECT_NE(d.find("question 9: the not_applicable hint (ja) must name its answer as 「ラベル」"), std::string::npos)
        << d;
    EXPECT_EQ(d.find("hint (en)"), std::string::npos) << d;
    EXPECT_NE(d.find("unknown key 'extra'"), std::string::npos) << d;
}
