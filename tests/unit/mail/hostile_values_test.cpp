// Every mail the registry sends, built from the most hostile values the application's field
// check accepts: a value that passed the check must never make a mail fail to build (the
// declaration would be stored but the mail that proves it would not go out).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "content/registry_content.hpp"
#include "domain/application.hpp"
#include "embedded/embedded.hpp"
#include "fixtures.hpp"
#include "mail/composer.hpp"
#include "mail_decode.hpp"

using namespace sengen;
using namespace sengen::mail;
using namespace sengen::mail::testing;

namespace {

const TimePoint kNow = from_unix_seconds(1751338445);

i18n::Catalogue shipped_catalogue() {
    auto ja = embedded::find("src/web/i18n/ja.po");
    auto en = embedded::find("src/web/i18n/en.po");
    auto j = i18n::parse_po(std::string(*ja), "ja.po");
    auto e = i18n::parse_po(std::string(*en), "en.po");
    if (!j || !e) throw std::runtime_error("catalogues do not parse");
    auto c = i18n::Catalogue::build({{i18n::Lang::Ja, *j}, {i18n::Lang::En, *e}});
    if (!c) throw std::runtime_error(c.error().detail);
    return *c;
}

const content::RegistryContent& rc() {
    static auto c = content::load_embedded_registry_content();
    return *c;
}

std::string repeat(std::string_view s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

// Candidates for a one-line field: long, wide, emoji, joined emoji, encoded-word and placeholder
// look-alikes, markup, quotes, separators. Those the check refuses are skipped by the test.
std::vector<std::string> candidates() {
    return {
        repeat("Ｗ", 100),
        repeat("\U0001F600", 100),
        repeat("\U0001F468\u200D\U0001F469\u200D\U0001F467", 20),
        repeat("\U00020B9F", 100),  // a kanji outside the BMP, 4 bytes in UTF-8
        repeat("a", 100),
        repeat("ab ", 33),
        "=?UTF-8?B?PHNjcmlwdD4=?= =?ISO-2022-JP?B?GyRC?=",
        "{business_name}{contact_name}{link}{",
        "\"quoted\" \\ <a@example.jp>, Bcc: victim@example.com",
        "<script>alert(1)</script>'; DROP TABLE declarations;--",
        ".\r\n.\r\n",  // an SMTP end of data, refused by the check
        "line\u2028separator",
        "para\u2029separator",
        "nel\u0085here",
        "カフェ☕\uFE0F",
        "葛\U000E0100飾",
        " leading and trailing ",
        "%s%n%x{}",
    };
}

ApplicationInput valid_input() {
    ApplicationInput in;
    in.terms_version = rc().current_terms().version;
    in.terms_agreed = true;
    in.entity_type = "sole_proprietor";
    in.business_name = "サンプル商店";
    in.business_name_kana = "サンプルショウテン";
    in.postal_code = "100-0001";
    in.prefecture = "13";
    in.address = "千代田区千代田1-1";
    in.industry = "E";
    in.employees = "6-20";
    in.representative_title = "代表";
    in.representative_name = "山田 太郎";
    in.contact_name = "佐藤 花子";
    in.contact_email = "hanako@example.jp";
    in.purposes = {"subsidy"};
    in.level = "1";
    in.commitments = {"1", "2", "3", "4", "5"};
    return in;
}

// The {name} placeholders of a catalogue text.
std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> out;
    for (auto open = text.find('{'); open != std::string::npos; open = text.find('{', open + 1)) {
        auto close = text.find('}', open);
        if (close != std::string::npos) out.insert(text.substr(open + 1, close - open - 1));
    }
    return out;
}

}  // namespace

