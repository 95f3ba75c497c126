#include <gtest/gtest.h>

#include "content/registry_content.hpp"
#include "embedded/embedded.hpp"

using namespace sengen::content;

namespace {
std::map<std::string, std::string_view> shipped() {
    std::map<std::string, std::string_view> files;
    for (const auto& f : sengen::embedded::all_files())
        if (f.path.rfind("content/", 0) == 0) files.emplace(std::string(f.path), f.bytes);
    return files;
}
}  // namespace

TEST(RegistryContent, shipped_content_loads) {
    auto rc = load_embedded_registry_content();
    ASSERT_TRUE(rc) << rc.error().detail;
    EXPECT_EQ(rc->max_level(), 2);
    EXPECT_EQ(rc->level(2).stars, "★★");
    EXPECT_EQ(rc->principles.size(), 5u);
    EXPECT_EQ(rc->prefectures.size(), 47u);
    EXPECT_EQ(rc->industries.size(), 20u);
    EXPECT_EQ(rc->current_terms().version, "2026-2");
    EXPECT_EQ(rc->current_terms().effective, "2026-12-07");
    EXPECT_NE(RegistryContent::find(rc->prefectures, "13"), nullptr);
}

// A new version of the terms does not replace the one declarants agreed to: both are loaded, oldest
// first, and the earlier one is still found by its version for /terms/2026-1 and My Page.
TEST(RegistryContent, an_earlier_terms_version_stays_readable_beside_the_current_one) {
    auto rc = load_embedded_registry_content();
    ASSERT_TRUE(rc) << rc.error().detail;
    ASSERT_EQ(rc->terms.size(), 2u);
    EXPECT_EQ(rc->terms.front().version, "2026-1");
    const auto* earlier = rc->terms_version("2026-1");
    ASSERT_NE(earlier, nullptr);
    EXPECT_EQ(earlier->effective, "2026-04-01");
    EXPECT_EQ(earlier->sections.size(), rc->current_terms().sections.size());
    EXPECT_EQ(rc->terms_version("1999-9"), nullptr);
}

TEST(RegistryContent, a_missing_translation_is_reported_with_file_and_line) {
    auto files = shipped();
    std::string broken =
        "edition = \"x\"\n[[principle]]\nnumber = 1\ntitle.ja = \"a\"\ntitle.en = \"\"\n"
        "commitment.ja = \"c\"\ncommitment.en = \"d\"\n";
    files["content/principles.toml"] = broken;
    auto rc = load_registry_content(files);
    ASSERT_FALSE(rc);
    EXPECT_NE(rc.error().detail.find("content/principles.toml:5: principle 1: 'title'.en is empty"), std::string::npos)
        << rc.error().detail;
    EXPECT_NE(rc.error().detail.find("exactly five"), std::string::npos) << rc.error().detail;
}

TEST(RegistryContent, levels_out_of_order_are_reported) {
    auto files = shipped();
    std::string broken =
        "[[level]]\nnumber = 2\nstars = \"★\"\nname.ja = \"a\"\nname.en = \"b\"\nsummary.ja = \"c\"\nsummary.en = "
        "\"d\"\n";
    files["content/levels.toml"] = broken;
    auto rc = load_registry_content(files);
    ASSERT_FALSE(rc);
    EXPECT_NE(rc.error().detail.find("content/levels.toml:1: levels must be numbered 1, 2, 3, ... in order"),
              std::string::npos)
        << rc.error().detail;
}

// Every file uses {ja, en} tables; the old name_ja/name_en keys are refused, not silently ignored.
TEST(RegistryContent, the_old_bilingual_keys_are_refused_with_file_and_line) {
    auto files = shipped();
    files["content/levels.toml"] =
        "[[level]]\nnumber = 1\nstars = \"★\"\nname_ja = \"a\"\nname_en = \"b\"\nsummary.ja = \"c\"\n"
        "summary.en = \"d\"\nself_declared = true\n";
    auto rc = load_registry_content(files);
    ASSERT_FALSE(rc);
    const auto& d = rc.error().detail;
    EXPECT_NE(d.find("content/levels.toml:4: level: unknown key 'name_ja'"), std::string::npos) << d;
    EXPECT_NE(d.find("content/levels.toml:1: level 1: 'name' is missing (it needs ja and en)"), std::string::npos) << d;
}

