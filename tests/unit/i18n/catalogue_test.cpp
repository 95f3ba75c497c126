#include <gtest/gtest.h>

#include "embedded/embedded.hpp"
#include "i18n/catalogue.hpp"

using namespace sengen::i18n;

TEST(Negotiate, explicit_choice_beats_accept_language) {
    EXPECT_EQ(negotiate("en", "ja"), Lang::En);
    EXPECT_EQ(negotiate("ja", "en"), Lang::Ja);
}

TEST(Negotiate, unknown_choice_falls_back_to_accept_language) { EXPECT_EQ(negotiate("fr", "en"), Lang::En); }

TEST(Negotiate, japanese_is_the_default) {
    EXPECT_EQ(negotiate(std::nullopt, ""), Lang::Ja);
    EXPECT_EQ(negotiate(std::nullopt, "fr, de;q=0.5"), Lang::Ja);
}

TEST(Negotiate, q_values_pick_the_preferred_language) {
    EXPECT_EQ(negotiate(std::nullopt, "ja;q=0.5, en;q=0.8"), Lang::En);
    EXPECT_EQ(negotiate(std::nullopt, "en-GB,en;q=0.9,ja;q=0.8"), Lang::En);
    EXPECT_EQ(negotiate(std::nullopt, "ja-JP,ja;q=0.9,en;q=0.8"), Lang::Ja);
    EXPECT_EQ(negotiate(std::nullopt, "en;q=0, ja;q=0.1"), Lang::Ja);
}

TEST(ParsePo, reads_entries_with_continuations_and_escapes) {
    auto m =
        parse_po("msgid \"\"\nmsgstr \"Language: ja\\n\"\n\n# c\nmsgid \"a.b\"\nmsgstr \"x\\\"y\"\n\"z\"\n", "t.po");
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->size(), 1u);
    EXPECT_EQ(m->at("a.b"), "x\"yz");
}

TEST(ParsePo, errors_name_file_and_line) {
    auto m = parse_po("msgid \"a\"\nmsgstr \"\"\n\nmsgid \"b\nmsgstr \"y\"\n", "t.po");
    ASSERT_FALSE(m);
    EXPECT_NE(m.error().detail.find("t.po:1"), std::string::npos) << m.error().detail;
    EXPECT_NE(m.error().detail.find("t.po:4"), std::string::npos) << m.error().detail;
}

TEST(Catalogue, a_message_missing_in_one_language_is_an_error) {
    auto c = Catalogue::build({{Lang::Ja, {{"a", "あ"}, {"b", "い"}}}, {Lang::En, {{"a", "A"}}}});
    ASSERT_FALSE(c);
    EXPECT_NE(c.error().detail.find("en.po lacks \"b\""), std::string::npos);
}

TEST(Catalogue, an_id_that_prefixes_another_is_an_error) {
    auto c = Catalogue::build({{Lang::Ja, {{"a", "x"}, {"a.b", "y"}}}, {Lang::En, {{"a", "x"}, {"a.b", "y"}}}});
    EXPECT_FALSE(c);
}

TEST(Catalogue, format_fills_placeholders) {
    auto c = Catalogue::build({{Lang::Ja, {{"m", "{n}件 / {n}"}}}, {Lang::En, {{"m", "{n} items"}}}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->format(Lang::Ja, "m", {{"n", "3"}}), "3件 / 3");
    EXPECT_EQ(c->text(Lang::En, "missing"), "missing");
}

TEST(Catalogue, the_shipped_catalogues_are_complete_and_parse) {
    std::map<Lang, Messages> by;
    for (auto l : all_langs) {
        auto path = "src/web/i18n/" + std::string(code(l)) + ".po";
        auto text = sengen::embedded::find(path);
        ASSERT_TRUE(text) << path;
        auto m = parse_po(*text, path);
        ASSERT_TRUE(m) << m.error().detail;
        by[l] = *m;
    }
    auto c = Catalogue::build(by);
    ASSERT_TRUE(c) << c.error().detail;
}
