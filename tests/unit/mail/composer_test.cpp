#include "mail/composer.hpp"

#include <gtest/gtest.h>

#include "domain/declaration.hpp"
#include "embedded/embedded.hpp"
#include "fixtures.hpp"
#include "mail_decode.hpp"

using namespace sengen;
using namespace sengen::mail;
using namespace sengen::mail::testing;

namespace {

const TimePoint kNow = from_unix_seconds(1751338445);

i18n::Catalogue catalogue_of(const std::string& ja, const std::string& en) {
    auto j = i18n::parse_po(ja, "ja.po");
    auto e = i18n::parse_po(en, "en.po");
    if (!j || !e) throw std::runtime_error("bad test catalogue");
    auto c = i18n::Catalogue::build({{i18n::Lang::Ja, *j}, {i18n::Lang::En, *e}});
    if (!c) throw std::runtime_error(c.error().detail);
    return *c;
}

const i18n::Catalogue& test_catalogue() {
    static const auto c = catalogue_of(
        "msgid \"site.name\"\nmsgstr \"せんげん\"\n\n"
        "msgid \"mail.hello.subject\"\nmsgstr \"{name} 様へのお知らせ\"\n\n"
        "msgid \"mail.hello.body\"\nmsgstr \"{name} 様\\n番号: {number}\\n{site_name} {base_url}\"\n",
        "msgid \"site.name\"\nmsgstr \"Sengen\"\n\n"
        "msgid \"mail.hello.subject\"\nmsgstr \"News for {name}\"\n\n"
        "msgid \"mail.hello.body\"\nmsgstr \"Dear {name},\\nnumber: {number}\\n{site_name} {base_url}\"\n");
    return c;
}

// The real catalogues, as the server embeds them.
i18n::Catalogue shipped_catalogue() {
    auto ja = embedded::find("src/web/i18n/ja.po");
    auto en = embedded::find("src/web/i18n/en.po");
    if (!ja || !en) throw std::runtime_error("catalogues not embedded");
    return catalogue_of(std::string(*ja), std::string(*en));
}

std::string body_of(const std::string& message) { return decode_base64(split(message).body); }

}  // namespace

TEST(MailComposer, fills_subject_and_body_in_the_chosen_language) {
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://sengen.example.jp");
    auto ja = composer.compose("mail.hello", i18n::Lang::Ja, {"", "taro@example.jp"},
                               {{"name", "山田"}, {"number", "12345"}});
    ASSERT_TRUE(ja) << ja.error().detail;
    EXPECT_EQ(ja->recipient, "taro@example.jp");
    EXPECT_EQ(ja->subject, "山田 様へのお知らせ");
    EXPECT_EQ(decode_header_text(*raw_header(split(ja->message), "Subject")), "山田 様へのお知らせ");
    EXPECT_EQ(body_of(ja->message), "山田 様\r\n番号: 12345\r\nせんげん https://sengen.example.jp\r\n");
    EXPECT_EQ(header_value(ja->message, "Date"), "Tue, 01 Jul 2025 02:54:05 +0000");

    auto en = composer.compose("mail.hello", i18n::Lang::En, {"", "taro@example.jp"},
                               {{"name", "Yamada"}, {"number", "12345"}});
    ASSERT_TRUE(en);
    EXPECT_EQ(en->subject, "News for Yamada");
    EXPECT_EQ(header_value(en->message, "Content-Language"), "en");
}

TEST(MailComposer, each_mail_gets_its_own_message_id) {
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    const Values v = {{"name", "a"}, {"number", "1"}};
    auto a = composer.compose("mail.hello", i18n::Lang::Ja, {"", "a@example.jp"}, v);
    auto b = composer.compose("mail.hello", i18n::Lang::Ja, {"", "a@example.jp"}, v);
    ASSERT_TRUE(a && b);
    EXPECT_NE(header_value(a->message, "Message-ID"), header_value(b->message, "Message-ID"));
    EXPECT_NE(header_value(a->message, "Message-ID")->find("@sengen.example.jp>"), std::string::npos);
}

TEST(MailComposer, a_value_is_inserted_once_and_never_read_as_a_placeholder) {
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    auto m =
        composer.compose("mail.hello", i18n::Lang::En, {"", "a@example.jp"}, {{"name", "{number}"}, {"number", "7"}});
    ASSERT_TRUE(m);
    EXPECT_EQ(m->subject, "News for {number}");
}

TEST(MailComposer, missing_messages_and_missing_values_are_errors) {
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    auto missing = composer.compose("mail.nothing", i18n::Lang::Ja, {"", "a@example.jp"}, {});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, Error::Kind::Invalid);
    EXPECT_EQ(missing.error().code, "mail.template");
    auto no_value = composer.compose("mail.hello", i18n::Lang::Ja, {"", "a@example.jp"}, {{"name", "a"}});
    ASSERT_FALSE(no_value);
    EXPECT_NE(no_value.error().detail.find("number"), std::string::npos);
}

TEST(MailComposer, a_value_with_a_line_break_cannot_reach_the_subject) {
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    auto m = composer.compose("mail.hello", i18n::Lang::Ja, {"", "a@example.jp"},
                              {{"name", "x\r\nBcc: victim@example.jp"}, {"number", "1"}});
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().kind, Error::Kind::Invalid);
}

