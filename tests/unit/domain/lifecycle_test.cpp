#include <gtest/gtest.h>

#include "domain/lifecycle.hpp"

using namespace sengen::lifecycle;
using sengen::Error;

namespace {
constexpr Levels kMax{2, 2};
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
    for (auto s : kAllStatuses) EXPECT_EQ(status_from_string(to_string(s)), s);
    EXPECT_EQ(to_string(Status::Disputed), "disputed");
    EXPECT_FALSE(status_from_string("bogus"));
}

// --- what each transition causes ------------------------------------------------------------------

TEST(LifecyclePlan, confirming_issues_the_id_records_confirmed_and_mails_declared_to_the_contact) {
    auto p = plan(st(Status::AwaitingConfirmation), event::Confirm{}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to.status, Status::Declared);
    EXPECT_EQ(p->id, IdIssue::Issue);
    EXPECT_EQ(p->level_since, DateChange::Keep);
    EXPECT_EQ(p->ending, Ending::Keep);
    EXPECT_EQ(p->audit_action, "declaration.confirmed");
    EXPECT_EQ(p->audit_details, AuditDetails::Confirmed);
    EXPECT_EQ(p->mail_kind, "mail.declared");
    EXPECT_EQ(p->mail_to, Recipient::Contact);
    EXPECT_EQ(p->mail_reason, MailReason::Omit);
}

TEST(LifecyclePlan, confirming_held_for_review_issues_nothing_and_mails_held) {
    auto p = plan(st(Status::AwaitingConfirmation), event::Confirm{true}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to.status, Status::AwaitingReview);
    EXPECT_EQ(p->id, IdIssue::Keep);
    EXPECT_EQ(p->audit_action, "declaration.confirmed");
    EXPECT_EQ(p->mail_kind, "mail.held");
}

TEST(LifecyclePlan, approving_issues_the_id_and_mails_declared_with_the_reason) {
    auto p = plan(st(Status::AwaitingReview), event::Approve{}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->id, IdIssue::Issue);
    EXPECT_EQ(p->ending, Ending::Clear);
    EXPECT_EQ(p->audit_action, "declaration.approve");
    EXPECT_EQ(p->audit_details, AuditDetails::Reason);
    EXPECT_EQ(p->mail_kind, "mail.declared");
    EXPECT_EQ(p->mail_reason, MailReason::Include);
}

TEST(LifecyclePlan, rejecting_ends_the_application_with_its_reason) {
    auto p = plan(st(Status::AwaitingReview), event::Reject{"not a business"}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to.status, Status::Rejected);
    EXPECT_EQ(p->id, IdIssue::Keep);
    EXPECT_EQ(p->ending, Ending::Now);
    EXPECT_EQ(p->reason, "not a business");
    EXPECT_EQ(p->audit_action, "declaration.reject");
    EXPECT_EQ(p->mail_kind, "mail.rejected");
    EXPECT_EQ(p->mail_reason, MailReason::Include);
}

TEST(LifecyclePlan, stepping_up_or_down_dates_the_level_and_records_the_levels) {
    auto up = plan(st(Status::Declared, 1), event::StepUp{2}, kMax);
    ASSERT_TRUE(up);
    EXPECT_EQ(up->to.level, 2);
    EXPECT_EQ(up->level_since, DateChange::Now);
    EXPECT_EQ(up->ending, Ending::Keep);
    EXPECT_EQ(up->id, IdIssue::Keep);
    EXPECT_EQ(up->audit_action, "declaration.step_up");
    EXPECT_EQ(up->audit_details, AuditDetails::Levels);
    EXPECT_EQ(up->mail_kind, "mail.stepped_up");
    auto down = plan(st(Status::Declared, 2), event::StepDown{1}, kMax);
    ASSERT_TRUE(down);
    EXPECT_EQ(down->level_since, DateChange::Now);
    EXPECT_EQ(down->audit_action, "declaration.step_down");
    EXPECT_EQ(down->mail_kind, "mail.stepped_down");
}

TEST(LifecyclePlan, stopping_ends_the_declaration_now) {
    auto p = plan(st(Status::Declared, 2), event::Stop{}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, (State{Status::Stopped, 2}));
    EXPECT_EQ(p->ending, Ending::Now);
    EXPECT_EQ(p->reason, "");
    EXPECT_EQ(p->level_since, DateChange::Keep);
    EXPECT_EQ(p->audit_action, "declaration.stop");
    EXPECT_EQ(p->audit_details, AuditDetails::Levels);
    EXPECT_EQ(p->mail_kind, "mail.stopped");
    EXPECT_EQ(p->mail_reason, MailReason::Omit);
}

