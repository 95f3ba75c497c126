#include <gtest/gtest.h>

#include <set>
#include "content/registry_content.hpp"

#include "domain/application.hpp"
#include "domain/email.hpp"

using namespace sengen;

namespace {
const content::RegistryContent& rc() {
    static auto c = content::load_embedded_registry_content();
    return *c;
}

ApplicationInput valid_input() {
    ApplicationInput in;
    in.terms_version = rc().current_terms().version;
    in.terms_agreed = true;
    in.entity_type = "corporation";
    in.corporate_number = "7000012050002";
    in.business_name = "株式会社サンプル商事";
    in.business_name_kana = "サンプルショウジ";
    in.postal_code = "100-0001";
    in.prefecture = "13";
    in.address = "千代田区千代田1-1";
    in.industry = "E";
    in.employees = "6-20";
    in.representative_title = "代表取締役";
    in.representative_name = "山田 太郎";
    in.contact_name = "佐藤 花子";
    in.contact_email = "hanako@example.jp";
    in.purposes = {"subsidy"};
    in.level = "1";
    in.commitments = {"1", "2", "3", "4", "5"};
    return in;
}

std::vector<FieldError> errors_of(const ApplicationInput& in) {
    auto r = validate(in, rc(), "2026-11-25");
    return r ? std::vector<FieldError>{} : r.error().fields;
}

bool has(const std::vector<FieldError>& es, const std::string& field, const std::string& code) {
    for (const auto& e : es)
        if (e.field == field && e.code == code) return true;
    return false;
}
}  // namespace

TEST(Application, a_complete_one_star_application_is_valid) {
    auto r = validate(valid_input(), rc(), "2026-11-25");
    ASSERT_TRUE(r) << r.error().fields.front().field;
    EXPECT_EQ(r->level, 1);
    EXPECT_EQ(r->corporate_number, "7000012050002");
    EXPECT_EQ(r->postal_code, "100-0001");
}

TEST(Application, full_width_and_half_width_input_is_normalised) {
    auto in = valid_input();
    in.corporate_number = "７０００－０１２０－５０００２";
    in.postal_code = "１００ー０００１";
    in.business_name_kana = "ｻﾝﾌﾟﾙｼｮｳｼﾞ";
    in.contact_email = "ｈａｎａｋｏ＠ＥＸＡＭＰＬＥ．ＪＰ";
    in.phone = "０３－１２３４－５６７８";
    in.level = "１";
    auto r = validate(in, rc(), "2026-11-25");
    ASSERT_TRUE(r) << r.error().fields.front().field << " " << r.error().fields.front().code;
    EXPECT_EQ(r->corporate_number, "7000012050002");
    EXPECT_EQ(r->postal_code, "100-0001");
    EXPECT_EQ(r->business_name_kana, "サンプルショウジ");
    EXPECT_EQ(r->contact_email, "hanako@example.jp");
    EXPECT_EQ(r->phone, "03-1234-5678");
}

TEST(Application, hiragana_reading_becomes_katakana) {
    auto in = valid_input();
    in.business_name_kana = "さんぷるしょうじ";
    auto r = validate(in, rc(), "2026-11-25");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->business_name_kana, "サンプルショウジ");
}

TEST(Application, every_problem_is_reported_at_once) {
    ApplicationInput in;
    auto es = errors_of(in);
    for (const char* f :
         {"terms_agreed", "entity_type", "business_name", "business_name_kana", "postal_code", "prefecture", "address",
          "industry", "employees", "representative_title", "representative_name", "contact_name", "contact_email",
          "purposes", "level", "commitment_1", "commitment_5"})
        EXPECT_TRUE(std::any_of(es.begin(), es.end(), [&](const auto& e) { return e.field == f; })) << f;
}

TEST(Application, corporations_need_a_corporate_number_with_a_right_check_digit) {
    auto in = valid_input();
    in.corporate_number = "";
    EXPECT_TRUE(has(errors_of(in), "corporate_number", "required"));
    in.corporate_number = "8000012050002";
    EXPECT_TRUE(has(errors_of(in), "corporate_number", "check_digit"));
    in.corporate_number = "12345";
    EXPECT_TRUE(has(errors_of(in), "corporate_number", "corporate_number_format"));
}

