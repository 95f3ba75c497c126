// The policy draft: what the editor accepts and refuses, texts that follow the template until
// rewritten, what publishing needs, the resolved document, suggestions, and the stored JSON.
#include <gtest/gtest.h>

#include "app/policy.hpp"
#include "content/template_loader.hpp"
#include "domain/policy/draft.hpp"

using namespace sengen;
using policy::Draft;
using policy::DraftInput;

namespace {

const policy::Template& tpl() {
    static const auto lib = content::load_embedded_policy_templates().value();
    return lib.current();
}

// What the editor sends for a stored draft when nothing is changed.
DraftInput shown(const Draft& d) {
    DraftInput in;
    in.lang = policy::LangChoice::chosen(d.lang);
    in.business_name = d.business_name;
    in.assets = d.assets;
    in.established = d.established;
    in.representative_title = d.representative_title;
    in.representative_name = d.representative_name;
    in.preamble = policy::preamble_text(tpl(), d);
    for (int n = 1; n <= policy::kSectionCount; ++n) in.sections.push_back(policy::section_text(tpl(), d, n));
    return in;
}

Draft complete() {
    Draft d;
    d.business_name = "株式会社さくら印刷";
    d.assets = "customers";
    d.established = "2026-04-01";
    d.representative_title = "代表取締役";
    d.representative_name = "佐藤 花子";
    return d;
}

std::string code_of(const Error& e, const std::string& field) {
    for (const auto& f : e.fields)
        if (f.field == field) return f.code;
    return "";
}

}  // namespace

TEST(PolicyDraft, unchanged_texts_keep_following_the_template) {
    const Draft stored = complete();
    auto d = policy::read_draft(tpl(), shown(stored), stored);
    ASSERT_TRUE(d) << d.error().code;
    EXPECT_FALSE(d->preamble.has_value());
    for (const auto& s : d->sections) EXPECT_FALSE(s.has_value());
}

TEST(PolicyDraft, a_new_name_changes_a_preamble_that_follows_the_template) {
    const Draft stored = complete();
    auto in = shown(stored);
    in.business_name = "有限会社みどり工房";
    auto d = policy::read_draft(tpl(), in, stored);
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->preamble.has_value());
    EXPECT_EQ(policy::preamble_text(tpl(), *d).rfind("有限会社みどり工房（以下「当社」といいます。）は、", 0), 0u);
}

TEST(PolicyDraft, rewritten_texts_keep_their_line_breaks_as_lf_and_are_trimmed) {
    const Draft stored = complete();
    auto in = shown(stored);
    in.sections[1] = "\r\n  一行目です。  \r\n\r\n二行目です。\r三行目です。\u3000\n";
    auto d = policy::read_draft(tpl(), in, stored);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->sections[1], std::optional<std::string>("一行目です。\n\n二行目です。\n三行目です。"));
}

TEST(PolicyDraft, markup_is_kept_as_typed_text) {
    const Draft stored = complete();
    auto in = shown(stored);
    in.sections[3] = "<script>alert(1)</script> &amp; \"x\"";
    auto d = policy::read_draft(tpl(), in, stored);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->sections[3], std::optional<std::string>("<script>alert(1)</script> &amp; \"x\""));
}

TEST(PolicyDraft, every_refused_field_is_reported_at_once) {
    const Draft stored = complete();
    auto in = shown(stored);
    in.lang = policy::LangChoice::unknown();
    in.business_name = "二行の\n名前";
    in.assets = "everyone";
    in.established = "2026-13-01";
    in.representative_name = std::string(61 * 3, 'x');
    in.preamble = "bidi \u202e override";
    in.sections[0] = "zero\u200bwidth";
    in.sections[1] = "tab\there";
    in.sections[4] = std::string(2001, 'a');
    auto d = policy::read_draft(tpl(), in, stored);
    ASSERT_FALSE(d);
    const auto& e = d.error();
    EXPECT_EQ(e.kind, Error::Kind::Invalid);
    EXPECT_EQ(code_of(e, "policy_lang"), "invalid_choice");
    EXPECT_EQ(code_of(e, "policy_business_name"), "invalid_characters");
    EXPECT_EQ(code_of(e, "policy_assets"), "invalid_choice");
    EXPECT_EQ(code_of(e, "policy_established"), "invalid_date");
    EXPECT_EQ(code_of(e, "policy_representative_name"), "too_long");
    EXPECT_EQ(code_of(e, "policy_preamble"), "invalid_characters");
    EXPECT_EQ(code_of(e, "policy_section_1"), "invalid_characters");
    EXPECT_EQ(code_of(e, "policy_section_2"), "invalid_characters");
    EXPECT_EQ(code_of(e, "policy_section_5"), "too_long");
}