TEST(LifecyclePlan, revoking_ends_with_the_reason_and_reinstating_clears_it_without_a_new_id) {
    auto revoked = plan(st(Status::Declared), event::Revoke{"misuse"}, kMax);
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->ending, Ending::Now);
    EXPECT_EQ(revoked->reason, "misuse");
    EXPECT_EQ(revoked->audit_action, "declaration.revoke");
    EXPECT_EQ(revoked->mail_kind, "mail.revoked");
    EXPECT_EQ(revoked->mail_reason, MailReason::Include);
    auto back = plan(revoked->to, event::Reinstate{"by mistake"}, kMax);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->to.status, Status::Declared);
    EXPECT_EQ(back->id, IdIssue::Keep);
    EXPECT_EQ(back->ending, Ending::Clear);
    EXPECT_EQ(back->reason, "by mistake");
    EXPECT_EQ(back->audit_action, "declaration.reinstate");
    EXPECT_EQ(back->mail_kind, "mail.reinstated");
}

TEST(LifecyclePlan, applying_awaits_confirmation_and_mails_the_receipt) {
    auto p = plan_application(2, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, (State{Status::AwaitingConfirmation, 2}));
    EXPECT_EQ(p->audit_action, "declaration.applied");
    EXPECT_EQ(p->audit_details, AuditDetails::Applied);
    EXPECT_EQ(p->mail_kind, "mail.receipt");
    EXPECT_FALSE(plan_application(0, kMax));
}

TEST(LifecyclePlan, a_confirmation_is_resent_only_while_awaited) {
    auto p = plan_resend(st(Status::AwaitingConfirmation));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->audit_action, "declaration.confirmation_resent");
    EXPECT_EQ(p->audit_details, AuditDetails::None);
    EXPECT_EQ(p->mail_kind, "mail.receipt");
    for (auto s : {Status::AwaitingReview, Status::Declared, Status::Stopped, Status::Revoked, Status::Rejected,
                   Status::Disputed})
        EXPECT_FALSE(plan_resend(st(s))) << to_string(s);
}

TEST(LifecyclePlan, an_expired_confirmation_is_not_resent) {
    auto p = plan_resend(st(Status::AwaitingConfirmation), LinkExpiry::Expired);
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(p.error().code, "lifecycle.awaiting_confirmation.resend.expired");
}

// --- corporate numbers ---------------------------------------------------------------------------

TEST(LifecycleCorporateNumber, an_unconfirmed_application_or_a_disputed_claim_does_not_hold_a_number) {
    EXPECT_FALSE(is_live(Status::AwaitingConfirmation));
    EXPECT_FALSE(is_live(Status::Disputed));
    EXPECT_TRUE(is_live(Status::Declared));
    EXPECT_TRUE(is_live(Status::AwaitingReview));
}

TEST(LifecycleCorporateNumber, confirming_a_claim_to_a_held_number_records_a_dispute_and_issues_nothing) {
    for (bool review : {false, true}) {
        auto p = plan(st(Status::AwaitingConfirmation), event::Confirm{review, event::CorporateNumber::Taken}, kMax);
        ASSERT_TRUE(p);
        EXPECT_EQ(p->to.status, Status::Disputed);
        EXPECT_EQ(p->id, IdIssue::Keep);
        EXPECT_EQ(p->dispute, Dispute::Record);
        EXPECT_EQ(p->audit_action, "declaration.disputed");
        EXPECT_EQ(p->audit_details, AuditDetails::Confirmed);
        EXPECT_EQ(p->mail_kind, "mail.disputed");
        EXPECT_EQ(p->mail_to, Recipient::Contact);
    }
    // A free number is confirmed as before, with no dispute.
    auto free = plan(st(Status::AwaitingConfirmation), event::Confirm{false, event::CorporateNumber::Free}, kMax);
    ASSERT_TRUE(free);
    EXPECT_EQ(free->to.status, Status::Declared);
    EXPECT_EQ(free->dispute, Dispute::None);
}

TEST(LifecycleCorporateNumber, a_disputed_claim_is_neither_public_nor_shows_a_badge_nor_changes) {
    EXPECT_FALSE(is_listed(Status::Disputed));
    EXPECT_FALSE(may_show_badge(Status::Disputed));
    EXPECT_FALSE(may_change_details(Status::Disputed));
    for (const Event& e : std::initializer_list<Event>{event::Confirm{}, event::StepUp{2}, event::StepDown{1},
                                                       event::Stop{}, event::Revoke{"x"}, event::Reinstate{"x"}})
        expect_illegal(st(Status::Disputed), e);
}

TEST(LifecycleCorporateNumber, a_disputed_claim_is_approved_only_once_the_number_is_free_and_then_gets_its_id) {
    expect_illegal(st(Status::Disputed), event::Approve{event::CorporateNumber::Taken}, "number_taken");
    auto p = plan(st(Status::Disputed), event::Approve{event::CorporateNumber::Free}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to.status, Status::Declared);
    EXPECT_EQ(p->id, IdIssue::Issue);
    EXPECT_EQ(p->audit_action, "declaration.approve");
    EXPECT_EQ(p->mail_kind, "mail.declared");
    EXPECT_EQ(p->dispute, Dispute::None);
}

