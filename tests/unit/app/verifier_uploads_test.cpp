// Reading a verifier's uploaded file: header row, columns, full-width input, bad rows kept with
// their line numbers, limits, and the stored form of a result.
#include <gtest/gtest.h>

#include "app/verifier_uploads.hpp"
#include "domain/identifiers.hpp"

using namespace sengen;
using app::RowOutcome;

TEST(VerifierUploads, a_header_row_is_recognised_and_rows_keep_their_line_numbers) {
    auto r =
        app::read_upload("自己宣言ID,法人番号,日付\r\n10000000016\r\n\r\n１０００－００００－１２８,,2026/4/1\r\n");
    ASSERT_TRUE(r);
    ASSERT_TRUE(r->result.header);
    EXPECT_EQ(r->result.header->front(), "自己宣言ID");
    ASSERT_EQ(r->result.rows.size(), 2u);
    EXPECT_EQ(r->result.rows[0].line, 2u);
    EXPECT_EQ(r->result.rows[1].line, 4u);
    ASSERT_EQ(r->items.size(), 2u);
    EXPECT_EQ(r->items[1].typed_id, "１０００－００００－１２８");
    ASSERT_TRUE(r->items[1].at);
    EXPECT_EQ(dates::iso_date(*r->items[1].at), "2026-04-01");
}

TEST(VerifierUploads, without_a_header_the_first_row_is_data) {
    auto r = app::read_upload("10000000016,\"1234567890123\"\n");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->result.header);
    ASSERT_EQ(r->result.rows.size(), 1u);
    EXPECT_EQ(r->result.rows[0].line, 1u);
}

TEST(VerifierUploads, a_first_row_without_a_digit_is_data_unless_it_names_the_id_column) {
    // A mistyped first ID used to be taken as a heading and vanish from the counts.
    auto r = app::read_upload("abc\n10000000016\n");
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->result.header);
    ASSERT_EQ(r->result.rows.size(), 2u);
    EXPECT_EQ(r->result.rows[0].line, 1u);
    ASSERT_EQ(r->items.size(), 2u);
    EXPECT_EQ(r->items[0].typed_id, "abc");
    // Verified, it is an unreadable row with its line number like any other.
    app::Verified v;
    v.results.resize(2);
    v.results[0].error = app::ItemError::Malformed;
    app::apply_results(*r, v);
    EXPECT_EQ(r->result.rows[0].outcome, RowOutcome::BadRow);
    EXPECT_EQ(r->result.rows[0].reason, "id.malformed");
    EXPECT_EQ(r->result.count(RowOutcome::BadRow), 1u);
    for (std::string_view other : {"法人番号,自己宣言ID\n", "名前\n", "-\n"}) {
        auto o = app::read_upload(std::string(other) + "10000000016\n");
        ASSERT_TRUE(o);
        EXPECT_FALSE(o->result.header) << other;
        EXPECT_EQ(o->result.rows.size(), 2u) << other;
    }
}

TEST(VerifierUploads, the_usual_id_headings_are_recognised_in_any_width_and_case) {
    // The page's example, the result files' own heading in both languages, and the usual others.
    for (std::string_view heading : {"自己宣言ID", "Declaration ID", "ID", "id", " ＩＤ ", "　宣言ID", "宣言番号",
                                     "declaration_id", "DECLARATION-ID", "自己宣言ｉｄ"}) {
        auto r = app::read_upload("\n" + std::string(heading) + ",法人番号\n10000000016\n");
        ASSERT_TRUE(r) << heading;
        ASSERT_TRUE(r->result.header) << heading;
        EXPECT_EQ(r->result.header_line, 2u) << heading;
        ASSERT_EQ(r->result.rows.size(), 1u) << heading;
        EXPECT_EQ(r->result.rows[0].line, 3u) << heading;
        auto back = app::from_stored(app::to_stored(r->result));
        ASSERT_TRUE(back);
        EXPECT_EQ(back->header_line, 2u);
    }
}

TEST(VerifierUploads, japanese_era_dates_are_read_in_the_date_column) {
    auto r = app::read_upload("1,,令和8年4月1日\n1,,R8.4.2\n1,,Ｈ３１．４．３０\n1,,平成32年1月1日\n");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->items.size(), 3u);
    EXPECT_EQ(dates::iso_date(*r->items[0].at), "2026-04-01");
    EXPECT_EQ(dates::iso_date(*r->items[1].at), "2026-04-02");
    EXPECT_EQ(dates::iso_date(*r->items[2].at), "2019-04-30");
    EXPECT_EQ(r->result.rows[3].reason, "row.date");
}

