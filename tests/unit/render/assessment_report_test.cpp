// The report renderers: the CSV's bytes exactly, and the PDF's structure (its text is read back
// with pdftotext by the HTTP tests).
#include <gtest/gtest.h>

#include <regex>

#include "render/assessment_report.hpp"
#include "render/fonts.hpp"

using namespace sengen::render;

namespace {

AssessmentReport sample(int answers) {
    AssessmentReport r;
    r.lang = sengen::Lang::Ja;
    r.labels.title = "自社診断 結果レポート";
    r.labels.col_number = "番号";
    r.labels.col_part = "パート";
    r.labels.col_question = "質問";
    r.labels.col_answer = "答え";
    r.labels.col_points = "点数";
    r.labels.col_edition = "版";
    r.labels.page = "{n}ページ";
    r.labels.score_value = "72点（100点満点）";
    r.edition_id = "2023";
    r.edition_title = "2023年版";
    r.date = "2025-01-31";
    r.band_id = "gaps";
    for (int n = 1; n <= answers; ++n)
        r.answers.push_back({n,
                             n <= 5    ? 1
                             : n <= 18 ? 2
                                       : 3,
                             "題", "パソコンのOSやソフトウェアを最新にしていますか？", n % 3 ? "done" : "unknown",
                             n % 3 ? "実施している" : "わからない", n % 3 ? 4 : -1});
    return r;
}

int page_count(const std::string& pdf) {
    // Each page object of cairo's output carries "/Type /Page" (the page tree is "/Type /Pages").
    std::regex page(R"(/Type\s*/Page[^s])");
    return static_cast<int>(std::distance(std::sregex_iterator(pdf.begin(), pdf.end(), page), std::sregex_iterator()));
}

}  // namespace

TEST(AssessmentCsv, starts_with_a_bom_and_a_header_and_has_one_crlf_row_per_answer) {
    auto r = sample(2);
    r.answers[1].question = "Say \"hi\", then\nstop";
    auto csv = assessment_csv(r);
    EXPECT_EQ(csv,
              "\xEF\xBB\xBF"
              "番号,パート,質問,答え,点数,版\r\n"
              "1,1,パソコンのOSやソフトウェアを最新にしていますか？,実施している,4,2023\r\n"
              "2,1,\"Say \"\"hi\"\", then\nstop\",実施している,4,2023\r\n");
}

TEST(AssessmentCsv, negative_points_stay_numbers) {
    auto csv = assessment_csv(sample(3));
    EXPECT_NE(csv.find("\r\n3,1,パソコンのOSやソフトウェアを最新にしていますか？,わからない,-1,2023\r\n"),
              std::string::npos);
}

TEST(AssessmentCsv, a_text_cell_that_looks_like_a_formula_is_written_as_text) {
    auto r = sample(3);
    r.answers[0].question = "=HYPERLINK(\"http://evil.example/\",\"click\")";
    r.answers[1].answer = "@SUM(1+1)";
    r.answers[2].question = "-2+3";
    r.edition_id = "+cmd";
    auto csv = assessment_csv(r);
    EXPECT_NE(csv.find("\r\n1,1,\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"click\"\")\","), std::string::npos)
        << csv;
    EXPECT_NE(csv.find(",'@SUM(1+1),"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\n3,1,'-2+3,わからない,-1,'+cmd\r\n"), std::string::npos) << csv;
}

TEST(AssessmentPdf, is_an_a4_pdf_with_fonts_embedded) {
    auto pdf = assessment_pdf(sample(25));
    ASSERT_TRUE(pdf) << pdf.error().detail;
    EXPECT_EQ(pdf->rfind("%PDF-", 0), 0u);
    EXPECT_NE(pdf->find("/MediaBox [ 0 0 595.27"), std::string::npos);
    EXPECT_NE(pdf->find("/FontFile"), std::string::npos) << "fonts are not embedded";
    EXPECT_NE(pdf->find("/ToUnicode"), std::string::npos) << "text would not be selectable";
}

TEST(AssessmentPdf, paginates_long_content_instead_of_running_off_the_page) {
    auto short_one = assessment_pdf(sample(3));
    auto r = sample(25);
    for (int i = 0; i < 25; ++i)
        r.actions.push_back(
            {i + 1,
             "質問　見出し",
             "いまの答え：わからない（-1点）",
             "unknown",
             {"一つ目の手順です。", "二つ目の手順です。とても長い説明が続きます。" + std::string(40 * 3, 'x'),
              "三つ目の手順です。"}});
    auto long_one = assessment_pdf(r);
    ASSERT_TRUE(short_one && long_one);
    EXPECT_EQ(page_count(*short_one), 1);
    EXPECT_GE(page_count(*long_one), 4);
}

TEST(AssessmentPdf, a_very_long_business_name_wraps_without_failing) {
    auto r = sample(25);
    for (int i = 0; i < 100; ++i) r.business_name += "長";
    auto pdf = assessment_pdf(r);
    ASSERT_TRUE(pdf);
}

// The document face is installed and chosen: without it fontconfig quietly picks another family,
// and the PDFs grow back to megabytes (ADR 58).
TEST(DocumentFont, is_the_one_the_documents_are_drawn_with) { EXPECT_EQ(document_font_in_use(), kDocumentFont); }
