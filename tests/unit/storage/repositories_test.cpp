// The repositories over a scripted SqlConnection: what they make of rows an engine returns, and the
// SQL sets of statuses that must equal the domain's (lifecycle.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "storage/migrations.hpp"
#include "storage/repositories.hpp"

using namespace sengen;
using namespace sengen::storage;

namespace {

// Columns as text (NULL as nullopt), as PostgreSQL sends them.
using Cells = std::vector<std::optional<std::string>>;

class ScriptedRow final : public Row {
public:
    explicit ScriptedRow(const Cells& cells) : cells_(cells) {}
    bool is_null(int c) const override { return !cells_.at(c).has_value(); }
    std::int64_t int64(int c) const override { return is_null(c) ? 0 : std::stoll(*cells_.at(c)); }
    std::string_view text(int c) const override { return is_null(c) ? std::string_view() : *cells_.at(c); }

private:
    const Cells& cells_;
};

// Answers every statement with `rows`, and remembers the statements it was given.
class ScriptedSql final : public SqlConnection {
public:
    explicit ScriptedSql(std::vector<Cells> rows) : rows_(std::move(rows)) {}
    Dialect dialect() const override { return Dialect::Sqlite; }
    Result<std::size_t> run(const sql::Statement& s, std::span<const Param>, RowSink on_row, Fetch fetch) override {
        texts.emplace_back(s.text);
        for (const auto& cells : rows_) {
            if (on_row)
                if (auto ok = on_row(ScriptedRow(cells)); !ok) return fail(ok.error());
            if (fetch == Fetch::First) break;
        }
        return 0;
    }
    std::vector<std::string> texts;

private:
    std::vector<Cells> rows_;
};

Cells mail_row(std::string state) {
    return {"7",          "a@example.jp", "s",          "m", std::move(state), "0",
            "1700000000", "1700000000",   std::nullopt, "",  "mail.test"};
}

Cells declaration_row(std::string status) {
    Cells c(34, std::string());
    c[0] = "1";
    c[1] = std::nullopt;
    c[2] = std::move(status);
    c[3] = "1";
    c[4] = std::nullopt;
    c[20] = "";
    for (int i : {26, 27, 33}) c[i] = "1700000000";
    for (int i : {28, 29, 30}) c[i] = std::nullopt;
    return c;
}

// The quoted names of the first `status IN (...)` in `sql`.
std::set<std::string> status_set_of(const std::string& sql) {
    std::smatch m;
    if (!std::regex_search(sql, m, std::regex(R"(status IN \(([^)]*)\))"))) return {};
    std::set<std::string> out;
    const std::string list = m[1];
    static const std::regex quoted("'([a-z_]+)'");
    for (std::sregex_iterator it(list.begin(), list.end(), quoted), end; it != end; ++it) out.insert((*it)[1]);
    return out;
}

std::set<std::string> names(bool (*pred)(lifecycle::Status)) {
    std::set<std::string> out;
    for (auto s : lifecycle::statuses_where(pred)) out.emplace(lifecycle::to_string(s));
    return out;
}

}  // namespace

TEST(Repositories, an_unknown_outbox_state_is_an_error_not_a_pending_mail) {
    ScriptedSql sql({mail_row("sent"), mail_row("archived")});
    SqlOutbox outbox(sql);
    auto listed = outbox.list(std::nullopt, 10);
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error().code, "storage.corrupt");
    EXPECT_NE(listed.error().detail.find("archived"), std::string::npos) << listed.error().detail;
}

TEST(Repositories, every_known_outbox_state_is_read) {
    for (auto state : {OutboxEntry::State::Pending, OutboxEntry::State::Sending, OutboxEntry::State::Sent,
                       OutboxEntry::State::Failed}) {
        ScriptedSql sql({mail_row(std::string(to_string(state)))});
        auto listed = SqlOutbox(sql).list(std::nullopt, 10);
        ASSERT_TRUE(listed) << listed.error().detail;
        ASSERT_EQ(listed->size(), 1u);
        EXPECT_EQ(listed->at(0).state, state);
        EXPECT_EQ(listed->at(0).kind, "mail.test");
    }
}

