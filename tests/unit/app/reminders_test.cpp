// Subsidy reminders (app::Reminders) on a real SQLite database with the real message catalogues and
// mail composer: who gets a reminder for which round (subscribers only, once per round, not for a
// round open when they subscribed, not after the declaration changed hands, not beyond the mail
// limits), what it says, in the declaration's language, and the link that stops them.
#include "app/reminders.hpp"

#include <gtest/gtest.h>

#include "../mail/fixtures.hpp"
#include "../mail/mail_decode.hpp"
#include "../support/test_app.hpp"
#include "mail/message.hpp"

namespace sengen::app {
namespace {

using mail::testing::ManualClock;
using mail::testing::TempDir;

const std::string kBase = "https://sengen.example.jp";
const TimePoint kNow = from_unix_seconds(1'772'409'600);

class TextSource final : public subsidy::CatalogueSource {
public:
    std::string text;
    std::string name() const override { return "test.toml"; }
    Result<std::string> read() const override { return text; }
};

// Two programmes: one checking IPA's registry only, one taking this registry's ★★ declarations.
std::string catalogue(const std::string& ipa_status, const std::string& here_status,
                      const std::string& extra_round = "") {
    auto programme = [](const std::string& slug, const std::string& accepts, int level, const std::string& status,
                        const std::string& rounds) {
        return "[[programme]]\nslug = \"" + slug + "\"\nname.ja = \"制度" + slug + "\"\nname.en = \"Programme " + slug +
               "\"\nbody.ja = \"国\"\nbody.en = \"State\"\nsummary.ja = \"要約\"\nsummary.en = \"Summary\"\n"
               "scope = \"national\"\naccepts = [" +
               accepts + "]\nyears = [2026]\nstatus = \"" + status +
               "\"\nsources = [\"https://example.go.jp/\"]\nchecked = 2026-12-06\n[[programme.ask]]\nkind = "
               "\"required\"\nlevel = " +
               std::to_string(level) + "\n" + rounds;
    };
    const std::string round = extra_round.empty()
                                  ? ""
                                  : "[[programme.round]]\nid = \"" + extra_round + "\"\nname.ja = \"第" + extra_round +
                                        "回\"\nname.en = \"Round " + extra_round + "\"\nstatus = \"open\"\n";
    return "edition = \"t\"\n[[registry]]\ncode = \"ipa\"\nname.ja = \"IPA\"\nname.en = \"IPA's registry\"\n"
           "url = \"https://www.ipa.go.jp/\"\n" +
           programme("p-ipa", "\"ipa\"", 1, ipa_status, round) +
           programme("p-here", "\"this_registry\"", 2, here_status, "");
}

class ReminderUseCases : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        content_ = content::load_embedded_registry_content().value();
        store_ = mail::testing::open_migrated(dir_);
        composer_.emplace(catalogue_, clock_, mail::Mailbox{"sengen", "no-reply@sengen.example.jp"}, kBase);
        source_.text = catalogue("unknown", "unknown");
        subsidies_ = SubsidyCatalogue::open(source_, content::catalogue_references(content_)).value();
        make(MailLimits{});
    }

    void make(MailLimits limits) {
        reminders_.reset();
        RegistrySettings s;
        s.base_url = kBase;
        s.mail_limits = limits;
        registry_.emplace(*store_, clock_, *composer_, content_, s);
        reminders_.emplace(*registry_, *subsidies_);
    }

    Lang lang() const { return GetParam() == "en" ? Lang::En : Lang::Ja; }

    // A ★ declaration of this registry, held by the account of `email`.
    Declaration declared(const std::string& name, const std::string& email, int serial) {
        return store_
            ->query<Declaration>(TxMode::Write,
                                 [&](Transaction& tx) -> Result<Declaration> {
                                     auto account = tx.accounts().find_or_create(email, lang(), kNow);
                                     if (!account) return fail(account.error());
                                     Declaration d;
                                     d.state = {lifecycle::Status::AwaitingConfirmation, 1};
                                     d.details.business_name = name;
                                     d.details.contact_name = "山田 花子";
                                     d.details.contact_email = email;
                                     d.details.lang = lang();
                                     d.account_id = account->id;
                                     d.terms_version = "2026-1";
                                     d.terms_agreed_at = kNow;
                                     d.created_at = kNow;
                                     d.confirm_token_hash = "c-" + name;
                                     d.confirm_expires_at = kNow;
                                     auto id = tx.declarations().create(d);
                                     if (!id) return fail(id.error());
                                     d.id = *id;
                                     const auto before = d.state;
                                     d.state = {lifecycle::Status::Declared, 1};
                                     d.public_id = DeclarationId::make(1, serial);
                                     d.declared_at = kNow;
                                     d.level_since = kNow;
                                     if (auto ok = tx.declarations().save_state(d, before); !ok)
                                         return fail(ok.error());
                                     return d;
                                 })
            .value();
    }

