#include <gtest/gtest.h>

#include "domain/lifecycle.hpp"

using namespace sengen::lifecycle;
using sengen::Error;

namespace {
constexpr int kMax = 2;
State st(Status s, int level = 1) { return State{s, level}; }
void expect_illegal(const State& from, const Event& e, std::string_view code_part = {}) {
    auto r = transition(from, e, kMax);
    ASSERT_FALSE(r) << to_string(from.status) << " " << event_name(e);
    EXPECT_EQ(r.error().kind, Error::Kind::IllegalTransition);
    if (!code_part.empty()) {
        EXPECT_NE(r.error().code.find(code_part), std::string::npos) << r.error().code;
    }
}
}  // namespace

TEST(Lifecycle, confirming_an_application_declares_it_and_issues_the_id) {
    auto r = transition(st(Status::AwaitingConfirmation), event::Confirm{}, kMax);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, Status::Declared);
    EXPECT_TRUE(issues_id(st(Status::AwaitingConfirmation), *r));
}

TEST(Lifecycle, confirming_with_review_on_waits_for_the_operator) {
    auto r = transition(st(Status::AwaitingConfirmation), event::Confirm{true}, kMax);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, Status::AwaitingReview);
    EXPECT_FALSE(issues_id(st(Status::AwaitingConfirmation), *r));
    auto approved = transition(*r, event::Approve{}, kMax);
    ASSERT_TRUE(approved);
    EXPECT_EQ(approved->status, Status::Declared);
    EXPECT_TRUE(issues_id(*r, *approved));
}

TEST(Lifecycle, confirming_twice_is_illegal) { expect_illegal(st(Status::Declared), event::Confirm{}); }

TEST(Lifecycle, declared_one_star_steps_up_to_two_and_back_down) {
    auto up = transition(st(Status::Declared, 1), event::StepUp{2}, kMax);
    ASSERT_TRUE(up);
    EXPECT_EQ(up->level, 2);
    auto down = transition(*up, event::StepDown{1}, kMax);
    ASSERT_TRUE(down);
    EXPECT_EQ(down->level, 1);
}

TEST(Lifecycle, step_up_must_go_higher_and_not_beyond_the_top_level) {
    expect_illegal(st(Status::Declared, 2), event::StepUp{2}, "not_higher");
    expect_illegal(st(Status::Declared, 2), event::StepUp{1}, "not_higher");
    expect_illegal(st(Status::Declared, 1), event::StepUp{3}, "beyond_max");
}

TEST(Lifecycle, step_down_must_go_lower_and_not_below_one) {
    expect_illegal(st(Status::Declared, 1), event::StepDown{1}, "not_lower");
    expect_illegal(st(Status::Declared, 2), event::StepDown{0}, "below_one");
}

TEST(Lifecycle, stopped_declaration_cannot_step_up) {
    expect_illegal(st(Status::Stopped), event::StepUp{2}, "lifecycle.stopped.step_up");
}

TEST(Lifecycle, stopped_declaration_cannot_be_stopped_again_or_step_down) {
    expect_illegal(st(Status::Stopped), event::Stop{});
    expect_illegal(st(Status::Stopped, 2), event::StepDown{1});
}

TEST(Lifecycle, unconfirmed_application_cannot_step_up_stop_or_be_revoked) {
    expect_illegal(st(Status::AwaitingConfirmation), event::StepUp{2});
    expect_illegal(st(Status::AwaitingConfirmation), event::Stop{});
    expect_illegal(st(Status::AwaitingConfirmation), event::Revoke{"x"});
    expect_illegal(st(Status::AwaitingConfirmation), event::Approve{});
}

TEST(Lifecycle, revoking_needs_a_reason) {
    expect_illegal(st(Status::Declared), event::Revoke{"  "}, "reason_required");
    auto r = transition(st(Status::Declared), event::Revoke{"misuse of the badge"}, kMax);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, Status::Revoked);
}

TEST(Lifecycle, a_stopped_declaration_can_be_revoked_but_not_reinstated_directly) {
    EXPECT_TRUE(transition(st(Status::Stopped), event::Revoke{"x"}, kMax));
    expect_illegal(st(Status::Stopped), event::Reinstate{"x"});
}

TEST(Lifecycle, revoked_declaration_is_reinstated_with_a_reason) {
    expect_illegal(st(Status::Revoked), event::Reinstate{""}, "reason_required");
    auto r = transition(st(Status::Revoked), event::Reinstate{"revoked by mistake"}, kMax);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, Status::Declared);
    EXPECT_FALSE(issues_id(st(Status::Revoked), *r));
}

TEST(Lifecycle, revoked_declaration_cannot_step_up_stop_or_be_revoked_again) {
    expect_illegal(st(Status::Revoked), event::StepUp{2});
    expect_illegal(st(Status::Revoked), event::Stop{});
    expect_illegal(st(Status::Revoked), event::Revoke{"x"});
}

TEST(Lifecycle, rejection_needs_review_and_a_reason_and_is_final) {
    expect_illegal(st(Status::AwaitingConfirmation), event::Reject{"x"});
    expect_illegal(st(Status::AwaitingReview), event::Reject{""}, "reason_required");
    auto r = transition(st(Status::AwaitingReview), event::Reject{"not a business"}, kMax);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, Status::Rejected);
    for (Event e : std::vector<Event>{event::Confirm{}, event::Approve{}, event::StepUp{2}, event::Stop{},
                                      event::Revoke{"x"}, event::Reinstate{"x"}})
        expect_illegal(*r, e);
}

TEST(Lifecycle, status_names_round_trip) {
    for (auto s : {Status::AwaitingConfirmation, Status::AwaitingReview, Status::Declared, Status::Stopped,
                   Status::Revoked, Status::Rejected})
        EXPECT_EQ(status_from_string(to_string(s)), s);
    EXPECT_FALSE(status_from_string("bogus"));
}
