// The import file's row checks (its reader is tested in csv_reader_test.cpp) (domain/declaration_import.hpp): every bad
// field is reported with its line and column, full-width input is accepted as on the form, and IDs of another scheme
// are refused.
#include <gtest/gtest.h>

#include <map>

#include "content/registry_content.hpp"
#include "domain/dates.hpp"
#include "domain/declaration_import.hpp"
#include "domain/text.hpp"

using namespace sengen;
using import::Problem;

namespace {

const content::RegistryContent& rc() {
    static auto c = content::load_embedded_registry_content();
    return *c;
}

const std::string kHeader =
    "application_no,declaration_id,status,level,entity_type,corporate_number,business_name,business_name_kana,"
    "postal_code,prefecture,address,industry,employees,representative_title,representative_name,contact_name,"
    "contact_email,phone,website,purposes,principles_edition,assessment_date,policy_url,lang,terms_version,"
    "created_at,declared_at,level_since,ended_at";

// A good row, as the export writes it.
std::vector<std::string> good_cells() {
    return {"7",
            "10000000016",
            "declared",
            "2",
            "corporation",
            "7000012050002",
            "株式会社サンプル商事",
            "サンプルショウジ",
            "100-0001",
            "13",
            "千代田区千代田1-1",
            "E",
            "6-20",
            "代表取締役",
            "山田 太郎",
            "佐藤 花子",
            "hanako@example.jp",
            "03-1234-5678",
            "",
            "subsidy;customer",
            "2023",
            "2024-04-01",
            "https://example.jp/policy",
            "ja",
            "2026-1",
            "2024-03-30",
            "2024-04-01",
            "2025-04-01",
            ""};
}

struct Checked {
    std::optional<import::Row> row;
    std::vector<Problem> problems;
};

Checked check(std::vector<std::string> cells, std::size_t line = 2) {
    std::vector<Problem> problems;
    csv::Record header{1, {}};
    for (auto piece : text::split(kHeader, ',')) header.fields.emplace_back(piece);
    auto h = import::read_header(header, problems);
    EXPECT_TRUE(h.has_value());
    import::Rules rules{&rc(), 1, "2026-12-06"};
    csv::Record record{line, std::move(cells)};
    auto row = import::check_record(record, *h, rules, problems);
    return {std::move(row), std::move(problems)};
}

// The cells of good_cells() with one column changed.
std::vector<std::string> with(std::string_view column, std::string value,
                              std::vector<std::string> cells = good_cells()) {
    for (std::size_t i = 0; i < import::kColumns.size(); ++i)
        if (import::kColumns[i] == column) {
            cells[i] = std::move(value);
            break;
        }
    return cells;
}

std::vector<Problem> problems_of(std::vector<std::string> cells) { return check(std::move(cells)).problems; }

}  // namespace

TEST(ImportCsv, the_exports_formula_guard_is_removed_and_nothing_else) {
    EXPECT_EQ(import::without_formula_guard("'=SUM(A1)"), "=SUM(A1)");
    EXPECT_EQ(import::without_formula_guard("'-1"), "-1");
    EXPECT_EQ(import::without_formula_guard("'\xEF\xBC\x9D"
                                            "1"),
              "\xEF\xBC\x9D"
              "1");
    EXPECT_EQ(import::without_formula_guard("'quoted'"), "'quoted'");
    EXPECT_EQ(import::without_formula_guard("'"), "'");
}

TEST(ImportHeader, a_missing_or_unknown_column_is_reported_by_name) {
    std::vector<Problem> problems;
    csv::Record header{1, {"declaration_id", "status", "nickname", "status"}};
    EXPECT_FALSE(import::read_header(header, problems));
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{1, "nickname", "unknown_column"}), problems.end());
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{1, "status", "duplicate_column"}), problems.end());
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{1, "level", "missing_column"}), problems.end());
    // application_no is optional.
    EXPECT_EQ(
        std::find_if(problems.begin(), problems.end(), [](const Problem& p) { return p.column == "application_no"; }),
        problems.end());
}

TEST(ImportRow, a_good_row_becomes_the_declaration_it_describes) {
    auto c = check(good_cells());
    ASSERT_TRUE(c.row) << (c.problems.empty() ? "" : c.problems[0].column + " " + c.problems[0].code);
    const Declaration& d = c.row->declaration;
    EXPECT_EQ(d.public_id->digits(), "10000000016");
    EXPECT_EQ(d.state, (lifecycle::State{lifecycle::Status::Declared, 2}));
    EXPECT_EQ(d.details.corporate_number, "7000012050002");
    EXPECT_EQ(d.details.purposes, (std::vector<std::string>{"subsidy", "customer"}));
    EXPECT_EQ(d.details.policy_url, "https://example.jp/policy");
    EXPECT_EQ(d.terms_version, "2026-1");
    // Dates are the days in Japan the file names.
    EXPECT_EQ(dates::japan_iso_date(*d.declared_at), "2024-04-01");
    EXPECT_EQ(dates::japan_iso_date(*d.level_since), "2025-04-01");
    EXPECT_EQ(dates::japan_iso_date(d.created_at), "2024-03-30");
    EXPECT_EQ(*d.declared_at, dates::japan_midnight({2024, 4, 1}));
    EXPECT_FALSE(d.ended_at);
}

