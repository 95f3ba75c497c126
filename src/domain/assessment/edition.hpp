// A questionnaire edition: the versioned content of the ★★ self-assessment (content/assessment/
// <edition>.toml), checked when loaded. Pure: the loader takes the file's text.
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

// Texts in both languages of the site; neither is ever empty in a loaded edition.
using sengen::Localized;
using sengen::LocalizedList;

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

// What to answer when a question does not fit the business (no staff, no office, no Wi-Fi, no
// outside services): the answer to give and a hint that says when, naming that answer's label.
struct NotApplicable {
    Answer answer = Answer::Done;
    Localized hint;
};

struct Question {
    int number = 0;
    int part = 0;
    Localized title;  // a short topic, for lists and charts
    Localized text;   // the question itself
    Localized why;    // why it matters
    LocalizedList steps;
    std::optional<NotApplicable> not_applicable;  // absent where every business can answer as asked
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

// The number of questions every edition has (the 25 of IPA's 自社診断, domain.md §3.1).
inline constexpr int kQuestionCount = 25;

// Parses and checks an edition file. On failure the error (Invalid, code "content.invalid") has
// one line per problem in `detail`, each "file:line: what is wrong".
Result<Edition> load_edition(std::string_view text, std::string_view file_name);

// Every edition the server knows, by id; `current()` is the one with the latest date.
using Library = Versions<Edition>;

}  // namespace sengen::assessment