TEST(RegistryContent, a_choice_label_needs_both_languages) {
    auto files = shipped();
    std::string choices(files.at("content/choices.toml"));
    const std::string from = "label.en = \"Corporation\"\n";
    ASSERT_NE(choices.find(from), std::string::npos);
    choices.replace(choices.find(from), from.size(), "");
    files["content/choices.toml"] = choices;
    auto rc = load_registry_content(files);
    ASSERT_FALSE(rc);
    EXPECT_NE(rc.error().detail.find("content/choices.toml:"), std::string::npos) << rc.error().detail;
    EXPECT_NE(rc.error().detail.find("entity_type 'corporation': 'label' has no en text"), std::string::npos)
        << rc.error().detail;
}

TEST(RegistryContent, shipped_levels_are_all_self_declared) {
    auto rc = load_embedded_registry_content();
    ASSERT_TRUE(rc) << rc.error().detail;
    EXPECT_EQ(rc->highest_self_declared_level(), 2);
    EXPECT_EQ(rc->level_rules().highest, 2);
    EXPECT_EQ(rc->level_rules().highest_self_declared, 2);
}

TEST(RegistryContent, a_level_above_the_self_declared_ones_is_granted_by_others) {
    auto files = shipped();
    std::string levels(files["content/levels.toml"]);
    levels +=
        "\n[[level]]\nnumber = 3\nstars = \"★★★\"\nself_declared = false\nname.ja = \"a\"\nname.en = \"b\"\n"
        "summary.ja = \"c\"\nsummary.en = \"d\"\n";
    files["content/levels.toml"] = levels;
    auto rc = load_registry_content(files);
    ASSERT_TRUE(rc) << rc.error().detail;
    EXPECT_EQ(rc->max_level(), 3);
    EXPECT_EQ(rc->highest_self_declared_level(), 2);
}

TEST(RegistryContent, self_declared_levels_must_come_first_and_be_stated) {
    auto files = shipped();
    std::string broken =
        "[[level]]\nnumber = 1\nstars = \"★\"\nself_declared = false\nname.ja = \"a\"\nname.en = \"b\"\n"
        "summary.ja = \"c\"\nsummary.en = \"d\"\n"
        "[[level]]\nnumber = 2\nstars = \"★★\"\nself_declared = true\nname.ja = \"a\"\nname.en = \"b\"\n"
        "summary.ja = \"c\"\nsummary.en = \"d\"\n"
        "[[level]]\nnumber = 3\nstars = \"★★★\"\nname.ja = \"a\"\nname.en = \"b\"\n"
        "summary.ja = \"c\"\nsummary.en = \"d\"\n";
    files["content/levels.toml"] = broken;
    auto rc = load_registry_content(files);
    ASSERT_FALSE(rc);
    const auto& why = rc.error().detail;
    EXPECT_NE(why.find("content/levels.toml:9: a self-declared level cannot follow one that is not"), std::string::npos)
        << why;
    EXPECT_NE(why.find("level 3: 'self_declared' is missing"), std::string::npos) << why;
    EXPECT_NE(why.find("level 1 must be self-declared"), std::string::npos) << why;
}

TEST(RegistryContent, a_toml_syntax_error_names_the_line) {
    auto files = shipped();
    files["content/choices.toml"] = "[[industry]]\ncode = \n";
    auto rc = load_registry_content(files);
    ASSERT_FALSE(rc);
    EXPECT_NE(rc.error().detail.find("content/choices.toml:2"), std::string::npos) << rc.error().detail;
}
