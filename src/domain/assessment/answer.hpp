// The four answers of the self-assessment and a set of answers keyed by question number.
#pragma once
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace sengen::assessment {

// In points order, best first.
enum class Answer { Done, Partly, NotDone, Unknown };
inline constexpr std::array<Answer, 4> all_answers = {Answer::Done, Answer::Partly, Answer::NotDone, Answer::Unknown};

// The stable ids used in forms, the API, content files and storage: "done", "partly", "not_done",
// "unknown".
std::string_view choice_id(Answer a);
std::optional<Answer> parse_choice(std::string_view id);

// Points per answer, as IPA's 自社診断 scores them (docs/domain.md §3.1):
// done 4, partly 2, not done 0, don't know −1. Content files must agree (the loader checks).
int rule_points(Answer a);

// Question number -> answer. May be partial while the questionnaire is being filled in.
using Answers = std::map<int, Answer>;

}  // namespace sengen::assessment