TEST(VerifierUploads, bad_rows_are_kept_with_their_reason) {
    // Line 2: an empty ID; 3: a corporate number with a wrong check digit; 4: an unreadable date;
    // 5: a quote left open to the end.
    auto r = app::read_upload("10000000016\n,5835678256246\n10000000016,1234567890124\n10000000016,,2026/13/1\n\"1000");
    ASSERT_TRUE(r);
    const auto& rows = r->result.rows;
    ASSERT_EQ(rows.size(), 5u);
    EXPECT_EQ(rows[1].reason, "row.no_id");
    EXPECT_EQ(rows[2].reason, "row.corporate_number");
    EXPECT_EQ(rows[3].reason, "row.date");
    EXPECT_EQ(rows[4].reason, "row.unterminated_quote");
    EXPECT_EQ(rows[4].line, 5u);
    ASSERT_EQ(r->items.size(), 1u);
    EXPECT_EQ(r->item_rows, (std::vector<std::size_t>{0}));
    for (std::size_t i = 1; i < rows.size(); ++i) EXPECT_EQ(rows[i].outcome, RowOutcome::BadRow);
}

TEST(VerifierUploads, typed_dates_in_the_usual_japanese_forms_are_read) {
    auto r = app::read_upload("1,,2026-04-01\n1,,２０２６／４／２\n1,,2026年4月3日\n1,,2026.4.4\n1,,4/5/2026\n");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->items.size(), 4u);
    EXPECT_EQ(dates::iso_date(*r->items[3].at), "2026-04-04");
    EXPECT_EQ(r->result.rows[4].reason, "row.date");
}

TEST(VerifierUploads, empty_undecodable_and_oversized_files_are_refused_by_field) {
    auto code = [](std::string_view bytes) {
        auto r = app::read_upload(bytes);
        return r ? std::string() : r.error().fields.at(0).code;
    };
    EXPECT_EQ(code(""), "empty");
    EXPECT_EQ(code("自己宣言ID\r\n"), "empty");
    EXPECT_EQ(code(std::string("\0\0", 2)), "encoding");
    EXPECT_EQ(code(std::string(app::kUploadMaxBytes + 1, '1')), "too_large");
    std::string many;
    for (std::size_t i = 0; i <= app::kUploadMaxRows; ++i) many += "1\n";
    EXPECT_EQ(code(many), "too_many_rows");
}

TEST(VerifierUploads, results_are_applied_in_order_and_survive_storage) {
    const std::string base = "234567890123";
    const std::string corporate = std::to_string(corporate_number_check_digit(base)) + base;
    auto r = app::read_upload("10000000016," + corporate + "\n10000000017\n10000000024\n");
    ASSERT_TRUE(r);
    app::Verified v;
    auto id = DeclarationId::parse("10000000016").id;
    ASSERT_TRUE(id);
    PublicDeclaration view{
        *id, "テスト商店", "テストショウテン", "東京都", 2, lifecycle::Status::Declared, {}, {}, {}, {}, {}};
    v.found.push_back(VerifiedDeclaration{1, view, "5835678256246", std::nullopt});
    v.results.resize(3);
    v.results[0].found = 0;
    v.results[0].corporate_number_matches = false;
    v.results[1].error = app::ItemError::CheckDigit;
    app::apply_results(*r, v);
    EXPECT_EQ(r->result.rows[0].outcome, RowOutcome::Mismatch);
    EXPECT_EQ(r->result.rows[1].outcome, RowOutcome::Mistyped);
    EXPECT_EQ(r->result.rows[2].outcome, RowOutcome::NotFound);
    auto back = app::from_stored(app::to_stored(r->result));
    ASSERT_TRUE(back);
    EXPECT_EQ(back->rows.size(), 3u);
    EXPECT_EQ(back->rows[0].business_name, "テスト商店");
    EXPECT_EQ(back->rows[0].level, 2);
    EXPECT_EQ(back->rows[0].corporate_number_matches, false);
    EXPECT_EQ(back->count(RowOutcome::Mismatch), 1u);
    EXPECT_EQ(back->count(RowOutcome::NotFound), 1u);
    EXPECT_EQ(back->rows[1].reason, "id.check_digit");
}

TEST(VerifierUploads, a_row_with_more_columns_than_allowed_refuses_the_file) {
    // Every row is echoed as wide as the widest one in the result files: a single row of many
    // thousand commas among ten thousand short rows would otherwise take gigabytes to write out.
    std::string wide = "10000000016" + std::string(app::kUploadMaxColumns - 1, ',') + "\n";
    auto ok = app::read_upload(wide);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->result.columns, app::kUploadMaxColumns);
    std::string text = "10000000016" + std::string(app::kUploadMaxColumns, ',') + "\n";
    for (int i = 0; i < 100; ++i) text += "10000000016\n";
    auto r = app::read_upload(text);
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().fields.size(), 1u);
    EXPECT_EQ(r.error().fields.front().field, "file");
    EXPECT_EQ(r.error().fields.front().code, "too_many_columns");
}
