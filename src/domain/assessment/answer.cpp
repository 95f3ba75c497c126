#include "domain/assessment/answer.hpp"

namespace sengen::assessment {

std::string_view choice_id(Answer a) {
    switch (a) {
        case Answer::Done:
            return "done";
        case Answer::Partly:
            return "partly";
        case Answer::NotDone:
            return "not_done";
        case Answer::Unknown:
            return "unknown";
    }
    return "unknown";
}

std::optional<Answer> parse_choice(std::string_view id) {
    for (auto a : all_answers)
        if (choice_id(a) == id) return a;
    return std::nullopt;
}

int rule_points(Answer a) {
    switch (a) {
        case Answer::Done:
            return 4;
        case Answer::Partly:
            return 2;
        case Answer::NotDone:
            return 0;
        case Answer::Unknown:
            return -1;
    }
    return -1;
}

}  // namespace sengen::assessment