TEST(ImportRow, full_width_digits_and_hyphens_are_accepted_as_on_the_form) {
    auto cells = with("declaration_id", "１００−００００−００１６");
    cells = with("corporate_number", "７０００ー０１２０５０００２", cells);
    cells = with("postal_code", "１００－０００１", cells);
    cells = with("level", "２", cells);
    cells = with("declared_at", "２０２４／０４／０１", cells);
    auto c = check(cells);
    ASSERT_TRUE(c.row) << c.problems[0].column << " " << c.problems[0].code;
    EXPECT_EQ(c.row->declaration.public_id->digits(), "10000000016");
    EXPECT_EQ(c.row->declaration.details.corporate_number, "7000012050002");
    EXPECT_EQ(c.row->declaration.details.postal_code, "100-0001");
}

TEST(ImportRow, every_bad_field_of_a_row_is_reported_with_its_line_and_column) {
    auto cells = with("corporate_number", "7000012050003");  // check digit
    cells = with("contact_email", "not an address", cells);
    cells = with("prefecture", "48", cells);
    cells = with("business_name", "", cells);
    std::vector<Problem> problems = check(cells, 9).problems;
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{9, "corporate_number", "check_digit"}),
              problems.end());
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{9, "contact_email", "invalid_email"}),
              problems.end());
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{9, "prefecture", "invalid_choice"}), problems.end());
    EXPECT_NE(std::find(problems.begin(), problems.end(), Problem{9, "business_name", "required"}), problems.end());
    EXPECT_EQ(problems.size(), 4u);
}

TEST(ImportRow, ids_of_another_scheme_are_refused_with_their_reason) {
    EXPECT_EQ(problems_of(with("declaration_id", "10000000017")),
              (std::vector<Problem>{{2, "declaration_id", "id_scheme"}}));
    EXPECT_EQ(problems_of(with("declaration_id", "1234")), (std::vector<Problem>{{2, "declaration_id", "id_format"}}));
    EXPECT_EQ(problems_of(with("declaration_id", "")), (std::vector<Problem>{{2, "declaration_id", "required"}}));
    // Leading 5 is IPA's in the demo operator profile: even a valid check digit is refused.
    EXPECT_EQ(problems_of(with("declaration_id", "50000000014")),
              (std::vector<Problem>{{2, "declaration_id", "other_registry"}}));
    // Another sengen's digit is kept.
    EXPECT_TRUE(check(with("declaration_id", "20000000017")).row);
}

TEST(ImportRow, only_issued_statuses_are_imported) {
    EXPECT_EQ(problems_of(with("status", "awaiting_review")), (std::vector<Problem>{{2, "status", "import_status"}}));
    EXPECT_EQ(problems_of(with("status", "active")), (std::vector<Problem>{{2, "status", "import_status"}}));
    auto stopped = with("status", "stopped");
    EXPECT_EQ(problems_of(stopped), (std::vector<Problem>{{2, "ended_at", "required"}}));
    auto c = check(with("ended_at", "2026-01-31", stopped));
    ASSERT_TRUE(c.row);
    EXPECT_EQ(dates::japan_iso_date(*c.row->declaration.ended_at), "2026-01-31");
}

TEST(ImportRow, dates_must_follow_each_other_and_not_be_in_the_future) {
    EXPECT_EQ(problems_of(with("level_since", "2024-03-31")), (std::vector<Problem>{{2, "level_since", "date_order"}}));
    EXPECT_EQ(problems_of(with("declared_at", "2026-12-07")),
              (std::vector<Problem>{{2, "declared_at", "future_date"}}));
    EXPECT_EQ(problems_of(with("declared_at", "2024-02-30")),
              (std::vector<Problem>{{2, "declared_at", "invalid_date"}}));
    EXPECT_EQ(problems_of(with("ended_at", "2026-01-31")), (std::vector<Problem>{{2, "ended_at", "not_for_status"}}));
    auto stopped = with("status", "revoked");
    EXPECT_EQ(problems_of(with("ended_at", "2025-01-01", stopped)),
              (std::vector<Problem>{{2, "ended_at", "date_order"}}));
}

