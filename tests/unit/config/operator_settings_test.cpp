// The settings of issue 11: which operator profile is in force, and the leading digit of IDs,
// which refuses IPA's first digits (4 and 5) unless the operator acknowledges them.
#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace sengen::config;

namespace {
RawSettings raw(std::initializer_list<std::pair<std::string, std::string>> kv) {
    RawSettings r;
    for (const auto& [k, v] : kv) r[k] = {v, "test"};
    return r;
}
}  // namespace

TEST(OperatorSettings, the_demo_profile_is_in_force_by_default) {
    auto c = build({});
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_EQ(c->operator_profile.kind, OperatorProfileSource::Kind::Embedded);
    EXPECT_EQ(c->operator_profile.name, "demo");
}

TEST(OperatorSettings, a_profile_is_named_or_given_as_a_toml_file) {
    auto named = build(raw({{"operator-profile", "demo"}}));
    ASSERT_TRUE(named) << named.error().detail;
    EXPECT_EQ(named->operator_profile.kind, OperatorProfileSource::Kind::Embedded);
    auto file = build(raw({{"operator-profile", "/etc/sengen/prefecture.toml"}}));
    ASSERT_TRUE(file) << file.error().detail;
    EXPECT_EQ(file->operator_profile.kind, OperatorProfileSource::Kind::File);
    EXPECT_EQ(file->operator_profile.path, "/etc/sengen/prefecture.toml");
    auto bad = build(raw({{"operator-profile", "/etc/sengen/prefecture.txt"}}));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().detail.find("setting operator-profile: bad value '/etc/sengen/prefecture.txt'"),
              std::string::npos)
        << bad.error().detail;
}

TEST(OperatorSettings, the_leading_digits_of_ipa_ids_are_refused_without_the_acknowledgement) {
    for (const char* digit : {"4", "5"}) {
        auto c = build(raw({{"id-leading-digit", digit}}));
        ASSERT_FALSE(c) << digit;
        const auto& d = c.error().detail;
        EXPECT_NE(d.find(std::string("setting id-leading-digit: bad value '") + digit + "'"), std::string::npos) << d;
        EXPECT_NE(d.find("allow-ipa-leading-digit"), std::string::npos) << d;
        auto allowed = build(raw({{"id-leading-digit", digit}, {"allow-ipa-leading-digit", "true"}}));
        ASSERT_TRUE(allowed) << allowed.error().detail;
        EXPECT_EQ(allowed->id_leading_digit, std::stoi(digit));
    }
}

TEST(OperatorSettings, other_leading_digits_need_no_acknowledgement) {
    for (const char* digit : {"1", "2", "3", "6", "7", "8", "9"}) {
        auto c = build(raw({{"id-leading-digit", digit}}));
        ASSERT_TRUE(c) << digit << ": " << c.error().detail;
    }
    auto bad = build(raw({{"allow-ipa-leading-digit", "perhaps"}}));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().detail.find("allow-ipa-leading-digit"), std::string::npos);
}

// ADR 61: each declarant chooses a sign-in code unless the operator requires one of every account.
TEST(OperatorSettings, a_declarants_second_factor_is_optional_unless_required) {
    auto c = build({});
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_EQ(c->declarant_second_factor, sengen::DeclarantSecondFactor::Optional);
    auto required = build(raw({{"declarant-second-factor", "required"}}));
    ASSERT_TRUE(required) << required.error().detail;
    EXPECT_EQ(required->declarant_second_factor, sengen::DeclarantSecondFactor::Required);
    auto optional = build(raw({{"declarant-second-factor", "optional"}}));
    ASSERT_TRUE(optional) << optional.error().detail;
    EXPECT_EQ(optional->declarant_second_factor, sengen::DeclarantSecondFactor::Optional);
    auto bad = build(raw({{"declarant-second-factor", "always"}}));
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().detail.find("setting declarant-second-factor: bad value 'always'"), std::string::npos)
        << bad.error().detail;
    EXPECT_NE(bad.error().detail.find("expected optional or required"), std::string::npos) << bad.error().detail;
}
