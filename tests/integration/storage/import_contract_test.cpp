// The storage contract of `sengen import` (ImportRepository, issue 12 point 9) on every engine:
// a declaration stored as it stood elsewhere, serials reserved so that issuing never repeats one,
// and the reads that find collisions.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <tuple>

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
    Result<std::int64_t> insert(const Declaration& d, std::optional<TimePoint> imported_at = std::nullopt) {
        return write_value<std::int64_t>([&](Transaction& tx) -> Result<std::int64_t> {
            std::vector<Declaration> one{d};
            if (auto ok = tx.imports().insert_all(one, {}, imported_at); !ok) return fail(ok.error());
            return one[0].id;
        });
    }
    Status insert_all(std::vector<Declaration>& ds) {
        return write([&](Transaction& tx) { return tx.imports().insert_all(ds, {}, std::nullopt); });
    }
    // `n` declarations with the serials from..from+n-1, each with its own corporate number.
    static std::vector<Declaration> many(std::int64_t from, std::size_t n) {
        std::vector<Declaration> out;
        for (std::size_t i = 0; i < n; ++i) out.push_back(imported(from + static_cast<std::int64_t>(i)));
        return out;
    }
    std::size_t stored() {
        auto n = read<std::size_t>([&](Transaction& tx) -> Result<std::size_t> {
            std::size_t count = 0;
            auto st = tx.imports().ids_between("00000000000", "99999999999", [&](std::string_view) { ++count; });
            if (!st) return fail(st.error());
            return count;
        });
        return n ? *n : 0;
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

// ADR 0064: an imported row keeps the past its history replays, read before the events recorded
// for it afterwards, by bulk verification, by /verify and by the console; a row written by seeding
// has none.
TEST_P(ImportContract, an_imported_row_keeps_its_past_for_its_history_and_the_console) {
    const auto moved = imported(43);  // ★★ since 30 days ago, declared 400 days ago
    auto id = insert(moved, T0);
    ASSERT_OK(id);
    auto seeded = insert(imported(44));
    ASSERT_OK(seeded);
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (const AuditEvent& e : {AuditEvent{0, T0, "import:ops", "declarations.import", "", "", R"({"rows":"1"})"},
                                    AuditEvent{0, T0 + seconds(5), "account:1", "declaration.stop",
                                               "declaration:" + std::to_string(*id), "", R"({"status":"stopped"})"}})
            if (auto r = tx.audit().record(e); !r) return fail(r.error());
        return {};
    }));
    using history::Action;
    auto brief = [](const std::vector<history::Recorded>& rs) {
        std::vector<std::tuple<TimePoint, Action, int>> out;
        out.reserve(rs.size());
        for (const auto& r : rs) out.emplace_back(r.at, r.action, r.level);
        return out;
    };
    const std::vector<std::tuple<TimePoint, Action, int>> expected{{*moved.declared_at, Action::Imported, 1},
                                                                   {*moved.level_since, Action::StepUp, 2},
                                                                   {T0 + seconds(5), Action::Stop, 0}};
    auto one = read<std::vector<history::Recorded>>(
        [&](Transaction& tx) { return tx.verifications().events_of_public(*moved.public_id); });
    ASSERT_OK(one);
    EXPECT_EQ(brief(*one), expected);
    auto none = read<std::vector<history::Recorded>>(
        [&](Transaction& tx) { return tx.verifications().events_of_public(*imported(44).public_id); });
    ASSERT_OK(none);
    EXPECT_TRUE(none->empty());

    std::map<std::int64_t, std::vector<history::Recorded>> by_id;
    ASSERT_OK(read<bool>([&](Transaction& tx) -> Result<bool> {
        const std::int64_t ids[] = {*seeded, *id};
        auto st = tx.verifications().events_of(
            ids, [&](std::int64_t i, const history::Recorded& r) { by_id[i].push_back(r); });
        if (!st) return fail(st.error());
        return true;
    }));
    // Bulk verification reads the audit log's events by id, and the import's past with the rows.
    EXPECT_EQ(by_id.size(), 1u);
    EXPECT_EQ(brief(by_id[*id]), (std::vector<std::tuple<TimePoint, Action, int>>{expected.back()}));
    auto rows = read<std::vector<VerifiedDeclaration>>([&](Transaction& tx) {
        const DeclarationId ids[] = {*moved.public_id, *imported(44).public_id};
        const DeclarationId* wanted[] = {&ids[0], &ids[1]};
        return tx.verifications().find_many(wanted);
    });
    ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 2u);
    for (const auto& row : *rows) {
        if (row.id == *id) {
            ASSERT_TRUE(row.imported.has_value());
            EXPECT_EQ(row.imported->level, 2);
            EXPECT_EQ(row.imported->level_since, *moved.level_since);
        } else {
            EXPECT_FALSE(row.imported.has_value());
        }
    }

    auto origin = read<std::optional<ImportOrigin>>([&](Transaction& tx) { return tx.imports().origin_of(*id); });
    ASSERT_OK(origin);
    ASSERT_TRUE(origin->has_value());
    EXPECT_EQ((*origin)->actor, "import:ops");
    EXPECT_EQ((*origin)->as.level, 2);
    EXPECT_EQ((*origin)->as.level_since, *moved.level_since);
    origin = read<std::optional<ImportOrigin>>([&](Transaction& tx) { return tx.imports().origin_of(*seeded); });
    ASSERT_OK(origin);
    EXPECT_FALSE(origin->has_value());
}

