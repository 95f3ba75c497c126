// The questionnaire edition's lookups and point totals. Reading an edition from its file is the
// content loader's work (src/content/edition_loader.cpp).
#include "domain/assessment/edition.hpp"

namespace sengen::assessment {

const Choice& Edition::choice(Answer a) const {
    for (const auto& c : choices)
        if (c.answer == a) return c;
    return choices.at(0);  // unreachable for a loaded edition: it has all four
}

int Edition::max_points() const { return static_cast<int>(questions.size()) * points(Answer::Done); }
int Edition::min_points() const { return static_cast<int>(questions.size()) * points(Answer::Unknown); }
int Edition::part_max(int p) const { return part(p).question_count() * points(Answer::Done); }

}  // namespace sengen::assessment
