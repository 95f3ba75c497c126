// The subsidy catalogue loader: the shipped catalogue loads, a good file reads into the domain's
// types, and each kind of bad file is refused with its line ("file:line: what").
#include <gtest/gtest.h>

#include "content/registry_content.hpp"
#include "content/subsidy_catalogue.hpp"
#include "embedded/embedded.hpp"

using namespace sengen;
using namespace sengen::content;

namespace {

// Line numbers in the tests below count from the first line of this text.
const char* const kGood = R"(edition = "test-1"

[[registry]]
code = "ipa"
name.ja = "IPA"
name.en = "IPA"
url = "https://www.ipa.go.jp/security/security-action/"

[[prerequisite]]
code = "gbizid_prime"
name.ja = "GビズIDプライム"
name.en = "gBizID Prime"
description.ja = "説明"
description.en = "Description"

[[programme]]
slug = "national-one"
name.ja = "全国の補助金"
name.en = "National grant"
body.ja = "国"
body.en = "The state"
summary.ja = "要約"
summary.en = "Summary"
scope = "national"
accepts = ["ipa"]
prerequisites = ["gbizid_prime"]
years = [2025, 2026]
status = "open"
sources = ["https://example.go.jp/grant"]
checked = 2026-12-06

[[programme.frame]]
code = "security"
name.ja = "枠"
name.en = "Frame"

[[programme.ask]]
kind = "required"
level = 1

[[programme.ask]]
kind = "bonus_points"
level = 2
frames = ["security"]
note.ja = "注"
note.en = "Note"

[[programme.round]]
id = "1"
name.ja = "第1回"
name.en = "First call"
status = "open"
opens = 2026-03-30
closes = 2026-05-12

[[programme]]
slug = "city-two"
name.ja = "市の補助金"
name.en = "City grant"
body.ja = "市"
body.en = "The city"
summary.ja = "要約"
summary.en = "Summary"
scope = "municipal"
prefecture = "01"
city.ja = "札幌市"
city.en = "Sapporo"
accepts = ["this_registry", "any"]
status = "closed"
sources = ["https://example.lg.jp/"]
checked = 2026-01-31
note.ja = "不確か"
note.en = "Uncertain"

[[programme.ask]]
kind = "required_after_adoption"
level = 1
)";

CatalogueReferences refs() { return {{1, 2}, {"01", "13"}}; }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// The problems reported for `text`, or "" when it loads.
std::string problems(const std::string& text) {
    auto c = load_subsidy_catalogue(text, "subsidies.toml", refs());
    return c ? std::string() : c.error().detail;
}

}  // namespace

TEST(SubsidyCatalogueLoader, a_good_file_reads_into_the_domain_types) {
    auto c = load_subsidy_catalogue(kGood, "subsidies.toml", refs());
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_EQ(c->edition(), "test-1");
    EXPECT_EQ(c->file(), "subsidies.toml");
    ASSERT_EQ(c->programmes().size(), 2u);
    const auto* p = c->find("national-one");
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->line, 16u);
    EXPECT_EQ(p->name.ja, "全国の補助金");
    EXPECT_EQ(p->scope, subsidy::Scope::National);
    EXPECT_EQ(p->status, subsidy::Status::Open);
    EXPECT_EQ(p->checked, "2026-12-06");
    EXPECT_EQ(p->years, (std::vector<int>{2025, 2026}));
    ASSERT_EQ(p->asks.size(), 2u);
    EXPECT_EQ(p->asks[0].kind, subsidy::AskKind::Required);
    EXPECT_EQ(p->asks[1].kind, subsidy::AskKind::BonusPoints);
    EXPECT_EQ(p->asks[1].minimum_level, 2);
    EXPECT_EQ(p->asks[1].frames, std::vector<std::string>{"security"});
    EXPECT_EQ(p->asks[1].note.en, "Note");
    EXPECT_EQ(p->minimum_level(), 1);
    ASSERT_EQ(p->rounds.size(), 1u);
    EXPECT_EQ(p->rounds[0].closes, "2026-05-12");
    EXPECT_TRUE(p->note.ja.empty());
    EXPECT_TRUE(p->accepts_registry("ipa"));
    EXPECT_FALSE(p->accepts_registry(subsidy::kThisRegistry));
    const auto* city = c->find("city-two");
    ASSERT_NE(city, nullptr);
    EXPECT_EQ(city->prefecture, "01");
    EXPECT_EQ(city->city.en, "Sapporo");
    EXPECT_TRUE(city->has(subsidy::AskKind::RequiredAfterAdoption));
    EXPECT_TRUE(city->accepts_registry("anything"));
    EXPECT_EQ(c->count(subsidy::Status::Open), 1u);
    ASSERT_NE(c->registry("ipa"), nullptr);
    ASSERT_NE(c->prerequisite("gbizid_prime"), nullptr);
}

