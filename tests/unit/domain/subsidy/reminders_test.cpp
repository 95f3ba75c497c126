// The reminders' rules: which rounds of a programme count as open, how a new round or year makes a
// new one, and what a reminder tells a declaration (never that this registry's ID counts where the
// catalogue says the programme checks another registry).
#include "domain/subsidy/reminders.hpp"

#include <gtest/gtest.h>

using namespace sengen;
using namespace sengen::subsidy;

namespace {

Ask ask(AskKind kind, int level) {
    Ask a;
    a.kind = kind;
    a.minimum_level = level;
    return a;
}

Programme programme(subsidy::Status status, std::vector<int> years = {}, std::vector<std::string> accepts = {"ipa"}) {
    Programme p;
    p.slug = "test";
    p.status = status;
    p.years = std::move(years);
    p.accepts = std::move(accepts);
    p.asks = {ask(AskKind::Required, 1)};
    return p;
}

Round round(std::string id, subsidy::Status status) {
    Round r;
    r.id = std::move(id);
    r.status = status;
    return r;
}

std::vector<std::string> keys(const Programme& p) {
    std::vector<std::string> out;
    for (const auto& r : open_rounds(p)) out.push_back(r.key);
    return out;
}

DeclarationFacts declared(int level, std::string registry = std::string(kThisRegistry)) {
    return {Standing::Declared, level, std::move(registry)};
}

std::vector<std::string> codes(const std::vector<Gap>& gaps) {
    std::vector<std::string> out;
    for (const auto& g : gaps) out.push_back(code_of(g));
    return out;
}

}  // namespace

TEST(SubsidyReminders, a_programme_not_marked_open_has_no_open_round) {
    auto p = programme(subsidy::Status::Closed, {2026});
    p.rounds = {round("1", subsidy::Status::Open)};  // a round marked open does not open a closed programme
    EXPECT_TRUE(open_rounds(p).empty());
    EXPECT_TRUE(open_rounds(programme(subsidy::Status::Unknown, {2026})).empty());
}

TEST(SubsidyReminders, an_open_programme_is_one_round_per_round_marked_open) {
    auto p = programme(subsidy::Status::Open, {2026});
    p.rounds = {round("1", subsidy::Status::Closed), round("2", subsidy::Status::Open),
                round("3", subsidy::Status::Unknown)};
    const auto open = open_rounds(p);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].key, "round:2");
    EXPECT_EQ(open[0].kind, OpenRound::Kind::Round);
    EXPECT_EQ(open[0].round, &p.rounds[1]);
}

TEST(SubsidyReminders, a_new_round_opening_is_a_new_key) {
    auto p = programme(subsidy::Status::Open, {2026});
    p.rounds = {round("1", subsidy::Status::Open)};
    const auto first = keys(p);
    p.rounds = {round("1", subsidy::Status::Closed), round("2", subsidy::Status::Open)};
    EXPECT_NE(keys(p), first);
    EXPECT_EQ(keys(p), std::vector<std::string>{"round:2"});
}

TEST(SubsidyReminders, an_open_programme_without_open_rounds_is_named_by_its_latest_year) {
    auto p = programme(subsidy::Status::Open, {2025, 2027, 2026});
    p.rounds = {round("1", subsidy::Status::Closed)};
    const auto open = open_rounds(p);
    ASSERT_EQ(open.size(), 1u);
    EXPECT_EQ(open[0].key, "year:2027");
    EXPECT_EQ(open[0].year, 2027);
    // A new year while open is a new round.
    p.years.push_back(2028);
    EXPECT_EQ(keys(p), std::vector<std::string>{"year:2028"});
}

TEST(SubsidyReminders, an_open_programme_without_years_or_rounds_is_one_round_for_good) {
    EXPECT_EQ(keys(programme(subsidy::Status::Open)), std::vector<std::string>{"open"});
}

TEST(SubsidyReminders, a_one_star_declaration_here_is_told_the_programme_checks_another_registry) {
    const auto what = reminder_for(programme(subsidy::Status::Open, {2026}, {"ipa"}), declared(1));
    EXPECT_EQ(codes(what.needs), std::vector<std::string>{"registry_not_accepted"});
    EXPECT_EQ(what.needs[0].registries, std::vector<std::string>{"ipa"});
    EXPECT_FALSE(what.this_registry_counts);
}

TEST(SubsidyReminders, a_programme_accepting_this_registry_tells_only_the_missing_level) {
    auto p = programme(subsidy::Status::Open, {2026}, {"ipa", std::string(kThisRegistry)});
    p.asks = {ask(AskKind::Required, 2)};
    const auto what = reminder_for(p, declared(1));
    EXPECT_EQ(codes(what.needs), std::vector<std::string>{"needs_two_stars"});
    EXPECT_TRUE(what.this_registry_counts);
    EXPECT_TRUE(reminder_for(p, declared(2)).needs.empty());
}

TEST(SubsidyReminders, bonus_points_beside_a_requirement_are_told_apart) {
    auto p = programme(subsidy::Status::Open, {2026}, {"any"});
    p.asks = {ask(AskKind::Required, 1), ask(AskKind::BonusPoints, 2)};
    const auto what = reminder_for(p, declared(1));
    EXPECT_TRUE(what.needs.empty());
    EXPECT_EQ(codes(what.bonus), std::vector<std::string>{"needs_two_stars"});
}

TEST(SubsidyReminders, stopped_and_revoked_declarations_are_told_so) {
    const auto p = programme(subsidy::Status::Open, {2026}, {"any"});
    EXPECT_EQ(codes(reminder_for(p, {Standing::Stopped, 1, std::string(kThisRegistry)}).needs),
              std::vector<std::string>{"declaration_stopped"});
    EXPECT_EQ(codes(reminder_for(p, {Standing::Revoked, 1, std::string(kThisRegistry)}).needs),
              std::vector<std::string>{"declaration_revoked"});
}

TEST(SubsidyReminders, prerequisites_are_listed_for_the_business_to_confirm) {
    auto p = programme(subsidy::Status::Open, {2026});
    p.prerequisites = {"gbizid_prime"};
    EXPECT_EQ(reminder_for(p, declared(1, "ipa")).confirm, std::vector<std::string>{"gbizid_prime"});
}
