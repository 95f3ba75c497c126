// Use cases of the ★★ self-assessment: score a set of answers, save a result for an account.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "domain/assessment/scoring.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// Every edition compiled into the binary (content/assessment/*.toml), checked. Fails with each
// problem as "file:line: what" in the error's detail.
Result<assessment::Library> load_embedded_editions();

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

// Saves a scored result for a signed-in account, in one transaction. Returns its id. TooMany past
// 60 saves an hour for one account.
Result<std::int64_t> save_assessment(Store& store, std::int64_t account_id, const assessment::Scorecard& card,
                                     TimePoint at);

}  // namespace sengen::app
