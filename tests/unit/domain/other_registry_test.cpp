// Telling an ID of another registry from a typo: the first digit of 11 digits that fail the check
// digit, looked up among the operator profile's other registries.
#include <gtest/gtest.h>

#include "domain/identifiers.hpp"
#include "domain/operator_profile.hpp"

using namespace sengen;

TEST(OtherRegistry, a_check_digit_failure_keeps_the_first_digit) {
    const auto id = DeclarationId::make(1, 428).digits();
    std::string wrong = id;
    wrong.back() = static_cast<char>('0' + (wrong.back() - '0' + 1) % 10);
    wrong.front() = '4';
    auto parsed = DeclarationId::parse(wrong);
    // Changing two digits of a valid ID may pass Damm's check by chance; this pair does not.
    ASSERT_EQ(parsed.failure, DeclarationId::ParseFailure::CheckDigit) << wrong;
    EXPECT_EQ(parsed.leading_digit, 4);
    EXPECT_EQ(DeclarationId::parse(id).leading_digit, 0);             // valid: nothing to tell apart
    EXPECT_EQ(DeclarationId::parse("4000").leading_digit, 0);         // malformed
    EXPECT_EQ(DeclarationId::parse("01234567890").leading_digit, 0);  // a leading zero is malformed
}

TEST(OtherRegistry, the_profile_names_the_registry_of_a_first_digit) {
    OperatorProfile p;
    p.other_registries.push_back({{"IPA", "IPA"}, "https://example.jp/lookup", {4, 5}});
    ASSERT_NE(p.other_registry_for(4), nullptr);
    EXPECT_EQ(p.other_registry_for(5)->lookup_url, "https://example.jp/lookup");
    EXPECT_EQ(p.other_registry_for(1), nullptr);
    EXPECT_EQ(p.other_registry_for(0), nullptr);
    EXPECT_EQ(OperatorProfile{}.other_registry_for(4), nullptr);
}
