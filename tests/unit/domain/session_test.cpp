// What domain/session.hpp decides: the browser label a list of sessions shows (the family and
// system of common User-Agents, nothing of what a client makes up), and what a recent sign-in is.
#include "domain/session.hpp"

#include <gtest/gtest.h>

namespace sengen {
namespace {

TEST(BrowserLabel, common_browsers_are_named_by_family_and_system) {
    const std::pair<const char*, const char*> cases[] = {
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
         "Safari/537.36",
         "Chrome / Windows"},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
         "Safari/537.36 Edg/131.0.2903.86",
         "Edge / Windows"},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.6 Mobile/15E148 Safari/604.1",
         "Safari / iPhone"},
        {"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 "
         "Safari/605.1.15",
         "Safari / macOS"},
        {"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0", "Firefox / Linux"},
        {"Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
         "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
         "Samsung Internet / Android"},
        {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "CriOS/131.0 Mobile/15E148 Safari/604.1",
         "Chrome / iPhone"},
        {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 "
         "Safari/537.36 OPR/115.0.0.0",
         "Opera / Windows"},
    };
    for (const auto& [ua, label] : cases) EXPECT_EQ(browser_label(ua), label) << ua;
}

TEST(BrowserLabel, unknown_or_made_up_agents_give_a_fixed_label_or_none) {
    EXPECT_EQ(browser_label(""), "");
    EXPECT_EQ(browser_label("Python-urllib/3.12"), "");
    EXPECT_EQ(browser_label("curl/8.5.0"), "");
    // Whatever else a client writes, only names from the fixed list come out.
    EXPECT_EQ(browser_label("<script>alert(1)</script> Firefox/1 Windows"), "Firefox / Windows");
    EXPECT_EQ(browser_label(std::string(100000, 'x') + "Linux"), "Linux");
}

}  // namespace
}  // namespace sengen

TEST(RecentSignIn, a_sign_in_counts_as_recent_for_ten_minutes_and_not_a_second_more) {
    const auto at = sengen::from_unix_seconds(1'800'000'000);
    EXPECT_TRUE(sengen::signed_in_recently(at, at));
    EXPECT_TRUE(sengen::signed_in_recently(at, at + std::chrono::minutes(10) - std::chrono::seconds(1)));
    EXPECT_FALSE(sengen::signed_in_recently(at, at + std::chrono::minutes(10)));
    EXPECT_FALSE(sengen::signed_in_recently(at, at + std::chrono::hours(24)));
}
