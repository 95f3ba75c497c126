// The storage contract of `sengen import` (ImportRepository, issue 12 point 9) on every engine:
// a declaration stored as it stood elsewhere, serials reserved so that issuing never repeats one,
// and the reads that find collisions.
#include <gtest/gtest.h>

#include <set>

#include "domain/identifiers.hpp"
#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using LS = lifecycle::Status;
using std::chrono::seconds;

class ImportContract : public StorageTest {
protected:
    // A declaration as the import checks it: issued elsewhere, with its own dates.
    static Declaration imported(std::int64_t serial, LS status = LS::Declared, const std::string& corp = "") {
        Declaration d;
        d.public_id = DeclarationId::make(1, serial);
        d.state = {status, 2};
        auto& a = d.details;
        a.terms_version = "2025-1";
        a.entity_type = corp.empty() ? "sole_proprietor" : "corporation";
        a.corporate_number = corp;
        a.business_name = "移転商店 " + std::to_string(serial);
        a.business_name_kana = "イテンショウテン";
        a.postal_code = "100-0001";
        a.prefecture = "13";
        a.address = "千代田区1-1";
        a.industry = "G";
        a.employees = "1-5";
        a.representative_title = "代表";
        a.representative_name = "移転 太郎";
        a.contact_name = "移転 花子";
        a.contact_email = "move" + std::to_string(serial) + "@example.jp";
        a.purposes = {"customer"};
        a.level = 2;
        a.principles_edition = "2023";
        a.assessment_date = "2024-04-01";
        a.policy_url = "https://example.jp/policy";
        a.lang = Lang::En;
        d.terms_version = a.terms_version;
        d.created_at = T0 - seconds(86400 * 400);
        d.terms_agreed_at = d.created_at;
        d.confirm_expires_at = d.created_at;
        d.declared_at = d.created_at;
        d.level_since = T0 - seconds(86400 * 30);
        if (status != LS::Declared) d.ended_at = T0 - seconds(86400);
        return d;
    }
    Result<std::int64_t> insert(const Declaration& d) {
        return write_value<std::int64_t>([&](Transaction& tx) { return tx.imports().insert(d); });
    }
};

INSTANTIATE_TEST_SUITE_P(Engines, ImportContract, ::testing::Values("sqlite", "postgres"), engine_name);

TEST_P(ImportContract, imported_declaration_is_stored_as_it_stood_with_its_dates_and_account) {
    auto d = imported(42, LS::Stopped, "1180301018771");
    auto account = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create(d.details.contact_email, Lang::En, T0); });
    ASSERT_OK(account);
    d.account_id = account->id;
    auto id = insert(d);
    ASSERT_OK(id);
    auto found = read<std::optional<Declaration>>(
        [&](Transaction& tx) { return tx.declarations().find_by_public_id(*d.public_id); });
    ASSERT_OK(found);
    ASSERT_TRUE(found->has_value());
    const Declaration& f = **found;
    EXPECT_EQ(f.id, *id);
    EXPECT_EQ(f.state, (lifecycle::State{LS::Stopped, 2}));
    EXPECT_EQ(f.account_id, account->id);
    EXPECT_EQ(f.declared_at, d.declared_at);
    EXPECT_EQ(f.level_since, d.level_since);
    EXPECT_EQ(f.ended_at, d.ended_at);
    EXPECT_EQ(f.created_at, d.created_at);
    EXPECT_EQ(f.details.corporate_number, "1180301018771");
    EXPECT_EQ(f.details.business_name, d.details.business_name);
    EXPECT_EQ(f.details.purposes, d.details.purposes);
    EXPECT_EQ(f.details.policy_url, d.details.policy_url);
    EXPECT_EQ(f.details.lang, Lang::En);
    EXPECT_EQ(f.terms_version, "2025-1");
    // The account sees it, as it would after confirming an application.
    auto mine =
        read<std::vector<Declaration>>([&](Transaction& tx) { return tx.declarations().for_account(account->id); });
    ASSERT_OK(mine);
    ASSERT_EQ(mine->size(), 1u);
    // And the public search lists it with its status.
    DeclarationRepository::SearchQuery q;
    auto listed = read<std::pair<std::vector<PublicDeclaration>, std::size_t>>(
        [&](Transaction& tx) { return tx.declarations().search(q); });
    ASSERT_OK(listed);
    EXPECT_EQ(listed->second, 1u);
}