TEST(Application, sole_proprietors_have_no_corporate_number_and_others_may) {
    auto in = valid_input();
    in.entity_type = "sole_proprietor";
    EXPECT_TRUE(has(errors_of(in), "corporate_number", "not_for_sole_proprietor"));
    in.corporate_number = "";
    EXPECT_TRUE(errors_of(in).empty());
    in.entity_type = "other";
    EXPECT_TRUE(errors_of(in).empty());
    in.corporate_number = "7000012050002";
    EXPECT_TRUE(errors_of(in).empty());
}

TEST(Application, each_of_the_five_commitments_is_required) {
    auto in = valid_input();
    in.commitments = {"1", "2", "4", "5"};
    auto es = errors_of(in);
    ASSERT_EQ(es.size(), 1u);
    EXPECT_EQ(es[0].field, "commitment_3");
}

TEST(Application, two_stars_need_a_past_assessment_date_and_a_policy_url) {
    auto in = valid_input();
    in.level = "2";
    auto es = errors_of(in);
    EXPECT_TRUE(has(es, "assessment_date", "required"));
    EXPECT_TRUE(has(es, "policy_url", "required"));
    in.assessment_date = "2026-12-01";
    in.policy_url = "ftp://example.jp/policy";
    es = errors_of(in);
    EXPECT_TRUE(has(es, "assessment_date", "future_date"));
    EXPECT_TRUE(has(es, "policy_url", "invalid_url"));
    in.assessment_date = "２０２６／１１／０１";
    in.policy_url = "https://example.jp/security-policy";
    auto r = validate(in, rc(), "2026-11-25");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->assessment_date, "2026-11-01");
    in.assessment_date = "2026-02-30";
    EXPECT_TRUE(has(errors_of(in), "assessment_date", "invalid_date"));
}

TEST(Application, websites_must_be_http_or_https) {
    auto in = valid_input();
    for (const char* bad : {"javascript:alert(1)", "example.jp", "http://", "https://a b.jp", "data:text/html,x"}) {
        in.website = bad;
        EXPECT_TRUE(has(errors_of(in), "website", "invalid_url")) << bad;
    }
    in.website = "https://www.example.jp/";
    EXPECT_TRUE(errors_of(in).empty());
}

TEST(Application, control_and_bidi_characters_are_rejected_and_markup_is_kept_literally) {
    auto in = valid_input();
    in.business_name = "Evil\u202Egnp.exe";
    EXPECT_TRUE(has(errors_of(in), "business_name", "invalid_characters"));
    in.business_name = "A\r\nBcc: x@example.jp";
    EXPECT_TRUE(has(errors_of(in), "business_name", "invalid_characters"));
    in.business_name = "<script>alert(1)</script>'; DROP TABLE declarations;--";
    auto r = validate(in, rc(), "2026-11-25");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->business_name, in.business_name);
}

// Characters that hide or disguise what a name says, each refused in every one-line field.
TEST(Application, invisible_and_layout_characters_are_refused_on_the_field_that_holds_them) {
    const char* hostile[] = {
        "\u2028",     "\u2029",     "\u202A",     "\u202B", "\u202C",     "\u202D",     "\u202E",
        "\u2066",     "\u2067",     "\u2068",     "\u2069", "\u200E",     "\u200F",     "\u061C",
        "\u3164",     "\u115F",     "\u1160",     "\uFFA0", "\u2060",     "\u2061",     "\u2062",
        "\u2063",     "\u2064",     "\u00AD",     "\u200B", "\u200C",     "\u200D",     "\uFEFF",
        "\u034F",     "\u180B",     "\u180E",     "\u2800", "\uFE0F",     "\uFE00",     "\U000E0001",
        "\U000E0041", "\U000E007F", "\U000E0100", "\uFFF9", "\U0001D173", "\U0001BCA0", "\uFFFF",
    };
    for (const char* c : hostile) {
        for (const auto& f : kBusinessFields) {
            if (f.name == "entity_type" || f.name == "prefecture" || f.name == "industry" || f.name == "employees" ||
                f.name == "corporate_number" || f.name == "postal_code")
                continue;  // choices and numbers are checked by their own rules
            auto in = valid_input();
            in.*f.typed = std::string("A") + c + "B";
            auto errors = errors_of(in);
            EXPECT_TRUE(has(errors, std::string(f.name), "invalid_characters")) << f.name << " U+" << c;
            EXPECT_EQ(errors.size(), 1U) << f.name;  // on that field only
        }
    }
}

