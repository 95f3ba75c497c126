// The public history replayed from recorded lifecycle events, and the state on a past date.
#include <gtest/gtest.h>

#include "domain/declaration_history.hpp"

using namespace sengen;
using namespace sengen::history;
using LS = lifecycle::Status;

namespace {

TimePoint day(int y, int m, int d, int hour_jst = 12) {
    return dates::japan_midnight({y, m, d}) + std::chrono::hours(hour_jst);
}

Recorded rec(TimePoint at, Action a, int level = 0, std::optional<LS> s = std::nullopt) {
    return Recorded{at, a, level, s};
}

PublicDeclaration public_declaration(int level, LS status, TimePoint declared, TimePoint since,
                                     std::optional<TimePoint> ended) {
    return PublicDeclaration{DeclarationId::make(1, 1), "", "", "", level, status, declared, since, ended, "", ""};
}

std::optional<lifecycle::State> on(const std::vector<PublicEvent>& events, int y, int m, int d) {
    return state_at(events, end_of_japan_day({y, m, d}));
}

}  // namespace

TEST(DeclarationHistory, audit_actions_round_trip_and_others_are_not_public) {
    for (auto a : audit_actions()) EXPECT_TRUE(action_from_audit(a)) << a;
    EXPECT_EQ(action_from_audit("declaration.confirmed"), Action::Confirmed);
    EXPECT_EQ(action_from_audit("declaration.step_up"), Action::StepUp);
    EXPECT_FALSE(action_from_audit("declaration.contact_changed"));
    EXPECT_FALSE(action_from_audit("session.started"));
}

TEST(DeclarationHistory, replay_gives_each_public_event_with_the_state_after_it) {
    const std::vector<Recorded> r{
        rec(day(2026, 1, 9), Action::Applied, 1), rec(day(2026, 1, 10), Action::Confirmed, 0, LS::Declared),
        rec(day(2026, 2, 1), Action::StepUp, 2),  rec(day(2026, 3, 1), Action::Revoke),
        rec(day(2026, 3, 5), Action::Reinstate),  rec(day(2026, 4, 1), Action::StepDown, 1),
        rec(day(2026, 5, 1), Action::Stop),
    };
    const auto events = public_events(r);
    const std::vector<PublicEvent> want{
        {day(2026, 1, 10), EventKind::Issued, 1, LS::Declared},
        {day(2026, 2, 1), EventKind::LevelChanged, 2, LS::Declared},
        {day(2026, 3, 1), EventKind::Revoked, 2, LS::Revoked},
        {day(2026, 3, 5), EventKind::Reinstated, 2, LS::Declared},
        {day(2026, 4, 1), EventKind::LevelChanged, 1, LS::Declared},
        {day(2026, 5, 1), EventKind::Stopped, 1, LS::Stopped},
    };
    EXPECT_EQ(events, want);
}

TEST(DeclarationHistory, applied_level_is_the_level_at_issue_and_review_issues_on_approval) {
    const std::vector<Recorded> r{
        rec(day(2026, 1, 9), Action::Applied, 2),
        rec(day(2026, 1, 10), Action::Confirmed, 0, LS::AwaitingReview),
        rec(day(2026, 1, 12), Action::Approved),
    };
    const auto events = public_events(r);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0], (PublicEvent{day(2026, 1, 12), EventKind::Issued, 2, LS::Declared}));
}

TEST(DeclarationHistory, events_that_cannot_happen_in_that_order_are_skipped) {
    const std::vector<Recorded> r{
        rec(day(2026, 1, 1), Action::StepUp, 2),  // before the ID: not public
        rec(day(2026, 1, 2), Action::Confirmed, 0, LS::Disputed),
        rec(day(2026, 1, 3), Action::Stop),
    };
    EXPECT_TRUE(public_events(r).empty());
}

TEST(DeclarationHistory, imported_declaration_starts_with_its_import) {
    const std::vector<Recorded> r{rec(day(2020, 6, 1), Action::Imported, 2, LS::Declared),
                                  rec(day(2026, 1, 1), Action::Revoke)};
    const auto events = public_events(r);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].kind, EventKind::Imported);
    EXPECT_EQ(events[0].level, 2);
    EXPECT_EQ(events[1].status, LS::Revoked);
}

