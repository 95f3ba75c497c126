// The storage contract of the registry: DeclarationRepository, AccountRepository,
// SignInTokenRepository (and session data), run on a real SQLite file and a real throwaway
// PostgreSQL 15 cluster. What is asserted here is what any adapter must do (domain/ports.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>
#include <tuple>

#include "domain/application.hpp"
#include "domain/email.hpp"
#include "domain/identifiers.hpp"
#include "domain/text.hpp"
#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using LS = lifecycle::Status;
using std::chrono::seconds;

constexpr LS kEveryStatus[] = {
    LS::AwaitingConfirmation, LS::AwaitingReview, LS::Declared, LS::Stopped, LS::Revoked, LS::Rejected, LS::Disputed};

// An application as the apply use case stores it (the repository does not validate).
Declaration application(const std::string& name, const std::string& kana = "テスト",
                        const std::string& corporate_number = "") {
    Declaration d;
    d.state = {LS::AwaitingConfirmation, 1};
    auto& a = d.details;
    a.terms_version = "2026-1";
    a.entity_type = corporate_number.empty() ? "sole_proprietor" : "corporation";
    a.corporate_number = corporate_number;
    a.business_name = name;
    a.business_name_kana = kana;
    a.postal_code = "100-0001";
    a.prefecture = "13";
    a.address = "千代田区千代田1-1";
    a.industry = "G";
    a.employees = "1-5";
    a.representative_title = "代表取締役";
    a.representative_name = "山田 太郎";
    a.contact_name = "山田 花子";
    a.contact_email = "hanako@example.jp";
    a.phone = "03-1234-5678";
    a.website = "https://example.jp/";
    a.purposes = {"customers", "subsidy"};
    a.level = 1;
    a.principles_edition = "2026-1";
    a.lang = Lang::Ja;
    d.terms_version = "2026-1";
    d.terms_agreed_at = T0;
    d.created_at = T0 + seconds(1);
    d.confirm_token_hash = "token-of-" + name;
    d.confirm_expires_at = T0 + seconds(86400);
    return d;
}

class RegistryContract : public StorageTest {
protected:
    std::int64_t create(Declaration& d) {
        auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().create(d); });
        EXPECT_TRUE(id) << id.error().code << ": " << id.error().detail;
        d.id = id.value_or(0);
        return d.id;
    }

    std::optional<Declaration> find(std::int64_t id) {
        auto d = read<std::optional<Declaration>>([&](Transaction& tx) { return tx.declarations().find(id); });
        EXPECT_TRUE(d) << d.error().detail;
        return d.value_or(std::nullopt);
    }

    Status save_state(const Declaration& d, const lifecycle::State& expected) {
        return write([&](Transaction& tx) { return tx.declarations().save_state(d, expected); });
    }

    // Moves a stored application to `status` (and `level`) as the use cases would, with a fresh
    // public ID for every status that has one.
    void move_to(Declaration& d, LS status, int level = 1, TimePoint declared_at = T0 + seconds(100)) {
        const auto before = d.state;
        d.state = {status, level};
        d.details.level = level;
        if (status == LS::Declared || status == LS::Stopped || status == LS::Revoked) {
            if (!d.public_id) d.public_id = DeclarationId::make(1, ++serials_);
            d.declared_at = declared_at;
            d.level_since = declared_at;
        }
        if (status == LS::Stopped || status == LS::Revoked || status == LS::Rejected)
            d.ended_at = declared_at + seconds(50);
        if (status == LS::Revoked || status == LS::Rejected) d.end_reason = "理由: 虚偽の申告";
        ASSERT_OK(save_state(d, before));
    }

    // A new application in `status`, with its own name and confirmation token.
    Declaration stored(const std::string& name, LS status, int level = 1, TimePoint declared_at = T0 + seconds(100)) {
        Declaration d = application(name);
        create(d);
        move_to(d, status, level, declared_at);
        return d;
    }

    bool live(const std::string& corporate_number, std::int64_t except_id) {
        auto r = read<bool>([&](Transaction& tx) {
            return tx.declarations().live_exists_for_corporate_number(corporate_number, except_id);
        });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(false);
    }

    std::int64_t next_serial(Store& store) {
        auto s = store.query<std::int64_t>(TxMode::Write,
                                           [&](Transaction& tx) { return tx.declarations().next_serial(T0); });
        EXPECT_TRUE(s) << s.error().detail;
        return s.value_or(-1);
    }

    std::pair<std::vector<PublicDeclaration>, std::size_t> search(const std::string& typed, std::string prefecture = "",
                                                                  int level = 0, std::size_t offset = 0,
                                                                  std::size_t limit = 20) {
        DeclarationRepository::SearchQuery q;
        q.name_key = search_key(typed);
        q.prefecture = std::move(prefecture);
        q.level = level;
        q.offset = offset;
        q.limit = limit;
        auto r = read<std::pair<std::vector<PublicDeclaration>, std::size_t>>(
            [&](Transaction& tx) { return tx.declarations().search(q); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::pair<std::vector<PublicDeclaration>, std::size_t>{});
    }

    static std::vector<std::string> names_of(const std::vector<PublicDeclaration>& rows) {
        std::vector<std::string> out;
        for (const auto& r : rows) out.push_back(r.business_name);
        return out;
    }

    std::int64_t serials_ = 0;
};

INSTANTIATE_TEST_SUITE_P(Engines, RegistryContract, ::testing::Values("sqlite", "postgres"), engine_name);

// --- declarations: storing and finding ----------------------------------------------------------

TEST_P(RegistryContract, created_application_is_found_by_id_with_every_field_as_stored) {
    Declaration d = application("株式会社さくら商事", "サクラショウジ", "1234567890123");
    d.details.level = 2;
    d.state.level = 2;
    d.details.assessment_date = "2026-01-15";
    d.details.policy_url = "https://example.jp/policy";
    d.details.lang = Lang::En;
    const auto id = create(d);
    ASSERT_GT(id, 0);

    auto got = find(id);
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(got->id, id);
    EXPECT_FALSE(got->public_id.has_value());
    EXPECT_EQ(got->state.status, LS::AwaitingConfirmation);
    EXPECT_EQ(got->state.level, 2);
    EXPECT_FALSE(got->account_id.has_value());
    const auto& a = got->details;
    EXPECT_EQ(a.entity_type, "corporation");
    EXPECT_EQ(a.corporate_number, "1234567890123");
    EXPECT_EQ(a.business_name, "株式会社さくら商事");
    EXPECT_EQ(a.business_name_kana, "サクラショウジ");
    EXPECT_EQ(a.postal_code, "100-0001");
    EXPECT_EQ(a.prefecture, "13");
    EXPECT_EQ(a.address, "千代田区千代田1-1");
    EXPECT_EQ(a.industry, "G");
    EXPECT_EQ(a.employees, "1-5");
    EXPECT_EQ(a.representative_title, "代表取締役");
    EXPECT_EQ(a.representative_name, "山田 太郎");
    EXPECT_EQ(a.contact_name, "山田 花子");
    EXPECT_EQ(a.contact_email, "hanako@example.jp");
    EXPECT_EQ(a.phone, "03-1234-5678");
    EXPECT_EQ(a.website, "https://example.jp/");
    EXPECT_EQ(a.purposes, (std::vector<std::string>{"customers", "subsidy"}));
    EXPECT_EQ(a.level, 2);
    EXPECT_EQ(a.principles_edition, "2026-1");
    EXPECT_EQ(a.assessment_date, "2026-01-15");
    EXPECT_EQ(a.policy_url, "https://example.jp/policy");
    EXPECT_EQ(a.lang, Lang::En);
    EXPECT_EQ(a.terms_version, "2026-1");
    EXPECT_EQ(got->terms_version, "2026-1");
    EXPECT_EQ(got->terms_agreed_at, T0);
    EXPECT_EQ(got->created_at, T0 + seconds(1));
    EXPECT_FALSE(got->declared_at.has_value());
    EXPECT_FALSE(got->level_since.has_value());
    EXPECT_FALSE(got->ended_at.has_value());
    EXPECT_EQ(got->end_reason, "");
    EXPECT_EQ(got->confirm_token_hash, "token-of-株式会社さくら商事");
    EXPECT_EQ(got->confirm_expires_at, T0 + seconds(86400));

    EXPECT_FALSE(find(id + 1000).has_value());
}

TEST_P(RegistryContract, each_application_gets_its_own_increasing_id) {
    Declaration a = application("A商店"), b = application("B商店");
    create(a);
    create(b);
    EXPECT_GT(b.id, a.id);
    EXPECT_EQ(find(a.id)->details.business_name, "A商店");
    EXPECT_EQ(find(b.id)->details.business_name, "B商店");
}

TEST_P(RegistryContract, application_is_found_by_its_confirm_token_and_only_by_it) {
    Declaration a = application("A商店"), b = application("B商店");
    create(a);
    create(b);
    auto by_token = [&](const std::string& h) {
        auto r = read<std::optional<Declaration>>(
            [&](Transaction& tx) { return tx.declarations().find_by_confirm_token(h); });
        EXPECT_TRUE(r);
        return r.value_or(std::nullopt);
    };
    auto found = by_token("token-of-B商店");
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, b.id);
    EXPECT_EQ(found->details.business_name, "B商店");
    EXPECT_FALSE(by_token("token-of-C商店").has_value());
    EXPECT_FALSE(by_token("").has_value());
}

TEST_P(RegistryContract, declaration_is_found_by_its_public_id_once_issued) {
    Declaration d = application("A商店");
    create(d);
    auto by_public = [&](const DeclarationId& p) {
        auto r =
            read<std::optional<Declaration>>([&](Transaction& tx) { return tx.declarations().find_by_public_id(p); });
        EXPECT_TRUE(r);
        return r.value_or(std::nullopt);
    };
    const DeclarationId id = DeclarationId::make(1, 42);
    EXPECT_FALSE(by_public(id).has_value());
    d.public_id = id;
    d.state.status = LS::Declared;
    ASSERT_OK(save_state(d, {LS::AwaitingConfirmation, 1}));
    auto found = by_public(id);
    ASSERT_TRUE(found.has_value());
    EXPECT_EQ(found->id, d.id);
    EXPECT_EQ(found->public_id, std::optional<DeclarationId>(id));
    EXPECT_FALSE(by_public(DeclarationId::make(1, 43)).has_value());
}

