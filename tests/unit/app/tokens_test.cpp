// The secret tokens behind sessions and mailed links (app::random_token) and the hash the database
// keeps instead of them (app::token_hash): their size, their alphabet, that they do not repeat,
// and that the stored form is BLAKE2b-256 and nothing weaker.
#include "app/tokens.hpp"

#include <gtest/gtest.h>
#include <sodium.h>

#include <array>
#include <bit>
#include <cstdint>
#include <set>
#include <string>

namespace sengen::app {
namespace {

// The 32 bytes a token stands for, read back from its URL-safe base64 form.
std::array<unsigned char, 32> bytes_of(const std::string& token) {
    std::array<unsigned char, 32> out{};
    std::size_t len = 0;
    EXPECT_EQ(sodium_base642bin(out.data(), out.size(), token.data(), token.size(), nullptr, &len, nullptr,
                                sodium_base64_VARIANT_URLSAFE_NO_PADDING),
              0)
        << token;
    EXPECT_EQ(len, out.size()) << token;
    return out;
}

TEST(Tokens, a_token_is_256_random_bits_written_as_43_url_safe_characters) {
    const auto token = random_token();
    EXPECT_EQ(token.size(), 43u);
    EXPECT_TRUE(plausible_token(token));
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos);
    bytes_of(token);  // decodes to exactly 32 bytes
}

TEST(Tokens, ten_thousand_tokens_never_repeat_and_their_bits_are_balanced) {
    constexpr int kDraws = 10'000;
    std::set<std::string> seen;
    std::set<char> alphabet;
    std::uint64_t ones = 0;
    for (int i = 0; i < kDraws; ++i) {
        const auto token = random_token();
        ASSERT_TRUE(seen.insert(token).second) << "repeated after " << i << " draws: " << token;
        alphabet.insert(token.begin(), token.end());
        for (unsigned char b : bytes_of(token)) ones += static_cast<std::uint64_t>(std::popcount(b));
    }
    // Every one of the 64 characters turns up, and about half of the 2,560,000 bits are set: a
    // counter, a clock or a stuck generator would miss both by far (the bound is over 30 standard
    // deviations wide, so a working generator never fails it).
    EXPECT_EQ(alphabet.size(), 64u);
    constexpr std::uint64_t kBits = std::uint64_t{kDraws} * 32 * 8;
    EXPECT_GT(ones, kBits / 2 - 25'000);
    EXPECT_LT(ones, kBits / 2 + 25'000);
}

TEST(Tokens, the_stored_form_is_the_blake2b_256_hash_in_hex) {
    const auto token = random_token();
    const auto stored = token_hash(token);
    ASSERT_EQ(stored.size(), 64u);  // 256 bits
    std::array<unsigned char, 32> expected{};
    crypto_generichash(expected.data(), expected.size(), reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    std::array<char, 65> hex{};
    sodium_bin2hex(hex.data(), hex.size(), expected.data(), expected.size());
    EXPECT_EQ(stored, std::string(hex.data()));
    EXPECT_EQ(stored.find(token), std::string::npos);
    EXPECT_NE(token_hash(random_token()), stored);
}

TEST(Tokens, anything_but_43_url_safe_characters_is_not_a_token) {
    EXPECT_FALSE(plausible_token(""));
    EXPECT_FALSE(plausible_token(std::string(42, 'A')));
    EXPECT_FALSE(plausible_token(std::string(44, 'A')));
    EXPECT_FALSE(plausible_token(std::string(42, 'A') + "="));
    EXPECT_FALSE(plausible_token(std::string(42, 'A') + "/"));
    EXPECT_TRUE(plausible_token(std::string(43, '_')));
}

// ASVS 5.0 V14.2.1 (ADR 59): a mailed link's path and query never hold the token; the fragment,
// which a browser never sends, does.
TEST(Tokens, a_mailed_link_carries_the_token_in_its_fragment_only) {
    const auto token = random_token();
    const auto link = link_url("https://sengen.example.jp", "/confirm", token);
    EXPECT_EQ(link, "https://sengen.example.jp/confirm#" + token);
    const auto hash = link.find('#');
    ASSERT_NE(hash, std::string::npos);
    EXPECT_EQ(link.substr(0, hash).find(token), std::string::npos);
    EXPECT_EQ(link.find('?'), std::string::npos);
    EXPECT_EQ(link.substr(hash + 1), token);
}

}  // namespace
}  // namespace sengen::app
