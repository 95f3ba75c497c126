// render::xlsx_bytes with text longer than an Excel cell holds: the workbook is still written
// (the cell cut to Excel's limit), so that a long cell in a verifier's upload or an export does not
// turn the download into an error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "render/xlsx_table.hpp"

namespace sengen::render {
namespace {

TEST(XlsxTable, a_cell_longer_than_excel_holds_is_cut_and_the_workbook_is_still_written) {
    const std::string long_text(40000, 'a');
    // Three bytes a character: the limit counts characters, not bytes.
    std::string long_japanese;
    for (int i = 0; i < 33000; ++i) long_japanese += "\xE3\x81\x82";  // あ
    const std::vector<std::string_view> header = {"id", long_text};
    std::vector<std::vector<XlsxCell>> rows = {{{long_text}, {long_japanese}}, {{"short"}, {{}, 1.0}}};
    auto bytes = xlsx_bytes("results", header, rows);
    ASSERT_TRUE(bytes) << bytes.error().detail;
    EXPECT_TRUE(bytes->starts_with("PK"));
}

TEST(XlsxTable, columns_beyond_excels_last_are_left_out_and_the_workbook_is_still_written) {
    std::vector<std::string> names(20000, "c");
    const std::vector<std::string_view> header(names.begin(), names.end());
    std::vector<std::vector<XlsxCell>> rows(1, std::vector<XlsxCell>(20000, XlsxCell{"x"}));
    auto bytes = xlsx_bytes("results", header, rows);
    ASSERT_TRUE(bytes) << bytes.error().detail;
}

TEST(XlsxTable, text_within_the_limit_is_kept_whole) {
    EXPECT_EQ(excel_cell_text(std::string(32767, 'a')).size(), 32767u);
    EXPECT_EQ(excel_cell_text(std::string(32768, 'a')).size(), 32767u);
    std::string japanese;
    for (int i = 0; i < 32768; ++i) japanese += "\xE3\x81\x82";
    // Cut between characters, never inside one.
    EXPECT_EQ(excel_cell_text(japanese).size(), std::size_t{32767} * 3);
    EXPECT_EQ(excel_cell_text("短い"), "短い");
}

}  // namespace
}  // namespace sengen::render
