// IP addresses and networks as text (IPv4 and IPv6), and the client's address behind trusted
// reverse proxies: what rate limits key on when several nodes sit behind a load balancer.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sengen {

// How many bytes an address given as bytes has: 4 (IPv4) or 16 (IPv6).
enum class IpFamily { V4, V6 };

struct IpAddress {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4

    // "192.0.2.1", "2001:db8::1"; an IPv4-mapped IPv6 address ("::ffff:192.0.2.1") reads as IPv4.
    static std::optional<IpAddress> parse(std::string_view text);
    // From the 4 or 16 bytes of a socket address, in network order (IPv4-mapped reads as IPv4).
    static IpAddress from_bytes(const std::uint8_t* bytes, IpFamily family);
    std::string text() const;
};

struct IpNetwork {
    IpAddress base;
    int prefix = 32;  // bits

    // "192.0.2.0/24", "2001:db8::/32", or one address ("10.0.0.7": a /32 or /128).
    static std::optional<IpNetwork> parse(std::string_view text);
    bool contains(const IpAddress& a) const;
};

// The address a request comes from. `peer` is the connection's; when it is one of `trusted`, the
// X-Forwarded-For values (every such header's value, in order) are read from the right, past every
// trusted proxy, to the first address that is not one: the client, as the nearest trusted proxy
// saw it. An entry that is not an address stops the walk at the last address known good. With no
// trusted proxies the header is ignored, so a client cannot choose its own address.
std::string client_address(std::string_view peer, const std::vector<std::string_view>& forwarded_for,
                           const std::vector<IpNetwork>& trusted);

// What a per-client rate limit counts for the address `address` (as client_address gives it): an
// IPv4 address as it is, an IPv6 address by its /64 ("2001:db8:1:2::/64"). One subscriber, one
// host or one virtual machine is commonly given a whole /64 (RFC 6177, RFC 7934), so counting
// single IPv6 addresses would let a client pick a fresh one for each request. An IPv4-mapped
// address counts as the IPv4 address; text that is no address is kept as it is.
std::string rate_limit_subject(std::string_view address);

// The network a client address belongs to, as security lines in the log name it: an IPv4 address
// by its /24, an IPv6 address by its /48 ("192.0.2.0/24", "2001:db8:1::/48"). Enough for an operator
// to see where refusals come from and to block that range, without writing one person's address
// into the log. Text that is no address is "unknown".
std::string client_network(std::string_view address);

}  // namespace sengen