// The bulk writer cuts a run into statements of 256, 32, 4 and 1 rows; 549 = 2 * 256 + 32 + 4 + 1
// uses every size, so a row lost or bound twice at a seam shows here.
TEST_P(ImportContract, insert_all_stores_every_row_of_a_run_that_is_no_multiple_of_a_statement_with_its_own_id) {
    auto ds = many(1000, 549);
    ds[548].details.corporate_number = "1180301018771";
    ds[548].details.entity_type = "corporation";
    ASSERT_OK(insert_all(ds));
    EXPECT_EQ(stored(), 549u);
    std::set<std::int64_t> ids;
    for (const auto& d : ds) ids.insert(d.id);
    EXPECT_EQ(ids.size(), 549u);
    EXPECT_FALSE(ids.contains(0));
    // Each id is the row of its own public ID, at the seams of the statements too.
    for (std::size_t i : {0u, 255u, 256u, 511u, 512u, 543u, 544u, 547u, 548u}) {
        auto found = read<std::optional<Declaration>>(
            [&](Transaction& tx) { return tx.declarations().find_by_public_id(*ds[i].public_id); });
        ASSERT_OK(found);
        ASSERT_TRUE(found->has_value());
        EXPECT_EQ((*found)->id, ds[i].id) << i;
        EXPECT_EQ((*found)->details.business_name, ds[i].details.business_name) << i;
        EXPECT_EQ((*found)->declared_at, ds[i].declared_at) << i;
    }
    auto last = read<std::optional<Declaration>>(
        [&](Transaction& tx) { return tx.declarations().find_by_public_id(*ds[548].public_id); });
    ASSERT_OK(last);
    EXPECT_EQ((**last).details.corporate_number, "1180301018771");
}

TEST_P(ImportContract, a_repeated_id_inside_one_statement_refuses_the_whole_run_and_writes_nothing) {
    auto ds = many(1, 10);
    ds[7].public_id = ds[2].public_id;
    auto st = insert_all(ds);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    EXPECT_EQ(stored(), 0u);
}

TEST_P(ImportContract, a_repeated_id_in_a_later_statement_refuses_the_whole_run_and_writes_nothing) {
    auto ds = many(1, 300);
    ds[290].public_id = ds[3].public_id;  // the first statement holds rows 0..255
    auto st = insert_all(ds);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    EXPECT_EQ(stored(), 0u);
}

TEST_P(ImportContract, a_collision_in_the_last_statement_of_a_run_leaves_nothing_of_the_run) {
    ASSERT_OK(insert(imported(5000)));
    auto ds = many(1, 549);
    ds[548].public_id = DeclarationId::make(1, 5000);  // the last row, alone in the last statement
    auto st = insert_all(ds);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    EXPECT_EQ(stored(), 1u);
    // Nor does a second live declaration of one corporate number get in at the end of a run.
    auto again = many(1, 300);
    again[0].details.corporate_number = again[299].details.corporate_number = "1180301018771";
    again[0].details.entity_type = again[299].details.entity_type = "corporation";
    st = insert_all(again);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().kind, Error::Kind::Conflict);
    EXPECT_EQ(stored(), 1u);
}

