// The policy's publication state machine: each transition, allowed and refused.
#include "domain/policy/lifecycle.hpp"

#include <gtest/gtest.h>

using namespace sengen;
using policy::Publication;

namespace {

policy::Draft complete() {
    policy::Draft d;
    d.business_name = "株式会社さくら印刷";
    d.assets = "customers";
    d.established = "2026-04-01";
    d.representative_title = "代表取締役";
    d.representative_name = "佐藤 花子";
    return d;
}

}  // namespace

TEST(PolicyLifecycle, a_complete_draft_is_published_as_a_new_version) {
    const auto d = complete();
    auto p = policy::transition(Publication::Draft, policy::event::Publish{d});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Published);
    EXPECT_EQ(p->version, policy::Version::Add);
    EXPECT_EQ(p->audit_action, "policy.published");
}

TEST(PolicyLifecycle, an_incomplete_draft_is_not_published_and_each_missing_part_is_named) {
    const policy::Draft empty;
    for (auto from : {Publication::Draft, Publication::Published, Publication::Unpublished}) {
        auto p = policy::transition(from, policy::event::Publish{empty});
        ASSERT_FALSE(p) << policy::to_string(from);
        EXPECT_EQ(p.error().kind, Error::Kind::Invalid);
        EXPECT_EQ(p.error().code, "policy.incomplete");
        EXPECT_EQ(p.error().fields.size(), 5u);
    }
}

TEST(PolicyLifecycle, publishing_again_adds_a_version_and_stays_published) {
    const auto d = complete();
    auto p = policy::transition(Publication::Published, policy::event::Publish{d});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Published);
    EXPECT_EQ(p->version, policy::Version::Add);
}

TEST(PolicyLifecycle, a_published_policy_is_taken_down_without_a_new_version) {
    auto p = policy::transition(Publication::Published, policy::event::Unpublish{});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Unpublished);
    EXPECT_EQ(p->version, policy::Version::Keep);
    EXPECT_EQ(p->audit_action, "policy.unpublished");
}

TEST(PolicyLifecycle, only_a_published_policy_can_be_taken_down) {
    for (auto from : {Publication::Draft, Publication::Unpublished}) {
        auto p = policy::transition(from, policy::event::Unpublish{});
        ASSERT_FALSE(p) << policy::to_string(from);
        EXPECT_EQ(p.error().kind, Error::Kind::IllegalTransition);
        EXPECT_EQ(p.error().code, "policy.not_published");
    }
}

TEST(PolicyLifecycle, a_policy_taken_down_is_published_again) {
    const auto d = complete();
    auto p = policy::transition(Publication::Unpublished, policy::event::Publish{d});
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Published);
    EXPECT_EQ(p->version, policy::Version::Add);
}

TEST(PolicyLifecycle, only_a_published_policy_is_public) {
    EXPECT_FALSE(policy::is_public(Publication::Draft));
    EXPECT_TRUE(policy::is_public(Publication::Published));
    EXPECT_FALSE(policy::is_public(Publication::Unpublished));
}