    Reminders::Sent reload(const std::string& text) {
        source_.text = text;
        auto r = subsidies_->reload();
        EXPECT_TRUE(r) << r.error().detail;
        auto sent = reminders_->send_due(*subsidies_->current());
        EXPECT_TRUE(sent) << sent.error().detail;
        return sent.value_or(Reminders::Sent{});
    }

    std::vector<OutboxEntry> reminders() {
        std::vector<OutboxEntry> out;
        for (auto& m : mail::testing::all_mail(*store_))
            if (m.kind == "mail.round_reminder") out.push_back(std::move(m));
        return out;
    }

    std::string body_of(const OutboxEntry& m) {
        return mail::testing::decode_base64(mail::testing::split(m.message).body);
    }

    // The token of the unsubscribe link in the mail's List-Unsubscribe header.
    std::string token_of(const OutboxEntry& m) {
        auto header = mail::header_value(m.message, "List-Unsubscribe").value_or("");
        const std::string prefix = "<" + kBase + "/subsidies/unsubscribe/";
        EXPECT_EQ(header.rfind(prefix, 0), 0u) << header;
        return header.substr(prefix.size(), 43);
    }

    Caller caller() const { return Caller{"192.0.2.1", lang(), std::nullopt}; }

    TempDir dir_;
    ManualClock clock_{kNow};
    i18n::Catalogue catalogue_ = test_support::embedded_catalogue();
    content::RegistryContent content_;
    std::unique_ptr<storage::sqlite::SqliteStore> store_;
    std::optional<mail::MailComposer> composer_;
    TextSource source_;
    std::unique_ptr<SubsidyCatalogue> subsidies_;
    std::optional<RegistryContext> registry_;
    std::optional<Reminders> reminders_;
};

TEST_P(ReminderUseCases, a_subscriber_gets_one_mail_when_the_programme_opens_and_none_on_the_next_reload) {
    const auto d = declared("株式会社さくら", "sakura@example.jp", 1);
    ASSERT_TRUE(reminders_->subscribe(caller(), *d.account_id, *d.public_id, "p-ipa"));
    const auto other = declared("株式会社もみじ", "momiji@example.jp", 2);  // not subscribed

    EXPECT_EQ(reload(catalogue("unknown", "open")).queued, 0u);  // another programme opened
    const auto sent = reload(catalogue("open", "open"));
    EXPECT_EQ(sent.queued, 1u);
    auto mails = reminders();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_EQ(mails[0].recipient, "sakura@example.jp");
    EXPECT_EQ(mail::header_value(mails[0].message, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    EXPECT_EQ(mail::header_value(mails[0].message, "Content-Language"), GetParam());
    const auto text = body_of(mails[0]);
    // The programme checks IPA's registry: the mail says this registry's ID does not count there.
    EXPECT_NE(text.find(lang() == Lang::Ja ? "この登録簿の自己宣言IDは認められません"
                                           : "this registry's declaration ID is not accepted"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(lang() == Lang::Ja ? "2026年度" : "fiscal year 2026"), std::string::npos) << text;
    EXPECT_NE(text.find(kBase + "/subsidies/unsubscribe/" + token_of(mails[0])), std::string::npos);

    EXPECT_EQ(reload(catalogue("open", "open")).queued, 0u);
    // A second node on the same database sends nothing either.
    auto node2 = storage::sqlite::SqliteStore::open((dir_.path / "test.db").string()).value();
    RegistryContext registry2(*node2, clock_, *composer_, content_, registry_->settings());
    Reminders reminders2(registry2, *subsidies_);
    auto again = reminders2.send_due(*subsidies_->current());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->queued, 0u);
    EXPECT_EQ(reminders().size(), 1u);
    (void)other;
}

TEST_P(ReminderUseCases, a_new_round_while_open_is_reminded_and_a_round_open_when_subscribing_is_not) {
    reload(catalogue("open", "unknown"));
    const auto d = declared("株式会社かえで", "kaede@example.jp", 3);
    ASSERT_TRUE(reminders_->subscribe(caller(), *d.account_id, *d.public_id, "p-ipa"));
    EXPECT_EQ(reload(catalogue("open", "unknown")).queued, 0u);
    EXPECT_EQ(reload(catalogue("open", "unknown", "7")).queued, 1u);
    auto mails = reminders();
    ASSERT_EQ(mails.size(), 1u);
    EXPECT_NE(body_of(mails[0]).find(lang() == Lang::Ja ? "第7回" : "Round 7"), std::string::npos);
}

TEST_P(ReminderUseCases, a_declaration_meeting_a_programme_of_this_registry_is_told_what_is_still_missing) {
    const auto d = declared("株式会社つばき", "tsubaki@example.jp", 4);
    ASSERT_TRUE(reminders_->subscribe(caller(), *d.account_id, *d.public_id, "p-here"));
    EXPECT_EQ(reload(catalogue("unknown", "open")).queued, 1u);
    const auto text = body_of(reminders().at(0));
    // ★ held, ★★ asked: the step up, and nothing about another registry.
    EXPECT_NE(text.find(lang() == Lang::Ja ? "自社診断を行い" : "do the self-assessment"), std::string::npos) << text;
    EXPECT_EQ(text.find(lang() == Lang::Ja ? "認められません" : "not accepted"), std::string::npos) << text;
}

TEST_P(ReminderUseCases, a_declaration_that_changed_hands_is_not_reminded) {
    const auto d = declared("株式会社ひのき", "hinoki@example.jp", 5);
    ASSERT_TRUE(reminders_->subscribe(caller(), *d.account_id, *d.public_id, "p-ipa"));
    ASSERT_TRUE(store_->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto account = tx.accounts().find_or_create("new-owner@example.jp", lang(), kNow);
        if (!account) return fail(account.error());
        Declaration moved = d;
        moved.account_id = account->id;
        return tx.declarations().save_state(moved, d.state);
    }));
    const auto sent = reload(catalogue("open", "unknown"));
    EXPECT_EQ(sent.queued, 0u);
    EXPECT_EQ(sent.not_owner, 1u);
    EXPECT_TRUE(reminders().empty());
}

TEST_P(ReminderUseCases, the_mail_limits_hold_reminders_back_once_and_for_all) {
    MailLimits limits;
    limits.per_address = 1;
    make(limits);
    const auto a = declared("株式会社いちょう", "same@example.jp", 6);
    const auto b = declared("株式会社けやき", "same@example.jp", 7);
    ASSERT_TRUE(reminders_->subscribe(caller(), *a.account_id, *a.public_id, "p-ipa"));
    ASSERT_TRUE(reminders_->subscribe(caller(), *b.account_id, *b.public_id, "p-ipa"));
    auto sent = reload(catalogue("open", "unknown"));
    EXPECT_EQ(sent.queued, 1u);
    EXPECT_EQ(sent.limited, 1u);
    // Held back is settled too: the next reload does not try again.
    sent = reload(catalogue("open", "unknown"));
    EXPECT_EQ(sent.queued + sent.limited, 0u);
    EXPECT_EQ(reminders().size(), 1u);
}

TEST_P(ReminderUseCases, the_link_in_the_mail_stops_the_reminders_without_signing_in) {
    const auto d = declared("株式会社すぎ", "sugi@example.jp", 8);
    ASSERT_TRUE(reminders_->subscribe(caller(), *d.account_id, *d.public_id, "p-ipa"));
    reload(catalogue("open", "unknown"));
    const auto token = token_of(reminders().at(0));
    auto found = reminders_->find_by_token(token);
    ASSERT_TRUE(found);
    ASSERT_TRUE(found->has_value());
    EXPECT_EQ((*found)->business_name, "株式会社すぎ");
    EXPECT_EQ((*found)->programme, "p-ipa");
    EXPECT_EQ(reminders_->unsubscribe_by_token(token, "192.0.2.9"), true);
    EXPECT_EQ(reminders_->unsubscribe_by_token(token, "192.0.2.9"), false);
    EXPECT_EQ(reminders_->unsubscribe_by_token("not-a-token", "192.0.2.9"), false);
    EXPECT_EQ(reload(catalogue("open", "unknown", "8")).queued, 0u);
    auto slugs = reminders_->subscribed(*d.account_id, *d.public_id);
    ASSERT_TRUE(slugs);
    EXPECT_TRUE(slugs->empty());
}

TEST_P(ReminderUseCases, only_the_holder_subscribes_and_only_to_a_programme_of_the_catalogue) {
    const auto d = declared("株式会社まつ", "matsu@example.jp", 9);
    const auto stranger = declared("株式会社うめ", "ume@example.jp", 10);
    auto unknown = reminders_->subscribe(caller(), *d.account_id, *d.public_id, "no-such-programme");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().code, "subsidy.not_found");
    auto theirs = reminders_->subscribe(caller(), *stranger.account_id, *d.public_id, "p-ipa");
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().kind, Error::Kind::NotFound);
    ASSERT_TRUE(reminders_->subscribe(caller(), *d.account_id, *d.public_id, "p-ipa"));
    auto choices = reminders_->choices(*d.account_id, "p-ipa");
    ASSERT_TRUE(choices);
    ASSERT_EQ(choices->size(), 1u);
    EXPECT_TRUE((*choices)[0].subscribed);
    ASSERT_TRUE(reminders_->unsubscribe(caller(), *d.account_id, *d.public_id, "p-ipa"));
    EXPECT_FALSE(reminders_->choices(*d.account_id, "p-ipa")->at(0).subscribed);
}

INSTANTIATE_TEST_SUITE_P(Languages, ReminderUseCases, ::testing::Values("ja", "en"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace sengen::app
