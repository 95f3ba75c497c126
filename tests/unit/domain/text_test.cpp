#include <gtest/gtest.h>

#include "domain/text.hpp"

using namespace sengen;

TEST(Text, full_width_digits_and_hyphens_fold_for_numbers) {
    EXPECT_EQ(text::fold_for_numbers("１２３－４５６７"), "123-4567");
    EXPECT_EQ(text::fold_for_numbers("123ー4567"), "123-4567");
    EXPECT_EQ(text::fold_for_numbers("03−1234‐5678"), "03-1234-5678");
    EXPECT_EQ(text::digits_only("１２３ー４５６７"), "1234567");
    EXPECT_FALSE(text::digits_only("123a"));
}

TEST(Text, nfkc_widens_half_width_kana_and_narrows_letters) {
    EXPECT_EQ(text::nfkc("ｶﾌﾞｼｷｶﾞｲｼｬ"), "カブシキガイシャ");
    EXPECT_EQ(text::nfkc("ＡＢＣ"), "ABC");
}

TEST(Text, hiragana_becomes_katakana_and_readings_are_checked) {
    EXPECT_EQ(text::hiragana_to_katakana("さんぷる"), "サンプル");
    EXPECT_TRUE(text::is_katakana_reading("サンプル ショウジ"));
    EXPECT_TRUE(text::is_katakana_reading("エービーシー・ABC"));
    EXPECT_FALSE(text::is_katakana_reading("山田"));
}

TEST(Text, spaces_are_trimmed_and_squeezed_including_ideographic_space) {
    EXPECT_EQ(text::squeeze_spaces("\u3000 山田　　太郎 \t"), "山田 太郎");
}

TEST(Text, controls_and_bidi_overrides_are_forbidden) {
    EXPECT_TRUE(
        text::has_forbidden_characters("a\x01"
                                       "b"));
    EXPECT_TRUE(text::has_forbidden_characters("abc\u202Egnp.exe"));
    EXPECT_TRUE(text::has_forbidden_characters("a\u2066b"));
    EXPECT_TRUE(text::has_forbidden_characters("a\u200Bb"));
    EXPECT_TRUE(text::has_forbidden_characters("a\nb"));
    EXPECT_FALSE(text::has_forbidden_characters("a\nb", true));
    EXPECT_FALSE(text::has_forbidden_characters("株式会社サンプル <b>&"));
}

TEST(Text, length_counts_code_points_and_invalid_utf8_is_detected) {
    EXPECT_EQ(text::length("日本語"), 3u);
    EXPECT_TRUE(text::valid_utf8("日本語"));
    EXPECT_FALSE(text::valid_utf8("\xC3\x28"));
    EXPECT_FALSE(text::valid_utf8("\xED\xA0\x80"));  // a surrogate
}

TEST(Text, trim_takes_spaces_and_tabs_off_both_ends_and_keeps_line_breaks) {
    EXPECT_EQ(text::trim(" \t a b \t"), "a b");
    EXPECT_EQ(text::trim("   "), "");
    EXPECT_EQ(text::trim("a\r\n"), "a\r\n");
    EXPECT_EQ(text::trim("\xE3\x80\x80"
                         "a"),
              "\xE3\x80\x80"
              "a");
}

TEST(Text, trim_wide_also_takes_ideographic_spaces) {
    EXPECT_EQ(text::trim_wide("\xE3\x80\x80 株式会社\xE3\x80\x80さくら \t\xE3\x80\x80"), "株式会社\xE3\x80\x80さくら");
    EXPECT_EQ(text::trim_wide("\xE3\x80\x80\xE3\x80\x80"), "");
}

TEST(Text, split_keeps_empty_pieces) {
    using V = std::vector<std::string_view>;
    EXPECT_EQ(text::split("a,,b", ','), (V{"a", "", "b"}));
    EXPECT_EQ(text::split("", ','), (V{""}));
    EXPECT_EQ(text::split(",", ','), (V{"", ""}));
    EXPECT_EQ(text::split("verify/1", '/'), (V{"verify", "1"}));
}