TEST(Repositories, an_unknown_declaration_status_is_an_error_not_awaiting_confirmation) {
    ScriptedSql sql({declaration_row("archived")});
    auto found = SqlDeclarations(sql).find(1);
    ASSERT_FALSE(found);
    EXPECT_EQ(found.error().code, "storage.corrupt");
    EXPECT_NE(found.error().detail.find("archived"), std::string::npos) << found.error().detail;
}

// The stored ID is read back as a DeclarationId: a damaged one is reported, never shown.
TEST(Repositories, a_stored_id_that_fails_its_check_digit_is_an_error) {
    const std::string good = DeclarationId::make(1, 1).digits();
    auto row = declaration_row("declared");
    row[1] = good;
    ScriptedSql ok_sql({row});
    auto ok = SqlDeclarations(ok_sql).find(1);
    ASSERT_TRUE(ok && ok->has_value()) << (ok ? "" : ok.error().detail);
    EXPECT_EQ((*ok)->public_id, DeclarationId::make(1, 1));
    for (std::string bad :
         {good.substr(0, 10) + (good[10] == '9' ? "0" : "9"), std::string("1000 0000 01"), std::string("")}) {
        row[1] = bad;
        ScriptedSql sql({row});
        auto found = SqlDeclarations(sql).find(1);
        ASSERT_FALSE(found) << bad;
        EXPECT_EQ(found.error().code, "storage.corrupt");
        ScriptedSql public_sql({{bad, "A商店", "エーショウテン", "東京都", "1", "declared", std::nullopt, std::nullopt,
                                 std::nullopt, "", "", "1700000000"}});
        auto pub = SqlDeclarations(public_sql).find_public(DeclarationId::make(1, 1));
        ASSERT_FALSE(pub) << bad;
        EXPECT_EQ(pub.error().code, "storage.corrupt");
    }
}

TEST(Repositories, every_known_declaration_status_is_read) {
    for (auto status : lifecycle::kAllStatuses) {
        ScriptedSql sql({declaration_row(std::string(lifecycle::to_string(status)))});
        auto found = SqlDeclarations(sql).find(1);
        ASSERT_TRUE(found) << found.error().detail;
        ASSERT_TRUE(found->has_value());
        EXPECT_EQ((*found)->state.status, status);
    }
}

// The public lookup gives what the domain's public_view makes of the row (no rule of its own).
TEST(Repositories, find_public_discloses_what_public_view_does) {
    // SENGEN_PUBLIC_COLUMNS: public_id, business_name, business_name_kana, prefecture, level, status,
    // declared_at, level_since, ended_at, end_reason, policy_url, created_at
    for (const char* status : {"declared", "stopped", "revoked"}) {
        for (const char* level : {"1", "2"}) {
            ScriptedSql sql({{"10000000016", "A商店", "エーショウテン", "東京都", level, status, std::nullopt,
                              std::nullopt, "1700000900", "理由", "https://a.example/policy", "1700000000"}});
            auto got = SqlDeclarations(sql).find_public(DeclarationId::make(1, 1));
            ASSERT_TRUE(got && got->has_value());
            Declaration d;
            d.public_id = DeclarationId::make(1, 1);
            d.details.business_name = "A商店";
            d.details.business_name_kana = "エーショウテン";
            d.details.prefecture = "東京都";
            d.state = {*lifecycle::status_from_string(status), std::stoi(level)};
            d.ended_at = from_unix_seconds(1700000900);
            d.end_reason = "理由";
            d.details.policy_url = "https://a.example/policy";
            d.created_at = from_unix_seconds(1700000000);
            const auto want = public_view(d);
            const auto& p = **got;
            EXPECT_EQ(p.public_id, want.public_id);
            EXPECT_EQ(p.business_name, want.business_name);
            EXPECT_EQ(p.status, want.status);
            EXPECT_EQ(p.level, want.level);
            EXPECT_EQ(p.declared_at, want.declared_at);
            EXPECT_EQ(p.level_since, want.level_since);
            EXPECT_EQ(p.ended_at, want.ended_at);
            EXPECT_EQ(p.end_reason, want.end_reason) << status;
            EXPECT_EQ(p.policy_url, want.policy_url) << level;
        }
    }
}

