// Use cases of the ★★ self-assessment: score a set of answers; save results for an account and
// read them back (My Page, comparing two results, the policy editor's suggestions).
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/assessment/scoring.hpp"
#include "domain/clock.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// Reads raw answers and scores them. Invalid when anything is wrong, with every field error at
// once (invalid choices, unknown questions, unanswered questions), ordered by question number.
Result<assessment::Scorecard> score_assessment(const assessment::Edition& edition,
                                               const std::vector<assessment::RawAnswer>& raw);

// The problems with the answers given so far, for a questionnaire being filled in part by part:
// invalid choices anywhere, and unanswered questions of `required_part` (none when nullopt).
// Ordered by question number.
struct PartialAnswers {
    assessment::Answers answers;
    std::vector<FieldError> errors;
};
PartialAnswers check_answers(const assessment::Edition& edition, const std::vector<assessment::RawAnswer>& raw,
                             std::optional<int> required_part);

// The results signed-in accounts have saved. Only the account that saved a result can read it.
class SavedAssessments {
public:
    SavedAssessments(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    // Saves a scored result for the account, taken now, in one transaction. Returns its id.
    // TooMany past 60 saves an hour for one account.
    Result<std::int64_t> save(std::int64_t account_id, const assessment::Scorecard& card);

    // The account's results, newest first, at most `limit` of them.
    Result<std::vector<SavedAssessment>> list(std::int64_t account_id, std::size_t limit);
    // The account's newest result, if it has saved one.
    Result<std::optional<SavedAssessment>> latest(std::int64_t account_id);

    // The account's result `id` and the one it saved just before it (none for its first).
    // NotFound "assessment.not_found" when the account has no result with that id.
    struct WithPrevious {
        SavedAssessment current;
        std::optional<SavedAssessment> previous;
    };
    Result<WithPrevious> with_previous(std::int64_t account_id, std::int64_t id);

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace sengen::app
