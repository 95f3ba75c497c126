// Reading CSV text as spreadsheets write it (domain/csv_reader.hpp): the one reader of the
// verifiers' upload and of `sengen import`.
#include <gtest/gtest.h>

#include "domain/csv_reader.hpp"

using namespace sengen;

using Fields = std::vector<std::string>;

namespace {

constexpr csv::Options kUpload{.empty_rows = csv::EmptyRows::Skipped};

csv::Records read(std::string_view text, csv::Options options = {}) { return csv::read_records(text, options); }

}  // namespace

TEST(CsvReader, crlf_and_lf_records_with_their_line_numbers) {
    auto r = read("a,b\r\nc,d\ne,f");
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ(r.records[1].fields, (Fields{"c", "d"}));
    EXPECT_EQ(r.records[2].fields, (Fields{"e", "f"}));
    EXPECT_EQ(r.records[2].line, 3u);
    EXPECT_FALSE(r.over_limit);
    EXPECT_EQ(r.unterminated_quote_line, 0u);
}

TEST(CsvReader, a_lone_carriage_return_ends_a_record_as_old_mac_files_do) {
    auto r = read("a,b\rc,d\r");
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[1].fields, (Fields{"c", "d"}));
    EXPECT_EQ(r.records[1].line, 2u);
}

TEST(CsvReader, quoted_fields_hold_commas_quotes_and_line_breaks) {
    auto r = read("\"a,1\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",x\r\nlast,1\r\n", kUpload);
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a,1", "say \"hi\""}));
    EXPECT_EQ(r.records[1].fields, (Fields{"two\r\nlines", "x"}));
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.records[2].line, 4u);  // the quoted line break counts as a line of the file
}

TEST(CsvReader, a_byte_order_mark_is_skipped_and_lines_after_a_record_spanning_lines_count_on) {
    const std::string text =
        "\xEF\xBB\xBF"
        "a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\nlast,\r\n\r\n";
    auto r = read(text);
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a", "b"}));
    EXPECT_EQ(r.records[0].line, 1u);
    EXPECT_EQ(r.records[1].fields, (Fields{"x, \"y\"", "two\nlines"}));
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.records[2].fields, (Fields{"last", ""}));
    EXPECT_EQ(r.records[2].line, 4u);  // the record before it spans lines 2 and 3
}

TEST(CsvReader, text_around_quotes_is_kept_as_typed) {
    auto r = read("ab\"c,\"d\"e\r\n");
    ASSERT_EQ(r.records.size(), 1u);
    EXPECT_EQ(r.records[0].fields, (Fields{"ab\"c", "de"}));
}

TEST(CsvReader, blank_lines_and_rows_of_empty_cells_are_no_records_in_an_upload) {
    auto r = read("\r\na\r\n,,\r\n\r\nb\r\n", kUpload);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].line, 2u);
    EXPECT_EQ(r.records[1].line, 5u);
    EXPECT_EQ(r.records[1].fields, (Fields{"b"}));
}

TEST(CsvReader, rows_of_empty_cells_are_records_for_the_import_and_blank_lines_are_not) {
    auto r = read("\r\na\r\n,,\r\n\"\"\r\nb\r\n");
    ASSERT_EQ(r.records.size(), 3u);
    EXPECT_EQ(r.records[1].fields, (Fields{"", "", ""}));
    EXPECT_EQ(r.records[1].line, 3u);
    EXPECT_EQ(r.records[2].line, 5u);
}

TEST(CsvReader, an_open_quote_is_reported_not_joined_silently) {
    auto r = read("a\r\n\"b,c\r\nd\r\n", kUpload);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_FALSE(r.records[0].unterminated_quote);
    EXPECT_TRUE(r.records[1].unterminated_quote);
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.records[1].fields, (Fields{"b,c\r\nd\r\n"}));
    EXPECT_EQ(r.unterminated_quote_line, 2u);
}

TEST(CsvReader, an_open_quote_names_the_line_it_opens_on_not_only_its_records) {
    // The record starts on line 2; its second field's quote opens on line 3 and never closes.
    auto r = read("a\nb,\"two\nlines\",\"open\n\nnever closed");
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_TRUE(r.records[1].unterminated_quote);
    EXPECT_EQ(r.records[1].line, 2u);
    EXPECT_EQ(r.unterminated_quote_line, 3u);
}

TEST(CsvReader, a_blank_looking_record_with_an_open_quote_is_still_reported) {
    auto r = read("a\r\n\"", kUpload);
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_TRUE(r.records[1].unterminated_quote);
    EXPECT_EQ(r.unterminated_quote_line, 2u);
}

TEST(CsvReader, empty_trailing_fields_are_kept_and_the_limit_is_reported) {
    auto r = read("a,,\r\nb\r\nc\r\n", {.max_records = 2, .empty_rows = csv::EmptyRows::Skipped});
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].fields, (Fields{"a", "", ""}));
    EXPECT_TRUE(r.over_limit);
}

TEST(CsvReader, skipped_rows_do_not_count_against_the_limit) {
    auto r = read("a\r\n,,\r\n\r\nb\r\n", {.max_records = 2, .empty_rows = csv::EmptyRows::Skipped});
    EXPECT_EQ(r.records.size(), 2u);
    EXPECT_FALSE(r.over_limit);
}

TEST(CsvReader, a_part_of_a_file_counts_lines_from_where_it_starts) {
    auto r = read("x\r\ny\r\n", {.first_line = 7});
    ASSERT_EQ(r.records.size(), 2u);
    EXPECT_EQ(r.records[0].line, 7u);
    EXPECT_EQ(r.records[1].line, 8u);
}

TEST(CsvReader, the_record_handed_over_is_reused_and_may_be_moved_from) {
    std::vector<Fields> kept;
    const auto summary =
        csv::for_each_record("a,b,c\r\nd\r\ne,f\r\n", {}, [&](csv::Record& r) { kept.push_back(std::move(r.fields)); });
    EXPECT_EQ(summary.records, 3u);
    EXPECT_EQ(kept, (std::vector<Fields>{{"a", "b", "c"}, {"d"}, {"e", "f"}}));
}

TEST(CsvReader, a_file_is_split_for_threads_only_between_records_with_the_right_line_numbers) {
    // Record 3 holds a quoted line break: no part may start inside it.
    std::string text = "h1,h2\r\n";
    for (int i = 0; i < 40; ++i) text += (i == 3 ? "\"a\nb\",x\r\n" : "row" + std::to_string(i) + ",y\r\n");
    std::vector<Fields> whole;
    std::vector<std::size_t> whole_lines;
    for (auto& r : read(text).records) {
        whole.push_back(r.fields);
        whole_lines.push_back(r.line);
    }
    ASSERT_EQ(whole.size(), 41u);
    for (std::size_t parts : {1u, 2u, 3u, 7u, 100u}) {
        auto split = csv::split_records(text, parts);
        ASSERT_GE(split.size(), 1u);
        EXPECT_EQ(split[0].text, "h1,h2\r\n");
        std::string joined;
        std::vector<Fields> fields;
        std::vector<std::size_t> lines;
        for (const auto& p : split) {
            joined += p.text;
            auto got = read(p.text, {.first_line = p.first_line});
            EXPECT_EQ(got.unterminated_quote_line, 0u);
            for (auto& r : got.records) {
                fields.push_back(r.fields);
                lines.push_back(r.line);
            }
        }
        EXPECT_EQ(joined, text);
        EXPECT_EQ(fields, whole) << parts;
        EXPECT_EQ(lines, whole_lines) << parts;
    }
}
