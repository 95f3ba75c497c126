// The storage contract of the ★★ toolkit: saved self-assessments and basic security policies
// (drafts and published versions), run against each engine like contract_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <set>
#include <thread>

#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using assessment::Answer;
using std::chrono::seconds;

class ToolkitContract : public StorageTest {
protected:
    std::int64_t account(const std::string& email) {
        auto a =
            write_value<Account>([&](Transaction& tx) { return tx.accounts().find_or_create(email, Lang::Ja, T0); });
        EXPECT_TRUE(a) << a.error().detail;
        return a ? a->id : 0;
    }

    std::int64_t create_policy(std::int64_t owner, const std::string& slug, const policy::Draft& d = {}) {
        auto id = write_value<std::int64_t>(
            [&](Transaction& tx) { return tx.policies().create(owner, slug, "2026-1", d, T0); });
        EXPECT_TRUE(id) << id.error().code << ": " << id.error().detail;
        return id.value_or(0);
    }

    std::optional<SavedPolicy> get(std::int64_t owner, std::int64_t id) {
        auto p = read<std::optional<SavedPolicy>>([&](Transaction& tx) { return tx.policies().get(owner, id); });
        EXPECT_TRUE(p) << p.error().detail;
        return p.value_or(std::nullopt);
    }

    Result<PolicyVersion> publish(std::int64_t owner, std::int64_t id, const policy::Document& doc, TimePoint at) {
        return write_value<PolicyVersion>([&](Transaction& tx) { return tx.policies().publish(owner, id, doc, at); });
    }

    std::vector<PolicyVersionEntry> version_list(std::int64_t id, int at_most, int limit) {
        auto v = read<std::vector<PolicyVersionEntry>>(
            [&](Transaction& tx) { return tx.policies().version_list(id, at_most, limit); });
        EXPECT_TRUE(v) << v.error().detail;
        return v.value_or(std::vector<PolicyVersionEntry>{});
    }

    // Every version with its document, newest first: the whole list, each version read by number.
    std::vector<PolicyVersion> versions(std::int64_t id) {
        std::vector<PolicyVersion> out;
        for (const auto& e : version_list(id, std::numeric_limits<int>::max(), 1000)) {
            auto v = read<std::optional<PolicyVersion>>(
                [&](Transaction& tx) { return tx.policies().version(id, e.number); });
            EXPECT_TRUE(v && v->has_value()) << "version " << e.number;
            if (v && *v) {
                EXPECT_EQ((*v)->published_at, e.published_at);
                out.push_back(std::move(**v));
            }
        }
        return out;
    }
};

INSTANTIATE_TEST_SUITE_P(Engines, ToolkitContract, ::testing::Values("sqlite", "postgres"), engine_name);

policy::Draft sample_draft() {
    policy::Draft d;
    d.lang = Lang::Ja;
    d.business_name = "株式会社さくら印刷";
    d.assets = "customers";
    d.established = "2026-04-01";
    d.representative_title = "代表取締役";
    d.representative_name = "佐藤 花子";
    d.sections[2] = "一行目\n二行目 <b>&amp;</b> \"引用\"";
    return d;
}

policy::Document sample_document(const std::string& preamble) {
    policy::Document doc;
    doc.template_edition = "2026-1";
    doc.lang = Lang::Ja;
    doc.title = "情報セキュリティ基本方針";
    doc.business_name = "株式会社さくら印刷";
    doc.preamble = preamble;
    doc.sections = {{"経営者の責任", "本文1"}, {"社内体制の整備", "本文2\n改行"}};
    doc.established = "2026-04-01";
    doc.representative_title = "代表取締役";
    doc.representative_name = "佐藤 花子";
    doc.established_label = "制定日";
    doc.revised_label = "改定日";
    return doc;
}

assessment::Answers answers(Answer a) {
    assessment::Answers out;
    for (int n = 1; n <= 25; ++n) out[n] = n % 3 ? Answer::Done : a;
    return out;
}

// --- saved self-assessments ----------------------------------------------------------------------