TEST(SubsidyCatalogueLoader, the_shipped_catalogue_loads_and_names_every_programme_of_the_article) {
    auto content = load_embedded_registry_content();
    ASSERT_TRUE(content) << content.error().detail;
    auto text = embedded::find(kShippedSubsidyCatalogue);
    ASSERT_TRUE(text);
    auto c = load_subsidy_catalogue(*text, kShippedSubsidyCatalogue, catalogue_references(*content));
    ASSERT_TRUE(c) << c.error().detail;
    for (const char* slug : {"it-donyu-2023", "it-donyu-2024-2025", "digital-ai-2026", "monozukuri-digital",
                             "jigyo-shokei-keiei-kakushin", "kaigo-ict", "tokyo-cyber-security", "akita-digital-trial",
                             "gifu-smartwork-2022", "sakai-digital", "aichi-digital-tech", "sapporo-digital"})
        EXPECT_NE(c->find(slug), nullptr) << slug;
    for (const auto& p : c->programmes()) {
        // Every shipped programme checks IPA's registry, and its note says this registry's ID is not accepted.
        EXPECT_EQ(p.accepts, std::vector<std::string>{"ipa"}) << p.slug;
        EXPECT_NE(p.note.ja.find("この登録簿の自己宣言IDは使えません"), std::string::npos) << p.slug;
        EXPECT_NE(p.note.en.find("this registry is not accepted"), std::string::npos) << p.slug;
    }
    EXPECT_EQ(c->find("tokyo-cyber-security")->asks.at(0).minimum_level, 2);
    EXPECT_TRUE(c->find("aichi-digital-tech")->has(subsidy::AskKind::BonusPoints));
    EXPECT_TRUE(c->find("sapporo-digital")->has(subsidy::AskKind::RequiredAfterAdoption));
}

TEST(SubsidyCatalogueLoader, an_unknown_requirement_type_is_reported_on_its_line) {
    EXPECT_EQ(problems(replaced(kGood, "kind = \"required\"", "kind = \"recommended\"")),
              "subsidies.toml:38: programme 'national-one': ask: requirement type 'recommended' is not known (use "
              "required, bonus_points or required_after_adoption)\n");
}

TEST(SubsidyCatalogueLoader, a_missing_japanese_name_is_reported_on_its_line) {
    EXPECT_EQ(problems(replaced(kGood, "name.ja = \"全国の補助金\"\n", "")),
              "subsidies.toml:18: programme 'national-one': 'name' has no ja text\n");
}

TEST(SubsidyCatalogueLoader, a_date_that_is_not_a_date_is_reported_on_its_line) {
    EXPECT_EQ(problems(replaced(kGood, "checked = 2026-12-06", "checked = \"last week\"")),
              "subsidies.toml:30: programme 'national-one': 'checked' must be a date such as 2026-12-06\n");
}

TEST(SubsidyCatalogueLoader, an_impossible_date_is_reported_on_its_line) {
    const auto p = problems(replaced(kGood, "checked = 2026-12-06", "checked = 2026-02-30"));
    EXPECT_EQ(p.rfind("subsidies.toml:30: ", 0), 0u) << p;
}

TEST(SubsidyCatalogueLoader, a_missing_date_is_reported_at_its_programme) {
    EXPECT_EQ(problems(replaced(kGood, "checked = 2026-12-06\n", "")),
              "subsidies.toml:16: programme 'national-one': 'checked' is missing (the date the entry was last "
              "compared with its sources)\n");
}

TEST(SubsidyCatalogueLoader, a_slug_used_twice_is_reported_at_the_second_with_the_first) {
    EXPECT_EQ(problems(replaced(kGood, "slug = \"city-two\"", "slug = \"national-one\"")),
              "subsidies.toml:56: slug 'national-one' is used twice (first at line 16)\n");
}

TEST(SubsidyCatalogueLoader, a_source_that_is_not_https_is_reported_on_its_line) {
    EXPECT_EQ(problems(replaced(kGood, "https://example.go.jp/grant", "http://example.go.jp/grant")),
              "subsidies.toml:29: programme 'national-one': source 'http://example.go.jp/grant' is not an https:// "
              "address\n");
}

// Found by fuzzing (fuzz/corpus/content_toml/regression_line_break_in_a_catalogue_value): a value
// quoted in a problem brought its line break into the report, and the half after it was sorted
// first as a line without a number.
TEST(SubsidyCatalogueLoader, a_line_break_in_a_quoted_value_stays_within_its_one_line_problem) {
    EXPECT_EQ(problems(replaced(kGood, "https://example.go.jp/grant", "https://example.go.jp/gr\\nant\\u0007")),
              "subsidies.toml:29: programme 'national-one': source 'https://example.go.jp/gr\\nant\\x07' is not an "
              "https:// address\n");
}

