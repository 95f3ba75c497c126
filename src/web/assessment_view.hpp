// What the self-assessment pages, the report and the API show: the mustache data, the report
// view model and the JSON documents, built from an edition, answers and a scorecard. No rules
// here: scoring lives in domain/assessment/.
#pragma once
#include <array>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/assessment/scoring.hpp"
#include "render/assessment_report.hpp"
#include "web/app.hpp"

namespace sengen::web::assessment_view {

using assessment::Answers;
using assessment::Edition;
using assessment::Scorecard;

// The form field of a question ("q7") and back.
std::string field_name(int question);

mustache::data start_page(const Context& ctx, const Edition& e);

// One part of the questionnaire, with the answers so far (this part's as radios, the others as
// hidden fields) and the errors to show (for this part's questions, and any others).
mustache::data part_page(const Context& ctx, const Edition& e, int part, const Answers& answers,
                         const std::vector<FieldError>& errors, const std::string& csrf);

mustache::data result_page(const Context& ctx, const Edition& e, const Scorecard& card, const std::string& csrf,
                           const std::string& business_name, const std::vector<FieldError>& errors);

// The report for the PDF and the CSV. `date` is the day as the reader's language writes it.
render::AssessmentReport report(const i18n::Catalogue& cat, i18n::Lang lang, const Edition& e, const Scorecard& card,
                                const std::string& business_name, const std::string& date);

// GET /api/v1/assessment: texts in one language, or both ({"ja":..,"en":..}) when nullopt.
nlohmann::ordered_json edition_json(const Edition& e, std::optional<i18n::Lang> lang);

// Every edition's question titles and steps, in each language, as the scoring API writes them:
// written once, since they are the same in every answer (most of an answer's bytes).
class ScoreTexts {
public:
    explicit ScoreTexts(const assessment::Library& library);
    struct Written {
        std::string title;  // a JSON string
        std::string steps;  // a JSON array of strings
    };
    // Question `number` of `e` in `lang`; nullptr for an edition not in the library.
    const Written* find(const Edition& e, int number, i18n::Lang lang) const;

private:
    std::unordered_map<const Edition*, std::vector<std::array<Written, i18n::all_langs.size()>>> texts_;
};

// POST /api/v1/assessments/score. `texts`, when given, supplies the question texts already written.
std::string scorecard_json(const Edition& e, const Scorecard& card, i18n::Lang lang, const ScoreTexts* texts = nullptr);

}  // namespace sengen::web::assessment_view
