// SQL of the saved self-assessments, the same text on SQLite and PostgreSQL.
#pragma once
#include "storage/sql.hpp"

namespace sengen::storage::sql {

// Columns read by each adapter: id, account_id, edition, answers, score, taken_at.
inline constexpr Statement kInsertAssessment{
    "insert_assessment",
    "INSERT INTO self_assessments (account_id, edition, answers, score, taken_at) VALUES ($1, $2, $3, $4, $5) "
    "RETURNING id"};
inline constexpr Statement kListAssessments{
    "list_assessments",
    "SELECT id, account_id, edition, answers, score, taken_at FROM self_assessments WHERE account_id = $1 "
    "ORDER BY taken_at DESC, id DESC LIMIT $2"};
inline constexpr Statement kGetAssessment{
    "get_assessment",
    "SELECT id, account_id, edition, answers, score, taken_at FROM self_assessments WHERE account_id = $1 AND id = $2"};

}  // namespace sengen::storage::sql
