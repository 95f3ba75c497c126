// Saved self-assessments (app::SavedAssessments) on a real SQLite database, with the shipped
// questionnaire and a clock the test moves.
#include <gtest/gtest.h>

#include "../mail/fixtures.hpp"
#include "app/assessment.hpp"
#include "content/edition_loader.hpp"

namespace sengen::app {
namespace {

using assessment::Answer;
using mail::testing::ManualClock;
using mail::testing::TempDir;

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().code << ": " << (r).error().detail

const TimePoint kStart = from_unix_seconds(1'750'000'000);

class SavedAssessmentsTest : public ::testing::Test {
protected:
    // A scorecard of the current edition: questions with an odd number answered `a`, the rest done.
    assessment::Scorecard card(Answer a) {
        assessment::Answers answers;
        for (int n = 1; n <= 25; ++n) answers[n] = n % 2 ? a : Answer::Done;
        auto scored = assessment::score(library.current(), answers);
        if (!scored) throw std::runtime_error(scored.error().detail);
        return *scored;
    }

    // Saves one, a minute after the one before.
    std::int64_t save(std::int64_t account, Answer a) {
        clock.advance(std::chrono::minutes(1));
        auto id = saved.save(account, card(a));
        if (!id) throw std::runtime_error(id.error().detail);
        return *id;
    }

    TempDir dir;
    std::unique_ptr<storage::sqlite::SqliteStore> store = mail::testing::open_migrated(dir);
    ManualClock clock{kStart};
    assessment::Library library = content::load_embedded_editions().value();
    SavedAssessments saved{*store, clock};
};

TEST_F(SavedAssessmentsTest, saving_stores_the_scorecard_with_its_edition_and_the_time) {
    const auto c = card(Answer::NotDone);
    auto id = saved.save(7, c);
    ASSERT_OK(id);
    auto got = store->query<std::optional<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().get(7, *id); });
    ASSERT_TRUE(got && *got);
    EXPECT_EQ((*got)->edition, c.edition);
    EXPECT_EQ((*got)->score, c.score);
    EXPECT_EQ((*got)->answers, c.answers);
    EXPECT_EQ((*got)->taken_at, kStart);
}

TEST_F(SavedAssessmentsTest, latest_is_the_newest_of_the_accounts_own) {
    auto none = saved.latest(1);
    ASSERT_OK(none);
    EXPECT_FALSE(*none);

    save(1, Answer::Partly);
    const auto newest = save(1, Answer::NotDone);
    save(2, Answer::Unknown);
    auto latest = saved.latest(1);
    ASSERT_OK(latest);
    ASSERT_TRUE(*latest);
    EXPECT_EQ((*latest)->id, newest);
}

TEST_F(SavedAssessmentsTest, a_result_comes_with_the_one_the_account_saved_before_it) {
    const auto first = save(1, Answer::Partly);
    save(2, Answer::Unknown);  // another account's, saved in between
    const auto second = save(1, Answer::NotDone);

    auto pair = saved.with_previous(1, second);
    ASSERT_OK(pair);
    EXPECT_EQ(pair->current.id, second);
    ASSERT_TRUE(pair->previous);
    EXPECT_EQ(pair->previous->id, first);

    auto only = saved.with_previous(1, first);
    ASSERT_OK(only);
    EXPECT_EQ(only->current.id, first);
    EXPECT_FALSE(only->previous);
}

TEST_F(SavedAssessmentsTest, another_accounts_result_or_no_id_is_not_found) {
    const auto theirs = save(2, Answer::Partly);
    save(1, Answer::Partly);
    for (std::int64_t id : {theirs, std::int64_t{0}, std::int64_t{-1}, theirs + 100}) {
        auto r = saved.with_previous(1, id);
        ASSERT_FALSE(r) << id;
        EXPECT_EQ(r.error().kind, Error::Kind::NotFound);
        EXPECT_EQ(r.error().code, "assessment.not_found");
    }
}

TEST_F(SavedAssessmentsTest, one_account_saves_at_most_sixty_an_hour) {
    const auto c = card(Answer::Done);
    for (int i = 0; i < 60; ++i) ASSERT_OK(saved.save(3, c));
    auto refused = saved.save(3, c);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::TooMany);
    ASSERT_OK(saved.save(4, c));  // another account is not held back
    clock.advance(std::chrono::hours(1));
    ASSERT_OK(saved.save(3, c));
}

}  // namespace
}  // namespace sengen::app
