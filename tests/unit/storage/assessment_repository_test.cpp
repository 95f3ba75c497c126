// The self-assessment repository on a real SQLite file, migrated from the embedded migrations.
#include <gtest/gtest.h>

#include <filesystem>

#include "../support/temp_dir.hpp"
#include "app/assessment.hpp"
#include "content/edition_loader.hpp"
#include "storage/sqlite/sqlite_store.hpp"

using namespace sengen;
using assessment::Answer;
using assessment::Answers;

namespace {

class AssessmentRepositoryTest : public ::testing::Test {
protected:
    void SetUp() override {
        auto s = storage::sqlite::SqliteStore::open(dir.path() + "/sengen.db");
        ASSERT_TRUE(s) << s.error().detail;
        store = std::move(*s);
        auto m = store->migrate();
        ASSERT_TRUE(m) << m.error().detail;
    }

    Result<std::int64_t> save(std::int64_t account, const Answers& a, int score, std::int64_t at) {
        return store->query<std::int64_t>(TxMode::Write, [&](Transaction& tx) {
            return tx.assessments().save(account, "2023", a, score, from_unix_seconds(at));
        });
    }

    test_support::TempDir dir;
    std::unique_ptr<storage::sqlite::SqliteStore> store;
};

Answers sample(Answer a) {
    Answers out;
    for (int n = 1; n <= 25; ++n) out[n] = n % 2 ? a : Answer::Done;
    return out;
}

}  // namespace

TEST_F(AssessmentRepositoryTest, saves_and_lists_an_accounts_results_newest_first) {
    auto first = save(1, sample(Answer::Partly), 88, 1'700'000'000);
    auto second = save(1, sample(Answer::Unknown), 36, 1'700'086'400);
    auto other = save(2, sample(Answer::NotDone), 52, 1'700'000'500);
    ASSERT_TRUE(first && second && other);
    EXPECT_NE(*first, *second);

    auto list = store->query<std::vector<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().list(1, 10); });
    ASSERT_TRUE(list) << list.error().detail;
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].id, *second);
    EXPECT_EQ((*list)[0].score, 36);
    EXPECT_EQ((*list)[0].edition, "2023");
    EXPECT_EQ((*list)[0].answers, sample(Answer::Unknown));
    EXPECT_EQ(unix_seconds((*list)[0].taken_at), 1'700'086'400);
    EXPECT_EQ((*list)[1].id, *first);
    EXPECT_EQ((*list)[1].account_id, 1);

    auto limited = store->query<std::vector<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().list(1, 1); });
    ASSERT_TRUE(limited);
    EXPECT_EQ(limited->size(), 1u);
}

TEST_F(AssessmentRepositoryTest, get_returns_a_result_only_to_its_own_account) {
    auto id = save(1, sample(Answer::Partly), 88, 1'700'000'000);
    ASSERT_TRUE(id);
    auto mine = store->query<std::optional<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().get(1, *id); });
    ASSERT_TRUE(mine);
    ASSERT_TRUE(*mine);
    EXPECT_EQ((*mine)->answers, sample(Answer::Partly));
    auto theirs = store->query<std::optional<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().get(2, *id); });
    ASSERT_TRUE(theirs);
    EXPECT_FALSE(*theirs);
    auto none = store->query<std::optional<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().get(1, *id + 100); });
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);
}

TEST_F(AssessmentRepositoryTest, a_score_outside_minus_25_to_100_is_refused_by_the_database) {
    auto r = save(1, sample(Answer::Done), 101, 1'700'000'000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::Unavailable);
    auto list = store->query<std::vector<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().list(1, 10); });
    ASSERT_TRUE(list);
    EXPECT_TRUE(list->empty());
}
