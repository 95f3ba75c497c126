// The supporters' rules (domain/support.hpp, ADR 42): what an owner may let a supporter do, what
// it keeps whatever it ticks, and how a set of rights is stored.
#include "domain/support.hpp"

#include <gtest/gtest.h>

#include "domain/error_codes.hpp"

namespace sengen::support {
namespace {

constexpr Action kEveryAction[] = {Action::View,          Action::EditDetails,   Action::PrepareAssessment,
                                   Action::PreparePolicy, Action::PublishPolicy, Action::StepUp,
                                   Action::StepDown,      Action::Stop,          Action::ChangeContact,
                                   Action::Badge,         Action::ManageSupport, Action::Subscribe};

const Rights kAll = Rights().with(Right::EditDetails).with(Right::PrepareTwoStar);

TEST(SupportRules, the_owner_may_do_everything) {
    for (auto a : kEveryAction) EXPECT_TRUE(allowed({Role::Owner, {}}, a));
}

TEST(SupportRules, a_stranger_is_told_the_declaration_does_not_exist) {
    for (auto a : kEveryAction) {
        auto r = allowed({Role::Stranger, kAll}, a);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, Error::Kind::NotFound);
        EXPECT_EQ(r.error().code, codes::kDeclarationNotFound);
    }
}

TEST(SupportRules, a_supporter_never_stops_changes_contact_or_level_publishes_or_invites_whatever_it_was_given) {
    for (auto a : {Action::Stop, Action::ChangeContact, Action::StepUp, Action::StepDown, Action::PublishPolicy,
                   Action::ManageSupport, Action::Subscribe, Action::Badge}) {
        EXPECT_TRUE(owner_only(a));
        auto r = allowed({Role::Supporter, kAll}, a);
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().kind, Error::Kind::Forbidden);
        EXPECT_EQ(r.error().code, codes::kSupportNotAllowed);
    }
}

TEST(SupportRules, a_supporter_does_what_it_was_given_and_nothing_else) {
    const Access details{Role::Supporter, Rights().with(Right::EditDetails)};
    EXPECT_TRUE(allowed(details, Action::View));
    EXPECT_TRUE(allowed(details, Action::EditDetails));
    EXPECT_FALSE(allowed(details, Action::PrepareAssessment));
    EXPECT_FALSE(allowed(details, Action::PreparePolicy));

    const Access two_star{Role::Supporter, Rights().with(Right::PrepareTwoStar)};
    EXPECT_FALSE(allowed(two_star, Action::EditDetails));
    EXPECT_TRUE(allowed(two_star, Action::PrepareAssessment));
    EXPECT_TRUE(allowed(two_star, Action::PreparePolicy));

    const Access view_only{Role::Supporter, {}};
    EXPECT_TRUE(allowed(view_only, Action::View));
    for (auto a : kEveryAction) {
        if (a != Action::View) {
            EXPECT_FALSE(allowed(view_only, a));
        }
    }
}

TEST(SupportRules, rights_are_stored_as_names_and_read_back) {
    EXPECT_EQ(to_string(Rights()), "");
    EXPECT_EQ(to_string(Rights().with(Right::PrepareTwoStar)), "prepare_two_star");
    EXPECT_EQ(to_string(kAll), "edit_details,prepare_two_star");
    for (auto r : {Rights(), Rights().with(Right::EditDetails), Rights().with(Right::PrepareTwoStar), kAll})
        EXPECT_EQ(rights_from_string(to_string(r)), r);
    EXPECT_EQ(rights_from_string("prepare_two_star,edit_details"), kAll);
    EXPECT_FALSE(rights_from_string("stop"));
    EXPECT_FALSE(rights_from_string("edit_details,"));
}

TEST(SupportRules, a_supporter_who_applied_for_a_business_keeps_both_rights) { EXPECT_EQ(default_rights(), kAll); }

TEST(SupportRules, only_a_live_declaration_takes_new_supporters) {
    EXPECT_TRUE(may_invite(lifecycle::Status::Declared));
    for (auto s : {lifecycle::Status::Stopped, lifecycle::Status::Revoked, lifecycle::Status::AwaitingConfirmation})
        EXPECT_FALSE(may_invite(s));
}

TEST(SupportRules, the_owner_steps_up_itself) { EXPECT_EQ(two_star_path({Role::Owner, {}}), TwoStarPath::StepUp); }

TEST(SupportRules, a_supporter_with_the_right_prepares_for_two_stars_and_never_steps_up) {
    EXPECT_EQ(two_star_path({Role::Supporter, Rights().with(Right::PrepareTwoStar)}), TwoStarPath::Prepare);
    EXPECT_EQ(two_star_path({Role::Supporter, kAll}), TwoStarPath::Prepare);
}

TEST(SupportRules, a_supporter_without_the_right_or_a_stranger_leaves_two_stars_to_the_owner) {
    EXPECT_EQ(two_star_path({Role::Supporter, {}}), TwoStarPath::LeaveToOwner);
    EXPECT_EQ(two_star_path({Role::Supporter, Rights().with(Right::EditDetails)}), TwoStarPath::LeaveToOwner);
    EXPECT_EQ(two_star_path({Role::Stranger, kAll}), TwoStarPath::LeaveToOwner);
}

}  // namespace
}  // namespace sengen::support