TEST(LifecycleCorporateNumber, a_disputed_claim_is_rejected_only_with_a_reason) {
    expect_illegal(st(Status::Disputed), event::Reject{" "}, "reason_required");
    auto p = plan(st(Status::Disputed), event::Reject{"the number belongs to the holder"}, kMax);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to.status, Status::Rejected);
    EXPECT_EQ(p->id, IdIssue::Keep);
    EXPECT_EQ(p->audit_action, "declaration.reject");
    EXPECT_EQ(p->mail_kind, "mail.rejected");
    EXPECT_EQ(p->mail_reason, MailReason::Include);
}

TEST(LifecycleCorporateNumber, a_held_application_is_approved_only_while_its_number_is_free) {
    expect_illegal(st(Status::AwaitingReview), event::Approve{event::CorporateNumber::Taken}, "number_taken");
}

TEST(LifecycleCorporateNumber, a_revoked_declaration_is_reinstated_only_while_its_number_is_free) {
    // A holder revoked when a dispute went to the claimant: the number is the claimant's now.
    expect_illegal(st(Status::Revoked), event::Reinstate{"by mistake", event::CorporateNumber::Taken}, "number_taken");
    auto r = transition(st(Status::Revoked), event::Reinstate{"by mistake", event::CorporateNumber::Free}, kMax);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, Status::Declared);
}

// --- changing the contact address ----------------------------------------------------------------

TEST(LifecycleContact, asking_for_a_new_contact_mails_the_new_address_and_changes_nothing) {
    auto p = plan_contact_change_request(st(Status::Declared, 2));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, st(Status::Declared, 2));
    EXPECT_EQ(p->ownership, Ownership::Keep);
    EXPECT_EQ(p->audit_action, "declaration.contact_change_requested");
    EXPECT_EQ(p->mail_kind, "mail.contact_change");
    EXPECT_EQ(p->mail_to, Recipient::NewContact);
}

TEST(LifecycleContact, a_proven_new_contact_takes_the_declaration_and_the_former_one_is_told) {
    auto p = plan_contact_change(st(Status::Declared));
    ASSERT_TRUE(p);
    EXPECT_EQ(p->to, st(Status::Declared));
    EXPECT_EQ(p->id, IdIssue::Keep);
    EXPECT_EQ(p->ownership, Ownership::MoveToNewContact);
    EXPECT_EQ(p->audit_action, "declaration.contact_changed");
    EXPECT_EQ(p->mail_kind, "mail.contact_moved");
    EXPECT_EQ(p->mail_to, Recipient::FormerContact);
    EXPECT_EQ(p->mail_reason, MailReason::Omit);
}

TEST(LifecycleContact, only_a_declared_declaration_changes_its_contact) {
    for (auto s : kAllStatuses) {
        EXPECT_EQ(plan_contact_change_request(st(s)).has_value(), s == Status::Declared) << to_string(s);
        EXPECT_EQ(plan_contact_change(st(s)).has_value(), s == Status::Declared) << to_string(s);
    }
}

// --- levels a declarant may give itself -----------------------------------------------------------

// Three levels, of which the declarant may give itself the first two.
constexpr Levels kThirdGranted{3, 2};

TEST(LifecycleLevels, a_step_up_to_a_level_granted_by_others_is_refused) {
    auto r = transition(st(Status::Declared, 2), event::StepUp{3}, kThirdGranted);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, Error::Kind::IllegalTransition);
    EXPECT_EQ(r.error().code, "lifecycle.declared.step_up.not_self_declared");
    EXPECT_TRUE(transition(st(Status::Declared, 1), event::StepUp{2}, kThirdGranted));
    EXPECT_FALSE(allows(st(Status::Declared, 2), event::StepUp{3}, kThirdGranted));
}

TEST(LifecycleLevels, applying_for_a_level_granted_by_others_is_refused) {
    auto r = plan_application(3, kThirdGranted);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "lifecycle.apply.not_self_declared");
    EXPECT_TRUE(plan_application(2, kThirdGranted));
    EXPECT_FALSE(plan_application(2, Levels{2, 1}));
}

TEST(LifecycleLevels, an_application_beyond_the_self_declared_levels_is_not_confirmed) {
    auto r = plan(st(Status::AwaitingConfirmation, 2), event::Confirm{}, Levels{2, 1});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "lifecycle.awaiting_confirmation.confirm.not_self_declared");
    EXPECT_TRUE(plan(st(Status::AwaitingConfirmation, 2), event::Confirm{}, kThirdGranted));
}

TEST(LifecycleLevels, only_a_declared_declaration_has_details_to_change) {
    for (auto s : kAllStatuses) EXPECT_EQ(may_change_details(s), s == Status::Declared) << to_string(s);
}
