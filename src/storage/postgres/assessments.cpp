#include "storage/postgres/assessments.hpp"

namespace sengen::storage::postgres {

const sql::Statement* const kAssessmentStatements[] = {&sql::kInsertAssessment, &sql::kListAssessments,
                                                       &sql::kGetAssessment};
const std::size_t kAssessmentStatementCount = std::size(kAssessmentStatements);

namespace {

Result<SavedAssessment> read_assessment(const pqxx::row& r) {
    SavedAssessment a;
    a.id = r[0].as<std::int64_t>();
    a.account_id = r[1].as<std::int64_t>();
    a.edition = r[2].as<std::string>();
    auto answers = assessment::decode_answers(r[3].as<std::string>());
    if (!answers) return fail(Error::unavailable("storage.corrupt", answers.error().detail));
    a.answers = std::move(*answers);
    a.score = r[4].as<int>();
    a.taken_at = from_unix_seconds(r[5].as<std::int64_t>());
    return a;
}

}  // namespace

Result<std::int64_t> PgAssessments::save(std::int64_t account_id, const std::string& edition,
                                         const assessment::Answers& answers, int score, TimePoint taken_at) {
    auto r = t_.exec_prepared(std::string(sql::kInsertAssessment.name), account_id, edition,
                              assessment::encode_answers(answers), score, unix_seconds(taken_at));
    return r[0][0].as<std::int64_t>();
}

Result<std::vector<SavedAssessment>> PgAssessments::list(std::int64_t account_id, std::size_t limit) {
    std::vector<SavedAssessment> out;
    for (const auto& row :
         t_.exec_prepared(std::string(sql::kListAssessments.name), account_id, static_cast<std::int64_t>(limit))) {
        auto a = read_assessment(row);
        if (!a) return fail(a.error());
        out.push_back(std::move(*a));
    }
    return out;
}

Result<std::optional<SavedAssessment>> PgAssessments::get(std::int64_t account_id, std::int64_t id) {
    auto r = t_.exec_prepared(std::string(sql::kGetAssessment.name), account_id, id);
    if (r.empty()) return std::optional<SavedAssessment>{};
    auto a = read_assessment(r[0]);
    if (!a) return fail(a.error());
    return std::optional<SavedAssessment>{std::move(*a)};
}

}  // namespace sengen::storage::postgres
