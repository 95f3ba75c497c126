#include <gtest/gtest.h>

#include "domain/lang.hpp"
#include "domain/localized.hpp"

using namespace sengen;

TEST(Lang, a_code_is_read_exactly_with_ascii_case_ignored) {
    EXPECT_EQ(lang_from_code("ja"), Lang::Ja);
    EXPECT_EQ(lang_from_code("EN"), Lang::En);
    EXPECT_FALSE(lang_from_code("english"));
    EXPECT_FALSE(lang_from_code("e"));
    EXPECT_FALSE(lang_from_code(""));
    EXPECT_EQ(code(Lang::Ja), "ja");
    EXPECT_EQ(code(Lang::En), "en");
}

TEST(Lang, a_stored_code_that_is_not_english_reads_as_japanese) {
    EXPECT_EQ(lang_or_japanese("en"), Lang::En);
    EXPECT_EQ(lang_or_japanese("ja"), Lang::Ja);
    EXPECT_EQ(lang_or_japanese("fr"), Lang::Ja);
}

TEST(Localized, a_text_and_a_list_are_picked_by_language) {
    const Localized t{"宣言", "Declaration"};
    EXPECT_EQ(t.in(Lang::Ja), "宣言");
    EXPECT_EQ(t.in(Lang::En), "Declaration");
    const LocalizedList l{{"一", "二"}, {"one"}};
    EXPECT_EQ(l.in(Lang::Ja).size(), 2u);
    EXPECT_EQ(l.in(Lang::En).front(), "one");
}
