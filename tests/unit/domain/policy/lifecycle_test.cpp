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

policy::Document document(const std::string& preamble) {
    policy::Document doc;
    doc.title = "情報セキュリティ基本方針";
    doc.business_name = "株式会社さくら印刷";
    doc.preamble = preamble;
    doc.sections = {{"経営者の責任", "本文"}};
    return doc;
}

const policy::Document kNext = document("前文");

// Publishing `d` as `kNext` for a declared account, over `current` (none by default).
policy::event::Publish publish(const policy::Draft& d, const policy::Document* current = nullptr,
                               policy::Standing standing = policy::Standing::Declared) {
    return policy::event::Publish{d, standing, kNext, current};
}

}  // namespace

TEST(PolicyLifecycle, a_complete_draft_is_published_as_a_new_version) {
    const auto d = complete();
    auto p = policy::transition(Publication::Draft, publish(d));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Published);
    EXPECT_EQ(p->version, policy::Version::Add);
    EXPECT_EQ(p->audit_action, "policy.published");
}

TEST(PolicyLifecycle, an_incomplete_draft_is_not_published_and_each_missing_part_is_named) {
    const policy::Draft empty;
    for (auto from : {Publication::Draft, Publication::Published, Publication::Unpublished}) {
        auto p = policy::transition(from, publish(empty));
        ASSERT_FALSE(p) << policy::to_string(from);
        EXPECT_EQ(p.error().kind, Error::Kind::Invalid);
        EXPECT_EQ(p.error().code, "policy.incomplete");
        EXPECT_EQ(p.error().fields.size(), 5u);
    }
}

TEST(PolicyLifecycle, publishing_again_adds_a_version_and_stays_published) {
    const auto d = complete();
    auto p = policy::transition(Publication::Published, publish(d));
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
    auto p = policy::transition(Publication::Unpublished, publish(d));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Published);
    EXPECT_EQ(p->version, policy::Version::Add);
}

TEST(PolicyLifecycle, an_account_without_a_live_declaration_cannot_publish_at_all) {
    const auto d = complete();
    for (auto from : {Publication::Draft, Publication::Published, Publication::Unpublished}) {
        auto p = policy::transition(from, publish(d, nullptr, policy::Standing::NotDeclared));
        ASSERT_FALSE(p) << policy::to_string(from);
        EXPECT_EQ(p.error().kind, Error::Kind::Forbidden);
        EXPECT_EQ(p.error().code, "policy.not_declared");
    }
}

TEST(PolicyLifecycle, a_published_policy_is_not_published_again_with_the_same_text) {
    const auto d = complete();
    auto same = document("前文");
    same.template_edition = "an older edition";  // the edition is not part of the text
    auto p = policy::transition(Publication::Published, publish(d, &same));
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().kind, Error::Kind::Conflict);
    EXPECT_EQ(p.error().code, "policy.unchanged");
    // One character changed anywhere is a new version.
    auto changed = same;
    changed.sections[0].body = "本文。";
    EXPECT_TRUE(policy::transition(Publication::Published, publish(d, &changed)));
    changed = same;
    changed.representative_name = "佐藤 太郎";
    EXPECT_TRUE(policy::transition(Publication::Published, publish(d, &changed)));
}

TEST(PolicyLifecycle, a_policy_taken_down_is_put_back_up_with_the_same_text) {
    const auto d = complete();
    const auto same = document("前文");
    auto p = policy::transition(Publication::Unpublished, publish(d, &same));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, Publication::Published);
}

TEST(PolicyLifecycle, only_a_published_policy_is_public) {
    EXPECT_FALSE(policy::is_public(Publication::Draft));
    EXPECT_TRUE(policy::is_public(Publication::Published));
    EXPECT_FALSE(policy::is_public(Publication::Unpublished));
}