// TxMode::WriteMany (what `sengen import` writes in) may check references once, before it
// commits, instead of row by row (on SQLite it does): a declaration whose account does not exist
// still fails the transaction, with nothing written, and the connection checks each row again in
// the transactions after it.
TEST_P(ImportContract, write_many_refuses_a_reference_that_does_not_hold_and_writes_nothing) {
    auto bulk = [&](std::vector<Declaration>& ds, bool attach) {
        return store_->transact(TxMode::WriteMany, [&](Transaction& tx) -> Status {
            if (attach)
                if (auto ok = tx.imports().attach_accounts(ds, T0); !ok) return ok;
            return tx.imports().insert_all(ds, {}, std::nullopt);
        });
    };
    auto dangling = many(1, 300);
    dangling[299].account_id = 987654321;  // no such account, in the last statement of the run
    auto st = bulk(dangling, false);
    ASSERT_FALSE(st);
    EXPECT_EQ(stored(), 0u);
    // With real accounts the same run is written whole.
    auto good = many(1, 300);
    ASSERT_OK(bulk(good, true));
    EXPECT_EQ(stored(), 300u);
    // Afterwards an ordinary transaction refuses a dangling reference at once, as before.
    auto one = imported(1000);
    one.account_id = 987654321;
    EXPECT_FALSE(insert(one));
    EXPECT_EQ(stored(), 300u);
}

TEST_P(ImportContract, attach_accounts_gives_one_account_per_address_and_reuses_an_existing_one) {
    auto existing = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("Known@Example.jp", Lang::Ja, T0); });
    ASSERT_OK(existing);
    auto ds = many(1, 300);
    ds[10].details.contact_email = "known@example.jp";
    ds[20].details.contact_email = "shared@example.jp";
    ds[290].details.contact_email = "SHARED@example.jp";  // the same account as email_key folds it
    ASSERT_OK(write([&](Transaction& tx) { return tx.imports().attach_accounts(ds, T0); }));
    EXPECT_EQ(ds[10].account_id, existing->id);
    ASSERT_TRUE(ds[20].account_id);
    EXPECT_EQ(ds[290].account_id, ds[20].account_id);
    std::set<std::int64_t> accounts;
    for (const auto& d : ds) {
        ASSERT_TRUE(d.account_id);
        accounts.insert(*d.account_id);
    }
    EXPECT_EQ(accounts.size(), 299u);  // 300 rows, two of them one address
    // The account is made in the language and with the address of its first declaration.
    auto made =
        read<std::optional<Account>>([&](Transaction& tx) { return tx.accounts().find_by_email("shared@example.jp"); });
    ASSERT_OK(made);
    ASSERT_TRUE(made->has_value());
    EXPECT_EQ((*made)->id, *ds[20].account_id);
    EXPECT_EQ((*made)->email, "shared@example.jp");
    EXPECT_EQ((*made)->lang, Lang::En);
    // An account made afterwards gets an id above every one the import made.
    auto later = write_value<Account>(
        [&](Transaction& tx) { return tx.accounts().find_or_create("later@example.jp", Lang::Ja, T0); });
    ASSERT_OK(later);
    EXPECT_GT(later->id, *accounts.rbegin());
}

TEST_P(ImportContract, draw_serials_draws_fresh_ascending_serials_that_issuing_then_continues_after) {
    auto before = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().next_serial(T0); });
    ASSERT_OK(before);
    const std::vector<TimePoint> at(37, T0);
    auto drawn = write_value<std::vector<std::int64_t>>([&](Transaction& tx) { return tx.imports().draw_serials(at); });
    ASSERT_OK(drawn);
    ASSERT_EQ(drawn->size(), 37u);
    EXPECT_GT(drawn->front(), *before);
    EXPECT_TRUE(std::is_sorted(drawn->begin(), drawn->end()));
    EXPECT_EQ(std::set<std::int64_t>(drawn->begin(), drawn->end()).size(), 37u);
    auto after = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().next_serial(T0); });
    ASSERT_OK(after);
    EXPECT_GT(*after, drawn->back());
}

// The import stores each declaration's transparency log record salt with its row (ADR 57), so
// that logging it does not write the row a second time; without salts none is stored.
TEST_P(ImportContract, insert_all_stores_the_record_salts_it_is_given_with_the_rows) {
    auto ds = many(800, 300);
    std::vector<std::string> salts;
    for (std::size_t i = 0; i < ds.size(); ++i) salts.push_back(std::string(63, 'a') + std::to_string(i % 10));
    ASSERT_OK(write([&](Transaction& tx) { return tx.imports().insert_all(ds, salts, std::nullopt); }));
    auto without = many(2000, 2);
    ASSERT_OK(insert_all(without));
    for (std::size_t i : {0u, 255u, 256u, 299u}) {
        auto salt = read<std::optional<std::string>>(
            [&](Transaction& tx) { return tx.transparency_log().record_salt(ds[i].id); });
        ASSERT_OK(salt);
        EXPECT_EQ(*salt, std::optional(salts[i])) << i;
    }
    auto none = read<std::optional<std::string>>(
        [&](Transaction& tx) { return tx.transparency_log().record_salt(without[1].id); });
    ASSERT_OK(none);
    EXPECT_EQ(*none, std::nullopt);
    // A count that does not match the rows is refused before anything is written.
    auto more = many(3000, 2);
    auto st =
        write([&](Transaction& tx) { return tx.imports().insert_all(more, std::span(salts).first(1), std::nullopt); });
    ASSERT_FALSE(st);
    EXPECT_EQ(stored(), 302u);
}