// The public lookup reads only the public columns, in one statement outside any transaction
// (TxMode::Single), and gives what public_view makes of the whole row.
TEST_P(RegistryContract, find_public_is_the_public_view_of_the_declaration) {
    auto single = [&](const DeclarationId& p) {
        auto r = store_->query<std::optional<PublicDeclaration>>(
            TxMode::Single, [&](Transaction& tx) { return tx.declarations().find_public(p); });
        EXPECT_TRUE(r) << (r ? "" : r.error().detail);
        return r.value_or(std::nullopt);
    };
    auto whole = [&](const DeclarationId& p) {
        auto r =
            read<std::optional<Declaration>>([&](Transaction& tx) { return tx.declarations().find_by_public_id(p); });
        EXPECT_TRUE(r && r->has_value());
        return public_view(**r);
    };
    auto expect_same = [](const PublicDeclaration& a, const PublicDeclaration& b) {
        EXPECT_EQ(a.public_id, b.public_id);
        EXPECT_EQ(a.business_name, b.business_name);
        EXPECT_EQ(a.business_name_kana, b.business_name_kana);
        EXPECT_EQ(a.prefecture, b.prefecture);
        EXPECT_EQ(a.level, b.level);
        EXPECT_EQ(a.status, b.status);
        EXPECT_EQ(a.declared_at, b.declared_at);
        EXPECT_EQ(a.level_since, b.level_since);
        EXPECT_EQ(a.ended_at, b.ended_at);
        EXPECT_EQ(a.end_reason, b.end_reason);
        EXPECT_EQ(a.policy_url, b.policy_url);
    };

    Declaration two = stored("二つ星商店", LS::Declared, 2);
    Declaration revoked = stored("取消商店", LS::Revoked, 1);
    ASSERT_TRUE(two.public_id && revoked.public_id);

    auto p2 = single(*two.public_id);
    ASSERT_TRUE(p2.has_value());
    EXPECT_EQ(p2->business_name, "二つ星商店");
    EXPECT_EQ(p2->level, 2);
    expect_same(*p2, whole(*two.public_id));

    auto pr = single(*revoked.public_id);
    ASSERT_TRUE(pr.has_value());
    EXPECT_EQ(pr->status, LS::Revoked);
    EXPECT_TRUE(pr->ended_at.has_value());
    expect_same(*pr, whole(*revoked.public_id));

    EXPECT_FALSE(single(DeclarationId::make(1, 999'999)).has_value());
}

// --- declarations: lifecycle fields and the optimistic check ----------------------------------

TEST_P(RegistryContract, save_state_writes_every_lifecycle_field_and_can_clear_them) {
    Declaration d = application("A商店");
    create(d);
    auto account = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("hanako@example.jp", Lang::Ja, T0); });
    ASSERT_OK(account);

    d.state = {LS::Declared, 1};
    d.public_id = DeclarationId::make(1, 7);
    d.account_id = account->id;
    d.declared_at = T0 + seconds(10);
    d.level_since = T0 + seconds(10);
    ASSERT_OK(save_state(d, {LS::AwaitingConfirmation, 1}));
    auto declared = find(d.id);
    ASSERT_TRUE(declared);
    EXPECT_EQ(declared->state.status, LS::Declared);
    EXPECT_EQ(declared->public_id, d.public_id);
    EXPECT_EQ(declared->account_id, std::optional<std::int64_t>(account->id));
    EXPECT_EQ(declared->declared_at, std::optional<TimePoint>(T0 + seconds(10)));
    EXPECT_EQ(declared->level_since, std::optional<TimePoint>(T0 + seconds(10)));
    EXPECT_FALSE(declared->ended_at.has_value());

    d.state = {LS::Revoked, 2};
    d.level_since = T0 + seconds(20);
    d.ended_at = T0 + seconds(30);
    d.end_reason = "虚偽の申告";
    ASSERT_OK(save_state(d, {LS::Declared, 1}));
    auto revoked = find(d.id);
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->state.status, LS::Revoked);
    EXPECT_EQ(revoked->state.level, 2);
    EXPECT_EQ(revoked->level_since, std::optional<TimePoint>(T0 + seconds(20)));
    EXPECT_EQ(revoked->ended_at, std::optional<TimePoint>(T0 + seconds(30)));
    EXPECT_EQ(revoked->end_reason, "虚偽の申告");

    d.state = {LS::Declared, 2};
    d.ended_at.reset();
    d.end_reason.clear();
    ASSERT_OK(save_state(d, {LS::Revoked, 2}));
    auto reinstated = find(d.id);
    ASSERT_TRUE(reinstated);
    EXPECT_EQ(reinstated->state.status, LS::Declared);
    EXPECT_FALSE(reinstated->ended_at.has_value());
    EXPECT_EQ(reinstated->end_reason, "");
    EXPECT_EQ(reinstated->public_id, d.public_id);
}

TEST_P(RegistryContract, save_state_is_a_conflict_when_the_stored_status_differs_and_changes_nothing) {
    Declaration d = application("A商店");
    create(d);
    move_to(d, LS::Declared);
    Declaration stale = d;
    stale.state = {LS::Stopped, 1};
    stale.ended_at = T0 + seconds(500);
    auto st = save_state(stale, {LS::AwaitingConfirmation, 1});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    auto now = find(d.id);
    ASSERT_TRUE(now);
    EXPECT_EQ(now->state.status, LS::Declared);
    EXPECT_FALSE(now->ended_at.has_value());
}

TEST_P(RegistryContract, save_state_is_a_conflict_when_the_stored_level_differs) {
    Declaration d = application("A商店");
    create(d);
    move_to(d, LS::Declared, 2);
    Declaration stale = d;
    stale.state = {LS::Declared, 1};
    auto st = save_state(stale, {LS::Declared, 1});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    EXPECT_EQ(find(d.id)->state.level, 2);
}

TEST_P(RegistryContract, a_public_id_already_held_is_a_conflict_and_stays_with_its_holder) {
    Declaration a = application("A商店"), b = application("B商店");
    create(a);
    create(b);
    move_to(a, LS::Declared);
    b.public_id = a.public_id;
    b.state = {LS::Declared, 1};
    auto st = save_state(b, {LS::AwaitingConfirmation, 1});
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict) << st.error().code << ": " << st.error().detail;
    EXPECT_FALSE(find(b.id)->public_id.has_value());
    EXPECT_EQ(find(b.id)->state.status, LS::AwaitingConfirmation);
    EXPECT_EQ(find(a.id)->public_id, a.public_id);
}

// A failed statement dooms its transaction on both engines: the calls after it return its error,
// and nothing of the transaction is kept even if the work goes on to succeed.
TEST_P(RegistryContract, a_failed_statement_dooms_the_transaction_and_later_calls_return_its_error) {
    Declaration a = application("A商店"), b = application("B商店");
    create(a);
    create(b);
    move_to(a, LS::Declared);
    b.public_id = a.public_id;  // taken: the unique index refuses the write
    b.state = {LS::Declared, 1};
    Error first{}, later{};
    auto st = write([&](Transaction& tx) -> Status {
        if (auto queued = tx.outbox().enqueue({"x@example.jp", "s", "m"}, T0); !queued) return fail(queued.error());
        auto refused = tx.declarations().save_state(b, {LS::AwaitingConfirmation, 1});
        EXPECT_FALSE(refused);
        if (!refused) first = refused.error();
        auto after = tx.outbox().list(std::nullopt, 10);
        EXPECT_FALSE(after);
        if (!after) later = after.error();
        return {};  // the work ignores the failure; the store must not
    });
    ASSERT_FALSE(st);
    EXPECT_EQ(first.kind, Error::Kind::Conflict);
    EXPECT_EQ(first.code, "storage.conflict");
    EXPECT_EQ(later.code, first.code);
    EXPECT_EQ(later.detail, first.detail);
    EXPECT_EQ(st.error().code, first.code);
    auto mails = read<std::vector<OutboxEntry>>([](Transaction& tx) { return tx.outbox().list(std::nullopt, 10); });
    ASSERT_OK(mails);
    EXPECT_TRUE(mails->empty());
}

// A status this binary does not know (damage, or a newer binary's data) is an error wherever it
// is read, never taken for some default status.
TEST_P(RegistryContract, an_unknown_status_in_the_database_is_an_error_not_a_default) {
    Declaration d = stored("A商店", LS::Declared);
    const std::string sql = "UPDATE declarations SET status = 'archived' WHERE id = " + std::to_string(d.id);
    ASSERT_OK(store_->apply_migrations({storage::Migration{9998, "9998_unknown_status.sql", sql}}));
    auto whole = read<std::optional<Declaration>>([&](Transaction& tx) { return tx.declarations().find(d.id); });
    ASSERT_FALSE(whole);
    EXPECT_EQ(whole.error().code, "storage.corrupt");
    auto pub = store_->query<std::optional<PublicDeclaration>>(
        TxMode::Single, [&](Transaction& tx) { return tx.declarations().find_public(*d.public_id); });
    ASSERT_FALSE(pub);
    EXPECT_EQ(pub.error().code, "storage.corrupt");
    EXPECT_NE(pub.error().detail.find("archived"), std::string::npos) << pub.error().detail;
}