TEST(SubsidyCatalogueLoader, a_level_that_is_not_known_is_reported_on_its_line) {
    EXPECT_EQ(problems(replaced(kGood, "kind = \"bonus_points\"\nlevel = 2", "kind = \"bonus_points\"\nlevel = 3")),
              "subsidies.toml:43: programme 'national-one': ask: level 3 is not a known level (1, 2)\n");
}

TEST(SubsidyCatalogueLoader, an_undefined_registry_prerequisite_or_frame_is_reported) {
    EXPECT_EQ(problems(replaced(kGood, "accepts = [\"ipa\"]", "accepts = [\"jcci\"]")),
              "subsidies.toml:16: programme 'national-one': accepts names registry 'jcci', which no [[registry]] "
              "defines (built in: this_registry, any)\n");
    EXPECT_EQ(problems(replaced(kGood, "prerequisites = [\"gbizid_prime\"]", "prerequisites = [\"mynumber\"]")),
              "subsidies.toml:16: programme 'national-one': prerequisite 'mynumber' is not defined by any "
              "[[prerequisite]]\n");
    EXPECT_EQ(problems(replaced(kGood, "frames = [\"security\"]", "frames = [\"invoice\"]")),
              "subsidies.toml:41: programme 'national-one': ask names frame 'invoice', which the programme does not "
              "define\n");
}

TEST(SubsidyCatalogueLoader, a_local_programme_names_a_known_prefecture) {
    EXPECT_EQ(problems(replaced(kGood, "prefecture = \"01\"", "prefecture = \"48\"")),
              "subsidies.toml:65: programme 'city-two': prefecture must be a JIS X 0401 code of content/choices.toml, "
              "such as \"13\"\n");
    EXPECT_EQ(problems(replaced(kGood, "prefecture = \"01\"\n", "")),
              "subsidies.toml:56: programme 'city-two': 'prefecture' is missing (a prefectural or municipal programme "
              "names its prefecture)\n");
    EXPECT_EQ(problems(replaced(kGood, "scope = \"national\"", "scope = \"national\"\nprefecture = \"13\"")),
              "subsidies.toml:25: programme 'national-one': a national programme has no prefecture\n");
}

TEST(SubsidyCatalogueLoader, an_open_round_needs_an_open_programme) {
    EXPECT_EQ(problems(replaced(kGood, "status = \"open\"\nsources", "status = \"closed\"\nsources")),
              "subsidies.toml:28: programme 'national-one': round '1' is open, so the programme's status must be open "
              "too\n");
}

TEST(SubsidyCatalogueLoader, a_programme_without_an_ask_is_refused) {
    EXPECT_EQ(problems(replaced(kGood, "[[programme.ask]]\nkind = \"required_after_adoption\"\nlevel = 1\n", "")),
              "subsidies.toml:56: programme 'city-two': 'ask' is missing (add at least one [[programme.ask]] "
              "section)\n");
}

TEST(SubsidyCatalogueLoader, a_syntax_error_is_reported_on_its_line) {
    const auto p = problems(replaced(kGood, "status = \"closed\"", "status = closed"));
    EXPECT_EQ(p.rfind("subsidies.toml:69: ", 0), 0u) << p;
}

TEST(SubsidyCatalogueLoader, every_problem_is_reported_at_once_in_the_order_of_the_file) {
    auto text = replaced(kGood, "slug = \"city-two\"", "slug = \"national-one\"");
    text = replaced(text, "name.ja = \"全国の補助金\"\n", "");
    text = replaced(text, "kind = \"required\"", "kind = \"maybe\"");
    const auto p = problems(text);
    const auto first = p.find("subsidies.toml:18:");
    const auto second = p.find("subsidies.toml:37:");
    const auto third = p.find("subsidies.toml:55:");
    ASSERT_NE(first, std::string::npos) << p;
    ASSERT_NE(second, std::string::npos) << p;
    ASSERT_NE(third, std::string::npos) << p;
    EXPECT_LT(first, second);
    EXPECT_LT(second, third);
}

TEST(SubsidyCatalogueLoader, an_unknown_key_is_reported_on_its_line) {
    EXPECT_EQ(problems(replaced(kGood, "status = \"open\"\nsources", "status = \"open\"\nstaus = \"open\"\nsources")),
              "subsidies.toml:29: programme 'national-one': unknown key 'staus'\n");
}
