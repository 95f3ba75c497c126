// Detecting and converting the encodings of uploaded spreadsheets (UTF-8, Shift_JIS as Excel saves).
#include <gtest/gtest.h>

#include "domain/text_encoding.hpp"

using namespace sengen;

namespace {
// "自己宣言ID,①" in CP932: 自 8EA9, 己 8CC8, 宣 90E9, 言 8CBE, ① 8740 (an NEC extension).
const std::string kCp932 =
    "\x8E\xA9\x8C\xC8\x90\xE9\x8C\xBE"
    "ID,\x87\x40";
const std::string kUtf8 = "自己宣言ID,①";
}  // namespace

TEST(TextEncoding, valid_utf8_is_read_as_utf8_and_its_bom_dropped) {
    auto plain = text::decode_spreadsheet_text(kUtf8);
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->encoding, text::Encoding::Utf8);
    EXPECT_EQ(plain->utf8, kUtf8);
    EXPECT_FALSE(plain->had_bom);
    auto bom = text::decode_spreadsheet_text("\xEF\xBB\xBF" + kUtf8);
    ASSERT_TRUE(bom);
    EXPECT_EQ(bom->utf8, kUtf8);
    EXPECT_TRUE(bom->had_bom);
}

TEST(TextEncoding, shift_jis_as_excel_saves_it_is_detected_and_decoded) {
    auto d = text::decode_spreadsheet_text(kCp932);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->encoding, text::Encoding::ShiftJis);
    EXPECT_EQ(d->utf8, kUtf8);
}

TEST(TextEncoding, cp932_round_trips_and_unmappable_characters_become_question_marks) {
    EXPECT_EQ(text::to_cp932(kUtf8), kCp932);
    EXPECT_EQ(text::to_cp932("a😀b"), "a?b");
    EXPECT_EQ(text::to_cp932("１２３－"), "\x82\x50\x82\x51\x82\x52\x81\x7C");
}

TEST(TextEncoding, binary_and_undecodable_bytes_are_refused) {
    EXPECT_FALSE(text::decode_spreadsheet_text(std::string("a\0b", 3)));
    EXPECT_FALSE(text::decode_spreadsheet_text("\x85\x40"));  // unassigned in CP932
    EXPECT_FALSE(
        text::decode_spreadsheet_text(std::string("\xFF\xFE"
                                                  "a\0",
                                                  4)));  // UTF-16
}
