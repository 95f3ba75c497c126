// Fuzz target: the declaration ID (自己宣言ID) and the corporate number (法人番号) as people type
// them (domain/identifiers.hpp). An ID that parses re-parses to itself from its digits and from its
// grouped form, is rebuilt by DeclarationId::make, and stops parsing when any one digit changes
// (Damm's check catches every single-digit error), and is what a stored row of its digits rebuilds
// (DeclarationId::from_stored); a corporate number is accepted exactly when a
// check digit computed here, independently, agrees.
#include <string>

#include "domain/identifiers.hpp"
#include "domain/text.hpp"
#include "fuzz_check.hpp"

namespace {

using sengen::CorporateNumber;
using sengen::DeclarationId;

void check_declaration_id(std::string_view typed) {
    const auto parsed = DeclarationId::parse(typed);
    FUZZ_CHECK(parsed.id.has_value() != parsed.failure.has_value());
    if (!parsed.id) return;
    const auto& id = *parsed.id;
    const std::string& d = id.digits();
    FUZZ_CHECK(d.size() == DeclarationId::kLength);
    for (char c : d) FUZZ_CHECK(c >= '0' && c <= '9');
    FUZZ_CHECK(d[0] != '0');
    FUZZ_CHECK(sengen::damm_check_digit(d) == 0);
    FUZZ_CHECK(DeclarationId::parse(d).id == id);
    FUZZ_CHECK(DeclarationId::from_stored(d) == id);
    FUZZ_CHECK(DeclarationId::parse(id.grouped()).id == id);
    const auto serial = id.serial();
    if (serial >= 1) FUZZ_CHECK(DeclarationId::make(id.leading_digit(), serial) == id);
    for (std::size_t i = 0; i < d.size(); ++i) {
        for (char c = '0'; c <= '9'; ++c) {
            if (c == d[i]) continue;
            std::string other = d;
            other[i] = c;
            FUZZ_CHECK(!DeclarationId::parse(other).id);
        }
    }
}

// 法人番号の指定等に関する省令 第2条, written again here from the rule, not from the code under test.
int expected_corporate_check(std::string_view thirteen) {
    int sum = 0;
    for (std::size_t i = 1; i < 13; ++i) {
        const int from_right = static_cast<int>(13 - i);  // n = 1 for the last digit
        sum += (thirteen[i] - '0') * (from_right % 2 == 1 ? 1 : 2);
    }
    return 9 - sum % 9;
}

void check_corporate_number(std::string_view typed) {
    const auto digits = sengen::text::digits_only(typed);
    const auto result = CorporateNumber::check(digits ? std::string_view(*digits) : typed);
    const std::string_view d = digits ? std::string_view(*digits) : typed;
    bool well_formed = d.size() == 13;
    for (char c : d) well_formed = well_formed && c >= '0' && c <= '9';
    if (!well_formed) {
        FUZZ_CHECK(result == CorporateNumber::ParseFailure::Malformed);
        return;
    }
    if (expected_corporate_check(d) == d[0] - '0')
        FUZZ_CHECK(!result.has_value());
    else
        FUZZ_CHECK(result == CorporateNumber::ParseFailure::CheckDigit);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto typed = sengen::fuzz::as_text(data, size);
    check_declaration_id(typed);
    // A stored ID is exactly the 11 digits of one that parses: nothing else is rebuilt from a row.
    if (auto stored = DeclarationId::from_stored(std::string(typed))) {
        FUZZ_CHECK(stored->digits() == typed);
        FUZZ_CHECK(DeclarationId::parse(typed).id == stored);
    }
    check_corporate_number(typed);
    return 0;
}