// The language columns hold the codes "ja" and "en" (the SQL below finds the rows by them); what
// the repositories read back is a Lang, any case accepted, and a code that names no language
// (damage, a hand-edited row) reads as Japanese, the language mail falls back to.
TEST_P(RegistryContract, a_language_is_stored_as_its_code_and_an_unknown_code_reads_as_japanese) {
    Declaration ja = stored("日本語商店", LS::Declared);
    Declaration en = application("English Trading", "イングリッシュトレーディング");
    en.details.lang = Lang::En;
    create(en);
    auto ja_account = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("ja@example.jp", Lang::Ja, T0); });
    auto en_account = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("en@example.jp", Lang::En, T0); });
    ASSERT_OK(ja_account);
    ASSERT_OK(en_account);
    const std::string sql =
        "UPDATE declarations SET business_name = 'was ja', lang = 'fr' WHERE lang = 'ja' AND id = " +
        std::to_string(ja.id) + ";\n" +
        "UPDATE declarations SET business_name = 'was en', lang = 'EN' WHERE lang = 'en' AND id = " +
        std::to_string(en.id) + ";\n" +
        "UPDATE accounts SET email = 'was-ja@example.jp', lang = '' WHERE lang = 'ja' AND id = " +
        std::to_string(ja_account->id) + ";\n" +
        "UPDATE accounts SET email = 'was-en@example.jp' WHERE lang = 'en' AND id = " + std::to_string(en_account->id) +
        ";\n";
    ASSERT_OK(store_->apply_migrations({storage::Migration{9997, "9997_language_codes.sql", sql}}));

    auto got_ja = find(ja.id);
    ASSERT_TRUE(got_ja);
    EXPECT_EQ(got_ja->details.business_name, "was ja");
    EXPECT_EQ(got_ja->details.lang, Lang::Ja);
    auto got_en = find(en.id);
    ASSERT_TRUE(got_en);
    EXPECT_EQ(got_en->details.business_name, "was en");
    EXPECT_EQ(got_en->details.lang, Lang::En);
    for (const auto& [account_id, email, lang] : {std::tuple{ja_account->id, "was-ja@example.jp", Lang::Ja},
                                                  std::tuple{en_account->id, "was-en@example.jp", Lang::En}}) {
        const std::int64_t id = account_id;  // a lambda captures a variable, not a structured binding
        auto a = read<std::optional<Account>>([&](Transaction& tx) { return tx.accounts().find(id); });
        ASSERT_OK(a);
        ASSERT_TRUE(a->has_value());
        EXPECT_EQ((*a)->email, email);
        EXPECT_EQ((*a)->lang, lang);
    }
}

TEST_P(RegistryContract, of_concurrent_transitions_from_one_state_on_two_nodes_exactly_one_wins) {
    Declaration d = application("A商店");
    create(d);
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kThreads = 8;
    std::vector<LS> outcome(kThreads, LS::AwaitingConfirmation);
    std::vector<std::string> problems(kThreads);
    std::vector<int> winners;
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            // Every request read the application while it was still awaiting confirmation.
            Declaration mine = d;
            mine.state = {LS::Declared, 1};
            mine.public_id = DeclarationId::make(1, 100 + t);
            while (!go.load()) std::this_thread::yield();
            auto st = node.transact(TxMode::Write, [&](Transaction& tx) {
                return tx.declarations().save_state(mine, {LS::AwaitingConfirmation, 1});
            });
            if (st)
                outcome[t] = LS::Declared;
            else if (st.error().kind != Error::Kind::Conflict)
                problems[t] = st.error().code + ": " + st.error().detail;
        });
    }
    go = true;
    for (auto& th : threads) th.join();
    for (const auto& p : problems) EXPECT_EQ(p, "");
    for (int t = 0; t < kThreads; ++t)
        if (outcome[t] == LS::Declared) winners.push_back(t);
    ASSERT_EQ(winners.size(), 1u) << "the optimistic check let more than one stale write through";
    auto final_state = find(d.id);
    ASSERT_TRUE(final_state);
    EXPECT_EQ(final_state->state.status, LS::Declared);
    EXPECT_EQ(final_state->public_id, std::optional<DeclarationId>(DeclarationId::make(1, 100 + winners[0])));
}

TEST_P(RegistryContract, of_concurrent_confirmations_of_one_application_exactly_one_issues_an_id) {
    Declaration d = application("A商店");
    create(d);
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kThreads = 8;
    std::vector<std::optional<DeclarationId>> issued(kThreads);
    std::vector<std::string> problems(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            auto st = node.transact(TxMode::Write, [&](Transaction& tx) -> Status {
                // As Applications::confirm does: the transition is guarded by the state read.
                auto cur = tx.declarations().find_by_confirm_token(d.confirm_token_hash);
                if (!cur) return fail(cur.error());
                if ((*cur)->state.status != LS::AwaitingConfirmation) return {};
                Declaration mine = **cur;
                auto serial = tx.declarations().next_serial(T0);
                if (!serial) return fail(serial.error());
                mine.public_id = DeclarationId::make(1, *serial);
                mine.state.status = LS::Declared;
                if (auto ok = tx.declarations().save_state(mine, (*cur)->state); !ok) return ok;
                issued[t] = mine.public_id;
                return {};
            });
            if (!st && st.error().kind != Error::Kind::Conflict)
                problems[t] = st.error().code + ": " + st.error().detail;
            if (!st) issued[t].reset();
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& p : problems) EXPECT_EQ(p, "");
    std::vector<DeclarationId> ids;
    for (const auto& i : issued)
        if (i) ids.push_back(*i);
    ASSERT_EQ(ids.size(), 1u) << "an application was given more than one ID";
    EXPECT_EQ(find(d.id)->public_id, std::optional<DeclarationId>(ids[0]));
}

// --- declarations: one live declaration per corporate number --------------------------------

TEST_P(RegistryContract, only_declared_and_awaiting_review_declarations_are_live_for_a_corporate_number) {
    int n = 0;
    for (auto status : kEveryStatus) {
        const std::string corp = "700000000000" + std::to_string(n++);
        Declaration d = application("商店" + std::to_string(n), "ショウテン", corp);
        create(d);
        if (status != LS::AwaitingConfirmation) move_to(d, status);
        const bool expected = status == LS::Declared || status == LS::AwaitingReview;
        EXPECT_EQ(live(corp, 0), expected) << lifecycle::to_string(status);
        EXPECT_FALSE(live(corp, d.id)) << "its own declaration is excepted: " << lifecycle::to_string(status);
    }
    EXPECT_FALSE(live("7999999999999", 0));
}

TEST_P(RegistryContract, a_live_declaration_is_found_past_the_excepted_one) {
    const std::string corp = "1234567890123";
    Declaration old = application("旧商店", "キュウショウテン", corp), current = application("新商店", "シン", corp);
    create(old);
    move_to(old, LS::Stopped);
    create(current);
    move_to(current, LS::Declared);
    EXPECT_TRUE(live(corp, 0));
    EXPECT_TRUE(live(corp, old.id));
    EXPECT_FALSE(live(corp, current.id));
}

TEST_P(RegistryContract, sole_proprietors_without_a_corporate_number_never_block_each_other) {
    Declaration a = application("個人A"), b = application("個人B");
    create(a);
    move_to(a, LS::Declared);
    create(b);
    move_to(b, LS::Declared);
    EXPECT_FALSE(live("", 0));
    EXPECT_FALSE(live("", a.id));
}

TEST_P(RegistryContract, the_live_holder_of_a_corporate_number_is_named_by_its_id) {
    const std::string corp = "2345678901234";
    auto holder_of = [&](std::int64_t except_id) {
        auto r = read<std::optional<std::int64_t>>(
            [&](Transaction& tx) { return tx.declarations().live_holder_of_corporate_number(corp, except_id); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::nullopt);
    };
    Declaration pending = application("申込中", "モウシコミ", corp), holder = application("保有者", "ホユウ", corp),
                claim = application("異議", "イギ", corp);
    create(pending);
    EXPECT_FALSE(holder_of(0)) << "an application awaiting confirmation holds nothing";
    create(holder);
    move_to(holder, LS::Declared);
    create(claim);
    move_to(claim, LS::Disputed);
    EXPECT_EQ(holder_of(0), holder.id);
    EXPECT_EQ(holder_of(claim.id), holder.id);
    EXPECT_FALSE(holder_of(holder.id)) << "a disputed claim holds nothing either";
    auto none = read<std::optional<std::int64_t>>(
        [&](Transaction& tx) { return tx.declarations().live_holder_of_corporate_number("", 0); });
    ASSERT_OK(none);
    EXPECT_FALSE(*none);
}

// --- disputes over corporate numbers -------------------------------------------------------------

TEST_P(RegistryContract, a_dispute_is_stored_once_per_claim_and_listed_with_both_sides_oldest_first) {
    const std::string corp = "3456789012345";
    Declaration holder = application("保有者", "ホユウ", corp), first = application("一件目", "イチ", corp),
                second = application("二件目", "ニ", corp);
    create(holder);
    move_to(holder, LS::Declared);
    create(first);
    move_to(first, LS::Disputed);
    create(second);
    move_to(second, LS::Disputed);
    auto open = [&](const Declaration& claim, TimePoint at) {
        CorporateNumberDispute d;
        d.corporate_number = corp;
        d.claim_id = claim.id;
        d.holder_id = holder.id;
        d.opened_at = at;
        return write_value<std::int64_t>([&](Transaction& tx) { return tx.disputes().open(d); });
    };
    auto a = open(first, T0 + seconds(10));
    ASSERT_OK(a);
    auto b = open(second, T0 + seconds(20));
    ASSERT_OK(b);
    EXPECT_GT(*b, *a);
    auto again = open(first, T0 + seconds(30));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::Conflict);
    auto list = read<std::vector<CorporateNumberDispute>>([&](Transaction& tx) { return tx.disputes().list_open(10); });
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 2u);
    const auto& d = (*list)[0];
    EXPECT_EQ(d.id, *a);
    EXPECT_EQ(d.corporate_number, corp);
    EXPECT_EQ(d.claim_id, first.id);
    EXPECT_EQ(d.holder_id, holder.id);
    EXPECT_EQ(d.opened_at, T0 + seconds(10));
    EXPECT_EQ(d.status, "open");
    EXPECT_EQ(d.claim_business_name, "一件目");
    EXPECT_EQ(d.claim_contact_email, "hanako@example.jp");
    EXPECT_EQ(d.holder_public_id, holder.public_id);
    EXPECT_EQ(d.holder_business_name, "保有者");
    EXPECT_EQ((*list)[1].claim_id, second.id);
    auto one = read<std::vector<CorporateNumberDispute>>([&](Transaction& tx) { return tx.disputes().list_open(1); });
    ASSERT_OK(one);
    EXPECT_EQ(one->size(), 1u);
}

