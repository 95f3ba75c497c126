// Scoring of the self-assessment: examples, band edges and properties over many random answer
// sets (seeded, so every run checks the same sets).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "app/assessment.hpp"
#include "content/edition_loader.hpp"
#include "domain/assessment/scoring.hpp"

using namespace sengen;
using namespace sengen::assessment;

namespace {

const Edition& edition() {
    static const Library lib = *content::load_embedded_editions();
    return lib.current();
}

Answers all(Answer a) {
    Answers out;
    for (int n = 1; n <= 25; ++n) out[n] = a;
    return out;
}

// Points as the source gives them, written out independently of the code under test.
int expected_points(Answer a) {
    switch (a) {
        case Answer::Done:
            return 4;
        case Answer::Partly:
            return 2;
        case Answer::NotDone:
            return 0;
        case Answer::Unknown:
            return -1;
    }
    return 0;
}

// An answer set with exactly `total` points, if one exists (search over the counts of each answer).
std::optional<Answers> with_total(int total) {
    for (int done = 0; done <= 25; ++done)
        for (int partly = 0; done + partly <= 25; ++partly)
            for (int unknown = 0; done + partly + unknown <= 25; ++unknown) {
                if (4 * done + 2 * partly - unknown != total) continue;
                Answers a = all(Answer::NotDone);
                int n = 1;
                for (int i = 0; i < done; ++i) a[n++] = Answer::Done;
                for (int i = 0; i < partly; ++i) a[n++] = Answer::Partly;
                for (int i = 0; i < unknown; ++i) a[n++] = Answer::Unknown;
                return a;
            }
    return std::nullopt;
}

Answers random_answers(std::mt19937& rng) {
    std::uniform_int_distribution<int> pick(0, 3);
    Answers a;
    for (int n = 1; n <= 25; ++n) a[n] = all_answers[static_cast<std::size_t>(pick(rng))];
    return a;
}

// One step better in points order: unknown(−1) → not_done(0) → partly(2) → done(4).
std::optional<Answer> better(Answer a) {
    switch (a) {
        case Answer::Unknown:
            return Answer::NotDone;
        case Answer::NotDone:
            return Answer::Partly;
        case Answer::Partly:
            return Answer::Done;
        case Answer::Done:
            return std::nullopt;
    }
    return std::nullopt;
}

constexpr int kRuns = 5000;

}  // namespace

TEST(Scoring, all_done_is_100_and_complete) {
    auto s = score(edition(), all(Answer::Done));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->score, 100);
    EXPECT_EQ(s->max, 100);
    EXPECT_EQ(s->min, -25);
    EXPECT_EQ(s->band, Band::Complete);
    EXPECT_TRUE(s->actions.empty());
    EXPECT_TRUE(s->unknown_items.empty());
    ASSERT_EQ(s->parts.size(), 3u);
    EXPECT_EQ(s->parts[0].score, 20);
    EXPECT_EQ(s->parts[0].max, 20);
    EXPECT_EQ(s->parts[1].score, 52);
    EXPECT_EQ(s->parts[1].max, 52);
    EXPECT_EQ(s->parts[2].score, 28);
    EXPECT_EQ(s->parts[2].max, 28);
    EXPECT_EQ(s->edition, "2023");
}

TEST(Scoring, all_unknown_is_minus_25_and_every_item_is_to_review) {
    auto s = score(edition(), all(Answer::Unknown));
    ASSERT_TRUE(s);
    EXPECT_EQ(s->score, -25);
    EXPECT_EQ(s->band, Band::Urgent);
    EXPECT_EQ(s->unknown_items.size(), 25u);
    EXPECT_EQ(s->actions.size(), 25u);
    EXPECT_EQ(s->parts[0].score, -5);
    EXPECT_EQ(s->parts[1].score, -13);
    EXPECT_EQ(s->parts[2].score, -7);
}

