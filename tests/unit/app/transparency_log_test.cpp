// The transparency log's pure decisions (app/transparency_log.hpp): which lifecycle plans append
// which entry, and the origin a registry's base URL gives.
#include "app/transparency_log.hpp"

#include <gtest/gtest.h>

namespace sengen::app {
namespace {

using LS = lifecycle::Status;

const lifecycle::Levels kLevels{2, 2};

Declaration with_id(LS status, int level) {
    Declaration d;
    d.state = {status, level};
    d.public_id = DeclarationId::make(1, 42);
    return d;
}

std::optional<tlog::LogEvent> event_of(const lifecycle::State& from, const lifecycle::Event& e, bool id_after = true) {
    auto plan = lifecycle::plan(from, e, kLevels);
    EXPECT_TRUE(plan) << plan.error().code;
    Declaration after = with_id(plan->to.status, plan->to.level);
    if (!id_after) after.public_id.reset();
    return log_event_of(*plan, from, after);
}

TEST(LogEventOf, each_public_change_is_its_event) {
    using E = tlog::LogEvent;
    EXPECT_EQ(event_of({LS::AwaitingConfirmation, 1}, lifecycle::event::Confirm{}), E::Issued);
    EXPECT_EQ(event_of({LS::AwaitingReview, 1}, lifecycle::event::Approve{}), E::Issued);
    EXPECT_EQ(event_of({LS::Disputed, 1}, lifecycle::event::Approve{}), E::Issued);
    EXPECT_EQ(event_of({LS::Declared, 1}, lifecycle::event::StepUp{2}), E::LevelChanged);
    EXPECT_EQ(event_of({LS::Declared, 2}, lifecycle::event::StepDown{1}), E::LevelChanged);
    EXPECT_EQ(event_of({LS::Declared, 1}, lifecycle::event::Stop{}), E::Stopped);
    EXPECT_EQ(event_of({LS::Declared, 1}, lifecycle::event::Revoke{"理由"}), E::Revoked);
    EXPECT_EQ(event_of({LS::Stopped, 1}, lifecycle::event::Revoke{"理由"}), E::Revoked);
    EXPECT_EQ(event_of({LS::Revoked, 1}, lifecycle::event::Reinstate{"理由"}), E::Reinstated);
}

TEST(LogEventOf, what_has_no_public_record_appends_nothing) {
    EXPECT_EQ(event_of({LS::AwaitingConfirmation, 1}, lifecycle::event::Confirm{true}, false), std::nullopt)
        << "held for review: no ID yet";
    EXPECT_EQ(event_of({LS::AwaitingReview, 1}, lifecycle::event::Reject{"理由"}, false), std::nullopt);
    EXPECT_EQ(event_of({LS::AwaitingConfirmation, 1},
                       lifecycle::event::Confirm{false, lifecycle::event::CorporateNumber::Taken}, false),
              std::nullopt)
        << "a dispute";
    auto contact = lifecycle::plan_contact_change({LS::Declared, 1});
    ASSERT_TRUE(contact);
    EXPECT_EQ(log_event_of(*contact, {LS::Declared, 1}, with_id(LS::Declared, 1)), std::nullopt);
}

TEST(LogOriginOf, is_the_base_url_without_its_scheme_then_log) {
    EXPECT_EQ(log_origin_of("https://registry.example.jp"), "registry.example.jp/log");
    EXPECT_EQ(log_origin_of("https://registry.example.jp/"), "registry.example.jp/log");
    EXPECT_EQ(log_origin_of("http://127.0.0.1:8080"), "127.0.0.1:8080/log");
    EXPECT_EQ(log_origin_of("https://example.jp/sengen"), "example.jp/sengen/log");
}

}  // namespace
}  // namespace sengen::app