TEST_P(RegistryContract, a_dispute_is_found_by_its_number_and_settled_once) {
    const std::string corp = "4567890123456";
    Declaration holder = application("保有者", "ホユウ", corp), claim = application("申し立て", "モウシタテ", corp);
    create(holder);
    move_to(holder, LS::Declared);
    create(claim);
    move_to(claim, LS::Disputed);
    CorporateNumberDispute d;
    d.corporate_number = corp;
    d.claim_id = claim.id;
    d.holder_id = holder.id;
    d.opened_at = T0;
    auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.disputes().open(d); });
    ASSERT_OK(id);
    auto found = read<std::optional<CorporateNumberDispute>>([&](Transaction& tx) { return tx.disputes().find(*id); });
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->claim_business_name, "申し立て");
    EXPECT_EQ((*found)->holder_public_id, holder.public_id);
    EXPECT_EQ((*found)->status, "open");
    ASSERT_OK(write([&](Transaction& tx) { return tx.disputes().settle(*id); }));
    auto again = write([&](Transaction& tx) { return tx.disputes().settle(*id); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "dispute.not_open");
    auto settled =
        read<std::optional<CorporateNumberDispute>>([&](Transaction& tx) { return tx.disputes().find(*id); });
    ASSERT_OK(settled);
    EXPECT_EQ((*settled)->status, "settled");
    auto open = read<std::vector<CorporateNumberDispute>>([&](Transaction& tx) { return tx.disputes().list_open(10); });
    ASSERT_OK(open);
    for (const auto& o : *open) EXPECT_NE(o.id, *id);
    auto none =
        read<std::optional<CorporateNumberDispute>>([&](Transaction& tx) { return tx.disputes().find(*id + 1000); });
    ASSERT_OK(none);
    EXPECT_FALSE(*none);
}

// --- purging what expired ------------------------------------------------------------------------

TEST_P(RegistryContract, only_applications_awaiting_confirmation_past_their_expiry_are_purged) {
    Declaration gone = application("期限切れ"), kept = application("期限内"), declared = application("宣言済み");
    gone.confirm_expires_at = T0 + seconds(100);
    kept.confirm_expires_at = T0 + seconds(300);
    declared.confirm_expires_at = T0 + seconds(100);
    create(gone);
    create(kept);
    create(declared);
    move_to(declared, LS::Declared);
    auto purged = write_value<std::size_t>(
        [&](Transaction& tx) { return tx.declarations().purge_expired_applications(T0 + seconds(200)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 1u);
    EXPECT_FALSE(find(gone.id).has_value());
    EXPECT_TRUE(find(kept.id).has_value());
    EXPECT_TRUE(find(declared.id).has_value());
}

TEST_P(RegistryContract, used_and_expired_sign_in_tokens_are_purged_and_live_ones_kept) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (const char* h : {"used", "expired", "live"})
            if (auto ok = tx.signin_tokens().create(
                    {h, "taro@example.jp", "/mypage", T0 + seconds(std::string(h) == "expired" ? 60 : 900)}, T0);
                !ok)
                return ok;
        auto used = tx.signin_tokens().consume("used", T0 + seconds(1));
        if (!used) return fail(used.error());
        return {};
    }));
    auto purged = write_value<std::size_t>([&](Transaction& tx) { return tx.signin_tokens().purge(T0 + seconds(60)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 2u);
    auto live = write_value<std::optional<SignInToken>>(
        [&](Transaction& tx) { return tx.signin_tokens().consume("live", T0 + seconds(61)); });
    ASSERT_OK(live);
    EXPECT_TRUE(live->has_value());
}

// --- changes of contact address ------------------------------------------------------------------

TEST_P(RegistryContract, a_contact_change_is_found_until_used_or_expired_and_is_consumed_once) {
    Declaration d = application("商店");
    create(d);
    move_to(d, LS::Declared);
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        if (auto ok = tx.contact_changes().create({"c1", d.id, "new@example.jp", "account:7", T0 + seconds(900)}, T0);
            !ok)
            return ok;
        return tx.contact_changes().create({"c2", d.id, "other@example.jp", "account:7", T0 + seconds(60)}, T0);
    }));
    auto find_change = [&](const std::string& h, TimePoint now) {
        auto r = read<std::optional<ContactChange>>([&](Transaction& tx) { return tx.contact_changes().find(h, now); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::nullopt);
    };
    auto consume = [&](const std::string& h, TimePoint now) {
        auto r = write_value<std::optional<ContactChange>>(
            [&](Transaction& tx) { return tx.contact_changes().consume(h, now); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::nullopt);
    };
    auto shown = find_change("c1", T0 + seconds(10));
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->token_hash, "c1");
    EXPECT_EQ(shown->declaration_id, d.id);
    EXPECT_EQ(shown->new_email, "new@example.jp");
    EXPECT_EQ(shown->requested_by, "account:7");
    EXPECT_EQ(shown->expires_at, T0 + seconds(900));
    EXPECT_FALSE(find_change("unknown", T0).has_value());
    EXPECT_FALSE(find_change("c2", T0 + seconds(60)).has_value()) << "expired";
    EXPECT_FALSE(consume("c2", T0 + seconds(60)).has_value());
    auto used = consume("c1", T0 + seconds(20));
    ASSERT_TRUE(used);
    EXPECT_EQ(used->new_email, "new@example.jp");
    EXPECT_FALSE(consume("c1", T0 + seconds(21)).has_value());
    EXPECT_FALSE(find_change("c1", T0 + seconds(21)).has_value());
    auto purged =
        write_value<std::size_t>([&](Transaction& tx) { return tx.contact_changes().purge(T0 + seconds(61)); });
    ASSERT_OK(purged);
    EXPECT_EQ(*purged, 2u);
}

TEST_P(RegistryContract, concurrent_consumes_of_one_contact_change_on_two_nodes_succeed_once) {
    Declaration d = application("商店");
    create(d);
    move_to(d, LS::Declared);
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.contact_changes().create({"race", d.id, "new@example.jp", "account:7", T0 + seconds(900)}, T0);
    }));
    auto other = open_other_node();
    ASSERT_OK(other);
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&, i] {
            Store& s = i % 2 ? static_cast<Store&>(**other) : static_cast<Store&>(*store_);
            auto r = s.query<std::optional<ContactChange>>(
                TxMode::Write, [&](Transaction& tx) { return tx.contact_changes().consume("race", T0 + seconds(5)); });
            if (r && r->has_value()) ++won;
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(won.load(), 1);
}

// --- sessions of an account ----------------------------------------------------------------------

TEST_P(RegistryContract, ending_an_accounts_sessions_removes_all_of_them_and_no_one_elses) {
    auto a = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("a@example.jp", Lang::Ja, T0); });
    auto b = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("b@example.jp", Lang::Ja, T0); });
    ASSERT_OK(a);
    ASSERT_OK(b);
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (const auto& [id, account] : {std::pair<std::string, std::optional<std::int64_t>>{"a1", a->id},
                                          {"a2", a->id},
                                          {"b1", b->id},
                                          {"anon", std::nullopt}})
            if (auto ok = tx.sessions().create({id, account, T0, T0 + seconds(3600), ""}); !ok) return ok;
        return {};
    }));
    auto ended = write_value<std::size_t>([&](Transaction& tx) { return tx.sessions().remove_all_of(a->id); });
    ASSERT_OK(ended);
    EXPECT_EQ(*ended, 2u);
    for (const auto& [id, present] : {std::pair{"a1", false}, {"a2", false}, {"b1", true}, {"anon", true}}) {
        auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find(id, T0); });
        ASSERT_OK(s);
        EXPECT_EQ(s->has_value(), present) << id;
    }
}

// --- declarations: serials ----------------------------------------------------------------------

TEST_P(RegistryContract, serials_are_unique_and_increasing) {
    std::int64_t last = 0;
    for (int i = 0; i < 20; ++i) {
        auto s = next_serial(*store_);
        EXPECT_GT(s, last);
        last = s;
    }
    EXPECT_GE(last, 20);
}

TEST_P(RegistryContract, a_committed_serial_is_never_handed_out_again_whatever_rolls_back_after_it) {
    const auto first = next_serial(*store_);
    std::int64_t lost = 0;
    auto refused = write([&](Transaction& tx) -> Status {
        auto s = tx.declarations().next_serial(T0);
        if (!s) return fail(s.error());
        lost = *s;
        return fail(Error::conflict("test.refused"));
    });
    ASSERT_FALSE(refused);
    EXPECT_GT(lost, first);
    auto crashed = write([&](Transaction& tx) -> Status {
        auto s = tx.declarations().next_serial(T0);
        if (!s) return fail(s.error());
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(crashed);
    const auto second = next_serial(*store_);
    EXPECT_GT(second, first);
    // Also after reopening the database, as after a restart.
    store_.reset();
    auto reopened = open(target_);
    ASSERT_OK(reopened);
    store_ = std::move(*reopened);
    const auto third = next_serial(*store_);
    EXPECT_GT(third, second);
    // (PostgreSQL also skips the serials of rolled-back transactions: engine_test.cpp. SQLite may
    // hand such a serial out again; nothing outside the failed transaction ever saw it.)
}

TEST_P(RegistryContract, concurrent_serials_from_two_nodes_are_all_different) {
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kThreads = 6, kEach = 25;
    std::vector<std::vector<std::int64_t>> got(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            for (int i = 0; i < kEach; ++i) {
                auto s = node.query<std::int64_t>(TxMode::Write,
                                                  [&](Transaction& tx) { return tx.declarations().next_serial(T0); });
                got[t].push_back(s ? *s : -1);
            }
        });
    }
    for (auto& th : threads) th.join();
    std::set<std::int64_t> all;
    for (const auto& g : got) {
        EXPECT_TRUE(std::is_sorted(g.begin(), g.end())) << "serials went backwards on one connection";
        for (auto s : g) {
            EXPECT_GT(s, 0);
            EXPECT_TRUE(all.insert(s).second) << "serial " << s << " handed out twice";
        }
    }
    EXPECT_EQ(all.size(), static_cast<std::size_t>(kThreads * kEach));
}

// --- declarations: details, history, tokens, accounts' lists ------------------------------------