// On PostgreSQL the rows go by COPY, whose text format gives a tab, a newline, a carriage return
// and a backslash meanings of their own (ADR 57): each must come back as it went in, beside quotes,
// a value that reads like COPY's NULL or end-of-data marks, and Japanese text.
TEST_P(ImportContract, insert_all_keeps_tabs_backslashes_newlines_quotes_and_japanese_as_they_are) {
    auto ds = many(700, 3);
    auto& a = ds[1].details;
    a.business_name = "移転\t商店 \"引用\" 'single' \\ 終";
    a.address = "千代田区\\1-1\n二行目\r\n三行目\\n\\t";
    a.representative_name = "\\N";
    a.contact_name = "\\.";
    a.website = "https://example.jp/a\\tb?q=\"x\"&r='y'";
    ds[1].end_reason = "\t";
    ASSERT_OK(insert_all(ds));
    for (const auto& d : ds) {
        auto found = read<std::optional<Declaration>>(
            [&](Transaction& tx) { return tx.declarations().find_by_public_id(*d.public_id); });
        ASSERT_OK(found);
        ASSERT_TRUE(found->has_value());
        const Declaration& f = **found;
        EXPECT_EQ(f.id, d.id);
        EXPECT_EQ(f.details.business_name, d.details.business_name);
        EXPECT_EQ(f.details.business_name_kana, d.details.business_name_kana);
        EXPECT_EQ(f.details.address, d.details.address);
        EXPECT_EQ(f.details.representative_name, d.details.representative_name);
        EXPECT_EQ(f.details.contact_name, d.details.contact_name);
        EXPECT_EQ(f.details.website, d.details.website);
        EXPECT_EQ(f.end_reason, d.end_reason);
        EXPECT_EQ(f.ended_at, d.ended_at);  // NULL stays NULL
    }
}

TEST_P(ImportContract, record_all_keeps_tabs_backslashes_newlines_quotes_and_japanese_as_they_are) {
    std::vector<AuditEvent> events = {
        AuditEvent{0, T0, "移行\t担当 \\ \"operator\"", "declaration.imported", "declaration:1\n2\r3", "\\N",
                   R"({"file":"C:\\移行\\a\tb.csv","note":"\"引用\" 'x'"})"},
        AuditEvent{0, T0 + seconds(1), "\\.", "declaration.imported", "declaration:2", "", ""}};
    ASSERT_OK(write([&](Transaction& tx) { return tx.audit().record_all(events); }));
    auto back =
        read<std::vector<AuditEvent>>([&](Transaction& tx) { return tx.audit().between(T0, T0 + seconds(10), 0, 10); });
    ASSERT_OK(back);
    ASSERT_EQ(back->size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ((*back)[i].actor, events[i].actor) << i;
        EXPECT_EQ((*back)[i].subject, events[i].subject) << i;
        EXPECT_EQ((*back)[i].ip, events[i].ip) << i;
    }
    EXPECT_EQ((*back)[0].details, events[0].details);
    EXPECT_EQ((*back)[1].details, "{}");
}

TEST_P(ImportContract, record_all_records_every_event_in_order) {
    std::vector<AuditEvent> events;
    events.reserve(261);
    for (int i = 0; i < 261; ++i)
        events.push_back(AuditEvent{0, T0 + seconds(i), "import",
                                    i % 2 ? "declaration.step_up" : "declaration.imported",
                                    "declaration:" + std::to_string(i / 2), "", i % 3 ? R"({"level":1})" : ""});
    ASSERT_OK(write([&](Transaction& tx) { return tx.audit().record_all(events); }));
    auto back = read<std::vector<AuditEvent>>(
        [&](Transaction& tx) { return tx.audit().between(T0, T0 + seconds(1000), 0, 1000); });
    ASSERT_OK(back);
    ASSERT_EQ(back->size(), 261u);
    for (std::size_t i = 0; i < back->size(); ++i) {
        const auto& e = (*back)[i];
        EXPECT_EQ(e.at, events[i].at) << i;
        EXPECT_EQ(e.action, events[i].action) << i;
        EXPECT_EQ(e.subject, events[i].subject) << i;
        EXPECT_EQ(e.details, events[i].details.empty() ? "{}" : events[i].details) << i;
        if (i > 0) {
            EXPECT_GT(e.id, (*back)[i - 1].id);
        }
    }
}

}  // namespace
}  // namespace sengen::testing
