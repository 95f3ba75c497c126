// The policy template loader: the shipped template loads, and a broken file reports every
// problem with its line.
#include <gtest/gtest.h>

#include "content/template_loader.hpp"
#include "domain/policy/template.hpp"

using namespace sengen;

namespace {

const char* kValid = R"(edition = "t1"
date = 2026-04-01
title.ja = "方針"
title.en = "Policy"
source.ja = "出典"
source.en = "Source"
preamble.ja = "{business_name}は{assets}を守ります。"
preamble.en = "{business_name} protects {assets}."
[labels]
established.ja = "制定日"
established.en = "Established"
revised.ja = "改定日"
revised.en = "Revised"
[[assets]]
id = "own"
label.ja = "自社"
label.en = "Own"
text.ja = "自社の情報"
text.en = "its own information"
[[assets]]
id = "customers"
label.ja = "お客様"
label.en = "Customers'"
text.ja = "お客様の情報"
text.en = "customers' information"
[[sections]]
number = 1
heading.ja = "一"
heading.en = "One"
body.ja = "本文一"
body.en = "Body one"
[[sections]]
number = 2
heading.ja = "二"
heading.en = "Two"
body.ja = "本文二"
body.en = "Body two"
[[sections]]
number = 3
heading.ja = "三"
heading.en = "Three"
body.ja = "本文三"
body.en = "Body three"
[[sections]]
number = 4
heading.ja = "四"
heading.en = "Four"
body.ja = "本文四"
body.en = "Body four"
[[sections]]
number = 5
heading.ja = "五"
heading.en = "Five"
body.ja = "本文五"
body.en = "Body five"
[[suggestions]]
id = "backup"
questions = [11]
section = 2
text.ja = "バックアップをとります。"
text.en = "We back up."
)";

}  // namespace

TEST(PolicyTemplate, the_shipped_template_has_five_sections_assets_and_suggestions_for_every_question) {
    auto lib = content::load_embedded_policy_templates();
    ASSERT_TRUE(lib) << lib.error().detail;
    const auto& t = lib->current();
    EXPECT_EQ(t.id, "2026-1");
    ASSERT_EQ(t.sections.size(), 5u);
    EXPECT_EQ(t.sections[0].heading.ja, "経営者の責任");
    EXPECT_EQ(t.sections[4].heading.ja, "違反および事故への対応");
    EXPECT_NE(t.asset("customers"), nullptr);
    EXPECT_NE(t.asset("own"), nullptr);
    // Every question of the self-assessment can prompt a commitment.
    std::set<int> covered;
    for (const auto& s : t.suggestions) covered.insert(s.questions.begin(), s.questions.end());
    for (int q = 1; q <= 25; ++q) EXPECT_TRUE(covered.count(q)) << "question " << q;
}

TEST(PolicyTemplate, a_valid_file_loads) {
    auto t = content::load_template(kValid, "t1.toml");
    ASSERT_TRUE(t) << t.error().detail;
    EXPECT_EQ(t->date, "2026-04-01");
    EXPECT_EQ(t->assets.size(), 2u);
    ASSERT_NE(t->suggestion("backup"), nullptr);
    EXPECT_EQ(t->suggestion("backup")->section, 2);
    EXPECT_EQ(t->suggestion("backup")->questions, std::vector<int>{11});
}

TEST(PolicyTemplate, every_problem_is_reported_with_its_line) {
    std::string text = kValid;
    auto replace = [&](const std::string& from, const std::string& to) {
        auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    };
    replace("preamble.en = \"{business_name} protects {assets}.\"", "preamble.en = \"{business_name} protects.\"");
    replace("number = 4\n", "number = 9\n");
    replace("questions = [11]", "questions = [26]");
    replace("body.en = \"Body two\"\n", "");
    auto t = content::load_template(text, "broken.toml");
    ASSERT_FALSE(t);
    const auto& d = t.error().detail;
    EXPECT_NE(d.find("'preamble' must hold {assets} in en"), std::string::npos) << d;
    EXPECT_NE(d.find("broken.toml:"), std::string::npos) << d;
    EXPECT_NE(d.find("sections are numbered 1 to 5"), std::string::npos) << d;
    EXPECT_NE(d.find("section 4 is missing"), std::string::npos) << d;
    EXPECT_NE(d.find("questions are numbered 1 to 25"), std::string::npos) << d;
    EXPECT_NE(d.find("section 2: 'body' has no en text"), std::string::npos) << d;
}

TEST(PolicyTemplate, a_file_that_is_not_toml_names_its_line) {
    auto t = content::load_template("edition = \"x\"\n[[sections]\n", "bad.toml");
    ASSERT_FALSE(t);
    EXPECT_EQ(t.error().detail.rfind("bad.toml:2:", 0), 0u) << t.error().detail;
}
