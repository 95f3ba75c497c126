// Browser sessions (app::Sessions) on a real SQLite database, with a clock the test moves.
#include "app/sessions.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "../mail/fixtures.hpp"
#include "app/tokens.hpp"

namespace sengen::app {
namespace {

using mail::testing::ManualClock;
using mail::testing::TempDir;
using std::chrono::hours;
using std::chrono::minutes;

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().code << ": " << (r).error().detail

const TimePoint kStart = from_unix_seconds(1'772'409'600);

class SessionsTest : public ::testing::Test {
protected:
    // What the store holds for the token, read without sliding anything.
    std::optional<Session> stored(const std::string& token) {
        auto r = store->query<std::optional<Session>>(
            TxMode::Read, [&](Transaction& tx) { return tx.sessions().find(token_hash(token), clock.now()); });
        if (!r) throw std::runtime_error(r.error().detail);
        return *r;
    }

    TempDir dir;
    std::unique_ptr<storage::sqlite::SqliteStore> store = mail::testing::open_migrated(dir);
    ManualClock clock{kStart};
    Sessions sessions{*store, clock};
};

TEST_F(SessionsTest, a_started_session_is_anonymous_and_found_by_its_token) {
    auto open = sessions.start();
    ASSERT_OK(open);
    EXPECT_TRUE(plausible_token(open->token));
    EXPECT_EQ(open->session.id_hash, token_hash(open->token));
    EXPECT_EQ(open->session.expires_at, kStart + session_idle_lifetime);
    auto found = sessions.resume(open->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_FALSE((*found)->account_id);
}

TEST_F(SessionsTest, junk_and_unknown_tokens_name_no_session) {
    for (const auto& token : std::vector<std::string>{"", "short", std::string(43, '!'), random_token()}) {
        auto found = sessions.resume(token);
        ASSERT_OK(found);
        EXPECT_FALSE(*found) << token;
    }
}

TEST_F(SessionsTest, expiry_slides_with_use_but_is_written_at_most_every_ten_minutes) {
    auto open = sessions.start();
    ASSERT_OK(open);

    clock.advance(minutes(9));
    auto early = sessions.resume(open->token);
    ASSERT_OK(early);
    ASSERT_TRUE(*early);
    EXPECT_EQ((*early)->expires_at, kStart + session_idle_lifetime);
    EXPECT_EQ(stored(open->token)->expires_at, kStart + session_idle_lifetime);

    clock.advance(minutes(2));
    auto later = sessions.resume(open->token);
    ASSERT_OK(later);
    ASSERT_TRUE(*later);
    EXPECT_EQ((*later)->expires_at, clock.now() + session_idle_lifetime);
    EXPECT_EQ(stored(open->token)->expires_at, clock.now() + session_idle_lifetime);
}

TEST_F(SessionsTest, a_session_unused_for_its_idle_lifetime_is_gone) {
    auto open = sessions.start();
    ASSERT_OK(open);
    clock.advance(std::chrono::duration_cast<std::chrono::seconds>(session_idle_lifetime) + std::chrono::seconds(1));
    auto found = sessions.resume(open->token);
    ASSERT_OK(found);
    EXPECT_FALSE(*found);
}

TEST_F(SessionsTest, signing_in_replaces_the_session_with_one_under_a_new_token) {
    auto anonymous = sessions.start();
    ASSERT_OK(anonymous);
    auto signed_in = sessions.sign_in(anonymous->session, 42);
    ASSERT_OK(signed_in);
    EXPECT_NE(signed_in->token, anonymous->token);
    EXPECT_EQ(signed_in->session.account_id, 42);

    auto old = sessions.resume(anonymous->token);
    ASSERT_OK(old);
    EXPECT_FALSE(*old);
    auto found = sessions.resume(signed_in->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->account_id, 42);
}

TEST_F(SessionsTest, signing_in_without_a_session_starts_one) {
    auto signed_in = sessions.sign_in(std::nullopt, 7);
    ASSERT_OK(signed_in);
    auto found = sessions.resume(signed_in->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->account_id, 7);
}

TEST_F(SessionsTest, data_is_kept_with_the_session_until_it_ends) {
    auto open = sessions.start();
    ASSERT_OK(open);
    ASSERT_OK(sessions.save_data(open->session, R"({"flash":"x"})"));
    auto found = sessions.resume(open->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->data, R"({"flash":"x"})");

    ASSERT_OK(sessions.end(**found));
    auto gone = sessions.resume(open->token);
    ASSERT_OK(gone);
    EXPECT_FALSE(*gone);
}

TEST_F(SessionsTest, a_session_started_with_data_keeps_it_from_the_start) {
    auto open = sessions.start(R"({"apply":{"business_name":"x"}})");
    ASSERT_OK(open);
    auto found = sessions.resume(open->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->data, R"({"apply":{"business_name":"x"}})");
}

TEST_F(SessionsTest, data_over_the_limit_is_refused_before_anything_is_stored) {
    const std::string too_much = R"({"x":")" + std::string(session_data_max_bytes, 'a') + R"("})";
    auto refused_start = sessions.start(too_much);
    ASSERT_FALSE(refused_start);
    EXPECT_EQ(refused_start.error().code, "session.data_too_large");

    auto open = sessions.start();
    ASSERT_OK(open);
    ASSERT_OK(sessions.save_data(open->session, R"({"flash":"kept"})"));
    auto refused = sessions.save_data(open->session, too_much);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "session.data_too_large");
    EXPECT_EQ(stored(open->token)->data, R"({"flash":"kept"})");
}

TEST_F(SessionsTest, a_session_in_constant_use_ends_seven_days_after_it_started) {
    auto open = sessions.sign_in(std::nullopt, 42);
    ASSERT_OK(open);
    const auto last_moment = kStart + session_absolute_lifetime;
    // Used every hour: the idle expiry keeps sliding, but never past the absolute one.
    while (clock.now() + hours(1) < last_moment) {
        clock.advance(hours(1));
        auto found = sessions.resume(open->token);
        ASSERT_OK(found);
        ASSERT_TRUE(*found) << "still within the week";
        EXPECT_LE((*found)->expires_at, last_moment);
    }
    clock.advance(std::chrono::duration_cast<std::chrono::seconds>(last_moment - clock.now()));
    auto found = sessions.resume(open->token);
    ASSERT_OK(found);
    EXPECT_FALSE(*found);
}

TEST_F(SessionsTest, ending_everywhere_ends_every_session_of_the_account_only) {
    auto here = sessions.sign_in(std::nullopt, 42);
    auto there = sessions.sign_in(std::nullopt, 42);
    auto other = sessions.sign_in(std::nullopt, 43);
    auto anonymous = sessions.start(R"({"flash":"x"})");
    ASSERT_OK(here);
    ASSERT_OK(there);
    ASSERT_OK(other);
    ASSERT_OK(anonymous);
    ASSERT_OK(sessions.end_everywhere(here->session));
    for (const auto* token : {&here->token, &there->token}) {
        auto found = sessions.resume(*token);
        ASSERT_OK(found);
        EXPECT_FALSE(*found);
    }
    for (const auto* token : {&other->token, &anonymous->token}) {
        auto found = sessions.resume(*token);
        ASSERT_OK(found);
        EXPECT_TRUE(*found);
    }
    auto refused = sessions.end_everywhere(anonymous->session);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::Forbidden);
}

TEST_F(SessionsTest, an_account_sees_its_sessions_with_where_and_when_and_ends_one_leaving_the_others) {
    auto here = sessions.sign_in(std::nullopt, 42, {"Firefox / Linux", "2001:db8:1:2::/64"});
    clock.advance(minutes(1));
    auto there = sessions.sign_in(std::nullopt, 42, {"Safari / iPhone", "192.0.2.7"});
    auto third = sessions.sign_in(std::nullopt, 42, {});
    auto other = sessions.sign_in(std::nullopt, 43, {"Chrome / Windows", "198.51.100.1"});
    ASSERT_OK(here);
    ASSERT_OK(there);
    ASSERT_OK(third);
    ASSERT_OK(other);
    // Used again after a while: the list says when, to within the ten minutes between writes.
    clock.advance(minutes(30));
    ASSERT_OK(sessions.resume(here->token));

    auto listed = sessions.list(here->session);
    ASSERT_OK(listed);
    ASSERT_EQ(listed->size(), 3u);
    const auto& mine = *std::find_if(listed->begin(), listed->end(), [](const auto& e) { return e.current; });
    EXPECT_EQ(mine.client_label, "Firefox / Linux");
    EXPECT_EQ(mine.client_network, "2001:db8:1:2::/64");
    EXPECT_EQ(mine.started_at, kStart);
    EXPECT_EQ(mine.last_used_at, kStart + minutes(31));
    EXPECT_EQ(std::count_if(listed->begin(), listed->end(), [](const auto& e) { return e.current; }), 1);
    for (const auto& e : *listed) {
        // Neither the token nor the stored hash is what names a session on the page.
        for (const auto* open : {&*here, &*there, &*third}) {
            EXPECT_EQ(e.ref.find(open->token), std::string::npos);
            EXPECT_NE(e.ref, open->session.id_hash);
            EXPECT_EQ(open->session.id_hash.find(e.ref), std::string::npos);
        }
    }
    const auto theirs =
        std::find_if(listed->begin(), listed->end(), [](const auto& e) { return e.client_label == "Safari / iPhone"; });
    ASSERT_NE(theirs, listed->end());
    EXPECT_EQ(theirs->last_used_at, theirs->started_at);  // not used since it started

    // Another account cannot end it by its ref, and an anonymous session cannot list or end anything.
    auto refused = sessions.end_one(other->session, theirs->ref);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, Error::Kind::NotFound);
    auto anonymous = sessions.start();
    ASSERT_OK(anonymous);
    EXPECT_EQ(sessions.list(anonymous->session).error().kind, Error::Kind::Forbidden);
    EXPECT_EQ(sessions.end_one(anonymous->session, theirs->ref).error().kind, Error::Kind::Forbidden);
    ASSERT_TRUE(*sessions.resume(there->token));