TEST(MailFromHostileValues, every_mail_builds_from_every_value_the_field_check_accepts) {
    const auto catalogue = shipped_catalogue();
    ManualClock clock(kNow);
    MailComposer composer(catalogue, clock, {"せんげん 登録事務局", "no-reply@sengen.example.jp"},
                          "https://sengen.example.jp");
    // The longest address the check accepts: a 64-octet local part, 254 octets in all.
    const std::string long_email =
        repeat("a", 64) + "@" + repeat("b", 63) + "." + repeat("c", 63) + "." + repeat("d", 58) + ".jp";
    ASSERT_EQ(long_email.size(), 254U);

    std::set<std::string> kinds;
    for (const auto& [id, text] : catalogue.all(i18n::Lang::Ja))
        if (id.starts_with("mail.") && id.ends_with(".subject")) kinds.insert(id.substr(0, id.size() - 8));
    ASSERT_GE(kinds.size(), 10U);

    int accepted = 0;
    for (const auto& hostile : candidates()) {
        // The value in every field that accepts it (a long one fits the address, not a name).
        auto in = valid_input();
        in.contact_email = long_email;
        bool any = false;
        for (auto field : {&ApplicationInput::business_name, &ApplicationInput::contact_name,
                           &ApplicationInput::representative_name, &ApplicationInput::address}) {
            auto tried = in;
            tried.*field = hostile;
            auto checked = validate(tried, rc(), "2026-11-25");
            if (checked) {
                in = tried;
                any = true;
            } else {
                // Refused only for what it holds or its length, never by surprise.
                for (const auto& f : checked.error().fields)
                    EXPECT_TRUE(f.code == "invalid_characters" || f.code == "too_long") << f.field << ": " << f.code;
            }
        }
        auto app = validate(in, rc(), "2026-11-25");
        ASSERT_TRUE(app) << "the long address alone is refused";
        if (!any) continue;
        ++accepted;
        // What the registry puts in mail: the checked values, and its own (IDs, URLs, numbers).
        const std::map<std::string, std::string> values_by_name = {
            {"business_name", app->business_name},
            {"contact_name", app->contact_name},
            {"reason", app->address},  // the operator's reason: a line of text like any other
            {"fields", app->address + "、" + app->business_name},
            {"to", app->contact_email},
            {"id", "1234567890"},
            {"id_grouped", "1-2345-6789-0"},
            {"level", "★★ 二つ星"},
            {"link", "https://sengen.example.jp/confirm#" + repeat("x", 43)},
            {"code", repeat("x", 43)},
            {"verify_url", "https://sengen.example.jp/verify/1234567890"},
            {"mypage_url", "https://sengen.example.jp/mypage"},
            {"signin_page_url", "https://sengen.example.jp/signin"},
            {"badge_url", "https://sengen.example.jp/mypage/declarations/1234567890/badge"},
            {"hours", "24"},
            {"minutes", "30"},
            // The subsidy reminder (issue 13 point 5): the catalogue's texts and lines of the
            // catalogue's own messages.
            {"programme_name", "デジタル化・AI導入補助金2026"},
            {"round", "第5回締切"},
            {"details", "・" + app->address + "\n\n・" + app->business_name},
            {"programme_url", "https://sengen.example.jp/subsidies/digital-ai-2026"},
            {"readiness_url", "https://sengen.example.jp/mypage/declarations/1234567890/subsidies"},
            {"unsubscribe_url", "https://sengen.example.jp/subsidies/unsubscribe/" + repeat("x", 43)},
            // A support started (ADR 48): the supporter's proven address and the rights, a list of
            // the catalogue's own messages.
            {"supporter_email", app->contact_email},
            {"rights", "自社診断と基本方針の下書きの準備"},
        };
        for (const auto& kind : kinds) {
            for (auto lang : {i18n::Lang::Ja, i18n::Lang::En}) {
                Values values;
                for (const auto* part : {".subject", ".body"}) {
                    for (const auto& name : placeholders(catalogue.text(lang, kind + part))) {
                        // Filled by the composer itself (mail/composer.hpp).
                        if (name == "site_name" || name == "base_url" || name == "programme" || name == "issuer" ||
                            name == "accepted_for")
                            continue;
                        auto v = values_by_name.find(name);
                        ASSERT_NE(v, values_by_name.end())
                            << kind << part << " uses {" << name << "}: say here what fills it";
                        values.emplace_back(name, v->second);
                    }
                }
                auto mail = composer.compose(kind, lang, {"", app->contact_email}, values);
                ASSERT_TRUE(mail) << kind << " from \"" << hostile << "\": " << mail.error().detail;
                // What the reader sees is what was typed.
                auto body = decode_base64(split(mail->message).body);
                if (catalogue.text(lang, kind + ".body").find("{business_name}") != std::string::npos) {
                    EXPECT_NE(body.find(app->business_name), std::string::npos) << kind;
                }
            }
        }
    }
    EXPECT_GE(accepted, 10);
}
