// TOTP against RFC 6238's test vectors, the operators' password policy and recovery codes, and how
// a typed code is read (app/second_factor.hpp).
#include <gtest/gtest.h>

#include "app/operators.hpp"
#include "app/passwords.hpp"
#include "app/second_factor.hpp"
#include "app/totp.hpp"

namespace sengen::app {
namespace {

// RFC 6238 Appendix B: the SHA-1 seed is the ASCII string "12345678901234567890"; the expected
// values there have 8 digits, of which a 6-digit code is the last six.
struct Vector {
    std::int64_t unix_time;
    const char* eight_digits;
};
constexpr Vector kRfc6238Sha1[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(Totp, matches_the_sha1_test_vectors_of_rfc_6238) {
    const std::string key = "12345678901234567890";
    for (const auto& v : kRfc6238Sha1) {
        const auto step = static_cast<std::uint64_t>(v.unix_time / 30);
        EXPECT_EQ(totp::hotp(key, step, 8), v.eight_digits) << v.unix_time;
        EXPECT_EQ(totp::hotp(key, step), std::string(v.eight_digits).substr(2)) << v.unix_time;
    }
}

TEST(Totp, accepts_one_step_of_drift_either_way_and_no_more) {
    const std::string key = "12345678901234567890";
    const auto secret = totp::base32_encode(key);
    const auto now = from_unix_seconds(1111111111);
    const auto step = totp::step_at(now);
    for (std::int64_t d = -1; d <= 1; ++d) {
        auto code = totp::hotp(key, static_cast<std::uint64_t>(step + d));
        EXPECT_EQ(totp::matching_step(secret, code, now), step + d);
    }
    EXPECT_FALSE(totp::matching_step(secret, totp::hotp(key, static_cast<std::uint64_t>(step + 2)), now));
    EXPECT_FALSE(totp::matching_step(secret, totp::hotp(key, static_cast<std::uint64_t>(step - 2)), now));
    EXPECT_FALSE(totp::matching_step(secret, "12345", now));
    EXPECT_FALSE(totp::matching_step("not base32!", "123456", now));
}

TEST(Totp, base32_round_trips_and_matches_rfc_4648) {
    EXPECT_EQ(totp::base32_encode("foobar"), "MZXW6YTBOI");  // RFC 4648 §10, without padding
    EXPECT_EQ(totp::base32_decode("mzxw6ytboi======"), "foobar");
    EXPECT_FALSE(totp::base32_decode("MZXW1"));
    const auto secret = totp::new_secret();
    EXPECT_EQ(secret.size(), 32u);
    EXPECT_EQ(totp::base32_decode(secret)->size(), 20u);
}

TEST(Totp, provisioning_uri_names_the_issuer_and_account) {
    EXPECT_EQ(totp::provisioning_uri("sengen", "a b@example.jp", "ABC"),
              "otpauth://totp/sengen:a%20b@example.jp?secret=ABC&issuer=sengen&algorithm=SHA1&digits=6&period=30");
}

TEST(PasswordPolicy, refuses_short_long_common_and_address_passwords) {
    const PasswordPolicy policy("# comment\nPassword12345\n");
    auto code_of = [&](std::string_view pw) {
        auto r = policy.check(pw, "ops@example.jp");
        return r ? std::string() : r.error().fields.at(0).code;
    };
    EXPECT_EQ(code_of("elevenchars"), "too_short");
    EXPECT_EQ(code_of("一二三四五六七八九十壱"), "too_short");  // counted in characters, not bytes
    EXPECT_EQ(code_of("一二三四五六七八九十壱弐"), "");
    EXPECT_EQ(code_of(std::string(1025, 'x')), "too_long");
    EXPECT_EQ(code_of("PASSWORD12345"), "common");
    EXPECT_EQ(code_of("OPS@example.jp"), "same_as_email");
    EXPECT_EQ(code_of("correct horse battery"), "");
}

TEST(PasswordPolicy, refuses_the_accounts_and_the_programmes_own_words_anywhere_in_the_password) {
    const PasswordPolicy policy("");
    auto code_of = [&](std::string_view pw, std::string_view email) {
        auto r = policy.check(pw, email);
        return r ? std::string() : r.error().fields.at(0).code;
    };
    EXPECT_EQ(code_of("tanaka-hanako the best", "tanaka-hanako@shoten.example"), "context");  // the local part
    EXPECT_EQ(code_of("my TANAKA-HANAKO password", "tanaka-hanako@shoten.example"), "context");
    EXPECT_EQ(code_of("welcome to shoten 2026", "tanaka-hanako@shoten.example"), "context");  // the domain's label
    EXPECT_EQ(code_of("my sengen console key", "ops@example.jp"), "context");
    EXPECT_EQ(code_of("SecurityAction2026!!", "ops@example.jp"), "context");
    EXPECT_EQ(code_of("セキュリティ対策をがんばる", "ops@example.jp"), "context");
    // A local part shorter than four characters refuses nothing by chance.
    EXPECT_EQ(code_of("ops and more words here", "ops@ab.jp"), "");
    EXPECT_EQ(code_of("correct horse battery", "tanaka-hanako@shoten.example"), "");
}

TEST(PasswordPolicy, has_no_composition_rules_and_takes_long_pass_phrases) {
    const PasswordPolicy policy("");
    // Lower case only, no digit, no symbol: long enough is good enough (ASVS V6.2.5).
    EXPECT_TRUE(policy.check("correct horse battery staple", "ops@example.jp"));
    EXPECT_TRUE(policy.check("いぬとねこがいっしょにねている", "ops@example.jp"));
    // Well over 64 characters (ASVS V6.2.9), in ASCII and in Japanese (3 bytes a character).
    EXPECT_TRUE(policy.check(std::string(128, 'q') + " long phrase", "ops@example.jp"));
    std::string japanese;
    for (int i = 0; i < 100; ++i) japanese += "猫";
    EXPECT_TRUE(policy.check(japanese, "ops@example.jp"));
    // Spaces count as characters, as typed (nothing is trimmed or truncated).
    EXPECT_TRUE(policy.check("     a b c     ", "ops@example.jp"));
}

TEST(PasswordPolicy, the_shipped_list_has_thousands_of_entries_and_catches_the_obvious) {
    const auto policy = PasswordPolicy::embedded();
    EXPECT_GT(policy.size(), 3000u);
    EXPECT_FALSE(policy.check("password1234", ""));
    EXPECT_FALSE(policy.check("qwertyuiop123", ""));
    EXPECT_FALSE(policy.check("123456789012", ""));
}

TEST(PasswordHasher, hashes_with_argon2id_and_verifies) {
    PasswordHasher hasher(1);
    auto h = hasher.hash("a long and unusual phrase");
    ASSERT_TRUE(h);
    EXPECT_EQ(h->rfind("$argon2id$", 0), 0u);
    EXPECT_TRUE(*hasher.verify("a long and unusual phrase", *h));
    EXPECT_FALSE(*hasher.verify("a long and unusual phrasE", *h));
    EXPECT_FALSE(*hasher.verify("anything", ""));  // no account: a dummy hash is checked, never a match
}

TEST(RecoveryCodes, are_compared_without_case_spaces_or_hyphens) {
    EXPECT_EQ(normalise_recovery_code("AbCdE-fGhIj"), "abcdefghij");
    EXPECT_EQ(normalise_recovery_code(" abcde fghij "), "abcdefghij");
}

// Operators' and verifiers' codes alike (ADR 56): typed with spaces or in full width, as Japanese
// keyboards often give digits; a recovery code passes as typed, spaces apart.
TEST(SecondFactor, a_typed_code_may_have_spaces_and_full_width_digits) {
    EXPECT_EQ(typed_code("123 456"), "123456");
    EXPECT_EQ(typed_code("１２３４５６"), "123456");
    EXPECT_EQ(typed_code("１２３　４５６"), "123456");
    EXPECT_EQ(typed_code("abcde fghij"), "abcdefghij");
}

}  // namespace
}  // namespace sengen::app