TEST_P(ToolkitContract, saved_assessments_come_back_newest_first_and_only_to_their_account) {
    const auto a = answers(Answer::Unknown);
    const auto b = answers(Answer::Partly);
    auto first =
        write_value<std::int64_t>([&](Transaction& tx) { return tx.assessments().save(7, "2023", a, 56, T0); });
    auto second = write_value<std::int64_t>(
        [&](Transaction& tx) { return tx.assessments().save(7, "2023", b, 84, T0 + seconds(86400)); });
    auto other = write_value<std::int64_t>(
        [&](Transaction& tx) { return tx.assessments().save(8, "2023", b, 84, T0 + seconds(100)); });
    ASSERT_OK(first);
    ASSERT_OK(second);
    ASSERT_OK(other);
    auto list = read<std::vector<SavedAssessment>>([&](Transaction& tx) { return tx.assessments().list(7, 10); });
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].id, *second);
    EXPECT_EQ((*list)[0].score, 84);
    EXPECT_EQ((*list)[0].answers, b);
    EXPECT_EQ((*list)[0].taken_at, T0 + seconds(86400));
    EXPECT_EQ((*list)[1].id, *first);
    EXPECT_EQ((*list)[1].answers, a);
    EXPECT_EQ((*list)[1].edition, "2023");
    auto limited = read<std::vector<SavedAssessment>>([&](Transaction& tx) { return tx.assessments().list(7, 1); });
    ASSERT_OK(limited);
    ASSERT_EQ(limited->size(), 1u);
    EXPECT_EQ(limited->front().id, *second);
    auto mine = read<std::optional<SavedAssessment>>([&](Transaction& tx) { return tx.assessments().get(7, *first); });
    ASSERT_OK(mine);
    ASSERT_TRUE(mine->has_value());
    EXPECT_EQ((*mine)->score, 56);
    auto theirs =
        read<std::optional<SavedAssessment>>([&](Transaction& tx) { return tx.assessments().get(8, *first); });
    ASSERT_OK(theirs);
    EXPECT_FALSE(theirs->has_value());
}

// --- policies: drafts ------------------------------------------------------------------------------

TEST_P(ToolkitContract, a_new_policy_is_a_draft_with_every_field_kept) {
    const auto owner = account("owner@example.jp");
    const auto d = sample_draft();
    const auto id = create_policy(owner, "abcdefgh23", d);
    auto p = get(owner, id);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->id, id);
    EXPECT_EQ(p->account_id, owner);
    EXPECT_EQ(p->slug, "abcdefgh23");
    EXPECT_EQ(p->template_edition, "2026-1");
    EXPECT_EQ(p->status, SavedPolicy::Status::Draft);
    EXPECT_EQ(p->versions, 0);
    EXPECT_EQ(p->created_at, T0);
    EXPECT_EQ(p->draft.business_name, d.business_name);
    EXPECT_EQ(p->draft.assets, "customers");
    EXPECT_EQ(p->draft.established, "2026-04-01");
    EXPECT_EQ(p->draft.representative_name, "佐藤 花子");
    EXPECT_FALSE(p->draft.preamble.has_value());
    EXPECT_FALSE(p->draft.sections[0].has_value());
    EXPECT_EQ(p->draft.sections[2], d.sections[2]);  // line breaks and markup-like text as typed
}

TEST_P(ToolkitContract, a_taken_slug_is_a_conflict_and_stores_nothing) {
    const auto owner = account("owner@example.jp");
    create_policy(owner, "samesluggg");
    auto again = write_value<std::int64_t>(
        [&](Transaction& tx) { return tx.policies().create(owner, "samesluggg", "2026-1", {}, T0); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::Conflict);
    auto list = read<std::vector<SavedPolicy>>([&](Transaction& tx) { return tx.policies().for_account(owner); });
    ASSERT_OK(list);
    EXPECT_EQ(list->size(), 1u);
}

TEST_P(ToolkitContract, a_conflict_leaves_the_transaction_usable_for_another_slug) {
    const auto owner = account("owner@example.jp");
    create_policy(owner, "samesluggg");
    auto id = write_value<std::int64_t>([&](Transaction& tx) -> Result<std::int64_t> {
        auto first = tx.policies().create(owner, "samesluggg", "2026-1", {}, T0);
        if (first) return fail(Error::unavailable("test", "expected a conflict"));
        return tx.policies().create(owner, "otherslug2", "2026-1", {}, T0);
    });
    ASSERT_OK(id);
    EXPECT_TRUE(get(owner, *id).has_value());
}

TEST_P(ToolkitContract, a_policy_is_found_only_by_its_account_or_its_slug) {
    const auto owner = account("owner@example.jp");
    const auto stranger = account("stranger@example.jp");
    const auto id = create_policy(owner, "findmeslug");
    EXPECT_FALSE(get(stranger, id).has_value());
    auto by_slug =
        read<std::optional<SavedPolicy>>([&](Transaction& tx) { return tx.policies().find_by_slug("findmeslug"); });
    ASSERT_OK(by_slug);
    ASSERT_TRUE(by_slug->has_value());
    EXPECT_EQ((*by_slug)->id, id);
    auto none =
        read<std::optional<SavedPolicy>>([&](Transaction& tx) { return tx.policies().find_by_slug("nosuchslug"); });
    ASSERT_OK(none);
    EXPECT_FALSE(none->has_value());
}

TEST_P(ToolkitContract, an_accounts_policies_are_listed_newest_first) {
    const auto owner = account("owner@example.jp");
    const auto other = account("other@example.jp");
    const auto first = create_policy(owner, "firstslug2");
    create_policy(other, "otherslug2");
    const auto second = create_policy(owner, "secondslug");
    auto list = read<std::vector<SavedPolicy>>([&](Transaction& tx) { return tx.policies().for_account(owner); });
    ASSERT_OK(list);
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].id, second);
    EXPECT_EQ((*list)[1].id, first);
}

