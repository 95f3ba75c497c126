// The self-assessment report as a PDF (cairo + pango, BIZ UDPGothic, A4) and as a CSV, from a
// plain view model whose texts are already in the reader's language.
#pragma once
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/lang.hpp"

namespace sengen::render {

struct ReportLabels {
    std::string title;            // document title
    std::string business;         // "Business name"
    std::string date;             // "Date"
    std::string edition;          // "Questionnaire"
    std::string score;            // "Score"
    std::string score_value;      // e.g. "72 / 100", already formatted
    std::string next_step;        // "Next step: ..." with the band's next step filled in
    std::string chart_parts;      // "Score by part"
    std::string chart_questions;  // "Points by question"
    std::string review;           // "Answers to check again"
    std::string review_none;      // "None"
    std::string answers;          // "Your answers"
    std::string col_number;       // "No."
    std::string col_part;         // "Part"
    std::string col_question;     // "Question"
    std::string col_answer;       // "Answer"
    std::string col_points;       // "Points"
    std::string col_edition;      // "Edition" (CSV only)
    std::string actions;          // "What to improve, in order"
    std::string actions_none;     // shown when every answer is done
    std::string page;             // "Page {n}" — {n} is replaced
    std::string footer;           // the site name and a note
};

struct ReportPart {
    std::string label;  // "Part 1: Basic measures"
    int score = 0;
    int max = 0;
};

struct ReportAnswer {
    int number = 0;
    int part = 0;
    std::string title;
    std::string question;
    std::string answer_id;  // "done", "partly", "not_done", "unknown"
    std::string answer;     // its label
    int points = 0;
};

struct ReportAction {
    int number = 0;
    std::string heading;    // e.g. "質問7　メールやFAXの送り間違い"
    std::string status;     // e.g. "いまの答え：わからない（-1点）"
    std::string answer_id;  // for the status colour
    std::vector<std::string> steps;
};

struct AssessmentReport {
    Lang lang = Lang::Ja;  // the text language, for font shaping
    ReportLabels labels;
    std::string business_name;  // may be empty
    std::string date;           // as a person reads it: "2026年4月1日", "1 April 2026"
    std::string edition_id;
    std::string edition_title;
    int score = 0;
    int max = 100;
    std::string band_id;
    std::string band_title;
    std::string band_meaning;
    std::string band_next;
    std::vector<ReportPart> parts;
    std::vector<ReportAnswer> answers;      // every question, by number
    std::vector<ReportAction> actions;      // in priority order
    std::vector<std::string> review_items;  // headings of the questions answered "don't know"
};

// An A4 PDF. Fails (Unavailable) only if cairo cannot produce it.
Result<std::string> assessment_pdf(const AssessmentReport& report);

// The answers as CSV for spreadsheets: UTF-8 with a byte-order mark (Excel needs it), CRLF line
// ends, RFC 4180 quoting, each text cell through csv_cell (render/csv.hpp). Columns: number, part, question, answer,
// points, edition.
std::string assessment_csv(const AssessmentReport& report);

// Loads fontconfig and the fonts once (~200 ms), so that the first report a user asks for is not
// slow (fontconfig's first start is the cost). Call at start-up, from main.
void warm_up();

}  // namespace sengen::render