TEST_P(RegistryContract, saved_details_replace_the_old_ones_and_the_history_lists_newest_first) {
    Declaration d = application("旧名商店", "キュウメイショウテン");
    create(d);
    move_to(d, LS::Declared);
    Declaration other = application("別の商店");
    create(other);

    Application first = d.details;
    first.business_name = "新名商店";
    first.business_name_kana = "シンメイショウテン";
    first.purposes = {"customers"};
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.declarations().save_details(d.id, first,
                                              {{"business_name", "旧名商店", "新名商店"},
                                               {"business_name_kana", "キュウメイショウテン", "シンメイショウテン"}},
                                              "account:1", T0 + seconds(200));
    }));
    Application second = first;
    second.address = "大阪市北区梅田1-1";
    second.prefecture = "27";
    second.assessment_date = "2026-02-01";
    second.policy_url = "https://example.jp/p";
    second.lang = Lang::En;
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.declarations().save_details(
            d.id, second, {{"address", "千代田区千代田1-1", "大阪市北区梅田1-1"}, {"prefecture", "13", "27"}},
            "account:1", T0 + seconds(300));
    }));
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.declarations().save_details(other.id, other.details, {{"phone", "", "03-0000-0000"}}, "account:2",
                                              T0);
    }));

    auto got = find(d.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->details.business_name, "新名商店");
    EXPECT_EQ(got->details.business_name_kana, "シンメイショウテン");
    EXPECT_EQ(got->details.address, "大阪市北区梅田1-1");
    EXPECT_EQ(got->details.prefecture, "27");
    EXPECT_EQ(got->details.purposes, std::vector<std::string>{"customers"});
    EXPECT_EQ(got->details.assessment_date, "2026-02-01");
    EXPECT_EQ(got->details.policy_url, "https://example.jp/p");
    EXPECT_EQ(got->details.lang, Lang::En);
    EXPECT_EQ(got->state.status, LS::Declared);  // details never touch the lifecycle
    EXPECT_EQ(got->public_id, d.public_id);

    auto history =
        read<std::vector<DetailChange>>([&](Transaction& tx) { return tx.declarations().history(d.id, 10); });
    ASSERT_OK(history);
    ASSERT_EQ(history->size(), 4u);
    EXPECT_EQ((*history)[0].field, "prefecture");
    EXPECT_EQ((*history)[1].field, "address");
    EXPECT_EQ((*history)[1].before, "千代田区千代田1-1");
    EXPECT_EQ((*history)[1].after, "大阪市北区梅田1-1");
    EXPECT_EQ((*history)[2].field, "business_name_kana");
    EXPECT_EQ((*history)[3].field, "business_name");
    EXPECT_EQ((*history)[3].before, "旧名商店");
    EXPECT_EQ((*history)[3].after, "新名商店");
    auto limited = read<std::vector<DetailChange>>([&](Transaction& tx) { return tx.declarations().history(d.id, 2); });
    ASSERT_OK(limited);
    ASSERT_EQ(limited->size(), 2u);
    EXPECT_EQ((*limited)[0].field, "prefecture");

    // The search keys follow the new name: the old name finds nothing.
    EXPECT_EQ(names_of(search("新名").first), std::vector<std::string>{"新名商店"});
    EXPECT_EQ(names_of(search("しんめい").first), std::vector<std::string>{"新名商店"});
    EXPECT_TRUE(search("旧名").first.empty());
    EXPECT_TRUE(search("キュウメイ").first.empty());
}

TEST_P(RegistryContract, saving_details_without_changes_keeps_the_history_empty) {
    Declaration d = application("A商店");
    create(d);
    ASSERT_OK(
        write([&](Transaction& tx) { return tx.declarations().save_details(d.id, d.details, {}, "account:1", T0); }));
    auto history =
        read<std::vector<DetailChange>>([&](Transaction& tx) { return tx.declarations().history(d.id, 10); });
    ASSERT_OK(history);
    EXPECT_TRUE(history->empty());
}

TEST_P(RegistryContract, noted_changes_join_the_history_with_their_actor_and_leave_the_details_alone) {
    Declaration d = application("A商店");
    create(d);
    move_to(d, LS::Declared);
    Declaration other = application("B商店");
    create(other);
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.declarations().save_details(d.id, d.details, {{"phone", "", "03-0000-0000"}}, "account:1", T0);
    }));
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.declarations().note_changes(d.id, {{"prepared_assessment", "", "72"}}, "supporter:7",
                                              T0 + seconds(10));
    }));
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.declarations().note_changes(other.id, {{"prepared_policy", "", "3"}}, "supporter:7", T0);
    }));

    auto history =
        read<std::vector<DetailChange>>([&](Transaction& tx) { return tx.declarations().history(d.id, 10); });
    ASSERT_OK(history);
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[0].field, "prepared_assessment");
    EXPECT_EQ((*history)[0].after, "72");
    EXPECT_EQ((*history)[0].actor, "supporter:7");
    EXPECT_EQ((*history)[1].field, "phone");
    EXPECT_EQ((*history)[1].actor, "account:1");
    auto got = find(d.id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->details.business_name, "A商店");
    EXPECT_EQ(got->state.status, LS::Declared);
}

TEST_P(RegistryContract, a_new_confirm_token_replaces_the_old_one_and_its_expiry) {
    Declaration d = application("A商店");
    create(d);
    ASSERT_OK(write(
        [&](Transaction& tx) { return tx.declarations().set_confirm_token(d.id, "fresh-hash", T0 + seconds(999)); }));
    auto by_token = [&](const std::string& h) {
        auto r = read<std::optional<Declaration>>(
            [&](Transaction& tx) { return tx.declarations().find_by_confirm_token(h); });
        EXPECT_TRUE(r);
        return r.value_or(std::nullopt);
    };
    EXPECT_FALSE(by_token("token-of-A商店").has_value());
    auto found = by_token("fresh-hash");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->id, d.id);
    EXPECT_EQ(found->confirm_expires_at, T0 + seconds(999));
}

TEST_P(RegistryContract, an_account_lists_only_its_own_declarations_newest_first) {
    auto mine = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("a@example.jp", Lang::Ja, T0); });
    auto theirs = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("b@example.jp", Lang::Ja, T0); });
    ASSERT_OK(mine);
    ASSERT_OK(theirs);
    std::vector<std::int64_t> my_ids;
    for (int i = 0; i < 3; ++i) {
        Declaration d = application("私の商店" + std::to_string(i));
        create(d);
        d.account_id = mine->id;
        move_to(d, i == 1 ? LS::Stopped : LS::Declared);
        my_ids.push_back(d.id);
    }
    Declaration other = application("他人の商店");
    create(other);
    other.account_id = theirs->id;
    move_to(other, LS::Declared);
    Declaration unconfirmed = application("未確認の商店");
    create(unconfirmed);

    auto list =
        read<std::vector<Declaration>>([&](Transaction& tx) { return tx.declarations().for_account(mine->id); });
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 3u);
    EXPECT_EQ((*list)[0].id, my_ids[2]);
    EXPECT_EQ((*list)[1].id, my_ids[1]);
    EXPECT_EQ((*list)[1].state.status, LS::Stopped);
    EXPECT_EQ((*list)[2].id, my_ids[0]);
    auto none = read<std::vector<Declaration>>(
        [&](Transaction& tx) { return tx.declarations().for_account(theirs->id + mine->id + 100); });
    ASSERT_OK(none);
    EXPECT_TRUE(none->empty());
}

TEST_P(RegistryContract, with_status_lists_that_status_only_oldest_first_up_to_the_limit) {
    std::vector<std::int64_t> held;
    for (int i = 0; i < 4; ++i) {
        held.push_back(stored("審査待ち" + std::to_string(i), LS::AwaitingReview).id);
        stored("宣言済み" + std::to_string(i), LS::Declared);
    }
    stored("未確認", LS::AwaitingConfirmation);
    auto list = [&](LS status, std::size_t limit) {
        auto r = read<std::vector<Declaration>>(
            [&](Transaction& tx) { return tx.declarations().with_status(status, limit); });
        EXPECT_TRUE(r) << r.error().detail;
        std::vector<std::int64_t> ids;
        for (const auto& d : r.value_or(std::vector<Declaration>{})) {
            EXPECT_EQ(d.state.status, status);
            ids.push_back(d.id);
        }
        return ids;
    };
    EXPECT_EQ(list(LS::AwaitingReview, 10), held);
    EXPECT_EQ(list(LS::AwaitingReview, 2), (std::vector<std::int64_t>{held[0], held[1]}));
    EXPECT_EQ(list(LS::Declared, 10).size(), 4u);
    EXPECT_EQ(list(LS::AwaitingConfirmation, 10).size(), 1u);
    EXPECT_TRUE(list(LS::Rejected, 10).empty());
}

// The operator's export reads every declaration, whatever its status, page by page in id order.
TEST_P(RegistryContract, page_after_lists_every_status_in_id_order_and_pages_by_the_last_id) {
    std::vector<std::int64_t> ids;
    for (auto status : kEveryStatus)
        ids.push_back(stored(std::string("書き出し-") + std::string(lifecycle::to_string(status)), status).id);
    auto page = [&](std::int64_t after, std::size_t limit) {
        auto r =
            read<std::vector<Declaration>>([&](Transaction& tx) { return tx.declarations().page_after(after, limit); });
        EXPECT_TRUE(r) << r.error().detail;
        std::vector<std::int64_t> got;
        for (const auto& d : r.value_or(std::vector<Declaration>{})) got.push_back(d.id);
        return got;
    };
    EXPECT_EQ(page(0, 1000), ids);
    const auto first = page(0, 2);
    ASSERT_EQ(first.size(), 2u);
    EXPECT_EQ(first, (std::vector<std::int64_t>{ids[0], ids[1]}));
    EXPECT_EQ(page(first.back(), 1000), std::vector<std::int64_t>(ids.begin() + 2, ids.end()));
    EXPECT_TRUE(page(ids.back(), 10).empty());
}

// The public statistics: declarations in force by level, prefecture and industry; IDs issued (in
// force or not) per day in Japan since a given instant. Applications are never counted.
TEST_P(RegistryContract, counts_group_declarations_in_force_and_issued_ones_by_day_in_japan) {
    stored("一", LS::Declared, 1);
    stored("二", LS::Declared, 1);
    stored("三", LS::Declared, 2);
    stored("止", LS::Stopped, 1);
    stored("取消", LS::Revoked, 2);
    stored("審査", LS::AwaitingReview);
    stored("未確認", LS::AwaitingConfirmation);
    Declaration osaka = application("大阪");
    osaka.details.prefecture = "27";
    osaka.details.industry = "E";
    create(osaka);
    move_to(osaka, LS::Declared, 2, T0 + seconds(86400 * 40));
    stored("昔", LS::Declared, 1, T0 - seconds(1000));

    auto r = read<DeclarationRepository::Counts>([&](Transaction& tx) { return tx.declarations().counts(T0); });
    ASSERT_OK(r);
    using Numbers = std::vector<std::pair<std::int64_t, std::int64_t>>;
    using Texts = std::vector<std::pair<std::string, std::int64_t>>;
    EXPECT_EQ(r->by_level, (Numbers{{1, 3}, {2, 2}}));
    EXPECT_EQ(r->by_prefecture, (Texts{{"13", 4}, {"27", 1}}));
    EXPECT_EQ(r->by_industry, (Texts{{"E", 1}, {"G", 4}}));
    // T0 + 100 s is 2023-11-15 in Japan, day 19676 since 1970-01-01 there; 40 days later, 19716.
    EXPECT_EQ(r->issued_by_day, (Numbers{{19676, 5}, {19716, 1}}));
}

