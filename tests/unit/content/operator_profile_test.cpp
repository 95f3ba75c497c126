// The operator profile loader: the shipped profiles load, and a bad file is refused with every
// problem as "file:line: what".
#include <gtest/gtest.h>

#include "content/operator_profile.hpp"
#include "content/registry_content.hpp"
#include "embedded/embedded.hpp"

using namespace sengen;
using namespace sengen::content;

namespace {

const char* const kMinimal = R"(programme_name.ja = "試験の宣言"
programme_name.en = "Test declarations"
operator_name.ja = "試験事務局"
operator_name.en = "Test office"
postal_address.ja = "試験市1-1"
postal_address.en = "1-1 Test City"

[contact]
email = "office@example.jp"

[privacy]
updated = 2026-05-01
purposes.ja = ["受付"]
purposes.en = ["Receiving"]
sharing.ja = "なし"
sharing.en = "None"
retention.ja = "宣言の間"
retention.en = "While declared"
safeguards.ja = "暗号化"
safeguards.en = "Encryption"
requests.ja = "メールで"
requests.en = "By mail"
)";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

}  // namespace

TEST(OperatorProfile, every_shipped_profile_loads_and_the_demo_is_marked_as_one) {
    int loaded = 0;
    for (const auto& f : embedded::all_files()) {
        if (!f.path.starts_with("content/operator/")) continue;
        auto p = load_operator_profile(f.bytes, f.path);
        ASSERT_TRUE(p) << p.error().detail;
        ++loaded;
    }
    EXPECT_GE(loaded, 1);
    auto rc = load_embedded_registry_content();
    ASSERT_TRUE(rc) << rc.error().detail;
    const auto& demo = rc->operator_profile;
    EXPECT_TRUE(demo.demo());
    EXPECT_FALSE(demo.has_accepted_for());  // says nothing about where the ID is accepted
    ASSERT_NE(demo.other_registry_for(4), nullptr);
    ASSERT_NE(demo.other_registry_for(5), nullptr);
    EXPECT_EQ(demo.other_registry_for(1), nullptr);
    EXPECT_FALSE(demo.privacy.purposes.ja.empty());
}

TEST(OperatorProfile, a_minimal_profile_is_an_operator_with_no_other_registries_of_its_own) {
    auto p = load_operator_profile(kMinimal, "own.toml");
    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_FALSE(p->demo());
    EXPECT_EQ(p->operator_name.ja, "試験事務局");
    EXPECT_EQ(p->contact_email, "office@example.jp");
    EXPECT_TRUE(p->other_registries.empty());
    EXPECT_EQ(p->privacy.updated, "2026-05-01");
}

TEST(OperatorProfile, a_bad_file_is_refused_with_file_and_line) {
    std::string bad = replaced(kMinimal, "email = \"office@example.jp\"", "email = \"not an address\"");
    bad = replaced(bad, "sharing.en = \"None\"", "sharing.en = \"\"");
    bad +=
        "\n[[other_registry]]\nname.ja = \"他\"\nname.en = \"Other\"\nlookup_url = \"ftp://x\"\n"
        "leading_digits = [0]\n";
    auto p = load_operator_profile(bad, "content/operator/broken.toml");
    ASSERT_FALSE(p);
    const auto& d = p.error().detail;
    EXPECT_NE(d.find("content/operator/broken.toml:9: contact: 'email' must be an e-mail address"), std::string::npos)
        << d;
    EXPECT_NE(d.find("content/operator/broken.toml:16: privacy: 'sharing'.en is empty"), std::string::npos) << d;
    EXPECT_NE(d.find("content/operator/broken.toml:27: other_registry: 'lookup_url' must be"), std::string::npos) << d;
    EXPECT_NE(d.find("content/operator/broken.toml:28: other_registry: 'leading_digits' must hold digits 1 to 9"),
              std::string::npos)
        << d;
}