TEST(PolicyDraft, the_language_is_the_one_chosen_and_otherwise_the_stored_one) {
    Draft stored = complete();
    stored.lang = Lang::En;
    auto in = shown(stored);
    in.lang = {};  // the form sent no choice
    auto kept = policy::read_draft(tpl(), in, stored);
    ASSERT_TRUE(kept) << kept.error().code;
    EXPECT_EQ(kept->lang, Lang::En);
    in.lang = policy::LangChoice::chosen(Lang::Ja);
    auto changed = policy::read_draft(tpl(), in, stored);
    ASSERT_TRUE(changed) << changed.error().code;
    EXPECT_EQ(changed->lang, Lang::Ja);
}

TEST(PolicyDraft, limits_count_characters_not_bytes) {
    const Draft stored = complete();
    auto in = shown(stored);
    std::string section;
    for (int i = 0; i < 2000; ++i) section += "あ";
    in.sections[0] = section;
    EXPECT_TRUE(policy::read_draft(tpl(), in, stored));
    in.sections[0] += "あ";
    EXPECT_FALSE(policy::read_draft(tpl(), in, stored));
}

TEST(PolicyDraft, a_date_typed_in_full_width_is_read) {
    const Draft stored = complete();
    auto in = shown(stored);
    in.established = "２０２６／０５／０１";
    auto d = policy::read_draft(tpl(), in, stored);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->established, "2026-05-01");
}

TEST(PolicyDraft, publishing_needs_every_basic_field_and_no_emptied_text) {
    Draft d;
    auto problems = policy::publish_problems(d);
    std::set<std::string> fields;
    for (const auto& p : problems) fields.insert(p.field);
    EXPECT_EQ(fields, (std::set<std::string>{"policy_business_name", "policy_assets", "policy_established",
                                             "policy_representative_title", "policy_representative_name"}));
    d = complete();
    EXPECT_TRUE(policy::publish_problems(d).empty());
    d.sections[2] = "";
    ASSERT_EQ(policy::publish_problems(d).size(), 1u);
    EXPECT_EQ(policy::publish_problems(d)[0].field, "policy_section_3");
}

TEST(PolicyDraft, the_document_fills_in_the_template_in_the_policys_language) {
    Draft d = complete();
    d.lang = Lang::En;
    d.business_name = "Sakura Printing";
    d.assets = "own";
    d.sections[0] = "Our own words.";
    auto doc = policy::resolve(tpl(), d);
    EXPECT_EQ(doc.lang, Lang::En);
    EXPECT_EQ(doc.title, "Basic Information Security Policy");
    EXPECT_EQ(doc.preamble.rfind("Sakura Printing (\"the Company\") believes that protecting its own information", 0),
              0u);
    ASSERT_EQ(doc.sections.size(), 5u);
    EXPECT_EQ(doc.sections[0].heading, "Management's responsibility");
    EXPECT_EQ(doc.sections[0].body, "Our own words.");
    EXPECT_EQ(doc.sections[1].body, tpl().sections[1].body.en);
    EXPECT_EQ(doc.established_label, "Established");
}

TEST(PolicyDraft, suggestions_come_from_answers_other_than_done) {
    assessment::Answers a;
    for (int q = 1; q <= 25; ++q) a[q] = assessment::Answer::Done;
    EXPECT_TRUE(policy::suggestions_for(tpl(), a).empty());
    a[24] = assessment::Answer::Unknown;
    a[7] = assessment::Answer::Partly;
    auto s = policy::suggestions_for(tpl(), a);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0]->id, "mail");
    EXPECT_EQ(s[1]->id, "incidents");
    const std::string section = policy::section_text(tpl(), complete(), s[1]->section);
    EXPECT_FALSE(policy::already_has(section, *s[1], Lang::Ja));
    const std::string added = policy::with_sentence(section, s[1]->text.ja);
    EXPECT_TRUE(policy::already_has(added, *s[1], Lang::Ja));
    EXPECT_TRUE(policy::already_has("  " + s[1]->text.ja + "\n", *s[1], Lang::Ja));
}

TEST(PolicySlug, slugs_are_ten_letters_without_look_alikes) {
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) {
        auto s = app::random_slug();
        EXPECT_TRUE(app::plausible_slug(s)) << s;
        EXPECT_EQ(s.find_first_of("01lo"), std::string::npos) << s;
        seen.insert(s);
    }
    EXPECT_EQ(seen.size(), 200u);
    EXPECT_FALSE(app::plausible_slug("abcdefghi"));
    EXPECT_FALSE(app::plausible_slug("ABCDEFGHJK"));
    EXPECT_FALSE(app::plausible_slug("abcdefgh1o"));
}