TEST_P(ImportContract, an_id_taken_already_is_a_conflict) {
    ASSERT_OK(insert(imported(7)));
    auto again = insert(imported(7));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::Conflict);
}

TEST_P(ImportContract, a_second_live_declaration_of_one_corporate_number_is_a_conflict) {
    ASSERT_OK(insert(imported(1, LS::Declared, "1180301018771")));
    // A stopped one with the same number is fine: only live declarations hold a number.
    ASSERT_OK(insert(imported(2, LS::Stopped, "1180301018771")));
    auto again = insert(imported(3, LS::Declared, "1180301018771"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, Error::Kind::Conflict);
}

TEST_P(ImportContract, serials_issued_after_a_reservation_start_above_the_largest_reserved) {
    auto first = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().next_serial(T0); });
    ASSERT_OK(first);
    const std::vector<std::int64_t> serials{*first + 5, *first + 900, *first + 40};
    ASSERT_OK(write([&](Transaction& tx) { return tx.imports().reserve_serials(serials, T0); }));
    // Another node's store sees the same counter.
    auto other = open_other_node();
    ASSERT_OK(other);
    auto next = (*other)->query<std::int64_t>(TxMode::Write,
                                              [&](Transaction& tx) { return tx.declarations().next_serial(T0); });
    ASSERT_OK(next);
    EXPECT_GT(*next, *first + 900);
}

TEST_P(ImportContract, reserving_a_serial_issued_already_is_a_conflict_and_writes_nothing) {
    auto issued = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().next_serial(T0); });
    ASSERT_OK(issued);
    const std::vector<std::int64_t> serials{*issued + 1, *issued};
    auto st = write([&](Transaction& tx) { return tx.imports().reserve_serials(serials, T0); });
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    // The reservation of *issued + 1 rolled back with it: it can be reserved now.
    const std::vector<std::int64_t> one{*issued + 1};
    EXPECT_TRUE(write([&](Transaction& tx) { return tx.imports().reserve_serials(one, T0); }));
}

TEST_P(ImportContract, ids_between_finds_the_taken_ids_of_a_range_and_no_other) {
    for (std::int64_t s : {10, 20, 30, 40}) ASSERT_OK(insert(imported(s, s == 30 ? LS::Revoked : LS::Declared)));
    std::set<std::string> seen;
    ASSERT_OK(read<bool>([&](Transaction& tx) -> Result<bool> {
        auto st = tx.imports().ids_between(DeclarationId::make(1, 15).digits(), DeclarationId::make(1, 35).digits(),
                                           [&](std::string_view id) { seen.emplace(id); });
        if (!st) return fail(st.error());
        return true;
    }));
    EXPECT_EQ(seen, (std::set<std::string>{DeclarationId::make(1, 20).digits(), DeclarationId::make(1, 30).digits()}));
}

TEST_P(ImportContract, live_corporate_numbers_lists_only_live_declarations) {
    ASSERT_OK(insert(imported(1, LS::Declared, "1180301018771")));
    ASSERT_OK(insert(imported(2, LS::Stopped, "8000000000001")));
    ASSERT_OK(insert(imported(3, LS::Declared)));
    std::multiset<std::string> seen;
    ASSERT_OK(read<bool>([&](Transaction& tx) -> Result<bool> {
        auto st = tx.imports().live_corporate_numbers([&](std::string_view n) { seen.emplace(n); });
        if (!st) return fail(st.error());
        return true;
    }));
    EXPECT_EQ(seen, (std::multiset<std::string>{"1180301018771"}));
}

}  // namespace
}  // namespace sengen::testing