// The rule "one live declaration per corporate number" is checked by a query and enforced by the
// partial unique index of migration 0005. The migration is history and never changes, so if the
// domain's live set ever changes, this test says that a new migration must replace the index.
TEST(StatusSets, the_live_index_of_migration_0005_covers_exactly_the_domains_live_statuses) {
    for (const char* engine : {"sqlite", "postgres"}) {
        const auto migrations = migrations_for(engine);
        auto m = std::find_if(migrations.begin(), migrations.end(), [](const Migration& x) { return x.version == 5; });
        ASSERT_NE(m, migrations.end()) << engine;
        EXPECT_EQ(status_set_of(std::string(m->sql)), names(lifecycle::is_live)) << engine << ": " << m->name;
    }
}

// Migration 0050 made the token and expiry indexes partial. An engine uses a partial index only
// when the statement's own condition implies the index's, so the statements repeat it; and the
// expiry index names the domain's status for a pending application.
TEST(StatusSets, the_partial_indexes_of_migration_0050_have_the_conditions_their_statements_repeat) {
    const std::string awaiting =
        "status = '" + std::string(lifecycle::to_string(lifecycle::Status::AwaitingConfirmation)) + "'";
    const std::string has_token = "confirm_token_hash <> ''";
    for (const char* engine : {"sqlite", "postgres"}) {
        const auto migrations = migrations_for(engine);
        auto m = std::find_if(migrations.begin(), migrations.end(), [](const Migration& x) { return x.version == 50; });
        ASSERT_NE(m, migrations.end()) << engine;
        const std::string text(m->sql);
        EXPECT_NE(text.find("(confirm_token_hash) WHERE " + has_token), std::string::npos) << engine;
        EXPECT_NE(text.find("(status, confirm_expires_at)\n    WHERE " + awaiting), std::string::npos) << engine;
    }
    ScriptedSql sql({});
    SqlDeclarations declarations(sql);
    ASSERT_TRUE(declarations.find_by_confirm_token("a-hash"));
    ASSERT_TRUE(declarations.purge_expired_applications(TimePoint{}));
    ASSERT_EQ(sql.texts.size(), 2u);
    EXPECT_NE(sql.texts[0].find("confirm_token_hash = $1 AND " + has_token), std::string::npos) << sql.texts[0];
    EXPECT_NE(sql.texts[1].find("WHERE " + awaiting + " AND confirm_expires_at <= $1"), std::string::npos)
        << sql.texts[1];
}

TEST(StatusSets, the_sql_lists_are_generated_from_the_domains_predicates) {
    EXPECT_EQ(status_set_of("status IN (" + status_list(lifecycle::is_live) + ")"), names(lifecycle::is_live));
    EXPECT_EQ(status_set_of("status IN (" + status_list(lifecycle::is_listed) + ")"), names(lifecycle::is_listed));

    ScriptedSql sql({});
    SqlDeclarations declarations(sql);
    ASSERT_TRUE(declarations.live_exists_for_corporate_number("1234567890123", 0));
    ASSERT_TRUE(declarations.search({}));
    ASSERT_EQ(sql.texts.size(), 3u);
    EXPECT_EQ(status_set_of(sql.texts[0]), names(lifecycle::is_live));
    EXPECT_EQ(status_set_of(sql.texts[1]), names(lifecycle::is_listed));  // the page
    EXPECT_EQ(status_set_of(sql.texts[2]), names(lifecycle::is_listed));  // its count
}
