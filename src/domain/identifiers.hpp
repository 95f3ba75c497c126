// The declaration ID (自己宣言ID) and the corporate number (法人番号): parsing what people type
// and checking the check digits.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sengen {

// 11 digits: a configured leading digit, a 9-digit serial that is never reused, and a Damm
// check digit over the first 10.
class DeclarationId {
public:
    static constexpr int kLength = 11;
    static constexpr std::int64_t kMaxSerial = 999'999'999;

    // Builds the ID for a serial (1..kMaxSerial) under a leading digit (1..9).
    static DeclarationId make(int leading_digit, std::int64_t serial);

    enum class ParseFailure { Malformed, CheckDigit };
    struct Parsed;
    // Accepts spaces, hyphens and full-width digits. A well-formed ID whose check digit is wrong
    // is reported as CheckDigit (probably mistyped), not as Malformed.
    static Parsed parse(std::string_view typed);
    // Rebuilds an ID from the digits a store wrote (exactly 11 ASCII digits, no spaces): takes
    // the string without copying it and checks the form and the check digit again, so that a
    // damaged row reads as nullopt instead of an ID that /verify would show.
    static std::optional<DeclarationId> from_stored(std::string digits);

    const std::string& digits() const { return digits_; }
    std::int64_t serial() const;
    int leading_digit() const { return digits_[0] - '0'; }
    // "100 0000 0428"-style grouping (3-4-4) for reading aloud and printing, as on the badge.
    std::string grouped() const;
    bool operator==(const DeclarationId&) const = default;

private:
    explicit DeclarationId(std::string d) : digits_(std::move(d)) {}
    std::string digits_;
};

struct DeclarationId::Parsed {
    std::optional<DeclarationId> id;
    std::optional<ParseFailure> failure;
    // The first digit of 11 digits that failed the check digit (1..9), else 0: an ID of another
    // registry with the same shape is told apart by it (OperatorProfile::other_registry_for).
    int leading_digit = 0;
};

// Damm's algorithm (H. Michael Damm, "Total anti-symmetric quasigroups", 2004), with the
// order-10 weakly totally anti-symmetric quasigroup table published there: it detects every
// single-digit error and every adjacent transposition. Returns the check digit of `digits`.
int damm_check_digit(std::string_view digits);

// 法人番号: 13 digits, the first being a check digit over the 12 that follow.
// 法人番号の指定等に関する省令 第2条 (検査用数字の算出方法):
//   check = 9 − (Σ_{n=1}^{12} P_n × Q_n mod 9), where P_n is the n-th digit of the 12-digit base
//   counted from the right (least significant) and Q_n is 1 when n is odd, 2 when n is even.
struct CorporateNumber {
    std::string digits;  // 13 digits
    enum class ParseFailure { Malformed, CheckDigit };
    static std::optional<ParseFailure> check(std::string_view thirteen_digits);
};

int corporate_number_check_digit(std::string_view twelve_digits);

}  // namespace sengen
