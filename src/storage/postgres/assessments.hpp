// PostgreSQL repository of saved self-assessments.
#pragma once
#include <pqxx/pqxx>

#include "domain/ports.hpp"
#include "storage/assessment_sql.hpp"

namespace sengen::storage::postgres {

extern const sql::Statement* const kAssessmentStatements[];
extern const std::size_t kAssessmentStatementCount;

class PgAssessments final : public AssessmentRepository {
public:
    explicit PgAssessments(pqxx::transaction_base& t) : t_(t) {}
    Result<std::int64_t> save(std::int64_t account_id, const std::string& edition, const assessment::Answers& answers,
                              int score, TimePoint taken_at) override;
    Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit) override;
    Result<std::optional<SavedAssessment>> get(std::int64_t account_id, std::int64_t id) override;

private:
    pqxx::transaction_base& t_;
};

}  // namespace sengen::storage::postgres