TEST(Application, a_selector_or_joiner_out_of_place_is_refused) {
    for (const char* bad : {"カフェ\uFE0F",            // an emoji selector after a letter that has no emoji form
                            "\uFE0F☕",                 // before anything
                            "☕\uFE0F\uFE0F",           // twice
                            "☕\u200D",                 // a joiner at the end
                            "\u200D☕",                 // at the start
                            "A\u200DB",                // between letters
                            "☕\u200DA",                // from an emoji to a letter
                            "☕\u200D\u200D☕",          // two joiners
                            "葛\U000E0100\U000E0100",  // two ideographic selectors
                            "A\U000E0100",             // an ideographic selector after a letter
                            "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"}) {  // tags
        auto in = valid_input();
        in.business_name = bad;
        EXPECT_TRUE(has(errors_of(in), "business_name", "invalid_characters")) << bad;
    }
}

TEST(Application, japanese_text_and_emoji_are_kept) {
    for (const char* good : {"カフェ☕", "カフェ☕\uFE0F", "佐々木商店", "ラーメンハウス", "ＡＢＣ商事１２３", "❤\uFE0F",
                             "1\uFE0F\u20E3",                                 // keycap 1
                             "\U0001F468\u200D\U0001F469\u200D\U0001F467",    // family
                             "\U0001F3F3\uFE0F\u200D\U0001F308",              // rainbow flag
                             "\U0001F468\U0001F3FD\u200D\U0001F4BB",          // technologist, medium skin tone
                             "\U0001F44D\U0001F3FD", "\U0001F1EF\U0001F1F5",  // thumbs up, the flag of Japan
                             "葛\U000E0100飾商店", "辻\U000E0101工務店", "ｶﾌｪ", "Café Ünïcødé"}) {
        auto in = valid_input();
        in.business_name = good;
        auto r = validate(in, rc(), "2026-11-25");
        ASSERT_TRUE(r) << good << ": " << r.error().fields.front().code;
        EXPECT_EQ(r->business_name, good);
    }
}

TEST(Application, a_name_of_other_spaces_only_is_empty) {
    auto in = valid_input();
    in.business_name = "\u2003\u3000\u00A0\u2009";
    EXPECT_TRUE(has(errors_of(in), "business_name", "required"));
    in.business_name = "山田\u2003商店";
    auto r = validate(in, rc(), "2026-11-25");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->business_name, "山田 商店");
}

TEST(Application, over_long_values_are_refused) {
    auto in = valid_input();
    in.business_name = std::string(101, 'a');
    EXPECT_TRUE(has(errors_of(in), "business_name", "too_long"));
    in.business_name = std::string(100 * 3, 'x').substr(0, 0) + std::string(100, 'a');
    EXPECT_TRUE(errors_of(in).empty());
}

TEST(Application, invalid_utf8_is_refused) {
    auto in = valid_input();
    in.address = "\xff\xfe";
    EXPECT_TRUE(has(errors_of(in), "address", "invalid_characters"));
}

TEST(Application, unknown_option_codes_are_refused) {
    auto in = valid_input();
    in.prefecture = "48";
    in.industry = "Z";
    in.purposes = {"bogus"};
    in.level = "3";
    auto es = errors_of(in);
    EXPECT_TRUE(has(es, "prefecture", "invalid_choice"));
    EXPECT_TRUE(has(es, "industry", "invalid_choice"));
    EXPECT_TRUE(has(es, "purposes", "invalid_choice"));
    EXPECT_TRUE(has(es, "level", "invalid_choice"));
}