TEST(OperatorProfile, a_missing_section_or_an_unknown_key_is_reported) {
    std::string bad = replaced(kMinimal, "[contact]\nemail = \"office@example.jp\"\n", "");
    bad = "colour = \"blue\"\n" + bad;
    auto p = load_operator_profile(bad, "x.toml");
    ASSERT_FALSE(p);
    const auto& d = p.error().detail;
    EXPECT_NE(d.find("x.toml:1: operator profile: unknown key 'colour'"), std::string::npos) << d;
    EXPECT_NE(d.find("'contact' is missing"), std::string::npos) << d;
}

TEST(OperatorProfile, accepted_for_needs_both_languages_or_neither) {
    auto p = load_operator_profile(std::string(kMinimal) + "", "x.toml");
    ASSERT_TRUE(p);
    std::string one = replaced(kMinimal, "\n[contact]", "accepted_for.ja = \"県の登録で使えます\"\n\n[contact]");
    auto half = load_operator_profile(one, "x.toml");
    ASSERT_FALSE(half);
    EXPECT_NE(half.error().detail.find("x.toml:7: operator profile: 'accepted_for' needs both"), std::string::npos)
        << half.error().detail;
}

TEST(OperatorProfile, a_profile_that_lists_no_other_registry_gets_the_shipped_list_of_ipas_ids) {
    auto rc = load_embedded_registry_content("own.toml", std::string_view(kMinimal));
    ASSERT_TRUE(rc) << rc.error().detail;
    const auto& p = rc->operator_profile;
    ASSERT_NE(p.other_registry_for(4), nullptr);
    ASSERT_NE(p.other_registry_for(5), nullptr);
    EXPECT_EQ(p.other_registry_for(4)->name.en, "IPA's SECURITY ACTION");
    EXPECT_EQ(p.other_registry_for(4)->lookup_url, "https://sme-security.ipa.go.jp/");
    EXPECT_EQ(p.other_registry_for(1), nullptr);
}

TEST(OperatorProfile, a_profile_replaces_the_shipped_list_or_lists_none) {
    const std::string own = "other_registry = []\n" + std::string(kMinimal);
    auto none = load_embedded_registry_content("own.toml", std::string_view(own));
    ASSERT_TRUE(none) << none.error().detail;
    EXPECT_TRUE(none->operator_profile.other_registries.empty());
    const std::string listed = std::string(kMinimal) +
                               "\n[[other_registry]]\nname.ja = \"他\"\nname.en = \"Other\"\n"
                               "lookup_url = \"https://other.example.jp/\"\nleading_digits = [7]\n";
    auto replaced_list = load_embedded_registry_content("own.toml", std::string_view(listed));
    ASSERT_TRUE(replaced_list) << replaced_list.error().detail;
    const auto& p = replaced_list->operator_profile;
    ASSERT_EQ(p.other_registries.size(), 1u);
    EXPECT_EQ(p.other_registry_for(4), nullptr);
    ASSERT_NE(p.other_registry_for(7), nullptr);
}

TEST(OperatorProfile, the_shipped_list_of_other_registries_is_checked_like_a_profile) {
    auto missing = load_other_registries("", "content/other_registries.toml");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().detail.find("content/other_registries.toml:1: 'other_registry' is missing"),
              std::string::npos)
        << missing.error().detail;
    auto empty = load_other_registries("other_registry = []\n", "content/other_registries.toml");
    ASSERT_FALSE(empty);
    EXPECT_NE(empty.error().detail.find("content/other_registries.toml:1: 'other_registry' needs at least one"),
              std::string::npos)
        << empty.error().detail;
    auto bad = load_other_registries(
        "[[other_registry]]\nname.ja = \"他\"\nname.en = \"Other\"\n"
        "lookup_url = \"ftp://x\"\nleading_digits = [4]\n",
        "o.toml");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().detail.find("o.toml:4: other_registry: 'lookup_url' must be"), std::string::npos)
        << bad.error().detail;
}

TEST(OperatorProfile, a_profile_the_setting_names_but_that_is_not_there_stops_the_start) {
    auto rc = load_embedded_registry_content("content/operator/nobody.toml");
    ASSERT_FALSE(rc);
    EXPECT_NE(rc.error().detail.find("content/operator/nobody.toml: missing"), std::string::npos) << rc.error().detail;
}
