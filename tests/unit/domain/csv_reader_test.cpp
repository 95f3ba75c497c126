// Reading CSV text as spreadsheets write it.
#include <gtest/gtest.h>

#include "domain/csv_reader.hpp"

using namespace sengen;

using Fields = std::vector<std::string>;

TEST(CsvReader, crlf_and_lf_records_with_their_line_numbers) {
    auto r = csv::read_records("a,b\r\nc,d\ne,f", 10);
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ(r.records[1].fields, (Fields{"c", "d"}));
    EXPECT_EQ(r.records[2].fields, (Fields{"e", "f"}));
    EXPECT_EQ(r.records[2].line, 3u);
    EXPECT_FALSE(r.over_limit);
}

TEST(CsvReader, quoted_fields_hold_commas_quotes_and_line_breaks) {
    auto r = csv::read_records("\"a,1\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",x\r\nlast,1\r\n", 10);
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a,1", "say \"hi\""}));
    EXPECT_EQ(r.records[1].fields, (Fields{"two\r\nlines", "x"}));
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.records[2].line, 4u);  // the quoted line break counts as a line of the file
}

TEST(CsvReader, blank_lines_and_rows_of_empty_cells_are_no_records) {
    auto r = csv::read_records("\r\na\r\n,,\r\n\r\nb\r\n", 10);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].line, 2u);
    EXPECT_EQ(r.records[1].line, 5u);
    EXPECT_EQ(r.records[1].fields, (Fields{"b"}));
}

TEST(CsvReader, an_open_quote_is_reported_not_joined_silently) {
    auto r = csv::read_records("a\r\n\"b,c\r\nd\r\n", 10);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_FALSE(r.records[0].unterminated_quote);
    EXPECT_TRUE(r.records[1].unterminated_quote);
    EXPECT_EQ(r.records[1].line, 2u);
}

TEST(CsvReader, empty_trailing_fields_are_kept_and_the_limit_is_reported) {
    auto r = csv::read_records("a,,\r\nb\r\nc\r\n", 2);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a", "", ""}));
    EXPECT_TRUE(r.over_limit);
}
