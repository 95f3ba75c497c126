// Scoring the ★★ self-assessment: the total, the parts, the band, the items to review and the
// prioritised list of improvements. Pure.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/answer.hpp"
#include "domain/assessment/edition.hpp"
#include "domain/error.hpp"

namespace sengen::assessment {

enum class Band { Complete, Gaps, Inadequate, Urgent };
std::string_view band_id(Band b);  // "complete", "gaps", "inadequate", "urgent"

// The band of a total (see scoring.cpp for the source).
Band band_for(int total);

struct PartScore {
    int part = 0;
    int score = 0;
    int max = 0;
};

// One thing to improve: a question not answered "done".
struct Action {
    int question = 0;
    Answer answer = Answer::Unknown;
    int points = 0;
};

struct Scorecard {
    std::string edition;
    Answers answers;  // complete: one per question
    int score = 0;
    int max = 0;
    int min = 0;
    Band band = Band::Urgent;
    std::vector<PartScore> parts;
    std::vector<int> unknown_items;  // "don't know" answers, to look at again, by number
    std::vector<Action> actions;     // every answer other than done; lowest points first, then number
};

// Answers as sent by a form or the API: the key names a question ("7"); the value is the choice
// id, or nullopt when it was not text at all.
struct RawAnswer {
    std::string key;
    std::optional<std::string> value;
};

// Reads raw answers against an edition. Empty values count as not answered. Field errors
// ("answers.<n>") have code "invalid_choice" for a value that is no choice, "unknown_question"
// for a key that names no question of the edition. Repeated keys: the first wins.
struct ReadAnswers {
    Answers answers;
    std::vector<FieldError> errors;
};
ReadAnswers read_answers(const Edition& e, const std::vector<RawAnswer>& raw);

// The questions of `part` (all parts when nullopt) that have no answer, as "required" errors.
std::vector<FieldError> missing_answers(const Edition& e, const Answers& a, std::optional<int> part = std::nullopt);

// The question number a field error is about ("answers.7" -> 7), if any.
std::optional<int> question_of(const FieldError& f);

// Scores a complete set of answers; Invalid with a "required" error for each unanswered question.
Result<Scorecard> score(const Edition& e, const Answers& a);

}  // namespace sengen::assessment
