// Fuzz target: IP addresses and networks as text (IpAddress, IpNetwork: the trusted_proxies
// setting) and the client address read from X-Forwarded-For behind trusted proxies
// (client_address). The input is "peer NUL trusted networks, comma-separated NUL X-Forwarded-For
// values, one header per line". An address prints and re-parses to itself; a network contains its
// base; the client is the peer unless the peer is a trusted proxy, and then an address the peer or
// a header named.
#include <string>
#include <vector>

#include "domain/ip_network.hpp"
#include "domain/text.hpp"
#include "fuzz_check.hpp"

namespace {

using sengen::IpAddress;
using sengen::IpNetwork;

bool same(const IpAddress& a, const IpAddress& b) { return a.v6 == b.v6 && a.bytes == b.bytes; }

void check_address(std::string_view s) {
    const auto a = IpAddress::parse(s);
    if (!a) return;
    const std::string text = a->text();
    const auto again = IpAddress::parse(text);
    FUZZ_CHECK(again && same(*again, *a));
    FUZZ_CHECK(again->text() == text);
    if (!a->v6)
        for (std::size_t i = 4; i < 16; ++i) FUZZ_CHECK(a->bytes[i] == 0);
}

void check_network(std::string_view s) {
    const auto n = IpNetwork::parse(s);
    if (!n) return;
    FUZZ_CHECK(n->prefix >= 0 && n->prefix <= (n->base.v6 ? 128 : 32));
    FUZZ_CHECK(n->contains(n->base));
    const auto again = IpNetwork::parse(n->base.text() + "/" + std::to_string(n->prefix));
    FUZZ_CHECK(again && same(again->base, n->base) && again->prefix == n->prefix);
    // The network holds an address of the other family never, and every address when /0.
    IpAddress other = n->base;
    other.v6 = !other.v6;
    FUZZ_CHECK(!n->contains(other));
    if (n->prefix == 0) {
        IpAddress any = n->base;
        for (auto& b : any.bytes) b = static_cast<std::uint8_t>(~b);
        if (!any.v6)
            for (std::size_t i = 4; i < 16; ++i) any.bytes[i] = 0;
        FUZZ_CHECK(n->contains(any));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using sengen::fuzz::split_at_nul;
    const auto [peer, rest] = split_at_nul(sengen::fuzz::as_text(data, size));
    const auto [trusted_text, forwarded_text] = split_at_nul(rest);

    check_address(peer);
    check_network(peer);
    std::vector<IpNetwork> trusted;
    sengen::text::for_each_piece(trusted_text, ',', [&](std::string_view item) {
        item = sengen::text::trim(item);
        check_address(item);
        check_network(item);
        if (auto n = IpNetwork::parse(item)) trusted.push_back(*n);
    });
    std::vector<std::string_view> forwarded;
    sengen::text::for_each_piece(forwarded_text, '\n', [&](std::string_view v) { forwarded.push_back(v); });

    const std::string client = sengen::client_address(peer, forwarded, trusted);
    FUZZ_CHECK(sengen::client_address(peer, forwarded, {}) == peer);
    const auto peer_address = IpAddress::parse(peer);
    bool peer_trusted = false;
    for (const auto& n : trusted) peer_trusted = peer_trusted || (peer_address && n.contains(*peer_address));
    if (!peer_trusted) {
        FUZZ_CHECK(client == peer);
        return 0;
    }
    const auto c = IpAddress::parse(client);
    FUZZ_CHECK(c.has_value());
    bool named = same(*c, *peer_address);
    for (auto value : forwarded)
        sengen::text::for_each_piece(value, ',', [&](std::string_view hop) {
            if (auto h = IpAddress::parse(sengen::text::trim(hop))) named = named || same(*h, *c);
        });
    FUZZ_CHECK(named);
    return 0;
}