TEST_P(ToolkitContract, saving_a_draft_replaces_it_only_for_its_owner) {
    const auto owner = account("owner@example.jp");
    const auto stranger = account("stranger@example.jp");
    const auto id = create_policy(owner, "draftslug2");
    auto d = sample_draft();
    d.preamble = "前文を書き直しました。\n\n二段落目です。";
    ASSERT_OK(write([&](Transaction& tx) { return tx.policies().save_draft(owner, id, d, T0 + seconds(60)); }));
    auto p = get(owner, id);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->draft.preamble, d.preamble);
    EXPECT_EQ(p->updated_at, T0 + seconds(60));
    auto theirs = write([&](Transaction& tx) { return tx.policies().save_draft(stranger, id, {}, T0); });
    ASSERT_FALSE(theirs);
    EXPECT_EQ(theirs.error().kind, Error::Kind::NotFound);
    EXPECT_EQ(get(owner, id)->draft.preamble, d.preamble);
}

// --- policies: publishing ------------------------------------------------------------------------

TEST_P(ToolkitContract, publishing_numbers_versions_and_keeps_each_unchanged) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "publishme2");
    auto v1 = publish(owner, id, sample_document("第1版の前文"), T0 + seconds(10));
    ASSERT_OK(v1);
    EXPECT_EQ(v1->number, 1);
    auto p = get(owner, id);
    EXPECT_EQ(p->status, SavedPolicy::Status::Published);
    EXPECT_EQ(p->versions, 1);
    auto v2 = publish(owner, id, sample_document("第2版の前文"), T0 + seconds(20));
    ASSERT_OK(v2);
    EXPECT_EQ(v2->number, 2);
    auto all = versions(id);
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].number, 2);  // newest first
    EXPECT_EQ(all[0].document.preamble, "第2版の前文");
    EXPECT_EQ(all[1].number, 1);
    EXPECT_EQ(all[1].document.preamble, "第1版の前文");
    EXPECT_EQ(all[1].published_at, T0 + seconds(10));
    EXPECT_EQ(all[1].document.sections.size(), 2u);
    EXPECT_EQ(all[1].document.sections[1].body, "本文2\n改行");
    auto one = read<std::optional<PolicyVersion>>([&](Transaction& tx) { return tx.policies().version(id, 1); });
    ASSERT_OK(one);
    ASSERT_TRUE(one->has_value());
    EXPECT_EQ((*one)->document.preamble, "第1版の前文");
    EXPECT_EQ((*one)->document.representative_name, "佐藤 花子");
    auto missing = read<std::optional<PolicyVersion>>([&](Transaction& tx) { return tx.policies().version(id, 3); });
    ASSERT_OK(missing);
    EXPECT_FALSE(missing->has_value());
}

