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
        EXPECT_EQ(r.error().fields.at(0).code, "invalid_text");
    }
}
