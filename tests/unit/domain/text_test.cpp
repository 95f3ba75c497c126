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
