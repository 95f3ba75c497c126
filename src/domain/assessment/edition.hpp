// A questionnaire edition: the versioned content of the ★★ self-assessment as plain data. It is
// read and checked from content/assessment/<edition>.toml by src/content/edition_loader.hpp.
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/answer.hpp"
#include "domain/error.hpp"
#include "domain/localized.hpp"
#include "domain/versions.hpp"

namespace sengen::assessment {

using sengen::Localized;

struct LocalizedList {
    std::vector<std::string> ja;
    std::vector<std::string> en;
    const std::vector<std::string>& in(std::string_view lang) const { return lang == "ja" ? ja : en; }
};

struct Choice {
    Answer answer;
    int points = 0;
    Localized label;
};

struct Part {
    int number = 0;
    int first = 0;  // first and last question numbers, inclusive
    int last = 0;
    Localized title;
    Localized intro;
    int question_count() const { return last - first + 1; }
};

struct Question {
    int number = 0;
    int part = 0;
    Localized title;  // a short topic, for lists and charts
    Localized text;   // the question itself
    Localized why;    // why it matters
    LocalizedList steps;
};

struct Edition {
    std::string id;    // e.g. "2023"
    std::string date;  // YYYY-MM-DD, the date of the revision it follows
    Localized title;
    Localized source;
    std::vector<Choice> choices;      // in points order, best first (done, partly, not_done, unknown)
    std::vector<Part> parts;          // by number, 1..n
    std::vector<Question> questions;  // by number, 1..25

    const Question& question(int number) const { return questions.at(static_cast<std::size_t>(number - 1)); }
    const Part& part(int number) const { return parts.at(static_cast<std::size_t>(number - 1)); }
    const Choice& choice(Answer a) const;
    int points(Answer a) const { return choice(a).points; }
    int max_points() const;  // every question done
    int min_points() const;  // every question unknown
    int part_max(int part) const;
};

// The number of questions every edition has (the 25 of IPA's 自社診断, docs/domain.md §3.1).
inline constexpr int kQuestionCount = 25;

// Every edition the server knows, by id; `current()` is the one with the latest date.
using Library = Versions<Edition>;

}  // namespace sengen::assessment