TEST(ImportRow, two_star_rows_need_their_evidence_and_levels_stay_within_the_content) {
    EXPECT_EQ(problems_of(with("policy_url", "")), (std::vector<Problem>{{2, "policy_url", "required"}}));
    EXPECT_EQ(problems_of(with("level", "3")), (std::vector<Problem>{{2, "level", "invalid_choice"}}));
    auto one_star = with("level", "1");
    EXPECT_TRUE(check(with("policy_url", "", with("assessment_date", "", one_star))).row);
}

TEST(ImportRow, a_row_with_too_few_cells_is_one_problem) {
    auto cells = good_cells();
    cells.pop_back();
    EXPECT_EQ(problems_of(cells), (std::vector<Problem>{{2, "", "cell_count"}}));
}

// The import keeps only each good row's keys (its ID, its corporate number when live, its line)
// once the row is written, and looks for repeats through them.
TEST(ImportRow, repeats_within_the_file_name_the_line_they_repeat) {
    std::vector<import::Row> rows;
    for (std::size_t line : {2, 3, 4}) {
        auto c = check(line == 4 ? with("status", "stopped", with("ended_at", "2026-01-01")) : good_cells(), line);
        ASSERT_TRUE(c.row);
        rows.push_back(std::move(*c.row));
    }
    rows[2].declaration.public_id = DeclarationId::make(1, 2);
    std::vector<import::RowKeys> keys;
    keys.reserve(rows.size());  // the check views the keys: they must not move
    for (const auto& r : rows) keys.push_back(import::keys_of(r.declaration, r.line));
    EXPECT_EQ(keys[0].id, rows[0].declaration.public_id->digits());
    EXPECT_EQ(keys[0].live_number, rows[0].declaration.details.corporate_number);
    EXPECT_FALSE(keys[0].live_number.empty());
    EXPECT_EQ(keys[2].live_number, "");  // stopped: its number is free
    EXPECT_EQ(keys[2].line, 4u);
    std::vector<Problem> problems;
    import::DuplicateCheck repeats(keys.size());
    for (const auto& k : keys) repeats.add(k, problems);
    // Line 3 repeats line 2's ID and its live corporate number; line 4 is stopped, so its number is free.
    EXPECT_EQ(problems, (std::vector<Problem>{{3, "declaration_id", "duplicate_in_file", 2},
                                              {3, "corporate_number", "duplicate_in_file", 2}}));
}

// More rows than the check was told to expect, so that its table grows while it holds keys:
// every repeat still names the first line of its ID or number, as a map of first lines would.
TEST(ImportRow, repeats_are_found_among_many_rows_beyond_the_expected_count) {
    auto c = check(good_cells());
    ASSERT_TRUE(c.row);
    std::vector<Declaration> rows(3000, c.row->declaration);
    std::map<std::string, std::size_t> first_id, first_number;
    std::vector<Problem> expected;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const std::size_t line = i + 2;
        rows[i].public_id = DeclarationId::make(1, static_cast<std::int64_t>(1 + i % 1700));
        rows[i].details.corporate_number = std::to_string(1000000000000 + (i * 7) % 2500);
        auto id = first_id.emplace(rows[i].public_id->digits(), line);
        if (!id.second) expected.push_back({line, "declaration_id", "duplicate_in_file", id.first->second});
        auto number = first_number.emplace(rows[i].details.corporate_number, line);
        if (!number.second) expected.push_back({line, "corporate_number", "duplicate_in_file", number.first->second});
    }
    std::vector<import::RowKeys> keys;
    keys.reserve(rows.size());  // the check views the keys: they must not move
    for (std::size_t i = 0; i < rows.size(); ++i) keys.push_back(import::keys_of(rows[i], i + 2));
    std::vector<Problem> problems;
    import::DuplicateCheck repeats(10);
    for (const auto& k : keys) repeats.add(k, problems);
    EXPECT_EQ(problems.size(), 1300u + 500u);
    EXPECT_EQ(problems, expected);
}

TEST(ImportRow, a_revocations_reason_moves_with_it_and_a_declared_row_has_none) {
    std::vector<Problem> problems;
    csv::Record header{1, {}};
    const std::string names = kHeader + ",end_reason";
    for (auto piece : text::split(names, ',')) header.fields.emplace_back(piece);
    auto h = import::read_header(header, problems);
    ASSERT_TRUE(h);
    import::Rules rules{&rc(), 1, "2026-12-06"};
    auto revoked = with("ended_at", "2026-01-31", with("status", "revoked"));
    revoked.push_back("虚偽の宣言のため\n（確認済み）");
    auto row = import::check_record({2, revoked}, *h, rules, problems);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->declaration.end_reason, "虚偽の宣言のため\n（確認済み）");
    auto declared = good_cells();
    declared.push_back("理由");
    EXPECT_FALSE(import::check_record({3, declared}, *h, rules, problems));
    EXPECT_EQ(problems, (std::vector<Problem>{{3, "end_reason", "not_for_status"}}));
}