// --- declarations: public search ----------------------------------------------------------------

TEST_P(RegistryContract, search_lists_only_declared_stopped_and_revoked_declarations) {
    for (auto status : kEveryStatus)
        stored(std::string("検索商店-") + std::string(lifecycle::to_string(status)), status);
    auto [rows, total] = search("検索商店");
    EXPECT_EQ(total, 3u);
    const auto listed = names_of(rows);
    std::set<std::string> names(listed.begin(), listed.end());
    EXPECT_EQ(names, (std::set<std::string>{"検索商店-declared", "検索商店-stopped", "検索商店-revoked"}));
    auto [all_rows, all_total] = search("");
    EXPECT_EQ(all_total, 3u);
    EXPECT_EQ(all_rows.size(), 3u);
}

TEST_P(RegistryContract, search_finds_part_of_the_name_or_of_the_reading_in_any_width_or_kana) {
    Declaration sakura = application("株式会社さくら商事ＡＢＣ", "サクラショウジエービーシー");
    create(sakura);
    move_to(sakura, LS::Declared);
    Declaration other = application("山田工務店", "ヤマダコウムテン");
    create(other);
    move_to(other, LS::Declared);

    const std::vector<std::string> only_sakura{"株式会社さくら商事ＡＢＣ"};
    EXPECT_EQ(names_of(search("さくら").first), only_sakura);    // hiragana in the name
    EXPECT_EQ(names_of(search("サクラ").first), only_sakura);    // katakana typed for hiragana
    EXPECT_EQ(names_of(search("ｻｸﾗ").first), only_sakura);       // half-width katakana
    EXPECT_EQ(names_of(search("商事").first), only_sakura);      // a part of the name
    EXPECT_EQ(names_of(search("しょうじ").first), only_sakura);  // the reading, typed in hiragana
    EXPECT_EQ(names_of(search("abc").first), only_sakura);       // full-width letters, any case
    EXPECT_EQ(names_of(search("ａｂｃ").first), only_sakura);
    EXPECT_EQ(names_of(search("さくら 商事").first), only_sakura);  // spaces are ignored
    EXPECT_EQ(names_of(search("こうむ").first), std::vector<std::string>{"山田工務店"});
    EXPECT_TRUE(search("さくら工務").first.empty());
    EXPECT_EQ(search("商").second, 1u);
}

TEST_P(RegistryContract, search_filters_by_prefecture_and_by_level) {
    Declaration tokyo1 = application("東京一商店"), tokyo2 = application("東京二商店"), osaka = application("大阪商店");
    osaka.details.prefecture = "27";
    for (auto* d : {&tokyo1, &tokyo2, &osaka}) create(*d);
    move_to(tokyo1, LS::Declared, 1);
    move_to(tokyo2, LS::Declared, 2);
    move_to(osaka, LS::Declared, 2);

    EXPECT_EQ(search("", "13").second, 2u);
    EXPECT_EQ(names_of(search("", "27").first), std::vector<std::string>{"大阪商店"});
    EXPECT_EQ(search("", "", 2).second, 2u);
    EXPECT_EQ(names_of(search("", "13", 2).first), std::vector<std::string>{"東京二商店"});
    EXPECT_EQ(names_of(search("東京", "", 1).first), std::vector<std::string>{"東京一商店"});
    EXPECT_EQ(search("", "01").second, 0u);
}

TEST_P(RegistryContract, search_pages_newest_first_and_counts_every_match) {
    for (int i = 0; i < 25; ++i) stored("頁商店" + std::to_string(100 + i), LS::Declared, 1, T0 + seconds(1000 + i));
    stored("無関係", LS::Declared);
    auto first = search("頁商店", "", 0, 0, 10);
    EXPECT_EQ(first.second, 25u);
    ASSERT_EQ(first.first.size(), 10u);
    EXPECT_EQ(first.first[0].business_name, "頁商店124");
    EXPECT_EQ(first.first[9].business_name, "頁商店115");
    auto third = search("頁商店", "", 0, 20, 10);
    EXPECT_EQ(third.second, 25u);
    ASSERT_EQ(third.first.size(), 5u);
    EXPECT_EQ(third.first[0].business_name, "頁商店104");
    EXPECT_EQ(third.first[4].business_name, "頁商店100");
    auto beyond = search("頁商店", "", 0, 40, 10);
    EXPECT_TRUE(beyond.first.empty());
    EXPECT_EQ(beyond.second, 25u);
    // Pages do not overlap and together list every match once.
    std::set<std::string> seen;
    for (std::size_t offset = 0; offset < 25; offset += 10)
        for (const auto& r : search("頁商店", "", 0, offset, 10).first)
            EXPECT_TRUE(seen.insert(r.business_name).second);
    EXPECT_EQ(seen.size(), 25u);
}

TEST_P(RegistryContract, search_reads_like_metacharacters_in_the_query_literally) {
    for (const char* name : {"100%ピュア", "100円ショップ", "a_b商店", "axb商店", "びっくり!商店", "びっくり商店",
                             "!%_全部", "エクスクラメーション!!"})
        stored(name, LS::Declared);
    EXPECT_EQ(names_of(search("100%").first), std::vector<std::string>{"100%ピュア"});
    EXPECT_EQ(names_of(search("%").first).size(), 2u);  // "100%ピュア" and "!%_全部"
    EXPECT_EQ(names_of(search("a_b").first), std::vector<std::string>{"a_b商店"});
    EXPECT_EQ(names_of(search("_").first).size(), 2u);  // "a_b商店" and "!%_全部"
    EXPECT_EQ(names_of(search("り!").first), std::vector<std::string>{"びっくり!商店"});
    EXPECT_EQ(names_of(search("!%_").first), std::vector<std::string>{"!%_全部"});
    EXPECT_EQ(names_of(search("!!").first), std::vector<std::string>{"エクスクラメーション!!"});
    EXPECT_EQ(search("!").second, 3u);
    EXPECT_TRUE(search("%%").first.empty());
    EXPECT_TRUE(search("__").first.empty());
}

// Names of three characters or more are looked up in the names index (migration 0052), shorter
// ones by reading every row: both must find exactly the declarations whose folded name or reading
// contains the folded query, after renames and purges too. Names are drawn from a few pieces (with
// a quote, LIKE's and GLOB's own characters), so that queries share runs with many names.
TEST_P(RegistryContract, search_finds_what_contains_the_query_whether_the_index_or_a_scan_answers) {
    const std::vector<std::string> pieces{"さ", "く", "ら", "商", "事", "ア", "ｲ", "Ab",
                                          "１", "\"", "%",  "_",  "!",  "*",  "[", " "};
    const std::vector<std::string> readings{"サ", "ク", "ラ", "ア", "イ", "ー", "ショウ"};
    std::mt19937 random(20261207);
    auto draw = [&](const std::vector<std::string>& from, std::size_t most) {
        std::string out;
        const auto n = 1 + random() % most;
        for (std::size_t i = 0; i < n; ++i) out += from[random() % from.size()];
        return out;
    };
    std::vector<Declaration> ds;
    for (int i = 0; i < 60; ++i) {
        Declaration d = application(draw(pieces, 6), draw(readings, 4));
        d.confirm_expires_at = T0 + seconds(i % 4 == 0 ? 100 : 10000);
        create(d);
        const LS status = kEveryStatus[random() % std::size(kEveryStatus)];
        if (status != LS::AwaitingConfirmation) move_to(d, status);
        ds.push_back(d);
    }
    // Renames (the index forgets the old keys) and a purge (it forgets the rows).
    for (std::size_t i = 1; i < ds.size(); i += 3) {
        if (i % 4 == 0) continue;  // may be purged below, and an application's changes keep it
        Application renamed = ds[i].details;
        renamed.business_name = draw(pieces, 6);
        renamed.business_name_kana = draw(readings, 4);
        ASSERT_OK(write([&](Transaction& tx) {
            return tx.declarations().save_details(ds[i].id, renamed, {{"business_name", "", ""}}, "account:1", T0);
        }));
        ds[i].details = renamed;
    }
    ASSERT_OK(write_value<std::size_t>(
        [&](Transaction& tx) { return tx.declarations().purge_expired_applications(T0 + seconds(200)); }));
    std::erase_if(ds, [](const Declaration& d) {
        return d.state.status == LS::AwaitingConfirmation && d.confirm_expires_at == T0 + seconds(100);
    });

    std::set<std::string> queries{""};
    for (const auto& d : ds)
        for (const auto* text : {&d.details.business_name, &d.details.business_name_kana}) {
            const std::string key = search_key(*text);
            std::vector<std::size_t> starts;  // where each character of the key begins
            for (std::size_t i = 0; i < key.size(); i += text::utf8_sequence_at(key, i)) starts.push_back(i);
            starts.push_back(key.size());
            for (std::size_t a = 0; a + 1 < starts.size(); ++a)
                for (std::size_t b = a + 1; b < starts.size() && b - a <= 5; ++b)
                    queries.insert(key.substr(starts[a], starts[b] - starts[a]));
        }
    for (int i = 0; i < 100; ++i) queries.insert(draw(pieces, 4));
    std::size_t indexed = 0, matched = 0;
    for (const auto& typed : queries) {
        const std::string key = search_key(typed);
        std::set<std::string> expected;
        for (const auto& d : ds)
            if (lifecycle::is_listed(d.state.status) &&
                (search_key(d.details.business_name).find(key) != std::string::npos ||
                 search_key(d.details.business_name_kana).find(key) != std::string::npos))
                expected.insert(d.public_id->digits());
        auto [rows, total] = search(typed, "", 0, 0, 1000);
        std::set<std::string> got;
        for (const auto& r : rows) got.insert(r.public_id.digits());
        EXPECT_EQ(got, expected) << "query [" << typed << "]";
        EXPECT_EQ(total, expected.size()) << "query [" << typed << "]";
        if (text::length(key) >= 3) ++indexed;
        if (!expected.empty()) ++matched;
    }
    // Both ways were asked often, and most queries found something.
    EXPECT_GT(indexed, 200u);
    EXPECT_GT(queries.size() - indexed, 50u);
    EXPECT_GT(matched, queries.size() / 2);
}