TEST_P(ToolkitContract, the_list_of_versions_comes_a_page_at_a_time_newest_first) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "manyversio");
    const auto other = create_policy(owner, "otherpolic");
    for (int n = 1; n <= 7; ++n)
        ASSERT_OK(publish(owner, id, sample_document("第" + std::to_string(n) + "版"), T0 + seconds(n)));
    ASSERT_OK(publish(owner, other, sample_document("別の方針"), T0));

    auto first_page = version_list(id, 7, 3);
    ASSERT_EQ(first_page.size(), 3u);
    EXPECT_EQ(first_page[0].number, 7);
    EXPECT_EQ(first_page[0].published_at, T0 + seconds(7));
    EXPECT_EQ(first_page[2].number, 5);
    auto second_page = version_list(id, 4, 3);
    ASSERT_EQ(second_page.size(), 3u);
    EXPECT_EQ(second_page[0].number, 4);
    EXPECT_EQ(second_page[2].number, 2);
    auto last_page = version_list(id, 1, 3);
    ASSERT_EQ(last_page.size(), 1u);
    EXPECT_EQ(last_page[0].number, 1);
    EXPECT_EQ(last_page[0].published_at, T0 + seconds(1));
    EXPECT_TRUE(version_list(id, 0, 3).empty());
    // A number past the newest starts at the newest; another policy's versions never appear.
    auto past = version_list(id, 100, 2);
    ASSERT_EQ(past.size(), 2u);
    EXPECT_EQ(past[0].number, 7);
    auto others = version_list(other, 100, 10);
    ASSERT_EQ(others.size(), 1u);
    EXPECT_EQ(others[0].number, 1);
}

TEST_P(ToolkitContract, a_stranger_cannot_publish_someone_elses_policy) {
    const auto owner = account("owner@example.jp");
    const auto stranger = account("stranger@example.jp");
    const auto id = create_policy(owner, "notyours22");
    auto v = publish(stranger, id, sample_document("x"), T0);
    ASSERT_FALSE(v);
    EXPECT_EQ(v.error().kind, Error::Kind::NotFound);
    EXPECT_TRUE(versions(id).empty());
    EXPECT_EQ(get(owner, id)->status, SavedPolicy::Status::Draft);
}

TEST_P(ToolkitContract, a_failed_publication_rolls_back_its_number) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "rollback22");
    auto failed = write([&](Transaction& tx) -> Status {
        auto v = tx.policies().publish(owner, id, sample_document("x"), T0);
        if (!v) return fail(v.error());
        return fail(Error::conflict("test.abort"));
    });
    ASSERT_FALSE(failed);
    EXPECT_TRUE(versions(id).empty());
    auto p = get(owner, id);
    EXPECT_EQ(p->versions, 0);
    EXPECT_EQ(p->status, SavedPolicy::Status::Draft);
    auto v = publish(owner, id, sample_document("y"), T0);
    ASSERT_OK(v);
    EXPECT_EQ(v->number, 1);
}

TEST_P(ToolkitContract, a_published_version_cannot_be_changed_even_by_sql) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "immutable2");
    ASSERT_OK(publish(owner, id, sample_document("元の前文"), T0));
    // The database itself refuses (a trigger), whatever code runs against it: here a raw
    // statement run as if it were a migration.
    const std::string sql = "UPDATE policy_versions SET document = '{}' WHERE policy_id = " + std::to_string(id);
    auto raw = store_->apply_migrations({storage::Migration{9999, "9999_rewrite_a_version.sql", sql}});
    ASSERT_FALSE(raw);
    EXPECT_NE(raw.error().detail.find("never changes"), std::string::npos) << raw.error().detail;
    EXPECT_EQ(versions(id).at(0).document.preamble, "元の前文");
}

TEST_P(ToolkitContract, concurrent_publications_from_two_nodes_get_distinct_numbers) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "racing2222");
    auto other = open_other_node();
    ASSERT_OK(other);
    constexpr int kEach = 6;
    std::vector<int> numbers_a, numbers_b;
    auto run = [&](storage::Database& db, std::vector<int>& out) {
        for (int i = 0; i < kEach; ++i) {
            auto v = db.query<PolicyVersion>(TxMode::Write, [&](Transaction& tx) {
                return tx.policies().publish(owner, id, sample_document("n"), T0);
            });
            if (v) out.push_back(v->number);
        }
    };
    std::thread a([&] { run(*store_, numbers_a); });
    std::thread b([&] { run(**other, numbers_b); });
    a.join();
    b.join();
    EXPECT_EQ(numbers_a.size(), static_cast<std::size_t>(kEach));
    EXPECT_EQ(numbers_b.size(), static_cast<std::size_t>(kEach));
    std::set<int> all(numbers_a.begin(), numbers_a.end());
    all.insert(numbers_b.begin(), numbers_b.end());
    EXPECT_EQ(all.size(), static_cast<std::size_t>(2 * kEach));
    EXPECT_EQ(*all.begin(), 1);
    EXPECT_EQ(*all.rbegin(), 2 * kEach);
    EXPECT_EQ(get(owner, id)->versions, 2 * kEach);
}

