#include "storage/sqlite/assessments.hpp"

#include "storage/assessment_sql.hpp"

namespace sengen::storage::sqlite {

namespace {

// Columns: id, account_id, edition, answers, score, taken_at
Result<SavedAssessment> read_assessment(SQLite::Statement& st) {
    SavedAssessment a;
    a.id = st.getColumn(0).getInt64();
    a.account_id = st.getColumn(1).getInt64();
    a.edition = st.getColumn(2).getString();
    auto answers = assessment::decode_answers(st.getColumn(3).getString());
    if (!answers) return fail(Error::unavailable("storage.corrupt", answers.error().detail));
    a.answers = std::move(*answers);
    a.score = st.getColumn(4).getInt();
    a.taken_at = from_unix_seconds(st.getColumn(5).getInt64());
    return a;
}

}  // namespace

Result<std::int64_t> SqliteAssessments::save(std::int64_t account_id, const std::string& edition,
                                             const assessment::Answers& answers, int score, TimePoint taken_at) {
    auto& st = c_.statement(sql::kInsertAssessment);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, edition);
    bind_at(st, 3, assessment::encode_answers(answers));
    bind_at(st, 4, score);
    bind_time(st, 5, taken_at);
    st.executeStep();
    return st.getColumn(0).getInt64();
}

Result<std::vector<SavedAssessment>> SqliteAssessments::list(std::int64_t account_id, std::size_t limit) {
    auto& st = c_.statement(sql::kListAssessments);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, static_cast<int64_t>(limit));
    std::vector<SavedAssessment> out;
    while (st.executeStep()) {
        auto a = read_assessment(st);
        if (!a) return fail(a.error());
        out.push_back(std::move(*a));
    }
    return out;
}

Result<std::optional<SavedAssessment>> SqliteAssessments::get(std::int64_t account_id, std::int64_t id) {
    auto& st = c_.statement(sql::kGetAssessment);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, static_cast<int64_t>(id));
    if (!st.executeStep()) return std::optional<SavedAssessment>{};
    auto a = read_assessment(st);
    if (!a) return fail(a.error());
    return std::optional<SavedAssessment>{std::move(*a)};
}

}  // namespace sengen::storage::sqlite
