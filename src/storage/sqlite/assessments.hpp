// SQLite repository of saved self-assessments.
#pragma once
#include "domain/ports.hpp"
#include "storage/sqlite/connection.hpp"

namespace sengen::storage::sqlite {

class SqliteAssessments final : public AssessmentRepository {
public:
    explicit SqliteAssessments(Connection& c) : c_(c) {}
    Result<std::int64_t> save(std::int64_t account_id, const std::string& edition, const assessment::Answers& answers,
                              int score, TimePoint taken_at) override;
    Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit) override;
    Result<std::optional<SavedAssessment>> get(std::int64_t account_id, std::int64_t id) override;

private:
    Connection& c_;
};

}  // namespace sengen::storage::sqlite