TEST(Email, practical_addresses_pass_and_injection_attempts_fail) {
    EXPECT_TRUE(valid_email("a.b+c@example.co.jp"));
    for (const char* bad : {"", "a", "a@b", "a@@b.jp", ".a@b.jp", "a..b@b.jp", "a b@b.jp", "a@b.jp\r\nBcc: x@y.jp",
                            "<a@b.jp>", "a@-b.jp", "a@b-.jp", "a@.b.jp"})
        EXPECT_FALSE(valid_email(bad)) << bad;
    EXPECT_EQ(normalise_email(" Hanako@EXAMPLE.JP "), "Hanako@example.jp");
    EXPECT_EQ(email_key("Hanako@example.jp"), "hanako@example.jp");
}

TEST(Application, search_key_folds_width_case_spaces_and_kana) {
    EXPECT_EQ(search_key("ＡＢＣ 商事"), "abc商事");
    EXPECT_EQ(search_key("さんぷる"), search_key("サンプル"));
}

// The date reader takes digits only: no sign or space inside, no trailing text.
TEST(Application, parse_date_takes_digits_and_hyphens_only) {
    EXPECT_EQ(parse_date("2026-1-5"), "2026-01-05");
    EXPECT_EQ(parse_date("２０２６／１１／０１"), "2026-11-01");
    EXPECT_EQ(parse_date("2026-+1-05"), std::nullopt);
    EXPECT_EQ(parse_date("2026- 1-05"), std::nullopt);
    EXPECT_EQ(parse_date("2026-01-05x"), std::nullopt);
    EXPECT_EQ(parse_date("2026-001-05"), std::nullopt);
    EXPECT_EQ(parse_date("2026-02-30"), std::nullopt);
    EXPECT_EQ(parse_date("12026-01-05"), std::nullopt);
}

// Each step of the form asks the one validation for its own part; nothing else is checked.
TEST(Application, each_part_reports_only_its_own_fields) {
    const ApplicationInput empty;
    auto fields_of = [&](ApplicationPart part) {
        std::set<std::string> out;
        auto r = validate(empty, rc(), "2026-11-25", part);
        if (!r)
            for (const auto& e : r.error().fields) out.insert(e.field);
        return out;
    };
    EXPECT_EQ(fields_of(ApplicationPart::Terms), (std::set<std::string>{"terms_agreed"}));
    auto business = fields_of(ApplicationPart::Business);
    // Every required business field; the corporate number is required of corporations only, and
    // the empty form names no entity type.
    std::set<std::string> expected;
    for (const auto& f : kBusinessFields)
        if (f.name != "corporate_number" && f.name != "phone" && f.name != "website")
            expected.insert(std::string(f.name));
    EXPECT_EQ(business, expected);
    auto declaration = fields_of(ApplicationPart::Declaration);
    EXPECT_TRUE(declaration.count("purposes"));
    EXPECT_TRUE(declaration.count("level"));
    EXPECT_TRUE(declaration.count("commitment_1"));
    for (const auto& f : kBusinessFields) EXPECT_FALSE(declaration.count(std::string(f.name))) << f.name;
    EXPECT_FALSE(declaration.count("terms_agreed"));
    // All is every part at once, in the order of the form.
    auto all = validate(empty, rc(), "2026-11-25");
    ASSERT_FALSE(all);
    EXPECT_EQ(all.error().fields.front().field, "terms_agreed");
    EXPECT_EQ(all.error().fields.size(), [&] {
        std::size_t n = 0;
        for (auto part : {ApplicationPart::Terms, ApplicationPart::Business, ApplicationPart::Declaration}) {
            auto r = validate(empty, rc(), "2026-11-25", part);
            n += r ? 0 : r.error().fields.size();
        }
        return n;
    }());
}

TEST(Application, the_business_fields_name_each_member_once) {
    std::set<std::string_view> names;
    for (const auto& f : kBusinessFields) EXPECT_TRUE(names.insert(f.name).second) << f.name;
    ApplicationInput in = valid_input();
    for (const auto& f : kBusinessFields) EXPECT_EQ(business_field(f.name), &f);
    EXPECT_EQ(business_field("representative_title")->typed, &ApplicationInput::representative_title);
    EXPECT_EQ(in.*business_field("representative_title")->typed, "代表取締役");
    EXPECT_EQ(business_field("purposes"), nullptr);
}
