// The security lines of the log: what they hold and what they never hold, and their budget.
#include "app/security_log.hpp"

#include <gtest/gtest.h>

namespace sengen::app {

TEST(SecurityLog, a_line_names_the_event_its_fields_and_the_client_network_only) {
    EXPECT_EQ(security_line("rate.limited", "192.0.2.77", {{"rule", "rate.signin.ip"}, {"route", "/signin"}}),
              "security event=rate.limited rule=rate.signin.ip route=/signin client=192.0.2.0/24");
    const auto line = security_line("link.refused", "2001:db8:1:2::9", {{"link", "signin"}});
    EXPECT_EQ(line, "security event=link.refused link=signin client=2001:db8:1::/48");
    EXPECT_EQ(line.find("2001:db8:1:2"), std::string::npos);
}

TEST(SecurityLog, no_value_can_split_or_forge_a_line) {
    const auto line = security_line("x", "\n", {{"route", "/a\nsecurity event=forged b"}, {"empty", ""}});
    EXPECT_EQ(line, "security event=x route=/a?security?event=forged?b empty=- client=unknown");
}

TEST(SecurityLog, a_node_writes_at_most_its_budget_a_second_and_reports_what_it_held_back) {
    SecurityLineBudget budget(3);
    for (int i = 0; i < 3; ++i) EXPECT_TRUE(budget.take(100).write);
    for (int i = 0; i < 1000; ++i) EXPECT_FALSE(budget.take(100).write);
    const auto next = budget.take(101);
    EXPECT_TRUE(next.write);
    EXPECT_EQ(next.held_back, 1000);
    EXPECT_EQ(budget.take(101).held_back, 0);
}

}  // namespace sengen::app