TEST(DeclarationHistory, an_import_stands_for_its_start_and_a_later_step_up) {
    // ★★ since the day it was declared: one event, at ★★.
    auto e = imported_events(day(2020, 6, 1), {2, day(2020, 6, 1)});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].action, Action::Imported);
    EXPECT_EQ(e[0].at, day(2020, 6, 1));
    EXPECT_EQ(e[0].level, 2);
    EXPECT_EQ(e[0].status, LS::Declared);
    // ★★ from a later date: ★ first, then the step up on that date.
    e = imported_events(day(2020, 6, 1), {2, day(2022, 4, 1)});
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].level, 1);
    EXPECT_EQ(e[1].action, Action::StepUp);
    EXPECT_EQ(e[1].at, day(2022, 4, 1));
    EXPECT_EQ(e[1].level, 2);
    // ★ with a later level date (a step down before the export) has nothing to step up to.
    e = imported_events(day(2020, 6, 1), {1, day(2022, 4, 1)});
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(e[0].level, 1);
    // Replayed with what happened here afterwards: a step up recorded after the import follows it.
    e.push_back(rec(day(2026, 1, 1), Action::StepUp, 2));
    const auto events = public_events(e);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0], (PublicEvent{day(2020, 6, 1), EventKind::Imported, 1, LS::Declared}));
    EXPECT_EQ(events[1], (PublicEvent{day(2026, 1, 1), EventKind::LevelChanged, 2, LS::Declared}));
}

TEST(DeclarationHistory, state_at_the_end_of_a_japan_day) {
    const std::vector<Recorded> r{
        rec(day(2026, 1, 10), Action::Confirmed, 0, LS::Declared),
        rec(day(2026, 2, 1, 23), Action::StepUp, 2),  // 23:00 in Japan, 14:00 UTC the same day
        rec(day(2026, 3, 1, 0), Action::Revoke),      // 00:00 in Japan: 15:00 UTC the day before
    };
    const auto events = public_events(r);
    EXPECT_FALSE(on(events, 2026, 1, 9));
    EXPECT_EQ(on(events, 2026, 1, 10), (lifecycle::State{LS::Declared, 1}));
    EXPECT_EQ(on(events, 2026, 1, 31), (lifecycle::State{LS::Declared, 1}));
    EXPECT_EQ(on(events, 2026, 2, 1), (lifecycle::State{LS::Declared, 2}));
    EXPECT_EQ(on(events, 2026, 2, 28), (lifecycle::State{LS::Declared, 2}));
    EXPECT_EQ(on(events, 2026, 3, 1), (lifecycle::State{LS::Revoked, 2}));
}

TEST(DeclarationHistory, end_of_japan_day_is_one_second_before_the_next_midnight) {
    EXPECT_EQ(end_of_japan_day({2026, 4, 1}) + std::chrono::seconds(1), dates::japan_midnight({2026, 4, 2}));
    EXPECT_EQ(dates::japan_iso_date(end_of_japan_day({2026, 4, 1})), "2026-04-01");
}

TEST(DeclarationHistory, implied_events_follow_the_declarations_own_dates) {
    auto d = public_declaration(2, LS::Revoked, day(2026, 1, 10), day(2026, 2, 1), day(2026, 3, 1));
    const auto events = implied_events(d);
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(on(events, 2026, 1, 20), (lifecycle::State{LS::Declared, 1}));
    EXPECT_EQ(on(events, 2026, 2, 20), (lifecycle::State{LS::Declared, 2}));
    EXPECT_EQ(on(events, 2026, 3, 2), (lifecycle::State{LS::Revoked, 2}));

    d.level_since = d.declared_at;
    d.status = LS::Declared;
    d.ended_at.reset();
    const auto plain = implied_events(d);
    ASSERT_EQ(plain.size(), 1u);
    EXPECT_EQ(plain[0], (PublicEvent{day(2026, 1, 10), EventKind::Issued, 2, LS::Declared}));
}

TEST(DeclarationHistory, completed_adds_an_end_the_record_lacks_and_keeps_a_full_record) {
    const auto d = public_declaration(1, LS::Revoked, day(2026, 1, 10), day(2026, 1, 10), day(2026, 3, 1));
    const std::vector<PublicEvent> issued{{day(2026, 1, 10), EventKind::Issued, 1, LS::Declared}};
    const auto done = completed(issued, d);
    ASSERT_EQ(done.size(), 2u);
    EXPECT_EQ(done[1], (PublicEvent{day(2026, 3, 1), EventKind::Revoked, 1, LS::Revoked}));
    const auto same = completed(done, d);
    EXPECT_EQ(same, done);
    EXPECT_EQ(completed({}, d), implied_events(d));
}
