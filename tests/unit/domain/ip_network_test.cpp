#include <gtest/gtest.h>

#include "domain/ip_network.hpp"

using namespace sengen;

namespace {
std::vector<IpNetwork> nets(std::initializer_list<const char*> texts) {
    std::vector<IpNetwork> out;
    for (const char* t : texts) {
        auto n = IpNetwork::parse(t);
        EXPECT_TRUE(n) << t;
        if (n) out.push_back(*n);
    }
    return out;
}
}  // namespace

TEST(IpNetwork, addresses_and_networks_parse_in_both_families) {
    EXPECT_TRUE(IpAddress::parse("192.0.2.1"));
    EXPECT_TRUE(IpAddress::parse("2001:db8::1"));
    EXPECT_EQ(IpAddress::parse("::ffff:192.0.2.1")->text(), "192.0.2.1");
    for (const char* bad : {"", "192.0.2", "192.0.2.256", "example.jp", "1.2.3.4 ", "::g", "１.２.３.４"})
        EXPECT_FALSE(IpAddress::parse(bad)) << bad;
    for (const char* bad : {"10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "2001:db8::/129", "/8"})
        EXPECT_FALSE(IpNetwork::parse(bad)) << bad;
}

TEST(IpNetwork, a_network_contains_the_addresses_under_its_prefix) {
    auto n = IpNetwork::parse("10.1.0.0/16");
    ASSERT_TRUE(n);
    EXPECT_TRUE(n->contains(*IpAddress::parse("10.1.255.7")));
    EXPECT_FALSE(n->contains(*IpAddress::parse("10.2.0.1")));
    EXPECT_FALSE(n->contains(*IpAddress::parse("2001:db8::1")));
    auto odd = IpNetwork::parse("192.0.2.128/25");
    EXPECT_TRUE(odd->contains(*IpAddress::parse("192.0.2.200")));
    EXPECT_FALSE(odd->contains(*IpAddress::parse("192.0.2.127")));
    auto v6 = IpNetwork::parse("2001:db8:abcd::/48");
    EXPECT_TRUE(v6->contains(*IpAddress::parse("2001:db8:abcd:12::5")));
    EXPECT_FALSE(v6->contains(*IpAddress::parse("2001:db8:abce::5")));
    auto one = IpNetwork::parse("127.0.0.1");
    EXPECT_TRUE(one->contains(*IpAddress::parse("127.0.0.1")));
    EXPECT_FALSE(one->contains(*IpAddress::parse("127.0.0.2")));
    auto all = IpNetwork::parse("0.0.0.0/0");
    EXPECT_TRUE(all->contains(*IpAddress::parse("203.0.113.9")));
}

TEST(ClientAddress, without_trusted_proxies_the_header_is_ignored) {
    EXPECT_EQ(client_address("198.51.100.1", {"203.0.113.5"}, {}), "198.51.100.1");
}

TEST(ClientAddress, an_untrusted_peer_cannot_choose_its_address) {
    EXPECT_EQ(client_address("198.51.100.1", {"203.0.113.5"}, nets({"10.0.0.0/8"})), "198.51.100.1");
}

TEST(ClientAddress, a_trusted_proxy_gives_the_address_it_saw) {
    const auto trusted = nets({"10.0.0.0/8"});
    EXPECT_EQ(client_address("10.0.0.2", {"203.0.113.5"}, trusted), "203.0.113.5");
    // What the client sent sits to the left of what the proxy appended: it is never reached.
    EXPECT_EQ(client_address("10.0.0.2", {"1.1.1.1, 203.0.113.5"}, trusted), "203.0.113.5");
    EXPECT_EQ(client_address("10.0.0.2", {"1.1.1.1", "203.0.113.5"}, trusted), "203.0.113.5");
}

TEST(ClientAddress, a_chain_of_trusted_proxies_is_walked_from_the_right) {
    const auto trusted = nets({"10.0.0.0/8", "2001:db8::/32"});
    EXPECT_EQ(client_address("10.0.0.2", {"203.0.113.5 , 10.9.9.9,2001:db8::7"}, trusted), "203.0.113.5");
    // Every hop trusted: the leftmost is as far as anyone can tell.
    EXPECT_EQ(client_address("10.0.0.2", {"10.0.0.3, 10.0.0.4"}, trusted), "10.0.0.3");
}

TEST(ClientAddress, a_hop_that_is_no_address_stops_the_walk_at_the_last_good_one) {
    const auto trusted = nets({"10.0.0.0/8"});
    EXPECT_EQ(client_address("10.0.0.2", {"unknown, 10.0.0.9"}, trusted), "10.0.0.9");
    EXPECT_EQ(client_address("10.0.0.2", {""}, trusted), "10.0.0.2");
    EXPECT_EQ(client_address("10.0.0.2", {}, trusted), "10.0.0.2");
    EXPECT_EQ(client_address("10.0.0.2", {"<script>"}, trusted), "10.0.0.2");
}

TEST(IpAddress, socket_bytes_and_text_agree) {
    const std::uint8_t v4[4] = {192, 0, 2, 1};
    EXPECT_EQ(IpAddress::from_bytes(v4, IpFamily::V4).text(), "192.0.2.1");
    const std::uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 7};
    EXPECT_EQ(IpAddress::from_bytes(mapped, IpFamily::V6).text(), "198.51.100.7");
    EXPECT_FALSE(IpAddress::from_bytes(mapped, IpFamily::V6).v6);
    EXPECT_EQ(IpAddress::parse("2001:db8::1")->text(), "2001:db8::1");
    EXPECT_EQ(IpAddress::parse("0.0.0.0")->text(), "0.0.0.0");
}

TEST(RateLimitSubject, an_ipv6_address_counts_by_its_64_and_ipv4_as_it_is) {
    EXPECT_EQ(rate_limit_subject("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
    EXPECT_EQ(rate_limit_subject("2001:db8:1:2::1"), rate_limit_subject("2001:0db8:0001:0002:ffff::9"));
    EXPECT_NE(rate_limit_subject("2001:db8:1:2::1"), rate_limit_subject("2001:db8:1:3::1"));
    EXPECT_EQ(rate_limit_subject("::1"), "::/64");
    EXPECT_EQ(rate_limit_subject("192.0.2.1"), "192.0.2.1");
    EXPECT_EQ(rate_limit_subject("::ffff:192.0.2.1"), "192.0.2.1");
    EXPECT_EQ(rate_limit_subject("::ffff:c000:201"), "192.0.2.1");
    // Not an address (a test's made-up caller, an empty peer): kept as it is.
    EXPECT_EQ(rate_limit_subject("unknown"), "unknown");
    EXPECT_EQ(rate_limit_subject(""), "");
    EXPECT_EQ(rate_limit_subject("2001:db8::zz"), "2001:db8::zz");
}

TEST(ClientNetwork, security_lines_name_the_24_or_the_48_and_never_the_address) {
    EXPECT_EQ(client_network("192.0.2.77"), "192.0.2.0/24");
    EXPECT_EQ(client_network("::ffff:198.51.100.9"), "198.51.100.0/24");
    EXPECT_EQ(client_network("2001:db8:1:2:aaaa::9"), "2001:db8:1::/48");
    EXPECT_EQ(client_network("::1"), "::/48");
    EXPECT_EQ(client_network("not an address\nforged line"), "unknown");
    EXPECT_EQ(client_network(""), "unknown");
}