TEST(Scoring, actions_put_the_lowest_points_first_then_the_question_number) {
    Answers a = all(Answer::Done);
    a[3] = Answer::Partly;
    a[20] = Answer::NotDone;
    a[11] = Answer::Unknown;
    a[2] = Answer::NotDone;
    a[25] = Answer::Unknown;
    auto s = score(edition(), a);
    ASSERT_TRUE(s);
    std::vector<int> order;
    for (const auto& x : s->actions) order.push_back(x.question);
    EXPECT_EQ(order, (std::vector<int>{11, 25, 2, 20, 3}));
    EXPECT_EQ(s->actions[0].points, -1);
    EXPECT_EQ(s->actions[0].answer, Answer::Unknown);
    EXPECT_EQ(s->actions[4].points, 2);
    EXPECT_EQ(s->unknown_items, (std::vector<int>{11, 25}));
    EXPECT_EQ(s->score, 100 - 2 - 4 - 5 - 4 - 5);
}

TEST(Scoring, a_missing_answer_is_an_error_naming_the_question) {
    Answers a = all(Answer::Done);
    a.erase(7);
    a.erase(19);
    auto s = score(edition(), a);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, Error::Kind::Invalid);
    ASSERT_EQ(s.error().fields.size(), 2u);
    EXPECT_EQ(s.error().fields[0].field, "answers.7");
    EXPECT_EQ(s.error().fields[0].code, "required");
    EXPECT_EQ(s.error().fields[1].field, "answers.19");
}

TEST(Bands, edges_follow_the_source) {
    EXPECT_EQ(band_for(100), Band::Complete);
    EXPECT_EQ(band_for(99), Band::Gaps);
    EXPECT_EQ(band_for(70), Band::Gaps);
    EXPECT_EQ(band_for(69), Band::Inadequate);
    EXPECT_EQ(band_for(50), Band::Inadequate);
    EXPECT_EQ(band_for(49), Band::Urgent);
    EXPECT_EQ(band_for(0), Band::Urgent);
    EXPECT_EQ(band_for(-25), Band::Urgent);
    EXPECT_EQ(band_id(Band::Complete), "complete");
    EXPECT_EQ(band_id(Band::Gaps), "gaps");
    EXPECT_EQ(band_id(Band::Inadequate), "inadequate");
    EXPECT_EQ(band_id(Band::Urgent), "urgent");
}

TEST(Bands, answer_sets_at_each_edge_score_into_the_right_band) {
    const std::pair<int, Band> edges[] = {{100, Band::Complete},  {98, Band::Gaps},       {70, Band::Gaps},
                                          {69, Band::Inadequate}, {50, Band::Inadequate}, {49, Band::Urgent},
                                          {-25, Band::Urgent}};
    for (auto [total, band] : edges) {
        auto a = with_total(total);
        ASSERT_TRUE(a) << total;
        auto s = score(edition(), *a);
        ASSERT_TRUE(s);
        EXPECT_EQ(s->score, total);
        EXPECT_EQ(s->band, band) << total;
    }
}

TEST(Bands, ninety_nine_cannot_be_reached_so_98_is_the_top_of_gaps) {
    // One answer below "done" costs at least 2 points, so no answer set totals 99.
    EXPECT_FALSE(with_total(99));
    EXPECT_TRUE(with_total(98));
}

TEST(ScoringProperties, totals_stay_within_minus_25_and_100_and_equal_the_sum_of_points) {
    std::mt19937 rng(20230426);
    for (int run = 0; run < kRuns; ++run) {
        auto a = random_answers(rng);
        auto s = score(edition(), a);
        ASSERT_TRUE(s);
        int sum = 0;
        for (const auto& [n, x] : a) sum += expected_points(x);
        EXPECT_EQ(s->score, sum);
        EXPECT_GE(s->score, -25);
        EXPECT_LE(s->score, 100);
        EXPECT_EQ(s->band, band_for(s->score));
        int parts = 0;
        for (const auto& p : s->parts) {
            parts += p.score;
            EXPECT_LE(p.score, p.max);
            EXPECT_GE(p.score, -p.max / 4);
        }
        EXPECT_EQ(parts, s->score);
    }
}