TEST_P(ToolkitContract, a_held_policy_makes_another_node_wait_and_then_see_the_new_version) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "holding333");
    ASSERT_OK(publish(owner, id, sample_document("v1"), T0));
    auto other = open_other_node();
    ASSERT_OK(other);
    std::atomic<bool> held{false};
    std::optional<int> seen_by_second;
    // The first node holds the policy, publishes and lingers before committing; the second holds
    // it meanwhile and then reads how many versions there are.
    std::thread first([&] {
        auto st = store_->transact(TxMode::Write, [&](Transaction& tx) -> Status {
            if (auto ok = tx.policies().lock(owner, id); !ok) return ok;
            held = true;
            if (auto v = tx.policies().publish(owner, id, sample_document("v2"), T0 + seconds(1)); !v)
                return fail(v.error());
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            return {};
        });
        EXPECT_TRUE(st) << st.error().detail;
    });
    while (!held) std::this_thread::yield();
    auto st = (*other)->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto ok = tx.policies().lock(owner, id); !ok) return ok;
        auto p = tx.policies().get(owner, id);
        if (!p) return fail(p.error());
        seen_by_second = (*p)->versions;
        return {};
    });
    first.join();
    ASSERT_OK(st);
    EXPECT_EQ(seen_by_second, std::optional<int>(2));
}

TEST_P(ToolkitContract, only_the_owner_can_hold_a_policy) {
    const auto owner = account("owner@example.jp");
    const auto stranger = account("stranger@example.jp");
    const auto id = create_policy(owner, "holding444");
    ASSERT_OK(write([&](Transaction& tx) { return tx.policies().lock(owner, id); }));
    auto refused = write([&](Transaction& tx) { return tx.policies().lock(stranger, id); });
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::NotFound);
    EXPECT_EQ(get(owner, id)->updated_at, T0);  // holding changes nothing
}

// --- policies: taking down -----------------------------------------------------------------------

TEST_P(ToolkitContract, unpublishing_keeps_the_versions_and_publishing_again_adds_the_next) {
    const auto owner = account("owner@example.jp");
    const auto id = create_policy(owner, "takedown22");
    ASSERT_OK(publish(owner, id, sample_document("一"), T0));
    ASSERT_OK(write([&](Transaction& tx) { return tx.policies().unpublish(owner, id, T0 + seconds(5)); }));
    auto p = get(owner, id);
    EXPECT_EQ(p->status, SavedPolicy::Status::Unpublished);
    EXPECT_EQ(p->versions, 1);
    EXPECT_EQ(versions(id).size(), 1u);
    auto again = write([&](Transaction& tx) { return tx.policies().unpublish(owner, id, T0); });
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::NotFound);
    auto v2 = publish(owner, id, sample_document("二"), T0 + seconds(9));
    ASSERT_OK(v2);
    EXPECT_EQ(v2->number, 2);
    EXPECT_EQ(get(owner, id)->status, SavedPolicy::Status::Published);
}

TEST_P(ToolkitContract, neither_a_draft_nor_a_strangers_policy_can_be_unpublished) {
    const auto owner = account("owner@example.jp");
    const auto stranger = account("stranger@example.jp");
    const auto id = create_policy(owner, "staysdraft");
    auto draft = write([&](Transaction& tx) { return tx.policies().unpublish(owner, id, T0); });
    ASSERT_FALSE(draft);
    EXPECT_EQ(draft.error().kind, Error::Kind::NotFound);
    ASSERT_OK(publish(owner, id, sample_document("一"), T0));
    auto theirs = write([&](Transaction& tx) { return tx.policies().unpublish(stranger, id, T0); });
    ASSERT_FALSE(theirs);
    EXPECT_EQ(get(owner, id)->status, SavedPolicy::Status::Published);
}

}  // namespace
}  // namespace sengen::testing
