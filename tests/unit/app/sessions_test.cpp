// Browser sessions (app::Sessions) on a real SQLite database, with a clock the test moves.
#include "app/sessions.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sengen::app
