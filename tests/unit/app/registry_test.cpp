// The registry's use cases (app::Applications, SignIn, Declarations, Lookup) on a real SQLite database in a temp dir,
// with the real content, the real message catalogues and the real mail composer: every mail a use case queues is
// composed from the shipped catalogue, so a missing placeholder or message fails the use case. Each test runs in
// Japanese and in English (the language of the application and its mails).
#include "app/applications.hpp"
#include "app/declarations.hpp"
#include "app/lookup.hpp"
#include "app/registry_context.hpp"
#include "app/sign_in.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "../mail/fixtures.hpp"
#include "../mail/mail_decode.hpp"
#include "app/tokens.hpp"
#include "domain/email.hpp"
#include "embedded/embedded.hpp"
#include "mail/composer.hpp"
#include "storage/migrations.hpp"
#include "tlog/entry.hpp"

namespace sengen::app {
namespace {

using LS = lifecycle::Status;
using mail::testing::ManualClock;
using mail::testing::TempDir;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().code << ": " << (r).error().detail

const std::string kBase = "https://sengen.example.jp";
// 2026-03-02 09:00 in Japan.
const TimePoint kNow = from_unix_seconds(1'772'409'600);

i18n::Catalogue shipped_catalogue() {
    std::map<i18n::Lang, i18n::Messages> by_lang;
    for (auto l : i18n::all_langs) {
        const std::string path = "src/web/i18n/" + std::string(i18n::code(l)) + ".po";
        auto text = embedded::find(path);
        if (!text) throw std::runtime_error("not embedded: " + path);
        auto msgs = i18n::parse_po(*text, path);
        if (!msgs) throw std::runtime_error(msgs.error().detail);
        by_lang[l] = std::move(*msgs);
    }
    auto c = i18n::Catalogue::build(std::move(by_lang));
    if (!c) throw std::runtime_error(c.error().detail);
    return std::move(*c);
}

// Damm's check over all 11 digits, written here from the published table rather than taken
// from the code under test: a valid ID ends with interim digit 0.
bool damm_valid(const std::string& digits) {
    static constexpr int t[10][10] = {{0, 3, 1, 7, 5, 9, 8, 6, 4, 2}, {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
                                      {4, 2, 0, 6, 8, 7, 1, 3, 5, 9}, {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
                                      {6, 1, 2, 3, 0, 4, 5, 9, 7, 8}, {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
                                      {5, 8, 6, 9, 7, 2, 0, 1, 3, 4}, {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
                                      {9, 4, 3, 8, 6, 1, 7, 2, 0, 5}, {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}};
    int interim = 0;
    for (char c : digits) {
        if (c < '0' || c > '9') return false;
        interim = t[interim][c - '0'];
    }
    return interim == 0;
}

// A 13-digit corporate number with its check digit in front (法人番号の指定等に関する省令 第2条).
std::string corporate_number(const std::string& base12) {
    int sum = 0;
    for (int n = 1; n <= 12; ++n) sum += (base12[12 - n] - '0') * (n % 2 == 1 ? 1 : 2);
    return std::to_string(9 - sum % 9) + base12;
}

struct Mail {
    std::string to, subject, body;
};

// The values of the {name} placeholders of `tmpl` as filled in `text`, or nullopt when `text`
// is not `tmpl` filled in (another message, another language, or a placeholder left unfilled).
std::optional<std::map<std::string, std::string>> match_template(const std::string& tmpl, const std::string& text) {
    std::string pattern;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '{') {
            auto close = tmpl.find('}', i);
            if (close != std::string::npos) {
                names.push_back(tmpl.substr(i + 1, close - i - 1));
                // What the ID is accepted for is the operator's own paragraph, or nothing at all.
                pattern += names.back() == "accepted_for" ? "([^{}]*)" : "([^\\n{}]+)";
                i = close;
                continue;
            }
        }
        if (std::string("\\^$.|?*+()[]{}").find(tmpl[i]) != std::string::npos) pattern += '\\';
        pattern += tmpl[i];
    }
    std::smatch m;
    if (!std::regex_match(text, m, std::regex(pattern))) return std::nullopt;
    std::map<std::string, std::string> values;
    for (std::size_t k = 0; k < names.size(); ++k) {
        auto [it, fresh] = values.emplace(names[k], m[k + 1].str());
        if (!fresh && it->second != m[k + 1].str()) return std::nullopt;
    }
    return values;
}

std::string without_trailing_newlines(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

class RegistryUseCases : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override {
        auto c = content::load_embedded_registry_content();
        ASSERT_TRUE(c) << c.error().detail;
        content_ = std::move(*c);
        store_ = mail::testing::open_migrated(dir_);
        composer_.emplace(catalogue_, clock_, mail::Mailbox{"sengen", "no-reply@sengen.example.jp"}, kBase);
        make_registry(false);
        caller_.ip = "192.0.2.10";
        caller_.lang = lang();
    }

    void make_registry(bool hold_for_review) {
        RegistrySettings s;
        s.hold_for_review = hold_for_review;
        make_registry(s);
    }

    // The use cases on a registry built with `s` (its base URL always kBase).
    void make_registry(RegistrySettings s) {
        s.base_url = kBase;
        // The pieces hold the context by reference: drop them before replacing it.
        applications_.reset();
        signin_.reset();
        declarations_.reset();
        lookup_.reset();
        registry_.emplace(*store_, clock_, *composer_, content_, s);
        applications_.emplace(*registry_);
        signin_.emplace(*registry_);
        declarations_.emplace(*registry_);
        lookup_.emplace(*registry_);
    }

    i18n::Lang lang() const { return GetParam() == "en" ? i18n::Lang::En : i18n::Lang::Ja; }

    // A complete, valid ★ application as a corporation.
    ApplicationInput input(const std::string& name = "株式会社さくら商事",
                           const std::string& corp_base = "100000000001",
                           const std::string& email = "hanako@example.jp") const {
        ApplicationInput in;
        in.terms_version = content_.current_terms().version;
        in.terms_agreed = true;
        in.entity_type = "corporation";
        in.corporate_number = corporate_number(corp_base);
        in.business_name = name;
        in.business_name_kana = "サクラショウジ";
        in.postal_code = "100-0001";
        in.prefecture = "13";
        in.address = "千代田区千代田1-1";
        in.industry = "G";
        in.employees = "1-5";
        in.representative_title = "代表取締役";
        in.representative_name = "山田 太郎";
        in.contact_name = "山田 花子";
        in.contact_email = email;
        in.purposes = {"customer"};
        in.level = "1";
        for (const auto& p : content_.principles) in.commitments.push_back(std::to_string(p.number));
        in.lang = lang();
        return in;
    }

    // Every mail queued so far, oldest first, decoded.
    std::vector<Mail> mails() {
        std::vector<Mail> out;
        for (const auto& e : mail::testing::all_mail(*store_)) {
            auto parts = mail::testing::split(e.message);
            std::string body = mail::testing::decode_base64(parts.body);
            std::string unix_body;
            for (std::size_t i = 0; i < body.size(); ++i)
                if (!(body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n')) unix_body += body[i];
            out.insert(out.begin(), Mail{e.recipient, e.subject, unix_body});
        }
        return out;
    }

    // Asserts that `m` is mail `kind` in the test's language, every placeholder filled, and
    // returns the values it was filled with.
    std::map<std::string, std::string> expect_mail(const Mail& m, const std::string& kind, const std::string& to) {
        EXPECT_EQ(m.to, to);
        const auto& msgs = catalogue_.all(lang());
        auto subject = match_template(msgs.at(kind + ".subject"), m.subject);
        auto body =
            match_template(without_trailing_newlines(msgs.at(kind + ".body")), without_trailing_newlines(m.body));
        EXPECT_TRUE(subject.has_value()) << kind << " subject: " << m.subject;
        EXPECT_TRUE(body.has_value()) << kind << " body:\n" << m.body;
        std::map<std::string, std::string> values;
        if (subject) values.insert(subject->begin(), subject->end());
        if (body) values.insert(body->begin(), body->end());
        if (values.count("site_name")) {
            EXPECT_EQ(values["site_name"], catalogue_.text(lang(), "site.name"));
        }
        if (values.count("base_url")) {
            EXPECT_EQ(values["base_url"], kBase);
        }
        // The composer here has no operator profile: the site's name issues, and nothing is
        // said about what the ID is accepted for.
        for (const char* name : {"programme", "issuer"}) {
            if (values.count(name)) {
                EXPECT_EQ(values[name], catalogue_.text(lang(), "site.name")) << name;
            }
        }
        if (values.count("accepted_for")) {
            EXPECT_EQ(values["accepted_for"], "");
        }
        return values;
    }

    // The token at the end of a link in a mail.
    static std::string token_of(const std::string& link, const std::string& prefix) {
        EXPECT_EQ(link.rfind(kBase + prefix, 0), 0u) << link;
        auto token = link.substr(std::min(link.size(), kBase.size() + prefix.size()));
        EXPECT_EQ(token.size(), 43u) << link;
        EXPECT_TRUE(plausible_token(token)) << link;
        return token;
    }

    std::optional<Declaration> stored(std::int64_t id) {
        auto d = store_->query<std::optional<Declaration>>(TxMode::Read,
                                                           [&](Transaction& tx) { return tx.declarations().find(id); });
        EXPECT_TRUE(d);
        return d.value_or(std::nullopt);
    }

    std::size_t declaration_count() {
        auto n = store_->query<std::size_t>(TxMode::Read, [&](Transaction& tx) -> Result<std::size_t> {
            std::size_t count = 0;
            for (std::int64_t id = 1; id <= 100; ++id) {
                auto d = tx.declarations().find(id);
                if (!d) return fail(d.error());
                count += d->has_value() ? 1 : 0;
            }
            return count;
        });
        EXPECT_TRUE(n);
        return n.value_or(0);
    }

    // Applies and returns the confirmation token from the receipt mail.
    std::string apply_and_get_token(const ApplicationInput& in) {
        const auto before = mails().size();
        auto id = applications_->apply(in, caller_);
        EXPECT_TRUE(id) << id.error().code;
        auto all = mails();
        EXPECT_EQ(all.size(), before + 1);
        if (all.size() != before + 1) return {};
        auto values = expect_mail(all.back(), "mail.receipt", normalise_email(in.contact_email));
        return token_of(values["link"], "/confirm#");
    }

    // Applies, confirms and returns the declaration.
    Declaration declared(const ApplicationInput& in) {
        auto token = apply_and_get_token(in);
        auto c = applications_->confirm(token, caller_);
        EXPECT_TRUE(c) << c.error().code;
        return c ? c->declaration : Declaration{};
    }

    TempDir dir_;
    std::unique_ptr<storage::sqlite::SqliteStore> store_;
    ManualClock clock_{kNow};
    i18n::Catalogue catalogue_ = shipped_catalogue();
    content::RegistryContent content_;
    std::optional<mail::MailComposer> composer_;
    std::optional<RegistryContext> registry_;
    std::optional<Applications> applications_;
    std::optional<SignIn> signin_;
    std::optional<Declarations> declarations_;
    std::optional<Lookup> lookup_;
    Caller caller_;
};

INSTANTIATE_TEST_SUITE_P(Languages, RegistryUseCases, ::testing::Values("ja", "en"),
                         [](const auto& p) { return p.param; });

std::set<std::string> fields_of(const Error& e) {
    std::set<std::string> out;
    for (const auto& f : e.fields) out.insert(f.field + ":" + f.code);
    return out;
}

// --- apply --------------------------------------------------------------------------------------

TEST_P(RegistryUseCases, apply_stores_the_application_awaiting_confirmation_and_mails_a_single_use_link) {
    auto id = applications_->apply(input(), caller_);
    ASSERT_OK(id);
    auto d = stored(*id);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->state.status, LS::AwaitingConfirmation);
    EXPECT_EQ(d->state.level, 1);
    EXPECT_FALSE(d->public_id.has_value());
    EXPECT_FALSE(d->account_id.has_value());
    EXPECT_EQ(d->details.lang, lang());
    EXPECT_EQ(d->created_at, kNow);
    EXPECT_EQ(d->confirm_expires_at, kNow + hours(24));

    auto all = mails();
    ASSERT_EQ(all.size(), 1u);
    auto v = expect_mail(all[0], "mail.receipt", "hanako@example.jp");
    // The address is not proven yet: the mail names the business, and nothing else the applicant typed.
    EXPECT_EQ(v.count("contact_name"), 0u);
    EXPECT_EQ(all[0].body.find("山田"), std::string::npos);
    EXPECT_EQ(v["business_name"], "株式会社さくら商事");
    EXPECT_EQ(v["hours"], "24");
    // The token is in the link's fragment only, never its path (ADR 59), and printed as a code to paste.
    auto token = token_of(v["link"], "/confirm#");
    EXPECT_EQ(v["code"], token);
    // Only the hash of the token is stored.
    EXPECT_EQ(d->confirm_token_hash, token_hash(token));
    EXPECT_NE(d->confirm_token_hash, token);
    auto shown = applications_->application_for(token);
    ASSERT_OK(shown);
    EXPECT_EQ(shown->id, *id);
    EXPECT_EQ(shown->state.status, LS::AwaitingConfirmation) << "showing the page confirms nothing";
}

TEST_P(RegistryUseCases, apply_reports_every_missing_field_at_once_and_stores_nothing) {
    ApplicationInput empty;
    empty.lang = lang();
    auto r = applications_->apply(empty, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::Invalid);
    EXPECT_EQ(r.error().code, "application.invalid");
    std::set<std::string> expected{"terms_agreed:terms_required",
                                   "entity_type:required",
                                   "business_name:required",
                                   "business_name_kana:required",
                                   "postal_code:required",
                                   "prefecture:required",
                                   "address:required",
                                   "industry:required",
                                   "employees:required",
                                   "representative_title:required",
                                   "representative_name:required",
                                   "contact_name:required",
                                   "contact_email:required",
                                   "purposes:required",
                                   "level:required"};
    for (const auto& p : content_.principles)
        expected.insert("commitment_" + std::to_string(p.number) + ":commitment_required");
    EXPECT_EQ(fields_of(r.error()), expected);
    EXPECT_EQ(declaration_count(), 0u);
    EXPECT_TRUE(mails().empty());
}

TEST_P(RegistryUseCases, apply_reports_every_malformed_field_at_once) {
    auto in = input();
    in.corporate_number = "1000000000010";  // a check digit off by one
    in.business_name_kana = "桜商事";
    in.postal_code = "100-001";
    in.prefecture = "48";
    in.contact_email = "hanako@";
    in.phone = "03-ABCD-5678";
    in.website = "ftp://example.jp/";
    in.level = "2";
    in.assessment_date = "2026-02-30";
    in.policy_url = "example.jp/policy";
    in.purposes = {"nonsense"};
    in.commitments = {"1", "2", "3", "4"};
    auto r = applications_->apply(in, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()),
              (std::set<std::string>{"corporate_number:check_digit", "business_name_kana:katakana_only",
                                     "postal_code:postal_code_format", "prefecture:invalid_choice",
                                     "contact_email:invalid_email", "phone:phone_format", "website:invalid_url",
                                     "assessment_date:invalid_date", "policy_url:invalid_url",
                                     "purposes:invalid_choice", "commitment_5:commitment_required"}));
    EXPECT_EQ(declaration_count(), 0u);
    EXPECT_TRUE(mails().empty());
}

TEST_P(RegistryUseCases, apply_accepts_full_width_digits_and_a_reading_in_hiragana) {
    auto in = input();
    const std::string corp = corporate_number("100000000001");
    std::string wide;
    for (char c : corp) wide += std::string("０１２３４５６７８９").substr(static_cast<std::size_t>(c - '0') * 3, 3);
    in.corporate_number = wide;
    in.postal_code = "１００ー０００１";
    in.business_name_kana = "さくらしょうじ";
    in.contact_email = "Ｈａｎａｋｏ＠Ｅｘａｍｐｌｅ．ＪＰ";
    in.level = "１";
    auto id = applications_->apply(in, caller_);
    ASSERT_OK(id);
    auto d = stored(*id);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->details.corporate_number, corp);
    EXPECT_EQ(d->details.postal_code, "100-0001");
    EXPECT_EQ(d->details.business_name_kana, "サクラショウジ");
    EXPECT_EQ(d->details.contact_email, "Hanako@example.jp");
    ASSERT_EQ(mails().size(), 1u);
    EXPECT_EQ(mails()[0].to, "Hanako@example.jp");
}

TEST_P(RegistryUseCases, a_claim_to_a_number_with_a_live_declaration_is_confirmed_as_a_dispute_for_the_operator) {
    auto holder = declared(input());
    // Applying answers the same as for any number: the answer tells nothing about the number.
    auto token = apply_and_get_token(input("さくら商事 別支店", "100000000001", "other@example.jp"));
    EXPECT_EQ(declaration_count(), 2u);
    auto c = applications_->confirm(token, caller_);
    ASSERT_OK(c);
    EXPECT_TRUE(c->newly_confirmed);
    EXPECT_EQ(c->declaration.state.status, LS::Disputed);
    EXPECT_FALSE(c->declaration.public_id.has_value());
    EXPECT_EQ(stored(c->declaration.id)->state.status, LS::Disputed);
    // The holder keeps its declaration, untouched.
    EXPECT_EQ(stored(holder.id)->state.status, LS::Declared);
    EXPECT_EQ(stored(holder.id)->public_id, holder.public_id);
    auto v = expect_mail(mails().back(), "mail.disputed", "other@example.jp");
    EXPECT_EQ(v["business_name"], "さくら商事 別支店");
    // The operator sees the claim and the holder.
    auto disputes = declarations_->open_disputes(10);
    ASSERT_OK(disputes);
    ASSERT_EQ(disputes->size(), 1u);
    const auto& dispute = (*disputes)[0];
    EXPECT_EQ(dispute.corporate_number, corporate_number("100000000001"));
    EXPECT_EQ(dispute.claim_id, c->declaration.id);
    EXPECT_EQ(dispute.holder_id, holder.id);
    EXPECT_EQ(dispute.holder_public_id, holder.public_id);
    EXPECT_EQ(dispute.claim_business_name, "さくら商事 別支店");
    EXPECT_EQ(dispute.claim_contact_email, "other@example.jp");
    EXPECT_EQ(dispute.opened_at, kNow);
    // Following the link again shows the same claim and records nothing more.
    auto twice = applications_->confirm(token, caller_);
    ASSERT_OK(twice);
    EXPECT_FALSE(twice->newly_confirmed);
    EXPECT_EQ(declarations_->open_disputes(10)->size(), 1u);
    // Another corporate number, and a sole proprietor without one, are fine.
    ASSERT_OK(applications_->apply(input("別会社", "100000000002"), caller_));
    auto sole = input("さくら商事 第二店舗", "", "shop2@example.jp");
    sole.entity_type = "sole_proprietor";
    sole.corporate_number = "";
    ASSERT_OK(applications_->apply(sole, caller_));
}

TEST_P(RegistryUseCases, applications_awaiting_confirmation_do_not_block_but_the_first_confirmed_does) {
    auto squatter = apply_and_get_token(input("さくら商事（先取り）", "100000000001", "squat@example.jp"));
    auto first = apply_and_get_token(input());
    auto second = apply_and_get_token(input("さくら商事（再申込）", "100000000001", "again@example.jp"));
    // The squatter applied first but never confirmed: the real business confirms and declares.
    auto declared_first = applications_->confirm(first, caller_);
    ASSERT_OK(declared_first);
    EXPECT_EQ(declared_first->declaration.state.status, LS::Declared);
    auto late = applications_->confirm(second, caller_);
    ASSERT_OK(late);
    EXPECT_EQ(late->declaration.state.status, LS::Disputed);
    EXPECT_FALSE(applications_->application_for(second)->public_id.has_value());
    EXPECT_EQ(applications_->application_for(squatter)->state.status, LS::AwaitingConfirmation);
}

TEST_P(RegistryUseCases, apply_is_limited_per_ip_address) {
    for (int i = 0; i < 20; ++i) {
        auto in = input("商店" + std::to_string(i), "", "shop" + std::to_string(i) + "@example.jp");
        in.entity_type = "sole_proprietor";
        in.corporate_number = "";
        ASSERT_OK(applications_->apply(in, caller_));
    }
    auto in = input("商店20", "", "shop20@example.jp");
    in.entity_type = "sole_proprietor";
    in.corporate_number = "";
    auto r = applications_->apply(in, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::TooMany);
    Caller elsewhere = caller_;
    elsewhere.ip = "192.0.2.11";
    EXPECT_TRUE(applications_->apply(in, elsewhere));
}

// --- confirm ------------------------------------------------------------------------------------

TEST_P(RegistryUseCases, confirm_issues_an_eleven_digit_id_with_a_damm_check_digit_and_mails_it) {
    auto token = apply_and_get_token(input());
    clock_.advance(seconds(90));
    auto c = applications_->confirm(token, caller_);
    ASSERT_OK(c);
    EXPECT_TRUE(c->newly_confirmed);
    const auto& d = c->declaration;
    EXPECT_EQ(d.state.status, LS::Declared);
    ASSERT_TRUE(d.public_id.has_value());
    const std::string id = d.public_id->digits();
    EXPECT_TRUE(std::regex_match(id, std::regex("1[0-9]{10}"))) << id;
    EXPECT_TRUE(damm_valid(id)) << id;
    EXPECT_EQ(d.declared_at, std::optional<TimePoint>(kNow + seconds(90)));
    EXPECT_EQ(d.level_since, d.declared_at);
    ASSERT_TRUE(d.account_id.has_value());

    auto saved = stored(d.id);
    ASSERT_TRUE(saved);
    EXPECT_EQ(saved->public_id, d.public_id);
    EXPECT_EQ(saved->state.status, LS::Declared);
    EXPECT_EQ(saved->account_id, d.account_id);

    auto all = mails();
    ASSERT_EQ(all.size(), 2u);
    auto v = expect_mail(all[1], "mail.declared", "hanako@example.jp");
    EXPECT_EQ(v["id"], id);
    // The mail gives the ID as its 11 digits only, so that what is copied from it is the ID.
    EXPECT_FALSE(v.contains("id_grouped"));
    EXPECT_EQ(v["verify_url"], kBase + "/verify/" + id);
    EXPECT_EQ(v["badge_url"], kBase + "/mypage/declarations/" + id + "/badge");
    EXPECT_EQ(v["signin_page_url"], kBase + "/signin");
    EXPECT_EQ(v["level"], content_.level(1).stars + " " + content_.level(1).name.in(lang()));
}

TEST_P(RegistryUseCases, confirming_twice_shows_the_same_declaration_and_issues_nothing) {
    auto token = apply_and_get_token(input());
    auto first = applications_->confirm(token, caller_);
    ASSERT_OK(first);
    const auto mails_after_first = mails().size();
    clock_.advance(hours(48));  // even after the link would have expired
    auto second = applications_->confirm(token, caller_);
    ASSERT_OK(second);
    EXPECT_FALSE(second->newly_confirmed);
    EXPECT_EQ(second->declaration.public_id, first->declaration.public_id);
    EXPECT_EQ(second->declaration.declared_at, first->declaration.declared_at);
    EXPECT_EQ(mails().size(), mails_after_first) << "no second 完了 mail";
    // No serial was taken: the next declaration gets the very next one.
    auto next = declared(input("次の会社", "100000000002", "next@example.jp"));
    ASSERT_TRUE(next.public_id && first->declaration.public_id);
    EXPECT_EQ(next.public_id->serial(), first->declaration.public_id->serial() + 1);
}

TEST_P(RegistryUseCases, every_confirmed_application_gets_its_own_id) {
    std::set<std::string> ids;
    for (int i = 0; i < 12; ++i) {
        auto d = declared(input("会社" + std::to_string(i), "1000000001" + std::to_string(10 + i),
                                "c" + std::to_string(i) + "@example.jp"));
        ASSERT_TRUE(d.public_id);
        EXPECT_TRUE(damm_valid(d.public_id->digits()));
        EXPECT_TRUE(ids.insert(d.public_id->digits()).second);
    }
    EXPECT_EQ(ids.size(), 12u);
}

TEST_P(RegistryUseCases, an_expired_link_confirms_nothing) {
    auto token = apply_and_get_token(input());
    auto in_time = apply_and_get_token(input("間に合う会社", "100000000002", "b@example.jp"));
    clock_.advance(hours(24) - seconds(1));
    ASSERT_OK(applications_->confirm(in_time, caller_));
    clock_.advance(seconds(1));
    auto r = applications_->confirm(token, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::NotFound);
    EXPECT_EQ(r.error().code, "confirm.expired");
    auto shown = applications_->application_for(token);
    ASSERT_FALSE(shown);
    EXPECT_EQ(shown.error().code, "confirm.expired");
    auto d = stored(1);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->state.status, LS::AwaitingConfirmation);
    EXPECT_FALSE(d->public_id.has_value());
    EXPECT_EQ(mails().size(), 3u);  // two receipts and one 完了 for the link used in time
}

TEST_P(RegistryUseCases, an_unknown_or_malformed_link_is_not_found) {
    apply_and_get_token(input());
    for (const std::string& token : {random_token(), std::string("short"), std::string(43, '*'), std::string()}) {
        auto r = applications_->confirm(token, caller_);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "confirm.unknown") << token;
        EXPECT_EQ(applications_->application_for(token).error().code, "confirm.unknown");
    }
}

TEST_P(RegistryUseCases, held_for_review_a_confirmed_application_waits_without_an_id) {
    make_registry(true);
    auto token = apply_and_get_token(input());
    auto c = applications_->confirm(token, caller_);
    ASSERT_OK(c);
    EXPECT_TRUE(c->newly_confirmed);
    EXPECT_EQ(c->declaration.state.status, LS::AwaitingReview);
    EXPECT_FALSE(c->declaration.public_id.has_value());
    EXPECT_FALSE(stored(c->declaration.id)->public_id.has_value());
    auto all = mails();
    ASSERT_EQ(all.size(), 2u);
    expect_mail(all[1], "mail.held", "hanako@example.jp");
    auto twice = applications_->confirm(token, caller_);
    ASSERT_OK(twice);
    EXPECT_FALSE(twice->newly_confirmed);
    EXPECT_EQ(mails().size(), 2u);
    // Awaiting review counts as live: another application of the number may be made (the answer
    // says nothing about the pending one), and confirming it records a dispute.
    auto again = apply_and_get_token(input("再申込", "100000000001", "x@example.jp"));
    auto claim = applications_->confirm(again, caller_);
    ASSERT_OK(claim);
    EXPECT_EQ(claim->declaration.state.status, LS::Disputed);
    EXPECT_EQ(declarations_->open_disputes(10)->size(), 1u);
}

TEST_P(RegistryUseCases, a_resent_confirmation_mail_has_a_new_link_and_the_old_one_stops_working) {
    auto id = applications_->apply(input(), caller_);
    ASSERT_OK(id);
    auto old = token_of(expect_mail(mails().back(), "mail.receipt", "hanako@example.jp")["link"], "/confirm#");
    clock_.advance(hours(23));
    ASSERT_OK(applications_->resend_confirmation(*id, caller_));
    auto all = mails();
    ASSERT_EQ(all.size(), 2u);
    auto fresh = token_of(expect_mail(all[1], "mail.receipt", "hanako@example.jp")["link"], "/confirm#");
    EXPECT_NE(fresh, old);
    EXPECT_EQ(applications_->confirm(old, caller_).error().code, "confirm.unknown");
    clock_.advance(hours(2));  // past the first link's expiry, within the new one's
    auto c = applications_->confirm(fresh, caller_);
    ASSERT_OK(c);
    EXPECT_TRUE(c->declaration.public_id.has_value());
    // Nothing to resend once confirmed.
    auto again = applications_->resend_confirmation(*id, caller_);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::NotFound);
}

TEST_P(RegistryUseCases, an_expired_application_is_not_resent) {
    auto id = applications_->apply(input(), caller_);
    ASSERT_OK(id);
    clock_.advance(hours(24));
    auto r = applications_->resend_confirmation(*id, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "confirm.expired");
    EXPECT_EQ(mails().size(), 1u);
}

TEST_P(RegistryUseCases, resending_is_limited_per_application) {
    auto id = applications_->apply(input(), caller_);
    ASSERT_OK(id);
    for (int i = 0; i < 3; ++i) ASSERT_OK(applications_->resend_confirmation(*id, caller_));
    auto r = applications_->resend_confirmation(*id, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(mails().size(), 4u);
}

TEST_P(RegistryUseCases, an_operator_approves_a_held_application_and_the_id_is_issued_then) {
    make_registry(true);
    auto first = apply_and_get_token(input());
    auto second = apply_and_get_token(input("二番目の会社", "100000000002", "second@example.jp"));
    ASSERT_OK(applications_->confirm(second, caller_));
    clock_.advance(seconds(10));
    ASSERT_OK(applications_->confirm(first, caller_));
    auto queue = declarations_->awaiting_review(10);
    ASSERT_OK(queue);
    ASSERT_EQ(queue->size(), 2u);
    EXPECT_EQ((*queue)[0].details.business_name, "株式会社さくら商事");  // applied first
    EXPECT_EQ((*queue)[1].details.business_name, "二番目の会社");

    clock_.advance(hours(5));
    auto approved = declarations_->approve((*queue)[1].id, "operator:cli");
    ASSERT_OK(approved);
    EXPECT_EQ(approved->state.status, LS::Declared);
    ASSERT_TRUE(approved->public_id.has_value());
    EXPECT_TRUE(damm_valid(approved->public_id->digits()));
    EXPECT_EQ(approved->declared_at, std::optional<TimePoint>(kNow + seconds(10) + hours(5)));
    auto v = expect_mail(mails().back(), "mail.declared", "second@example.jp");
    EXPECT_EQ(v["id"], approved->public_id->digits());
    EXPECT_EQ(declarations_->awaiting_review(10)->size(), 1u);
    // Approving again is not a second ID.
    auto twice = declarations_->approve((*queue)[1].id, "operator:cli");
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(stored((*queue)[1].id)->public_id, approved->public_id);
}

TEST_P(RegistryUseCases, an_operator_rejects_a_held_application_with_a_reason_that_is_mailed) {
    make_registry(true);
    auto token = apply_and_get_token(input());
    auto held = applications_->confirm(token, caller_);
    ASSERT_OK(held);
    const auto id = held->declaration.id;
    auto no_reason = declarations_->reject(id, " ", "operator:cli");
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().kind, Error::Kind::IllegalTransition);
    auto rejected = declarations_->reject(id, "法人番号と事業者名が一致しません", "operator:cli");
    ASSERT_OK(rejected);
    EXPECT_EQ(rejected->state.status, LS::Rejected);
    EXPECT_FALSE(rejected->public_id.has_value());
    EXPECT_EQ(rejected->end_reason, "法人番号と事業者名が一致しません");
    auto v = expect_mail(mails().back(), "mail.rejected", "hanako@example.jp");
    EXPECT_EQ(v["reason"], "法人番号と事業者名が一致しません");
    EXPECT_TRUE(declarations_->awaiting_review(10)->empty());
    EXPECT_EQ(declarations_->approve(id, "operator:cli").error().kind, Error::Kind::IllegalTransition);
    // The corporate number may apply again.
    EXPECT_TRUE(applications_->apply(input("株式会社さくら商事", "100000000001", "again@example.jp"), caller_));
    // Only held applications are reviewed.
    make_registry(false);
    auto declared_now = declared(input("即時の会社", "100000000003", "now@example.jp"));
    EXPECT_EQ(declarations_->approve(declared_now.id, "operator:cli").error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(declarations_->reject(declared_now.id, "x", "operator:cli").error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(declarations_->approve(9999, "operator:cli").error().kind, Error::Kind::NotFound);
}

// --- signing in ---------------------------------------------------------------------------------

TEST_P(RegistryUseCases, a_sign_in_link_signs_the_confirmed_account_in_once) {
    auto d = declared(input());
    ASSERT_OK(signin_->request("  Hanako@EXAMPLE.jp ", "/mypage/declarations/" + d.public_id->digits(), caller_));
    auto all = mails();
    auto v = expect_mail(all.back(), "mail.signin", "Hanako@example.jp");
    EXPECT_EQ(v["minutes"], "10");
    EXPECT_EQ(v["signin_page_url"], kBase + "/signin");
    auto token = token_of(v["link"], "/signin/link#");
    auto in = signin_->complete(token, caller_);
    ASSERT_OK(in);
    EXPECT_EQ(in->account.id, *d.account_id);
    EXPECT_EQ(in->next_path, "/mypage/declarations/" + d.public_id->digits());
    auto list = declarations_->declarations_of(in->account.id);
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ((*list)[0].public_id, d.public_id);
    auto again = signin_->complete(token, caller_);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "signin.unknown");
}

TEST_P(RegistryUseCases, a_sign_in_link_expires_after_ten_minutes) {
    ASSERT_OK(signin_->request("hanako@example.jp", "/mypage", caller_));
    ASSERT_OK(signin_->request("hanako@example.jp", "/mypage", caller_));
    auto all = mails();
    ASSERT_EQ(all.size(), 2u);
    auto early = token_of(expect_mail(all[0], "mail.signin", "hanako@example.jp")["link"], "/signin/link#");
    auto late = token_of(expect_mail(all[1], "mail.signin", "hanako@example.jp")["link"], "/signin/link#");
    clock_.advance(minutes(10) - seconds(1));
    ASSERT_OK(signin_->complete(early, caller_));
    clock_.advance(seconds(1));
    auto r = signin_->complete(late, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "signin.unknown");
}

TEST_P(RegistryUseCases, a_sign_in_request_for_a_malformed_address_is_invalid_and_sends_nothing) {
    for (const char* typed : {"", "hanako", "hanako@", "@example.jp", "hanako@example"}) {
        auto r = signin_->request(typed, "/mypage", caller_);
        ASSERT_FALSE(r) << typed;
        EXPECT_EQ(r.error().kind, Error::Kind::Invalid);
        EXPECT_EQ(fields_of(r.error()), std::set<std::string>{"email:invalid_email"});
    }
    EXPECT_TRUE(mails().empty());
}

// --- My Page: change details, step up and down, stop ---------------------------------------------

TEST_P(RegistryUseCases, changed_details_are_saved_kept_in_the_history_and_a_new_contact_is_only_asked_for) {
    auto d = declared(input());
    auto in = input("株式会社さくら商事ホールディングス", "100000000001", "new-contact@example.jp");
    in.address = "千代田区丸の内1-1";
    auto changed = declarations_->change_details(*d.account_id, *d.public_id, in, caller_);
    ASSERT_OK(changed);
    EXPECT_EQ(changed->contact, Declarations::ContactRequest::Sent);
    EXPECT_EQ(changed->declaration.details.business_name, "株式会社さくら商事ホールディングス");
    EXPECT_EQ(changed->declaration.public_id, d.public_id);
    EXPECT_EQ(changed->declaration.state.status, LS::Declared);
    auto saved = stored(d.id);
    EXPECT_EQ(saved->details.address, "千代田区丸の内1-1");
    // Nothing about the contact changes until the new address follows its link.
    EXPECT_EQ(saved->details.contact_email, "hanako@example.jp");
    EXPECT_EQ(saved->account_id, d.account_id);

    auto history = declarations_->history(*d.account_id, *d.public_id);
    ASSERT_OK(history);
    std::map<std::string, DetailChange> by_field;
    for (const auto& h : *history) by_field[h.field] = h;
    ASSERT_EQ(by_field.size(), 2u);
    EXPECT_EQ(by_field["business_name"].before, "株式会社さくら商事");
    EXPECT_EQ(by_field["business_name"].after, "株式会社さくら商事ホールディングス");
    EXPECT_EQ(by_field["address"].before, "千代田区千代田1-1");

    auto all = mails();
    ASSERT_EQ(all.size(), 4u);
    auto to_old = expect_mail(all[2], "mail.changed", "hanako@example.jp");
    EXPECT_EQ(to_old["id"], d.public_id->digits());
    // The changed fields by their labels in the declarant's language, never by their codes.
    EXPECT_NE(to_old["fields"].find(catalogue_.text(lang(), "field.business_name.label")), std::string::npos);
    EXPECT_NE(to_old["fields"].find(catalogue_.text(lang(), "field.address.label")), std::string::npos);
    EXPECT_EQ(to_old["fields"].find("business_name"), std::string::npos);
    // The unproven new address gets the link, the business's name and ID, and nothing else typed.
    auto to_new = expect_mail(all[3], "mail.contact_change", "new-contact@example.jp");
    EXPECT_EQ(to_new["business_name"], "株式会社さくら商事ホールディングス");
    EXPECT_EQ(to_new.count("contact_name"), 0u);
    EXPECT_EQ(all[3].body.find("山田"), std::string::npos);
    token_of(to_new["link"], "/contact-change#");
}

TEST_P(RegistryUseCases, a_followed_contact_change_moves_the_declaration_and_ends_the_former_owners_sessions) {
    auto d = declared(input());
    // The former owner is signed in on two browsers; someone else on a third.
    auto other = declared(input("他社", "100000000002", "other@example.jp"));
    auto add_session = [&](const std::string& id, std::int64_t account) {
        ASSERT_TRUE(store_->transact(TxMode::Write, [&](Transaction& tx) {
            return tx.sessions().create(Session{id, account, kNow, kNow + hours(1), ""});
        }));
    };
    add_session("a", *d.account_id);
    add_session("b", *d.account_id);
    add_session("c", *other.account_id);

    auto in = input();
    in.contact_email = "Successor@Example.jp";
    auto asked = declarations_->change_details(*d.account_id, *d.public_id, in, caller_);
    ASSERT_OK(asked);
    EXPECT_EQ(asked->contact, Declarations::ContactRequest::Sent);
    auto link = expect_mail(mails().back(), "mail.contact_change", "Successor@example.jp")["link"];
    auto token = token_of(link, "/contact-change#");
    // Only the hash of the link is stored.
    auto kept = store_->query<std::optional<ContactChange>>(
        TxMode::Read, [&](Transaction& tx) { return tx.contact_changes().find(token_hash(token), kNow); });
    ASSERT_OK(kept);
    ASSERT_TRUE(kept->has_value());
    EXPECT_EQ((*kept)->token_hash, token_hash(token));

    auto pending = declarations_->contact_change_for(token);
    ASSERT_OK(pending);
    EXPECT_EQ(pending->new_email, "Successor@example.jp");
    EXPECT_EQ(stored(d.id)->details.contact_email, "hanako@example.jp") << "showing the page changes nothing";

    auto changed = declarations_->change_contact(token, caller_);
    ASSERT_OK(changed);
    EXPECT_EQ(changed->signs_in, Applications::SignsIn::Yes) << "followed at once";
    const auto* moved = &changed->declaration;
    EXPECT_EQ(moved->details.contact_email, "Successor@example.jp");
    ASSERT_TRUE(moved->account_id);
    EXPECT_NE(*moved->account_id, *d.account_id);
    auto saved = stored(d.id);
    EXPECT_EQ(saved->account_id, moved->account_id);
    EXPECT_EQ(saved->details.contact_email, "Successor@example.jp");
    EXPECT_EQ(saved->public_id, d.public_id);
    EXPECT_EQ(saved->state, d.state);
    // The new contact holds it now; the former owner no longer does.
    auto mine = declarations_->declarations_of(*moved->account_id);
    ASSERT_OK(mine);
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ((*mine)[0].public_id, d.public_id);
    EXPECT_EQ(declarations_->owned(*d.account_id, *d.public_id).error().code, "declaration.not_found");
    // Every session of the former owner ended; nobody else's.
    auto live = [&](const std::string& id) {
        return store_->query<std::optional<Session>>(TxMode::Read,
                                                     [&](Transaction& tx) { return tx.sessions().find(id, kNow); });
    };
    EXPECT_FALSE(live("a")->has_value());
    EXPECT_FALSE(live("b")->has_value());
    EXPECT_TRUE(live("c")->has_value());
    // The former address is told, with nothing the requester wrote.
    auto notice = expect_mail(mails().back(), "mail.contact_moved", "hanako@example.jp");
    EXPECT_EQ(notice["id"], d.public_id->digits());
    EXPECT_EQ(mails().back().body.find("Successor"), std::string::npos);
    EXPECT_EQ(mails().back().body.find("さくら"), std::string::npos);
    // The change is kept in the history; the link works once.
    auto history = declarations_->history(*moved->account_id, *d.public_id);
    ASSERT_OK(history);
    ASSERT_EQ(history->size(), 1u);
    EXPECT_EQ((*history)[0].field, "contact_email");
    EXPECT_EQ(declarations_->change_contact(token, caller_).error().code, "contact_change.unknown");
}

TEST_P(RegistryUseCases, a_contact_change_link_expires_and_one_left_by_a_former_owner_is_stale) {
    auto d = declared(input());
    auto ask = [&](const std::string& to) {
        auto in = input();
        in.contact_email = to;
        auto r = declarations_->change_details(*d.account_id, *d.public_id, in, caller_);
        EXPECT_TRUE(r) << r.error().code;
        return token_of(expect_mail(mails().back(), "mail.contact_change", to)["link"], "/contact-change#");
    };
    // A link left unused past its lifetime does nothing.
    auto late = ask("late@example.jp");
    clock_.advance(hours(24));
    EXPECT_EQ(declarations_->contact_change_for(late).error().code, "contact_change.unknown");
    EXPECT_EQ(declarations_->change_contact(late, caller_).error().code, "contact_change.unknown");
    // The former owner asks for an address of theirs, then hands over properly to a successor.
    auto stale = ask("mine@example.jp");
    auto proper = ask("successor@example.jp");
    auto moved = declarations_->change_contact(proper, caller_);
    ASSERT_OK(moved);
    // The link asked for before the hand-over no longer takes the declaration back.
    EXPECT_EQ(declarations_->change_contact(stale, caller_).error().code, "contact_change.unknown");
    EXPECT_EQ(stored(d.id)->details.contact_email, "successor@example.jp");
    EXPECT_EQ(stored(d.id)->account_id, moved->declaration.account_id);
    for (const std::string& junk : {random_token(), std::string("short")})
        EXPECT_EQ(declarations_->change_contact(junk, caller_).error().code, "contact_change.unknown");
}

// --- mail limits ---------------------------------------------------------------------------------

TEST_P(RegistryUseCases, mails_to_an_unproven_address_are_few_a_day_whoever_asks_and_from_wherever) {
    // Five applications naming one victim's address, each from another client address and for
    // another business: the sixth mail is refused, and nothing more is stored or sent.
    for (int i = 0; i < 5; ++i) {
        auto in = input("商店" + std::to_string(i), "", "victim@example.jp");
        in.entity_type = "sole_proprietor";
        in.corporate_number = "";
        caller_.ip = "198.51.100." + std::to_string(i + 1);
        ASSERT_OK(applications_->apply(in, caller_));
    }
    const auto stored_before = declaration_count();
    const auto mails_before = mails().size();
    // The per-address application limit has the same number; a resend counts too.
    auto resend = applications_->resend_confirmation(1, caller_);
    ASSERT_FALSE(resend);
    EXPECT_EQ(resend.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(resend.error().code, "rate.mail.unproven");
    EXPECT_EQ(declaration_count(), stored_before);
    EXPECT_EQ(mails().size(), mails_before);
    // Once the day of the five has slid out of the count (every limit counts over a sliding
    // window: ADR 51), the address may be mailed again.
    clock_.advance(hours(48));
    auto in = input("商店5", "", "victim@example.jp");
    in.entity_type = "sole_proprietor";
    in.corporate_number = "";
    ASSERT_OK(applications_->apply(in, caller_));
}

TEST_P(RegistryUseCases, sign_in_links_to_an_address_no_account_holds_are_few_a_day_and_the_answer_stays_the_same) {
    RegistrySettings s;
    s.mail_limits.unproven = 2;
    make_registry(s);
    auto to = [&](const std::string& address) {
        std::size_t n = 0;
        for (const auto& m : mails()) n += m.to == address ? 1 : 0;
        return n;
    };
    // Four requests from four clients for a stranger's address: every answer is the same, and
    // only two links are sent.
    for (int i = 0; i < 4; ++i) {
        caller_.ip = "198.51.100." + std::to_string(i + 1);
        ASSERT_OK(signin_->request("stranger@example.jp", "/mypage", caller_));
    }
    EXPECT_EQ(to("stranger@example.jp"), 2u);
    // An address that has followed a link (its declaration's confirmation) is not held to that cap.
    declared(input());
    const auto before = to("hanako@example.jp");
    for (int i = 0; i < 4; ++i) ASSERT_OK(signin_->request("hanako@example.jp", "/mypage", caller_));
    EXPECT_EQ(to("hanako@example.jp"), before + 4);
    // Nor is a stranger's address once it has signed in by one of its links.
    clock_.advance(hours(48));  // the day of the four requests has slid out of the count
    ASSERT_OK(signin_->request("stranger@example.jp", "/mypage", caller_));
    auto link = token_of(expect_mail(mails().back(), "mail.signin", "stranger@example.jp")["link"], "/signin/link#");
    ASSERT_OK(signin_->complete(link, caller_));
    for (int i = 0; i < 3; ++i) ASSERT_OK(signin_->request("stranger@example.jp", "/mypage", caller_));
    EXPECT_EQ(to("stranger@example.jp"), 2u + 4u);
}

TEST_P(RegistryUseCases, mails_about_one_declaration_are_limited_a_day_across_every_action) {
    RegistrySettings s;
    s.mail_limits.per_declaration = 3;
    make_registry(s);
    auto d = declared(input());
    ASSERT_OK(declarations_->change_details(*d.account_id, *d.public_id, input("名前1"), caller_));
    ASSERT_OK(declarations_->step_up(*d.account_id, *d.public_id, "2026-02-01", "https://example.jp/p", caller_));
    ASSERT_OK(declarations_->step_down(*d.account_id, *d.public_id, caller_));
    const auto before = mails().size();
    auto changed = declarations_->change_details(*d.account_id, *d.public_id, input("名前2"), caller_);
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().code, "rate.mail.declaration");
    auto stop = declarations_->stop(*d.account_id, *d.public_id, caller_);
    ASSERT_FALSE(stop);
    EXPECT_EQ(stop.error().code, "rate.mail.declaration");
    auto contact = input();
    contact.contact_email = "next@example.jp";
    EXPECT_EQ(declarations_->change_details(*d.account_id, *d.public_id, contact, caller_).error().code,
              "rate.mail.declaration");
    // Refused means not done: nothing changed and nothing was sent.
    EXPECT_EQ(mails().size(), before);
    EXPECT_EQ(stored(d.id)->details.business_name, "名前1");
    EXPECT_EQ(stored(d.id)->state.status, LS::Declared);
}

TEST_P(RegistryUseCases, sign_in_mails_to_one_address_are_limited_a_day_whether_or_not_it_is_known) {
    RegistrySettings s;
    s.mail_limits.per_address = 2;
    make_registry(s);
    for (const char* address : {"nobody@example.jp", "hanako@example.jp"}) {
        for (int i = 0; i < 2; ++i) {
            caller_.ip = "203.0.113." + std::to_string(i + 1);
            ASSERT_OK(signin_->request(address, "/mypage", caller_));
        }
        auto r = signin_->request(address, "/mypage", caller_);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().code, "rate.mail.address") << address;
    }
    EXPECT_EQ(mails().size(), 4u);
}

TEST_P(RegistryUseCases, changing_nothing_keeps_the_history_empty_and_sends_nothing) {
    auto d = declared(input());
    const auto before = mails().size();
    ASSERT_OK(declarations_->change_details(*d.account_id, *d.public_id, input(), caller_));
    EXPECT_TRUE(declarations_->history(*d.account_id, *d.public_id)->empty());
    EXPECT_EQ(mails().size(), before);
}

TEST_P(RegistryUseCases, invalid_changes_report_every_field_and_change_nothing) {
    auto d = declared(input());
    auto in = input("", "100000000001");
    in.postal_code = "12";
    in.contact_email = "nope";
    auto r = declarations_->change_details(*d.account_id, *d.public_id, in, caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(fields_of(r.error()), (std::set<std::string>{"business_name:required", "postal_code:postal_code_format",
                                                           "contact_email:invalid_email"}));
    EXPECT_EQ(stored(d.id)->details.business_name, "株式会社さくら商事");
    EXPECT_TRUE(declarations_->history(*d.account_id, *d.public_id)->empty());
}

TEST_P(RegistryUseCases, another_accounts_declaration_cannot_be_seen_or_changed) {
    auto mine = declared(input());
    auto theirs = declared(input("他社", "100000000002", "other@example.jp"));
    ASSERT_NE(mine.account_id, theirs.account_id);
    EXPECT_EQ(declarations_->owned(*mine.account_id, *theirs.public_id).error().code, "declaration.not_found");
    EXPECT_EQ(declarations_->history(*mine.account_id, *theirs.public_id).error().code, "declaration.not_found");
    auto r =
        declarations_->change_details(*mine.account_id, *theirs.public_id, input("乗っ取り", "100000000002"), caller_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::NotFound);
    auto stop = declarations_->stop(*mine.account_id, *theirs.public_id, caller_);
    ASSERT_FALSE(stop);
    EXPECT_EQ(stop.error().kind, Error::Kind::NotFound);
    EXPECT_EQ(stored(theirs.id)->state.status, LS::Declared);
}

TEST_P(RegistryUseCases, step_up_with_evidence_raises_the_level_and_keeps_the_id) {
    auto d = declared(input());
    clock_.advance(hours(30));
    auto up = declarations_->step_up(*d.account_id, *d.public_id, "２０２６／０２／２８", "https://example.jp/policy",
                                     caller_);
    ASSERT_OK(up);
    EXPECT_EQ(up->state.level, 2);
    EXPECT_EQ(up->state.status, LS::Declared);
    EXPECT_EQ(up->public_id, d.public_id);
    EXPECT_EQ(up->level_since, std::optional<TimePoint>(kNow + hours(30)));
    EXPECT_EQ(up->declared_at, d.declared_at);
    auto saved = stored(d.id);
    EXPECT_EQ(saved->state.level, 2);
    EXPECT_EQ(saved->details.assessment_date, "2026-02-28");
    EXPECT_EQ(saved->details.policy_url, "https://example.jp/policy");
    auto history = declarations_->history(*d.account_id, *d.public_id);
    ASSERT_OK(history);
    std::set<std::string> fields;
    for (const auto& h : *history) fields.insert(h.field);
    EXPECT_EQ(fields, (std::set<std::string>{"assessment_date", "policy_url"}));
    auto v = expect_mail(mails().back(), "mail.stepped_up", "hanako@example.jp");
    EXPECT_EQ(v["level"], content_.level(2).stars + " " + content_.level(2).name.in(lang()));
    // ★★ is the highest level declared here.
    auto beyond =
        declarations_->step_up(*d.account_id, *d.public_id, "2026-02-28", "https://example.jp/policy", caller_);
    ASSERT_FALSE(beyond);
    EXPECT_EQ(beyond.error().kind, Error::Kind::IllegalTransition);
}

// Content decides which levels a declarant may give itself; the use cases refuse the others
// whatever the form sent (here ★★ is made a level granted by someone else).
TEST_P(RegistryUseCases, a_level_the_declarant_may_not_give_itself_is_refused_on_apply_and_step_up) {
    content_.levels.at(1).self_declared = false;
    auto two = input("株式会社ふたば", "100000000002", "futaba@example.jp");
    two.level = "2";
    two.assessment_date = "2026-02-28";
    two.policy_url = "https://example.jp/policy";
    auto applied = applications_->apply(two, caller_);
    ASSERT_FALSE(applied);
    EXPECT_EQ(applied.error().kind, Error::Kind::Invalid);
    EXPECT_EQ(fields_of(applied.error()), (std::set<std::string>{"level:invalid_choice"}));
    EXPECT_EQ(declaration_count(), 0u);

    auto d = declared(input());
    const auto mails_before = mails().size();
    auto up = declarations_->step_up(*d.account_id, *d.public_id, "2026-02-28", "https://example.jp/policy", caller_);
    ASSERT_FALSE(up);
    EXPECT_EQ(up.error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(up.error().code, "lifecycle.declared.step_up.not_self_declared");
    auto saved = stored(d.id);
    EXPECT_EQ(saved->state.level, 1);
    EXPECT_EQ(saved->details.policy_url, "");
    EXPECT_EQ(mails().size(), mails_before);
    auto history = declarations_->history(*d.account_id, *d.public_id);
    ASSERT_OK(history);
    EXPECT_TRUE(history->empty());
}

TEST_P(RegistryUseCases, step_up_names_each_problem_with_the_evidence_and_changes_nothing) {
    auto d = declared(input());
    struct Case {
        const char* date;
        const char* url;
        std::set<std::string> fields;
    };
    const Case cases[] = {
        {"", "", {"assessment_date:required", "policy_url:required"}},
        {"2026-03-03", "https://example.jp/p", {"assessment_date:future_date"}},  // tomorrow in Japan
        {"2016-12-31", "https://example.jp/p", {"assessment_date:too_old"}},
        {"2026-13-01", "https://example.jp/p", {"assessment_date:invalid_date"}},
        {"2026-02-01", "javascript:alert(1)", {"policy_url:invalid_url"}},
        {"yesterday", "policy.pdf", {"assessment_date:invalid_date", "policy_url:invalid_url"}},
    };
    for (const auto& c : cases) {
        auto r = declarations_->step_up(*d.account_id, *d.public_id, c.date, c.url, caller_);
        ASSERT_FALSE(r) << c.date << " " << c.url;
        EXPECT_EQ(r.error().kind, Error::Kind::Invalid);
        EXPECT_EQ(fields_of(r.error()), c.fields) << c.date << " " << c.url;
    }
    EXPECT_TRUE(declarations_->step_up(*d.account_id, *d.public_id, "2026-03-02", "https://example.jp/p", caller_))
        << "today is not in the future";
}

TEST_P(RegistryUseCases, step_down_lowers_the_level_but_never_below_one_star) {
    auto d = declared(input());
    ASSERT_OK(declarations_->step_up(*d.account_id, *d.public_id, "2026-02-01", "https://example.jp/p", caller_));
    clock_.advance(hours(1));
    auto down = declarations_->step_down(*d.account_id, *d.public_id, caller_);
    ASSERT_OK(down);
    EXPECT_EQ(down->state.level, 1);
    EXPECT_EQ(down->level_since, std::optional<TimePoint>(kNow + hours(1)));
    expect_mail(mails().back(), "mail.stepped_down", "hanako@example.jp");
    auto below = declarations_->step_down(*d.account_id, *d.public_id, caller_);
    ASSERT_FALSE(below);
    EXPECT_EQ(below.error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(stored(d.id)->state.level, 1);
}

TEST_P(RegistryUseCases, a_stopped_declaration_is_final_for_its_holder) {
    auto d = declared(input());
    clock_.advance(hours(2));
    auto stopped = declarations_->stop(*d.account_id, *d.public_id, caller_);
    ASSERT_OK(stopped);
    EXPECT_EQ(stopped->state.status, LS::Stopped);
    EXPECT_EQ(stopped->ended_at, std::optional<TimePoint>(kNow + hours(2)));
    EXPECT_EQ(stopped->public_id, d.public_id);
    auto v = expect_mail(mails().back(), "mail.stopped", "hanako@example.jp");
    EXPECT_EQ(v["verify_url"], kBase + "/verify/" + d.public_id->digits());
    const auto mails_after_stop = mails().size();

    for (auto r : {declarations_->stop(*d.account_id, *d.public_id, caller_),
                   declarations_->step_up(*d.account_id, *d.public_id, "2026-02-01", "https://example.jp/p", caller_),
                   declarations_->step_down(*d.account_id, *d.public_id, caller_)}) {
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, Error::Kind::IllegalTransition) << r.error().code;
    }
    auto change = declarations_->change_details(*d.account_id, *d.public_id, input("新しい名前"), caller_);
    ASSERT_FALSE(change);
    EXPECT_EQ(change.error().kind, Error::Kind::IllegalTransition) << change.error().code;
    EXPECT_EQ(mails().size(), mails_after_stop);
    EXPECT_EQ(stored(d.id)->state.status, LS::Stopped);
    // Its corporate number may declare again.
    EXPECT_TRUE(applications_->apply(input("株式会社さくら商事", "100000000001", "again@example.jp"), caller_));
}

TEST_P(RegistryUseCases, an_operator_revokes_with_a_public_reason_and_can_reinstate) {
    auto d = declared(input());
    auto no_reason = declarations_->revoke(*d.public_id, "  ", "operator:cli");
    ASSERT_FALSE(no_reason);
    EXPECT_EQ(no_reason.error().kind, Error::Kind::IllegalTransition);

    clock_.advance(hours(3));
    auto revoked = declarations_->revoke(*d.public_id, "実在しない事業者による申込みでした", "operator:cli");
    ASSERT_OK(revoked);
    EXPECT_EQ(revoked->state.status, LS::Revoked);
    EXPECT_EQ(revoked->end_reason, "実在しない事業者による申込みでした");
    EXPECT_EQ(revoked->ended_at, std::optional<TimePoint>(kNow + hours(3)));
    auto rv = expect_mail(mails().back(), "mail.revoked", "hanako@example.jp");
    EXPECT_EQ(rv["reason"], "実在しない事業者による申込みでした");
    auto shown = lookup_->verify(DeclarationId::parse(d.public_id->digits()), caller_);
    ASSERT_OK(shown);
    EXPECT_EQ(shown->status, LS::Revoked);
    EXPECT_EQ(shown->end_reason, "実在しない事業者による申込みでした");
    EXPECT_EQ(declarations_->revoke(*d.public_id, "again", "operator:cli").error().kind,
              Error::Kind::IllegalTransition);

    auto reinstated = declarations_->reinstate(*d.public_id, "確認が取れました", "operator:cli");
    ASSERT_OK(reinstated);
    EXPECT_EQ(reinstated->state.status, LS::Declared);
    EXPECT_FALSE(reinstated->ended_at.has_value());
    EXPECT_EQ(reinstated->end_reason, "");
    EXPECT_EQ(reinstated->public_id, d.public_id);
    EXPECT_EQ(expect_mail(mails().back(), "mail.reinstated", "hanako@example.jp")["reason"], "確認が取れました");
    EXPECT_EQ(declarations_->reinstate(*d.public_id, "again", "operator:cli").error().kind,
              Error::Kind::IllegalTransition);
    EXPECT_EQ(
        declarations_->revoke(DeclarationId::make(1, DeclarationId::kMaxSerial), "x", "operator:cli").error().kind,
        Error::Kind::NotFound);

    // The audit log holds who did it, the reason and the status before and after.
    auto events = store_->query<std::vector<AuditEvent>>(TxMode::Read, [&](Transaction& tx) {
        return tx.audit().for_subject("declaration:" + std::to_string(d.id), 100);
    });
    ASSERT_OK(events);
    auto find = [&](const std::string& action) {
        auto it = std::find_if(events->begin(), events->end(), [&](const AuditEvent& e) { return e.action == action; });
        return it == events->end() ? AuditEvent{} : *it;
    };
    const auto revoke_event = find("declaration.revoke");
    const auto reinstate_event = find("declaration.reinstate");
    EXPECT_EQ(revoke_event.actor, "operator:cli");
    EXPECT_EQ(revoke_event.details,
              R"({"from_status":"declared","reason":"実在しない事業者による申込みでした","to_status":"revoked"})");
    EXPECT_EQ(reinstate_event.actor, "operator:cli");
    EXPECT_EQ(reinstate_event.details,
              R"({"from_status":"revoked","reason":"確認が取れました","to_status":"declared"})");
}

TEST_P(RegistryUseCases, lookups_are_limited_per_address_and_hour) {
    auto d = declared(input());
    Caller walker = caller_;
    walker.ip = "198.51.100.20";
    Caller other = caller_;
    other.ip = "198.51.100.21";
    // Every lookup counts, found or not, well-formed or not.
    for (int n = 0; n < 10000; ++n) {
        auto r = lookup_->verify(DeclarationId::parse(n % 2 ? d.public_id->digits() : "1"), walker);
        ASSERT_TRUE(r || r.error().kind != Error::Kind::TooMany) << n;
    }
    auto refused = lookup_->verify(DeclarationId::parse(d.public_id->digits()), walker);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(refused.error().code, "rate.lookup.ip");
    ASSERT_OK(lookup_->verify(DeclarationId::parse(d.public_id->digits()), other));
    clock_.advance(hours(2));  // the hour of the walk has slid out of the count
    ASSERT_OK(lookup_->verify(DeclarationId::parse(d.public_id->digits()), walker));
}

// The search's limit is counted in each node's memory, as the lookup's (ADR 0065): a second node
// (another Lookup on the same store) starts its own count, and no search writes to the database.
TEST_P(RegistryUseCases, searches_are_limited_per_address_in_each_nodes_memory) {
    declared(input());
    Caller searcher = caller_;
    searcher.ip = "198.51.100.30";
    Caller other = caller_;
    other.ip = "198.51.100.31";
    for (int n = 0; n < 120; ++n) ASSERT_OK(lookup_->search(n % 2 ? "さくら" : "さ", "", 0, 1, searcher));
    auto refused = lookup_->search("さくら", "", 0, 1, searcher);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::TooMany);
    EXPECT_EQ(refused.error().code, "rate.search.ip");
    ASSERT_OK(lookup_->search("さくら", "", 0, 1, other));
    Lookup second_node(*registry_);
    auto there = second_node.search("さくら", "", 0, 1, searcher);
    ASSERT_OK(there);
    EXPECT_EQ(there->total, 1u);
    clock_.advance(minutes(20));  // the ten minutes of the burst have slid out of the count
    ASSERT_OK(lookup_->search("さくら", "", 0, 1, searcher));
}

TEST_P(RegistryUseCases, a_stopped_declaration_can_be_revoked) {
    auto d = declared(input());
    ASSERT_OK(declarations_->stop(*d.account_id, *d.public_id, caller_));
    auto r = declarations_->revoke(*d.public_id, "規約違反", "operator:cli");
    ASSERT_OK(r);
    EXPECT_EQ(r->state.status, LS::Revoked);
}

// --- search -------------------------------------------------------------------------------------

TEST_P(RegistryUseCases, search_finds_public_declarations_by_name_reading_prefecture_and_level) {
    auto sakura = declared(input());
    auto osaka_in = input("なにわ工業", "100000000002", "naniwa@example.jp");
    osaka_in.business_name_kana = "ナニワコウギョウ";
    osaka_in.prefecture = "27";
    auto osaka = declared(osaka_in);
    ASSERT_OK(
        declarations_->step_up(*osaka.account_id, *osaka.public_id, "2026-02-01", "https://example.jp/p", caller_));
    auto stopped_in = input("停止した会社", "100000000003", "stop@example.jp");
    stopped_in.business_name_kana = "テイシシタカイシャ";
    auto stopped = declared(stopped_in);
    ASSERT_OK(declarations_->stop(*stopped.account_id, *stopped.public_id, caller_));
    apply_and_get_token(input("未確認の会社", "100000000004", "pending@example.jp"));

    auto names = [&](const std::string& name, const std::string& pref, int level) {
        auto r = lookup_->search(name, pref, level, 1, caller_);
        EXPECT_TRUE(r);
        std::set<std::string> out;
        if (r)
            for (const auto& p : r->rows) out.insert(p.business_name);
        return out;
    };
    EXPECT_EQ(names("", "", 0), (std::set<std::string>{"株式会社さくら商事", "なにわ工業", "停止した会社"}));
    EXPECT_EQ(names("サクラ", "", 0), std::set<std::string>{"株式会社さくら商事"});
    EXPECT_EQ(names("ｻｸﾗ", "", 0), std::set<std::string>{"株式会社さくら商事"});
    EXPECT_EQ(names("こうぎょう", "", 0), std::set<std::string>{"なにわ工業"});
    EXPECT_EQ(names("", "27", 0), std::set<std::string>{"なにわ工業"});
    EXPECT_EQ(names("", "", 2), std::set<std::string>{"なにわ工業"});
    EXPECT_EQ(names("", "99", 0).size(), 3u) << "an unknown prefecture is ignored";
    EXPECT_EQ(names("", "", 7).size(), 3u) << "an unknown level is ignored";
    EXPECT_TRUE(names("未確認", "", 0).empty());

    auto page = lookup_->search("", "", 0, 0, caller_);
    ASSERT_OK(page);
    EXPECT_EQ(page->page, 1u);
    EXPECT_EQ(page->pages, 1u);
    EXPECT_EQ(page->total, 3u);
}

// --- the transparency log (issue 14, ADR 46) ------------------------------------------------------

namespace log_test {

struct Logged {
    tlog::LogEntry entry;
};

}  // namespace log_test

class RegistryLog : public RegistryUseCases {
protected:
    std::vector<log_test::Logged> log() {
        auto all = store_->query<std::vector<log_test::Logged>>(
            TxMode::Read, [&](Transaction& tx) -> Result<std::vector<log_test::Logged>> {
                auto size = tx.transparency_log().size();
                if (!size) return fail(size.error());
                auto texts = tx.transparency_log().entries(0, *size);
                if (!texts) return fail(texts.error());
                std::vector<log_test::Logged> out;
                for (std::int64_t i = 0; i < *size; ++i) {
                    auto e = tlog::parse_entry((*texts)[static_cast<std::size_t>(i)]);
                    if (!e) return fail(e.error());
                    out.push_back({*e});
                }
                return out;
            });
        EXPECT_TRUE(all) << all.error().detail;
        return all.value_or(std::vector<log_test::Logged>{});
    }

    // The hash the entry must carry: SHA-256(salt || the public record) of the declaration as stored.
    LogHash record_of(std::int64_t id) {
        auto d = stored(id);
        auto salt = store_->query<std::optional<std::string>>(
            TxMode::Read, [&](Transaction& tx) { return tx.transparency_log().record_salt(id); });
        EXPECT_TRUE(salt && *salt);
        std::vector<unsigned char> bytes;
        const std::string hex = salt && *salt ? **salt : std::string();
        for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
            bytes.push_back(static_cast<unsigned char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
        EXPECT_EQ(bytes.size(), 32u);
        return tlog::record_hash(bytes, tlog::canonical_record(public_view(*d)));
    }

    void expect_last(std::size_t size, const Declaration& d, tlog::LogEvent event) {
        const auto all = log();
        ASSERT_EQ(all.size(), size);
        const auto& e = all.back().entry;
        EXPECT_EQ(e.origin, "localhost/log");
        EXPECT_EQ(e.id, d.public_id->digits());
        EXPECT_EQ(e.event, event) << tlog::log_event_code(e.event);
        EXPECT_EQ(e.level, d.state.level);
        EXPECT_EQ(e.status, d.state.status);
        EXPECT_EQ(e.time, clock_.now());
        EXPECT_EQ(e.record, record_of(d.id));
    }
};

INSTANTIATE_TEST_SUITE_P(Languages, RegistryLog, ::testing::Values("ja", "en"), [](const auto& p) { return p.param; });

TEST_P(RegistryLog, every_lifecycle_event_appends_exactly_one_entry_saying_what_happened) {
    apply_and_get_token(input("未確認の会社", "100000000009", "unconfirmed@example.jp"));
    EXPECT_TRUE(log().empty()) << "an application without an ID is not logged";

    auto d = declared(input());
    expect_last(1, d, tlog::LogEvent::Issued);

    clock_.advance(hours(1));
    auto in = input("株式会社さくら商事ホールディングス");
    auto changed = declarations_->change_details(*d.account_id, *d.public_id, in, caller_);
    ASSERT_OK(changed);
    expect_last(2, changed->declaration, tlog::LogEvent::DetailsChanged);

    clock_.advance(hours(1));
    auto up = declarations_->step_up(*d.account_id, *d.public_id, "2026-02-28", "https://example.jp/policy", caller_);
    ASSERT_OK(up);
    expect_last(3, *up, tlog::LogEvent::LevelChanged);

    clock_.advance(hours(1));
    auto down = declarations_->step_down(*d.account_id, *d.public_id, caller_);
    ASSERT_OK(down);
    expect_last(4, *down, tlog::LogEvent::LevelChanged);

    clock_.advance(hours(1));
    auto revoked = declarations_->revoke(*d.public_id, "実在しない事業者でした", "operator:cli");
    ASSERT_OK(revoked);
    expect_last(5, *revoked, tlog::LogEvent::Revoked);

    clock_.advance(hours(1));
    auto reinstated = declarations_->reinstate(*d.public_id, "確認が取れました", "operator:cli");
    ASSERT_OK(reinstated);
    expect_last(6, *reinstated, tlog::LogEvent::Reinstated);

    clock_.advance(hours(1));
    auto stopped = declarations_->stop(*d.account_id, *d.public_id, caller_);
    ASSERT_OK(stopped);
    expect_last(7, *stopped, tlog::LogEvent::Stopped);

    // A refused change appends nothing.
    ASSERT_FALSE(declarations_->stop(*d.account_id, *d.public_id, caller_));
    EXPECT_EQ(log().size(), 7u);
}

TEST_P(RegistryLog, an_id_issued_after_review_is_logged_when_it_is_issued_and_a_rejection_is_not) {
    make_registry(true);
    ASSERT_OK(applications_->confirm(apply_and_get_token(input()), caller_));
    ASSERT_OK(applications_->confirm(apply_and_get_token(input("二番目の会社", "100000000002", "second@example.jp")),
                                     caller_));
    EXPECT_TRUE(log().empty()) << "held for review: no ID yet, nothing logged";
    auto queue = declarations_->awaiting_review(10);
    ASSERT_OK(queue);
    ASSERT_EQ(queue->size(), 2u);
    ASSERT_OK(declarations_->reject((*queue)[1].id, "確認できませんでした", "operator:cli"));
    EXPECT_TRUE(log().empty());
    auto approved = declarations_->approve((*queue)[0].id, "operator:cli");
    ASSERT_OK(approved);
    expect_last(1, *approved, tlog::LogEvent::Issued);
}

TEST_P(RegistryLog, a_change_that_rolls_back_after_its_entry_leaves_no_entry) {
    auto d = declared(input());
    ASSERT_EQ(log().size(), 1u);
    // The stop's audit event is written after its log entry, in the same transaction: make it fail.
    const std::string sql =
        "CREATE TRIGGER test_fail_stop BEFORE INSERT ON audit_events WHEN NEW.action = 'declaration.stop' "
        "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;";
    ASSERT_OK(store_->apply_migrations({storage::Migration{9400, "9400_fail_stop.sql", sql}}));
    auto stopped = declarations_->stop(*d.account_id, *d.public_id, caller_);
    ASSERT_FALSE(stopped);
    EXPECT_EQ(stored(d.id)->state.status, LS::Declared);
    EXPECT_EQ(log().size(), 1u);
    auto size = store_->query<std::int64_t>(TxMode::Read, [](Transaction& tx) { return tx.transparency_log().size(); });
    ASSERT_OK(size);
    EXPECT_EQ(*size, 1);
    // The next change takes the index the rolled-back one had.
    auto up = declarations_->step_up(*d.account_id, *d.public_id, "2026-02-28", "https://example.jp/policy", caller_);
    ASSERT_OK(up);
    expect_last(2, *up, tlog::LogEvent::LevelChanged);
}

}  // namespace
}  // namespace sengen::app
