// The SQLite adapter's rewriting of $n parameters as ?n (storage/sqlite/numbered_parameters.hpp),
// and what a real in-memory SQLite makes of the result.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "storage/sqlite/numbered_parameters.hpp"

using sengen::storage::sqlite::kMaxParameter;
using sengen::storage::sqlite::numbered_parameters;

namespace {

// Prepares `text` (as rewritten) on a fresh in-memory database, binds "v<n>" to each parameter n,
// and returns the first row's columns joined with "|".
std::string run_rewritten(const std::string& text) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(":memory:", &db), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, text.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    const int count = sqlite3_bind_parameter_count(st);
    for (int n = 1; n <= count; ++n) {
        const std::string v = "v" + std::to_string(n);
        sqlite3_bind_text(st, n, v.c_str(), -1, SQLITE_TRANSIENT);
    }
    std::string row;
    if (sqlite3_step(st) == SQLITE_ROW)
        for (int c = 0; c < sqlite3_column_count(st); ++c)
            row += (c ? "|" : "") + std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, c)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return row;
}

}  // namespace

TEST(NumberedParameters, each_dollar_number_becomes_the_parameter_of_that_number) {
    auto r = numbered_parameters("SELECT $2, $1, $10");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, "SELECT ?2, ?1, ?10");
    EXPECT_EQ(r->second, 10u);
    // SQLite binds ?n to parameter n whatever the order of appearance; $n it would number 1, 2, 3.
    auto again = numbered_parameters("SELECT $2, $1, $2");
    ASSERT_TRUE(again);
    EXPECT_EQ(run_rewritten(again->first), "v2|v1|v2");
}

TEST(NumberedParameters, quoted_text_quoted_names_and_comments_are_left_alone) {
    const std::string text =
        "SELECT '$1 costs $2' AS \"a$3\", $1 -- not $4\n"
        ", /* nor $5 */ 'it''s $6', $2";
    auto r = numbered_parameters(text);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first,
              "SELECT '$1 costs $2' AS \"a$3\", ?1 -- not $4\n"
              ", /* nor $5 */ 'it''s $6', ?2");
    EXPECT_EQ(r->second, 2u);
    EXPECT_EQ(run_rewritten(r->first), "$1 costs $2|v1|it's $6|v2");
}

TEST(NumberedParameters, a_text_without_parameters_is_unchanged) {
    auto r = numbered_parameters("SELECT 1");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, "SELECT 1");
    EXPECT_EQ(r->second, 0u);
}

TEST(NumberedParameters, a_dollar_without_a_number_in_range_is_refused) {
    EXPECT_FALSE(numbered_parameters("SELECT $name"));
    EXPECT_FALSE(numbered_parameters("SELECT $"));
    EXPECT_FALSE(numbered_parameters("SELECT $0"));
    EXPECT_FALSE(numbered_parameters("SELECT $" + std::to_string(kMaxParameter + 1)));
    EXPECT_FALSE(numbered_parameters("SELECT $99999999999999999999999"));
    auto largest = numbered_parameters("SELECT $" + std::to_string(kMaxParameter));
    ASSERT_TRUE(largest);
    EXPECT_EQ(largest->second, kMaxParameter);
}

TEST(NumberedParameters, a_quote_that_never_ends_is_copied_to_the_end) {
    auto r = numbered_parameters("SELECT $1, 'open $2");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->first, "SELECT ?1, 'open $2");
    EXPECT_EQ(r->second, 1u);
}