TEST(MailComposer, enqueued_mail_commits_with_the_transaction) {
    TempDir dir;
    auto store = open_migrated(dir);
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    std::int64_t id = 0;
    auto ok = store->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto r =
            composer.enqueue(tx, "mail.hello", i18n::Lang::Ja, {"", "a@example.jp"}, {{"name", "a"}, {"number", "1"}});
        if (!r) return fail(r.error());
        id = *r;
        return {};
    });
    ASSERT_TRUE(ok) << ok.error().detail;
    auto mails = all_mail(*store);
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].id, id);
    EXPECT_EQ(mails[0].state, OutboxEntry::State::Pending);
    EXPECT_EQ(mails[0].recipient, "a@example.jp");
    EXPECT_EQ(mails[0].subject, "a 様へのお知らせ");
    EXPECT_EQ(mails[0].next_attempt_at, kNow);
}

TEST(MailComposer, enqueued_mail_rolls_back_with_the_transaction) {
    TempDir dir;
    auto store = open_migrated(dir);
    ManualClock clock(kNow);
    MailComposer composer(test_catalogue(), clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    auto st = store->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto r =
            composer.enqueue(tx, "mail.hello", i18n::Lang::Ja, {"", "a@example.jp"}, {{"name", "a"}, {"number", "1"}});
        EXPECT_TRUE(r);
        return fail(Error::conflict("later.step", "the change that caused the mail failed"));
    });
    ASSERT_FALSE(st);
    EXPECT_TRUE(all_mail(*store).empty());
}

TEST(MailComposer, shipped_test_mail_exists_in_japanese_and_english) {
    auto catalogue = shipped_catalogue();
    ManualClock clock(kNow);
    MailComposer composer(catalogue, clock, {"sengen", "no-reply@sengen.example.jp"}, "https://sengen.example.jp");
    for (auto lang : i18n::all_langs) {
        auto m = composer.compose("mail.test", lang, {"", "owner@example.jp"}, {{"to", "owner@example.jp"}});
        ASSERT_TRUE(m) << m.error().detail;
        EXPECT_NE(body_of(m->message).find("owner@example.jp"), std::string::npos);
        EXPECT_NE(body_of(m->message).find("https://sengen.example.jp"), std::string::npos);
        EXPECT_EQ(body_of(m->message).find('{'), std::string::npos);
    }
}

TEST(MailComposer, a_list_placeholder_shows_messages_in_the_mails_language) {
    TempDir dir;
    auto store = open_migrated(dir);
    ManualClock clock(kNow);
    const auto catalogue = catalogue_of(
        "msgid \"site.name\"\nmsgstr \"s\"\n\nmsgid \"mail.list.subject\"\nmsgstr \"s\"\n\n"
        "msgid \"mail.list.body\"\nmsgstr \"[{items}]\"\n\nmsgid \"one\"\nmsgstr \"\u3044\u3061\"\n\n"
        "msgid \"two\"\nmsgstr \"\u306b\"\n",
        "msgid \"site.name\"\nmsgstr \"s\"\n\nmsgid \"mail.list.subject\"\nmsgstr \"s\"\n\n"
        "msgid \"mail.list.body\"\nmsgstr \"[{items}]\"\n\nmsgid \"one\"\nmsgstr \"one\"\n\n"
        "msgid \"two\"\nmsgstr \"two\"\n");
    MailComposer composer(catalogue, clock, {"", "no-reply@sengen.example.jp"}, "https://x.example.jp");
    for (auto lang : {i18n::Lang::Ja, i18n::Lang::En}) {
        MailRequest m{"mail.list", lang, "a@example.jp", {}, {{"items", {"one", "two"}}}};
        ASSERT_TRUE(store->transact(TxMode::Write, [&](Transaction& tx) { return composer.queue(tx, m); }));
        MailRequest broken = m;
        broken.lists = {{"items", {"one", "three"}}};
        auto st = store->transact(TxMode::Write, [&](Transaction& tx) { return composer.queue(tx, broken); });
        ASSERT_FALSE(st);
        EXPECT_EQ(st.error().code, "mail.template");
    }
    auto mails = all_mail(*store);
    ASSERT_EQ(mails.size(), 2U);
    const std::string both = body_of(mails[0].message) + body_of(mails[1].message);
    EXPECT_NE(both.find("[\u3044\u3061\u3001\u306b]"), std::string::npos) << both;
    EXPECT_NE(both.find("[one, two]"), std::string::npos) << both;
}

TEST(MailComposer, every_field_a_change_notice_can_name_has_a_label_in_each_language) {
    auto catalogue = shipped_catalogue();
    Application before;
    Application after;
    for (const auto& f : kBusinessFields) after.*f.checked = "x";
    after.purposes = {"x"};
    after.assessment_date = "x";
    after.policy_url = "x";
    after.lang = i18n::Lang::En;
    auto changes = diff_details(before, after);
    ASSERT_EQ(changes.size(), kBusinessFields.size() + 4);
    for (auto lang : i18n::all_langs)
        for (const auto& c : changes)
            EXPECT_TRUE(catalogue.all(lang).contains("field." + c.field + ".label")) << c.field;
}