TEST_P(RegistryContract, search_shows_public_fields_only) {
    Declaration one = application("一つ星商店"), two = application("二つ星商店"), stopped = application("停止商店"),
                revoked = application("取消商店");
    for (auto* d : {&one, &two, &stopped, &revoked}) {
        d->details.policy_url = "https://example.jp/policy";
        create(*d);
    }
    move_to(one, LS::Declared, 1, T0 + seconds(10));
    move_to(two, LS::Declared, 2, T0 + seconds(20));
    move_to(stopped, LS::Stopped, 1, T0 + seconds(30));
    move_to(revoked, LS::Revoked, 1, T0 + seconds(40));
    // A reason kept with a stopped declaration is not public; a revocation's is.
    stopped.end_reason = "内部の記録";
    ASSERT_OK(save_state(stopped, stopped.state));
    std::map<std::string, PublicDeclaration> by_name;
    for (auto& r : search("商店").first) by_name.insert_or_assign(r.business_name, r);
    ASSERT_EQ(by_name.size(), 4u);
    const auto& p1 = by_name.at("一つ星商店");
    EXPECT_EQ(std::optional<DeclarationId>(p1.public_id), one.public_id);
    EXPECT_EQ(p1.business_name_kana, "テスト");
    EXPECT_EQ(p1.prefecture, "13");
    EXPECT_EQ(p1.level, 1);
    EXPECT_EQ(p1.status, LS::Declared);
    EXPECT_EQ(p1.declared_at, T0 + seconds(10));
    EXPECT_EQ(p1.level_since, T0 + seconds(10));
    EXPECT_FALSE(p1.ended_at.has_value());
    EXPECT_EQ(p1.policy_url, "");  // ★ declarations have no public policy
    EXPECT_EQ(by_name.at("二つ星商店").policy_url, "https://example.jp/policy");
    EXPECT_EQ(by_name.at("二つ星商店").level, 2);
    EXPECT_EQ(by_name.at("停止商店").status, LS::Stopped);
    EXPECT_EQ(by_name.at("停止商店").ended_at, std::optional<TimePoint>(T0 + seconds(80)));
    EXPECT_EQ(by_name.at("停止商店").end_reason, "");
    EXPECT_EQ(by_name.at("取消商店").status, LS::Revoked);
    EXPECT_EQ(by_name.at("取消商店").end_reason, "理由: 虚偽の申告");
}

// --- accounts -----------------------------------------------------------------------------------

TEST_P(RegistryContract, find_or_create_makes_one_account_per_address_whatever_its_case) {
    auto first = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("Taro.Yamada@Example.JP", Lang::En, T0); });
    ASSERT_OK(first);
    EXPECT_GT(first->id, 0);
    EXPECT_EQ(first->email, "Taro.Yamada@Example.JP");
    EXPECT_EQ(first->lang, Lang::En);
    EXPECT_EQ(first->created_at, T0);
    for (const char* typed : {"taro.yamada@example.jp", "TARO.YAMADA@EXAMPLE.JP", "Taro.Yamada@Example.JP"}) {
        auto again = write_value<Account>(
            [&](Transaction& tx) { return tx.accounts().find_or_create(typed, Lang::Ja, T0 + seconds(60)); });
        ASSERT_OK(again);
        EXPECT_EQ(again->id, first->id) << typed;
        EXPECT_EQ(again->email, "Taro.Yamada@Example.JP") << "the address as first confirmed is kept";
        EXPECT_EQ(again->lang, Lang::En);
        EXPECT_EQ(again->created_at, T0);
    }
    auto other = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("hanako@example.jp", Lang::Ja, T0); });
    ASSERT_OK(other);
    EXPECT_NE(other->id, first->id);
}

TEST_P(RegistryContract, account_is_found_by_id_and_by_address_in_any_case) {
    auto made = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("Hanako@Example.jp", Lang::Ja, T0); });
    ASSERT_OK(made);
    auto by_id = read<std::optional<Account>>([&](Transaction& tx) { return tx.accounts().find(made->id); });
    ASSERT_OK(by_id);
    ASSERT_TRUE(by_id->has_value());
    EXPECT_EQ((*by_id)->email, "Hanako@Example.jp");
    auto by_email =
        read<std::optional<Account>>([&](Transaction& tx) { return tx.accounts().find_by_email("HANAKO@example.JP"); });
    ASSERT_OK(by_email);
    ASSERT_TRUE(by_email->has_value());
    EXPECT_EQ((*by_email)->id, made->id);
    auto missing_id = read<std::optional<Account>>([&](Transaction& tx) { return tx.accounts().find(made->id + 99); });
    ASSERT_OK(missing_id);
    EXPECT_FALSE(missing_id->has_value());
    auto missing =
        read<std::optional<Account>>([&](Transaction& tx) { return tx.accounts().find_by_email("nobody@example.jp"); });
    ASSERT_OK(missing);
    EXPECT_FALSE(missing->has_value());
}

TEST_P(RegistryContract, concurrent_find_or_create_on_two_nodes_makes_one_account) {
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kThreads = 8;
    std::vector<std::int64_t> ids(kThreads, -1);
    std::vector<std::string> problems(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            auto a = node.query<Account>(TxMode::Write, [&](Transaction& tx) {
                return tx.accounts().find_or_create(t % 3 == 0 ? "Same@Example.jp" : "same@example.jp", Lang::Ja, T0);
            });
            if (a)
                ids[t] = a->id;
            else
                problems[t] = a.error().code + ": " + a.error().detail;
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& p : problems) EXPECT_EQ(p, "");
    EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), 1u);
}

// --- sign-in tokens -----------------------------------------------------------------------------

TEST_P(RegistryContract, sign_in_token_is_consumed_once_and_gives_back_what_was_stored) {
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.signin_tokens().create(
            {"h1", "taro@example.jp", "/mypage/declarations/10000000018", T0 + seconds(900)}, T0);
    }));
    auto consume = [&](const std::string& h, TimePoint now) {
        auto r = write_value<std::optional<SignInToken>>(
            [&](Transaction& tx) { return tx.signin_tokens().consume(h, now); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::nullopt);
    };
    EXPECT_FALSE(consume("unknown", T0).has_value());
    auto t = consume("h1", T0 + seconds(10));
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->token_hash, "h1");
    EXPECT_EQ(t->email_key, "taro@example.jp");
    EXPECT_EQ(t->next_path, "/mypage/declarations/10000000018");
    EXPECT_EQ(t->expires_at, T0 + seconds(900));
    EXPECT_FALSE(consume("h1", T0 + seconds(11)).has_value());
}

TEST_P(RegistryContract, sign_in_token_is_refused_from_the_moment_it_expires) {
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (const char* h : {"early", "at", "late"})
            if (auto ok = tx.signin_tokens().create({h, "taro@example.jp", "/mypage", T0 + seconds(900)}, T0); !ok)
                return ok;
        return {};
    }));
    auto consume = [&](const std::string& h, TimePoint now) {
        auto r = write_value<std::optional<SignInToken>>(
            [&](Transaction& tx) { return tx.signin_tokens().consume(h, now); });
        EXPECT_TRUE(r);
        return r.value_or(std::nullopt).has_value();
    };
    EXPECT_TRUE(consume("early", T0 + seconds(899)));
    EXPECT_FALSE(consume("at", T0 + seconds(900)));
    EXPECT_FALSE(consume("late", T0 + seconds(3600)));
}

TEST_P(RegistryContract, concurrent_consumes_from_several_threads_on_two_nodes_succeed_once_per_token) {
    constexpr int kTokens = 20, kThreads = 8;
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (int i = 0; i < kTokens; ++i)
            if (auto ok = tx.signin_tokens().create(
                    {"race-" + std::to_string(i), "taro@example.jp", "/mypage", T0 + seconds(900)}, T0);
                !ok)
                return ok;
        return {};
    }));
    auto other = open_other_node();
    ASSERT_TRUE(other);
    std::vector<std::atomic<int>> successes(kTokens);
    std::vector<std::string> problems(kThreads);
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            while (!go.load()) std::this_thread::yield();
            for (int i = 0; i < kTokens; ++i) {
                auto r = node.query<std::optional<SignInToken>>(TxMode::Write, [&](Transaction& tx) {
                    return tx.signin_tokens().consume("race-" + std::to_string(i), T0 + seconds(1));
                });
                if (!r)
                    problems[t] = r.error().code + ": " + r.error().detail;
                else if (r->has_value())
                    ++successes[i];
            }
        });
    }
    go = true;
    for (auto& th : threads) th.join();
    for (const auto& p : problems) EXPECT_EQ(p, "");
    for (int i = 0; i < kTokens; ++i) EXPECT_EQ(successes[i].load(), 1) << "token race-" << i;
}

// --- session data -------------------------------------------------------------------------------

TEST_P(RegistryContract, session_data_is_saved_and_found_again_as_written) {
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.sessions().create({"s1", std::nullopt, T0, T0 + seconds(3600), ""});
    }));
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.sessions().create({"s2", std::nullopt, T0, T0 + seconds(3600), ""});
    }));
    auto data_of = [&](const std::string& h) {
        auto s = read<std::optional<Session>>([&](Transaction& tx) { return tx.sessions().find(h, T0); });
        EXPECT_TRUE(s);
        EXPECT_TRUE(s->has_value());
        return s && s->has_value() ? (*s)->data : std::string("<missing>");
    };
    EXPECT_EQ(data_of("s1"), "");
    const std::string draft = R"({"apply":{"business_name":"株式会社さくら","purposes":["a","b"],"q":"\"'<&>"}})";
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().save_data("s1", draft); }));
    EXPECT_EQ(data_of("s1"), draft);
    EXPECT_EQ(data_of("s2"), "");
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().save_data("s1", "{}"); }));
    EXPECT_EQ(data_of("s1"), "{}");
    // Data survives sliding the expiry.
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().save_data("s2", R"({"flash":"x"})"); }));
    ASSERT_OK(write([&](Transaction& tx) { return tx.sessions().extend("s2", T0 + seconds(7200), T0 + seconds(60)); }));
    EXPECT_EQ(data_of("s2"), R"({"flash":"x"})");
}

// --- verifiers (issue 12): keys, many declarations at once, their lifecycle events -------------

