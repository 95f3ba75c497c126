// The self-assessment report PDF as a user gets it: the current edition's questions, answers and
// advice in Japanese and English, laid out by the report view and drawn by the renderer.
#include <gtest/gtest.h>

#include "content/edition_loader.hpp"
#include "domain/assessment/scoring.hpp"
#include "render/assessment_report.hpp"
#include "web/assessment_view.hpp"
#include "web/catalogue_loader.hpp"

using namespace sengen;

namespace {

std::string report_pdf(i18n::Lang lang, assessment::Answer answer) {
    static const auto library = content::load_embedded_editions().value();
    static const auto catalogue = web::load_embedded_catalogue().value();
    const auto& edition = library.current();
    assessment::Answers answers;
    for (const auto& q : edition.questions) answers[q.number] = answer;
    auto card = assessment::score(edition, answers).value();
    auto view = web::assessment_view::report(catalogue, lang, edition, card, "有限会社サンプル商店", "2025-01-31");
    return render::assessment_pdf(view).value();
}

}  // namespace

// Every answer "don't know" gives the longest report: every question with its advice. Cairo embeds
// only the glyphs it uses of the TrueType face; Noto Sans CJK's CFF faces made the same report
// 1.85 MB (ADR 58).
TEST(ReportPdf, the_longest_report_embeds_only_the_glyphs_it_uses) {
    for (auto lang : i18n::all_langs) {
        auto pdf = report_pdf(lang, assessment::Answer::Unknown);
        EXPECT_NE(pdf.find("BIZUDPGothic"), std::string::npos) << "the document face is not embedded";
        EXPECT_LT(pdf.size(), 300'000u) << code(lang);
    }
}
