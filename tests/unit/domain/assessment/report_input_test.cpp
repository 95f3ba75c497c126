#include <gtest/gtest.h>

#include <vector>

#include "domain/assessment/report_input.hpp"

using namespace sengen;
using sengen::assessment::clean_business_name;

TEST(BusinessName, is_trimmed_of_ascii_and_full_width_spaces) {
    auto r = clean_business_name("\u3000 株式会社 サンプル\u3000 ");
    ASSERT_TRUE(r);
    EXPECT_EQ(*r, "株式会社 サンプル");
    EXPECT_EQ(*clean_business_name(""), "");
}

TEST(BusinessName, may_have_100_characters_but_not_101) {
    std::string ok;
    for (int i = 0; i < 100; ++i) ok += "あ";
    EXPECT_TRUE(clean_business_name(ok));
    auto r = clean_business_name(ok + "い");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().fields.at(0).field, "business_name");
    EXPECT_EQ(r.error().fields.at(0).code, "too_long");
}

TEST(BusinessName, refuses_control_characters) {
    for (std::string bad : std::vector<std::string>{"a\nb", "a\tb", std::string("a\0b", 3), "a\x7f", "a\xc2\x85"}) {
        auto r = clean_business_name(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().fields.at(0).code, "invalid_characters");
    }
}

TEST(BusinessName, refuses_separators_bidi_controls_and_invisible_characters_as_one_line_fields_do) {
    // Each could make a printed name read as another's: a line or paragraph break, text turned
    // around, or a letter nobody sees.
    for (std::string bad :
         std::vector<std::string>{"株式会社\u2028サンプル", "株式会社\u2029サンプル", "株式会社\u202Eルプンサ",
                                  "\u2066株式会社\u2069", "\u3164", "\u115F株式会社", "株式\u2060会社",
                                  "株式\u00AD会社", "\uFE0F", "株式会社\U000E0041", "株式\u200B会社", "\xE6\xA0"}) {
        auto r = clean_business_name(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().fields.at(0).field, "business_name");
        EXPECT_EQ(r.error().fields.at(0).code, "invalid_characters") << bad;
    }
    // What a name may hold stays accepted: kana, kanji, Latin letters, an emoji with its selector.
    for (std::string good : {"株式会社サンプル", "ｻﾝﾌﾟﾙ商店", "Sample & Co.", "\u2764\uFE0F 花屋"}) {
        auto r = clean_business_name(good);
        ASSERT_TRUE(r) << good;
        EXPECT_EQ(*r, good);
    }
}
