// The readiness rules: each gap a declaration can have for a programme, accepted registries, and
// how bonus points and unchecked prerequisites weigh in the verdict.
#include <gtest/gtest.h>

#include "domain/subsidy/readiness.hpp"

using namespace sengen;
using namespace sengen::subsidy;

namespace {

Ask ask(AskKind kind, int level) {
    Ask a;
    a.kind = kind;
    a.minimum_level = level;
    return a;
}

Programme programme(std::vector<Ask> asks, std::vector<std::string> accepts = {"ipa"}) {
    Programme p;
    p.slug = "test";
    p.asks = std::move(asks);
    p.accepts = std::move(accepts);
    return p;
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

TEST(SubsidyReadiness, no_declaration_needs_one_at_the_asked_level_and_registry) {
    auto r = assess(programme({ask(AskKind::Required, 2)}), DeclarationFacts{});
    EXPECT_EQ(r.verdict, Verdict::NotMet);
    ASSERT_EQ(r.missing.size(), 1u);
    EXPECT_EQ(code_of(r.missing[0]), "needs_declaration");
    EXPECT_EQ(r.missing[0].level, 2);
    EXPECT_EQ(r.missing[0].registries, std::vector<std::string>{"ipa"});
}

TEST(SubsidyReadiness, one_star_in_an_accepted_registry_meets_a_one_star_requirement) {
    auto r = assess(programme({ask(AskKind::Required, 1)}, {"ipa"}), declared(1, "ipa"));
    EXPECT_EQ(r.verdict, Verdict::Met);
    EXPECT_TRUE(r.missing.empty());
}

TEST(SubsidyReadiness, one_star_needs_two_stars_where_two_are_asked) {
    auto r = assess(programme({ask(AskKind::Required, 2)}, {"any"}), declared(1));
    EXPECT_EQ(r.verdict, Verdict::NotMet);
    EXPECT_EQ(codes(r.missing), std::vector<std::string>{"needs_two_stars"});
    EXPECT_EQ(r.missing[0].level, 2);
}

TEST(SubsidyReadiness, two_stars_meet_a_one_star_requirement) {
    EXPECT_EQ(assess(programme({ask(AskKind::Required, 1)}, {"any"}), declared(2)).verdict, Verdict::Met);
}

TEST(SubsidyReadiness, a_level_above_two_has_a_code_of_its_own) {
    auto r = assess(programme({ask(AskKind::Required, 3)}, {"any"}), declared(2));
    EXPECT_EQ(codes(r.missing), std::vector<std::string>{"needs_level_3"});
}

TEST(SubsidyReadiness, this_registry_is_not_accepted_where_only_ipa_is_checked) {
    auto r = assess(programme({ask(AskKind::Required, 1)}, {"ipa"}), declared(2));
    EXPECT_EQ(r.verdict, Verdict::NotMet);
    ASSERT_EQ(codes(r.missing), std::vector<std::string>{"registry_not_accepted"});
    EXPECT_EQ(r.missing[0].registries, std::vector<std::string>{"ipa"});
}

TEST(SubsidyReadiness, this_registry_counts_where_the_programme_accepts_it) {
    EXPECT_EQ(assess(programme({ask(AskKind::Required, 1)}, {"ipa", "this_registry"}), declared(1)).verdict,
              Verdict::Met);
}

TEST(SubsidyReadiness, any_registry_accepts_every_registry) {
    const auto p = programme({ask(AskKind::Required, 1)}, {"any"});
    EXPECT_EQ(assess(p, declared(1)).verdict, Verdict::Met);
    EXPECT_EQ(assess(p, declared(1, "ipa")).verdict, Verdict::Met);
    EXPECT_EQ(assess(p, declared(1, "another")).verdict, Verdict::Met);
}

TEST(SubsidyReadiness, a_wrong_registry_and_a_low_level_are_both_reported) {
    auto r = assess(programme({ask(AskKind::Required, 2)}, {"ipa"}), declared(1));
    EXPECT_EQ(codes(r.missing), (std::vector<std::string>{"registry_not_accepted", "needs_two_stars"}));
}

TEST(SubsidyReadiness, a_stopped_declaration_does_not_count) {
    auto r = assess(programme({ask(AskKind::Required, 1)}, {"any"}), DeclarationFacts{Standing::Stopped, 2, "ipa"});
    EXPECT_EQ(r.verdict, Verdict::NotMet);
    EXPECT_EQ(codes(r.missing), std::vector<std::string>{"declaration_stopped"});
}

TEST(SubsidyReadiness, a_revoked_declaration_does_not_count) {
    auto r = assess(programme({ask(AskKind::Required, 1)}, {"any"}), DeclarationFacts{Standing::Revoked, 2, "ipa"});
    EXPECT_EQ(codes(r.missing), std::vector<std::string>{"declaration_revoked"});
}

TEST(SubsidyReadiness, a_stopped_declaration_in_a_registry_not_checked_reports_both) {
    auto r = assess(programme({ask(AskKind::Required, 1)}, {"ipa"}),
                    DeclarationFacts{Standing::Stopped, 1, "this_registry"});
    EXPECT_EQ(codes(r.missing), (std::vector<std::string>{"declaration_stopped", "registry_not_accepted"}));
}

TEST(SubsidyReadiness, a_missing_bonus_does_not_fail_a_met_requirement) {
    auto r = assess(programme({ask(AskKind::Required, 1), ask(AskKind::BonusPoints, 2)}, {"any"}), declared(1));
    EXPECT_EQ(r.verdict, Verdict::Met);
    EXPECT_TRUE(r.missing.empty());
    ASSERT_EQ(r.asks.size(), 2u);
    EXPECT_EQ(r.asks[0].verdict, Verdict::Met);
    EXPECT_EQ(r.asks[1].verdict, Verdict::NotMet);
    EXPECT_EQ(codes(r.asks[1].gaps), std::vector<std::string>{"needs_two_stars"});
}

TEST(SubsidyReadiness, a_programme_of_bonus_points_only_is_met_when_the_points_are_earned) {
    const auto p = programme({ask(AskKind::BonusPoints, 1)}, {"any"});
    EXPECT_EQ(assess(p, declared(1)).verdict, Verdict::Met);
    auto none = assess(p, DeclarationFacts{});
    EXPECT_EQ(none.verdict, Verdict::NotMet);
    EXPECT_EQ(codes(none.missing), std::vector<std::string>{"needs_declaration"});
}

TEST(SubsidyReadiness, a_declaration_required_after_adoption_is_a_requirement) {
    auto r = assess(programme({ask(AskKind::BonusPoints, 1), ask(AskKind::RequiredAfterAdoption, 1)}, {"any"}),
                    DeclarationFacts{});
    EXPECT_EQ(r.verdict, Verdict::NotMet);
    EXPECT_EQ(codes(r.missing), std::vector<std::string>{"needs_declaration"});  // once, not per ask
}

TEST(SubsidyReadiness, prerequisites_are_listed_as_unchecked_whatever_the_verdict) {
    auto p = programme({ask(AskKind::Required, 1)}, {"any"});
    p.prerequisites = {"gbizid_prime", "miradigi_check"};
    auto r = assess(p, declared(2));
    EXPECT_EQ(r.verdict, Verdict::Met);
    EXPECT_EQ(r.unchecked, (std::vector<std::string>{"gbizid_prime", "miradigi_check"}));
}

TEST(SubsidyReadiness, facts_of_a_lifecycle_state) {
    using lifecycle::Status;
    auto f = facts_of({Status::Declared, 2});
    EXPECT_EQ(f.standing, Standing::Declared);
    EXPECT_EQ(f.level, 2);
    EXPECT_EQ(f.registry, kThisRegistry);
    EXPECT_EQ(facts_of({Status::Stopped, 1}).standing, Standing::Stopped);
    EXPECT_EQ(facts_of({Status::Revoked, 1}).standing, Standing::Revoked);
    for (auto s : {Status::AwaitingConfirmation, Status::AwaitingReview, Status::Rejected, Status::Disputed})
        EXPECT_EQ(facts_of({s, 2}).standing, Standing::NotDeclared);
}
