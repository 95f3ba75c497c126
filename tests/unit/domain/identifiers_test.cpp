#include <gtest/gtest.h>

#include <random>

#include "domain/identifiers.hpp"

using namespace sengen;

TEST(Damm, matches_the_published_example) {
    // Damm's worked example: the check digit of 572 is 4.
    EXPECT_EQ(damm_check_digit("572"), 4);
    EXPECT_EQ(damm_check_digit("5724"), 0);
}

TEST(DeclarationId, is_eleven_digits_with_leading_digit_serial_and_check) {
    auto id = DeclarationId::make(1, 42);
    EXPECT_EQ(id.digits().size(), 11u);
    EXPECT_EQ(id.digits().substr(0, 10), "1000000042");
    EXPECT_EQ(id.serial(), 42);
    EXPECT_EQ(id.leading_digit(), 1);
    EXPECT_EQ(damm_check_digit(id.digits()), 0);
}

TEST(DeclarationId, parse_accepts_spaces_hyphens_and_full_width_digits) {
    auto id = DeclarationId::make(1, 123456789);
    const std::string d = id.digits();
    std::string full_width;
    for (char c : d) full_width += "\xEF\xBC" + std::string(1, static_cast<char>(0x90 + (c - '0')));
    for (const std::string& typed : {d, id.grouped(), d.substr(0, 4) + "-" + d.substr(4), full_width,
                                     " " + d.substr(0, 5) + "ー" + d.substr(5) + " "}) {
        auto p = DeclarationId::parse(typed);
        ASSERT_TRUE(p.id.has_value()) << typed;
        EXPECT_EQ(p.id->digits(), d);
    }
}

TEST(DeclarationId, wrong_check_digit_is_reported_as_probably_mistyped) {
    auto d = DeclarationId::make(1, 777).digits();
    d[10] = d[10] == '9' ? '0' : static_cast<char>(d[10] + 1);
    auto p = DeclarationId::parse(d);
    EXPECT_FALSE(p.id);
    EXPECT_EQ(p.failure, DeclarationId::ParseFailure::CheckDigit);
}

TEST(DeclarationId, wrong_length_or_letters_are_malformed) {
    for (const char* s : {"", "123", "123456789012", "1000000042a", "abcdefghijk", "0000000000-0"}) {
        auto p = DeclarationId::parse(s);
        EXPECT_EQ(p.failure, DeclarationId::ParseFailure::Malformed) << s;
    }
}

TEST(DeclarationId, from_stored_takes_exact_digits_with_a_valid_check_digit_only) {
    auto id = DeclarationId::make(5, 428);
    auto back = DeclarationId::from_stored(id.digits());
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, id);
    std::string wrong = id.digits();
    wrong[10] = wrong[10] == '9' ? '0' : static_cast<char>(wrong[10] + 1);
    EXPECT_FALSE(DeclarationId::from_stored(wrong));
    // What a person may type is for parse; a stored column holds the bare digits only.
    EXPECT_FALSE(DeclarationId::from_stored(id.grouped()));
    EXPECT_FALSE(DeclarationId::from_stored(id.digits().substr(1)));
    EXPECT_FALSE(DeclarationId::from_stored("0" + id.digits().substr(1)));
    EXPECT_FALSE(DeclarationId::from_stored(""));
}

TEST(DeclarationId, every_single_digit_error_and_adjacent_swap_is_detected) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<std::int64_t> serial(1, DeclarationId::kMaxSerial);
    for (int k = 0; k < 300; ++k) {
        auto d = DeclarationId::make(1 + k % 9, serial(rng)).digits();
        for (std::size_t i = 0; i < d.size(); ++i) {
            for (char c = '0'; c <= '9'; ++c) {
                if (c == d[i]) continue;
                auto t = d;
                t[i] = c;
                EXPECT_FALSE(DeclarationId::parse(t).id) << t;
            }
            if (i + 1 < d.size() && d[i] != d[i + 1]) {
                auto t = d;
                std::swap(t[i], t[i + 1]);
                EXPECT_FALSE(DeclarationId::parse(t).id) << t;
            }
        }
    }
}

TEST(CorporateNumber, check_digit_follows_the_ordinance) {
    // The National Tax Agency's own corporate number.
    EXPECT_EQ(corporate_number_check_digit("000012050002"), 7);
    EXPECT_FALSE(CorporateNumber::check("7000012050002").has_value());
    EXPECT_EQ(CorporateNumber::check("8000012050002"), CorporateNumber::ParseFailure::CheckDigit);
    EXPECT_EQ(CorporateNumber::check("700001205000"), CorporateNumber::ParseFailure::Malformed);
    EXPECT_EQ(CorporateNumber::check("70000120500a2"), CorporateNumber::ParseFailure::Malformed);
}