TEST(ScoringProperties, actions_and_review_items_list_exactly_the_right_questions_in_order) {
    std::mt19937 rng(7);
    for (int run = 0; run < kRuns; ++run) {
        auto a = random_answers(rng);
        auto s = score(edition(), a);
        ASSERT_TRUE(s);
        std::vector<int> not_done, unknown;
        for (const auto& [n, x] : a) {
            if (x != Answer::Done) not_done.push_back(n);
            if (x == Answer::Unknown) unknown.push_back(n);
        }
        EXPECT_EQ(s->unknown_items, unknown);
        ASSERT_EQ(s->actions.size(), not_done.size());
        for (std::size_t i = 0; i < s->actions.size(); ++i) {
            const auto& x = s->actions[i];
            EXPECT_EQ(x.answer, a.at(x.question));
            EXPECT_EQ(x.points, expected_points(x.answer));
            if (i > 0) {
                const auto& prev = s->actions[i - 1];
                EXPECT_TRUE(prev.points < x.points || (prev.points == x.points && prev.question < x.question))
                    << "actions out of order at " << i;
            }
        }
    }
}

TEST(ScoringProperties, improving_one_answer_never_lowers_the_score) {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> question(1, 25);
    for (int run = 0; run < kRuns; ++run) {
        auto a = random_answers(rng);
        const int n = question(rng);
        auto up = better(a[n]);
        if (!up) continue;
        auto before = score(edition(), a);
        auto b = a;
        b[n] = *up;
        auto after = score(edition(), b);
        ASSERT_TRUE(before && after);
        EXPECT_GT(after->score, before->score);
        EXPECT_GE(static_cast<int>(before->band), static_cast<int>(after->band)) << "band got worse";
        EXPECT_GE(after->parts[static_cast<std::size_t>(edition().question(n).part - 1)].score,
                  before->parts[static_cast<std::size_t>(edition().question(n).part - 1)].score);
    }
}

TEST(ReadAnswers, reports_invalid_choices_and_unknown_questions_and_skips_blanks) {
    auto r = read_answers(edition(), {{"1", "done"},
                                      {"2", "sometimes"},
                                      {"3", std::nullopt},
                                      {"4", ""},
                                      {"26", "done"},
                                      {"x", "done"},
                                      {"1", "unknown"}});
    EXPECT_EQ(r.answers, (Answers{{1, Answer::Done}}));
    ASSERT_EQ(r.errors.size(), 4u);
    EXPECT_EQ(r.errors[0].field, "answers.2");
    EXPECT_EQ(r.errors[0].code, "invalid_choice");
    EXPECT_EQ(r.errors[1].field, "answers.3");
    EXPECT_EQ(r.errors[1].code, "invalid_choice");
    EXPECT_EQ(r.errors[2].field, "answers.26");
    EXPECT_EQ(r.errors[2].code, "unknown_question");
    EXPECT_EQ(r.errors[3].field, "answers.x");
}

TEST(ScoreAssessment, collects_every_problem_ordered_by_question) {
    std::vector<RawAnswer> raw;
    for (int n = 1; n <= 25; ++n)
        if (n != 4 && n != 22) raw.push_back({std::to_string(n), n == 9 ? "yes" : "done"});
    auto s = app::score_assessment(edition(), raw);
    ASSERT_FALSE(s);
    std::vector<std::pair<std::string, std::string>> got;
    for (const auto& f : s.error().fields) got.emplace_back(f.field, f.code);
    EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{
                       {"answers.4", "required"}, {"answers.9", "invalid_choice"}, {"answers.22", "required"}}));
}

TEST(CheckAnswers, requires_only_the_part_asked_for) {
    auto r = app::check_answers(edition(), {{"1", "done"}, {"2", "partly"}, {"20", "bad"}}, 1);
    std::vector<std::string> fields;
    for (const auto& f : r.errors) fields.push_back(f.field + ":" + f.code);
    EXPECT_EQ(fields, (std::vector<std::string>{"answers.3:required", "answers.4:required", "answers.5:required",
                                                "answers.20:invalid_choice"}));
    EXPECT_EQ(r.answers.size(), 2u);
}
