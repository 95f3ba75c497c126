#include "render/csv.hpp"

#include <gtest/gtest.h>

using namespace sengen::render;

TEST(CsvCell, plain_text_is_written_as_it_is) {
    EXPECT_EQ(csv_cell(""), "");
    EXPECT_EQ(csv_cell("実施している"), "実施している");
    EXPECT_EQ(csv_cell("a=b"), "a=b");  // only the first character can start a formula
    EXPECT_EQ(csv_cell("03-1234-5678"), "03-1234-5678");
    EXPECT_EQ(csv_cell("'quoted already"), "'quoted already");
}

TEST(CsvCell, rfc_4180_quoting) {
    EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_cell("cr\rhere"), "\"cr\rhere\"");
}

TEST(CsvCell, a_cell_that_could_start_a_formula_gets_a_single_quote_in_front) {
    EXPECT_EQ(csv_cell("=1+1"), "'=1+1");
    EXPECT_EQ(csv_cell("+81 3 1234 5678"), "'+81 3 1234 5678");
    EXPECT_EQ(csv_cell("-1"), "'-1");
    EXPECT_EQ(csv_cell("@SUM(A1:A9)"), "'@SUM(A1:A9)");
    EXPECT_EQ(csv_cell("\t=1+1"), "'\t=1+1");
    EXPECT_EQ(csv_cell("\r=1+1"), "\"'\r=1+1\"");
    EXPECT_EQ(csv_cell("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
    EXPECT_EQ(csv_cell("=HYPERLINK(\"http://x.example\",\"x\")"),
              "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"x\"\")\"");
    // Full-width forms, as a Japanese keyboard types them.
    EXPECT_EQ(csv_cell("＝１＋１"), "'＝１＋１");
    EXPECT_EQ(csv_cell("＋1"), "'＋1");
    EXPECT_EQ(csv_cell("－1"), "'－1");
    EXPECT_EQ(csv_cell("＠x"), "'＠x");
}
