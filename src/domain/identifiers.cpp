// Check digits, each function citing the rule it implements (see identifiers.hpp).
#include "domain/identifiers.hpp"

#include <cassert>

#include "domain/text.hpp"

namespace sengen {

int damm_check_digit(std::string_view digits) {
    // Damm (2004), the quasigroup table of order 10 (row: interim digit, column: next digit).
    static constexpr int table[10][10] = {{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
                                          {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
                                          {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
                                          {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
                                          {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
    int interim = 0;
    for (char c : digits) {
        assert(c >= '0' && c <= '9');
        interim = table[interim][c - '0'];
    }
    return interim;
}

DeclarationId DeclarationId::make(int leading_digit, std::int64_t serial) {
    assert(leading_digit >= 1 && leading_digit <= 9);
    assert(serial >= 1 && serial <= kMaxSerial);
    std::string s = std::to_string(leading_digit);
    std::string serial_text = std::to_string(serial);
    s += std::string(9 - serial_text.size(), '0') + serial_text;
    s += static_cast<char>('0' + damm_check_digit(s));
    return DeclarationId(std::move(s));
}

DeclarationId::Parsed DeclarationId::parse(std::string_view typed) {
    auto digits = text::digits_only(typed);
    if (!digits || digits->size() != kLength || (*digits)[0] == '0') return {std::nullopt, ParseFailure::Malformed, 0};
    // A string of digits whose Damm check over all 11 is 0 is valid (Damm's property).
    if (damm_check_digit(*digits) != 0) return {std::nullopt, ParseFailure::CheckDigit, (*digits)[0] - '0'};
    return {DeclarationId(*digits), std::nullopt, 0};
}

std::optional<DeclarationId> DeclarationId::from_stored(std::string digits) {
    if (digits.size() != kLength || digits[0] < '1' || digits[0] > '9') return std::nullopt;
    for (char c : digits)
        if (c < '0' || c > '9') return std::nullopt;
    if (damm_check_digit(digits) != 0) return std::nullopt;
    return DeclarationId(std::move(digits));
}

std::int64_t DeclarationId::serial() const { return std::stoll(digits_.substr(1, 9)); }

std::string DeclarationId::grouped() const {
    return digits_.substr(0, 3) + " " + digits_.substr(3, 4) + " " + digits_.substr(7, 4);
}

int corporate_number_check_digit(std::string_view twelve) {
    assert(twelve.size() == 12);
    // 法人番号の指定等に関する省令 第2条: P_n counted from the right, Q_n = 1 (n odd) or 2 (n even).
    int sum = 0;
    for (int n = 1; n <= 12; ++n) {
        int p = twelve[12 - n] - '0';
        int q = (n % 2 == 1) ? 1 : 2;
        sum += p * q;
    }
    return 9 - (sum % 9);
}

std::optional<CorporateNumber::ParseFailure> CorporateNumber::check(std::string_view d) {
    if (d.size() != 13) return ParseFailure::Malformed;
    for (char c : d)
        if (c < '0' || c > '9') return ParseFailure::Malformed;
    if (corporate_number_check_digit(d.substr(1)) != d[0] - '0') return ParseFailure::CheckDigit;
    return std::nullopt;
}

}  // namespace sengen