    ASSERT_OK(sessions.end_one(here->session, theirs->ref));
    EXPECT_FALSE(*sessions.resume(there->token));
    for (const auto* token : {&here->token, &third->token, &other->token}) EXPECT_TRUE(*sessions.resume(*token));
    auto after = sessions.list(here->session);
    ASSERT_OK(after);
    EXPECT_EQ(after->size(), 2u);
}

// ADR 61: after the link of an account with a sign-in code, the session waits for the code.
TEST_F(SessionsTest, a_session_waiting_for_its_code_lives_a_quarter_hour_never_slides_and_is_not_listed) {
    auto waiting = sessions.sign_in(std::nullopt, 42, {}, SignInStage::SecondFactor);
    ASSERT_OK(waiting);
    EXPECT_EQ(waiting->session.expires_at, kStart + minutes(15));
    auto full = sessions.sign_in(std::nullopt, 42);
    ASSERT_OK(full);
    auto listed = sessions.list(full->session);
    ASSERT_OK(listed);
    EXPECT_EQ(listed->size(), 1u);
    // Nothing that needs a signed-in session works for one still waiting.
    EXPECT_FALSE(sessions.list(waiting->session));
    EXPECT_FALSE(sessions.end_everywhere(waiting->session));
    clock.advance(minutes(14));
    auto found = sessions.resume(waiting->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->stage, SignInStage::SecondFactor);
    EXPECT_EQ(stored(waiting->token)->expires_at, kStart + minutes(15));
    clock.advance(minutes(1));
    auto gone = sessions.resume(waiting->token);
    ASSERT_OK(gone);
    EXPECT_FALSE(*gone);
}

TEST_F(SessionsTest, the_code_makes_the_waiting_session_full_under_a_new_token_with_its_data) {
    auto waiting = sessions.sign_in(std::nullopt, 42, {"Firefox / Linux", "192.0.2.0/24"}, SignInStage::SecondFactor);
    ASSERT_OK(waiting);
    ASSERT_OK(sessions.save_data(waiting->session, R"({"pending_assessment":{}})"));
    waiting->session.data = R"({"pending_assessment":{}})";
    auto full = sessions.finish_second_factor(waiting->session);
    ASSERT_OK(full);
    EXPECT_NE(full->token, waiting->token);
    EXPECT_FALSE(stored(waiting->token));
    auto found = sessions.resume(full->token);
    ASSERT_OK(found);
    ASSERT_TRUE(*found);
    EXPECT_EQ((*found)->stage, SignInStage::Full);
    EXPECT_EQ((*found)->account_id, 42);
    EXPECT_EQ((*found)->data, R"({"pending_assessment":{}})");
    EXPECT_EQ((*found)->client_label, "Firefox / Linux");
    EXPECT_EQ((*found)->expires_at, kStart + session_idle_lifetime);
    // A full session has no code to wait for.
    EXPECT_FALSE(sessions.finish_second_factor((*found).value()));
}

}  // namespace
}  // namespace sengen::app
