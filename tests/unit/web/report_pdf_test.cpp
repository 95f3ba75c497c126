// The self-assessment report PDF as a user gets it: the current edition's questions, answers and
// advice in Japanese and English, laid out by the report view and drawn by the renderer.
#include <gtest/gtest.h>

#include "content/edition_loader.hpp"
#include "domain/assessment/scoring.hpp"
#include "render/assessment_report.hpp"
#include "render/fonts.hpp"
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

// The PDF without its creation time, the one thing that differs between two drawings of it.
std::string timeless(std::string pdf) {
    auto at = pdf.find("/CreationDate (");
    if (at != std::string::npos) pdf.erase(at, pdf.find(')', at) - at);
    return pdf;
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

// The renderer keeps the layouts of texts it has drawn (ADR 58): a report drawn with them, after
// other reports in both languages, is byte for byte the report drawn with none kept.
TEST(ReportPdf, a_report_drawn_with_kept_layouts_is_the_one_drawn_cold) {
    render::forget_layouts();
    const auto cold = report_pdf(i18n::Lang::Ja, assessment::Answer::Unknown);
    (void)report_pdf(i18n::Lang::En, assessment::Answer::Unknown);
    (void)report_pdf(i18n::Lang::Ja, assessment::Answer::Partly);
    const auto warm = report_pdf(i18n::Lang::Ja, assessment::Answer::Unknown);
    EXPECT_EQ(timeless(warm), timeless(cold));
    EXPECT_NE(timeless(report_pdf(i18n::Lang::Ja, assessment::Answer::Partly)), timeless(cold));
}
