// Saved self-assessments (table self_assessments): SQL and row mapping.
#include "codec/stored_json.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

#define SENGEN_ASSESSMENT_COLUMNS "id, account_id, edition, answers, score, taken_at"

constexpr Statement kInsert{"insert_assessment",
                            "INSERT INTO self_assessments (account_id, edition, answers, score, taken_at) "
                            "VALUES ($1, $2, $3, $4, $5) RETURNING id"};
constexpr Statement kList{"list_assessments", "SELECT " SENGEN_ASSESSMENT_COLUMNS
                                              " FROM self_assessments WHERE account_id = $1 "
                                              "ORDER BY taken_at DESC, id DESC LIMIT $2"};
constexpr Statement kGet{
    "get_assessment", "SELECT " SENGEN_ASSESSMENT_COLUMNS " FROM self_assessments WHERE account_id = $1 AND id = $2"};

// Columns: SENGEN_ASSESSMENT_COLUMNS
Result<SavedAssessment> read_assessment(const Row& r) {
    SavedAssessment a;
    a.id = r.int64(0);
    a.account_id = r.int64(1);
    a.edition = r.string(2);
    auto answers = codec::decode_answers(r.string(3));
    if (!answers) return fail(corrupt(answers.error().detail));
    a.answers = std::move(*answers);
    a.score = r.integer(4);
    a.taken_at = r.time(5);
    return a;
}

}  // namespace

Result<std::int64_t> SqlAssessments::save(std::int64_t account_id, const std::string& edition,
                                          const assessment::Answers& answers, int score, TimePoint taken_at) {
    auto id = first_int64(c_, kInsert, {account_id, edition, codec::encode_answers(answers), score, taken_at});
    if (!id) return fail(id.error());
    return id->value_or(0);
}

Result<std::vector<SavedAssessment>> SqlAssessments::list(std::int64_t account_id, std::size_t limit) {
    return all(c_, kList, {account_id, limit}, read_assessment);
}

Result<std::optional<SavedAssessment>> SqlAssessments::get(std::int64_t account_id, std::int64_t id) {
    return first(c_, kGet, {account_id, id}, read_assessment);
}

}  // namespace sengen::storage