TEST_P(RegistryContract, verifier_keys_are_created_found_by_hash_listed_and_revoked_once) {
    VerifierKey k;
    k.name = "補助金事務局";
    k.key_hash = "hash-1";
    k.ids_per_minute = 60000;
    k.created_at = T0;
    auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_keys().create(k); });
    ASSERT_OK(id);
    k.name = "another";
    auto same_hash = write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_keys().create(k); });
    ASSERT_FALSE(same_hash);
    EXPECT_EQ(same_hash.error().kind, Error::Kind::Conflict);
    auto found =
        read<std::optional<VerifierKey>>([&](Transaction& tx) { return tx.verifier_keys().find_by_hash("hash-1"); });
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->id, *id);
    EXPECT_EQ((*found)->name, "補助金事務局");
    EXPECT_EQ((*found)->ids_per_minute, 60000);
    EXPECT_EQ((*found)->created_at, T0);
    EXPECT_FALSE((*found)->revoked_at);
    ASSERT_OK(write([&](Transaction& tx) { return tx.verifier_keys().revoke(*id, T0 + seconds(5)); }));
    auto again = write([&](Transaction& tx) { return tx.verifier_keys().revoke(*id, T0 + seconds(6)); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::NotFound);
    auto list = read<std::vector<VerifierKey>>([&](Transaction& tx) { return tx.verifier_keys().list(); });
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 1u);
    EXPECT_EQ(list->front().revoked_at, T0 + seconds(5));
    auto by_name = read<std::optional<VerifierKey>>(
        [&](Transaction& tx) { return tx.verifier_keys().find_by_name("補助金事務局"); });
    ASSERT_OK(by_name);
    EXPECT_TRUE(*by_name);
}

TEST_P(RegistryContract, find_many_reads_every_issued_declaration_asked_for_across_batches) {
    Declaration with_number = application("法人番号あり", "テスト", "1234567890123");
    create(with_number);
    move_to(with_number, LS::Declared, 2);
    std::vector<Declaration> made;
    for (int i = 0; i < 150; ++i) made.push_back(stored("多数" + std::to_string(i), LS::Declared));
    Declaration revoked = stored("取消", LS::Revoked);
    Declaration pending = stored("確認待ち", LS::AwaitingConfirmation);
    (void)pending;
    const DeclarationId unknown = DeclarationId::make(1, 999999);
    std::vector<const DeclarationId*> ids{&*with_number.public_id, &unknown, &*revoked.public_id};
    for (const auto& d : made) ids.push_back(&*d.public_id);
    auto rows =
        read<std::vector<VerifiedDeclaration>>([&](Transaction& tx) { return tx.verifications().find_many(ids); });
    ASSERT_OK(rows);
    EXPECT_EQ(rows->size(), 152u);
    std::map<std::string, const VerifiedDeclaration*> by_id;
    for (const auto& r : *rows) by_id[r.view.public_id.digits()] = &r;
    ASSERT_TRUE(by_id.count(with_number.public_id->digits()));
    const auto& w = *by_id[with_number.public_id->digits()];
    EXPECT_EQ(w.id, with_number.id);
    EXPECT_EQ(w.corporate_number, "1234567890123");
    EXPECT_EQ(w.view.level, 2);
    EXPECT_EQ(w.view.business_name, "法人番号あり");
    EXPECT_EQ(by_id[revoked.public_id->digits()]->view.status, LS::Revoked);
    EXPECT_FALSE(by_id.count(unknown.digits()));
}

// TxMode::ReadMany reads as Read does (on SQLite without the memory map, which it turns back on
// afterwards): across commits by another node, and with single lookups on the same connections
// before and after.
TEST_P(RegistryContract, read_many_sees_each_commit_made_before_it_and_leaves_single_lookups_working) {
    Declaration first = stored("一件目", LS::Declared);
    auto other = open_other_node();
    ASSERT_TRUE(other);
    auto many = [&](std::vector<const DeclarationId*> ids) {
        return store_->query<std::vector<VerifiedDeclaration>>(
            TxMode::ReadMany, [&](Transaction& tx) { return tx.verifications().find_many(ids); });
    };
    auto single = [&](const DeclarationId& id) {
        return store_->query<std::optional<PublicDeclaration>>(
            TxMode::Single, [&](Transaction& tx) { return tx.declarations().find_public(id); });
    };
    for (int round = 0; round < 3; ++round) {
        auto before = single(*first.public_id);
        ASSERT_OK(before);
        ASSERT_TRUE(*before);
        auto rows = many({&*first.public_id});
        ASSERT_OK(rows);
        ASSERT_EQ(rows->size(), 1u);
        EXPECT_EQ(rows->front().view.business_name, "一件目");
    }
    // A declaration committed through the other node is seen by the next ReadMany and lookup here.
    Declaration second = application("二件目", "ニケンメ");
    ASSERT_OK((*other)->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto id = tx.declarations().create(second);
        if (!id) return fail(id.error());
        second.id = *id;
        return {};
    }));
    move_to(second, LS::Declared, 1);
    auto rows = many({&*first.public_id, &*second.public_id});
    ASSERT_OK(rows);
    EXPECT_EQ(rows->size(), 2u);
    auto after = single(*second.public_id);
    ASSERT_OK(after);
    ASSERT_TRUE(*after);
    EXPECT_EQ((*after)->business_name, "二件目");
}

TEST_P(RegistryContract, lifecycle_events_are_read_per_declaration_oldest_first_and_by_public_id) {
    Declaration a = stored("履歴A", LS::Declared);
    Declaration b = stored("履歴B", LS::Declared);
    auto add = [&](const Declaration& d, TimePoint at, const char* action, const char* details) {
        AuditEvent e;
        e.at = at;
        e.actor = "system";
        e.action = action;
        e.subject = "declaration:" + std::to_string(d.id);
        e.details = details;
        ASSERT_OK(write_value<std::int64_t>([&](Transaction& tx) { return tx.audit().record(e); }));
    };
    add(a, T0 + seconds(1), "declaration.applied", R"({"level":"1","terms":"2026-1"})");
    add(a, T0 + seconds(2), "declaration.confirmed", R"({"status":"declared","public_id":"x"})");
    add(a, T0 + seconds(3), "session.started", "{}");
    add(b, T0 + seconds(4), "declaration.confirmed", R"({"status":"declared"})");
    add(a, T0 + seconds(5), "declaration.step_up", R"({"from_level":"1","to_level":"2","status":"declared"})");
    add(a, T0 + seconds(6), "declaration.contact_changed", "{}");
    std::map<std::int64_t, std::vector<history::Recorded>> got;
    const std::vector<std::int64_t> ids{a.id, b.id, 987654};
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.verifications().events_of(ids,
                                            [&](std::int64_t id, const history::Recorded& e) { got[id].push_back(e); });
    }));
    ASSERT_EQ(got.size(), 2u);
    ASSERT_EQ(got[a.id].size(), 3u);
    EXPECT_EQ(got[a.id][0].action, history::Action::Applied);
    EXPECT_EQ(got[a.id][0].level, 1);
    EXPECT_EQ(got[a.id][1].action, history::Action::Confirmed);
    EXPECT_EQ(got[a.id][1].status, LS::Declared);
    EXPECT_EQ(got[a.id][2].action, history::Action::StepUp);
    EXPECT_EQ(got[a.id][2].level, 2);
    EXPECT_EQ(got[a.id][2].at, T0 + seconds(5));
    ASSERT_EQ(got[b.id].size(), 1u);
    auto by_public = read<std::vector<history::Recorded>>(
        [&](Transaction& tx) { return tx.verifications().events_of_public(*a.public_id); });
    ASSERT_OK(by_public);
    ASSERT_EQ(by_public->size(), 3u);
    EXPECT_EQ(by_public->back().action, history::Action::StepUp);
}

TEST_P(RegistryContract, a_key_counter_adds_the_amount_and_calls_are_recorded) {
    auto n1 = write_value<std::int64_t>(
        [&](Transaction& tx) { return tx.verifications().count("verifier_key:1", T0, T0 + seconds(120), 1000); });
    ASSERT_OK(n1);
    EXPECT_EQ(*n1, 1000);
    auto n2 = write_value<std::int64_t>(
        [&](Transaction& tx) { return tx.verifications().count("verifier_key:1", T0, T0 + seconds(120), 3); });
    ASSERT_OK(n2);
    EXPECT_EQ(*n2, 1003);
    VerifierKey k;
    k.name = "記録";
    k.key_hash = "hash-record";
    k.ids_per_minute = 10;
    k.created_at = T0;
    auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_keys().create(k); });
    ASSERT_OK(id);
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.verifications().record_call({*id, T0, "2026-01-01", 2, "10000000018,"});
    }));
}

// --- the console's counts ------------------------------------------------------------------------

TEST_P(RegistryContract, the_console_counts_agreements_by_terms_version_and_knows_when_each_key_was_last_used) {
    Declaration a = application("一"), b = application("二"), c = application("三");
    c.terms_version = "2027-1";
    create(a);
    create(b);
    create(c);
    auto counts = read<std::vector<std::pair<std::string, std::int64_t>>>(
        [](Transaction& tx) { return tx.console().agreements_by_terms(); });
    ASSERT_OK(counts);
    std::map<std::string, std::int64_t> by(counts->begin(), counts->end());
    EXPECT_EQ(by["2026-1"], 2);
    EXPECT_EQ(by["2027-1"], 1);
    VerifierKey used, idle;
    used.name = "使った";
    used.key_hash = "hash-used";
    idle.name = "未使用";
    idle.key_hash = "hash-idle";
    used.ids_per_minute = idle.ids_per_minute = 10;
    used.created_at = idle.created_at = T0;
    auto u = write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_keys().create(used); });
    ASSERT_OK(u);
    ASSERT_OK(write_value<std::int64_t>([&](Transaction& tx) { return tx.verifier_keys().create(idle); }));
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.verifications().record_call({*u, T0 + seconds(5), "", 1, "x"});
    }));
    ASSERT_OK(write([&](Transaction& tx) {
        return tx.verifications().record_call({*u, T0 + seconds(9), "", 1, "y"});
    }));
    auto last = read<std::vector<std::pair<std::int64_t, TimePoint>>>(
        [](Transaction& tx) { return tx.console().verifier_keys_last_used(); });
    ASSERT_OK(last);
    ASSERT_EQ(last->size(), 1u);
    EXPECT_EQ((*last)[0], std::pair(*u, T0 + seconds(9)));
}

}  // namespace
}  // namespace sengen::testing
