#include "domain/ip_network.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "domain/text.hpp"

namespace sengen {

namespace {
constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}  // namespace

IpAddress IpAddress::from_bytes(const std::uint8_t* bytes, IpFamily family) {
    const bool v6 = family == IpFamily::V6;
    IpAddress a;
    if (v6 && std::memcmp(bytes, kMapped, 12) == 0) {
        std::memcpy(a.bytes.data(), bytes + 12, 4);
        return a;
    }
    std::memcpy(a.bytes.data(), bytes, v6 ? 16 : 4);
    a.v6 = v6;
    return a;
}

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
    // inet_pton needs a terminated string; an address is never longer than this.
    if (text.empty() || text.size() > 45) return std::nullopt;
    char buf[46];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    std::uint8_t bytes[16];
    if (inet_pton(AF_INET, buf, bytes) == 1) return from_bytes(bytes, IpFamily::V4);
    if (inet_pton(AF_INET6, buf, bytes) == 1) return from_bytes(bytes, IpFamily::V6);
    return std::nullopt;
}

// IPv4 is written by hand: inet_ntop formats it with sprintf, and this runs for every request.
std::string IpAddress::text() const {
    if (!v6) {
        std::string out;
        out.reserve(15);
        for (int i = 0; i < 4; ++i) {
            if (i) out += '.';
            out += std::to_string(bytes[i]);
        }
        return out;
    }
    char buf[INET6_ADDRSTRLEN];
    if (!inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf)) return {};
    return buf;
}

std::optional<IpNetwork> IpNetwork::parse(std::string_view text) {
    const auto slash = text.find('/');
    auto base = IpAddress::parse(text.substr(0, slash));
    if (!base) return std::nullopt;
    const int bits = base->v6 ? 128 : 32;
    int prefix = bits;
    if (slash != std::string_view::npos) {
        const auto p = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
        if (p.empty() || ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > bits)
            return std::nullopt;
    }
    return IpNetwork{*base, prefix};
}

bool IpNetwork::contains(const IpAddress& a) const {
    if (a.v6 != base.v6) return false;
    int left = prefix;
    for (std::size_t i = 0; left > 0; ++i, left -= 8) {
        const std::uint8_t mask = left >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - left));
        if ((a.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
    }
    return true;
}

namespace {

bool is_trusted(const IpAddress& a, const std::vector<IpNetwork>& trusted) {
    return std::any_of(trusted.begin(), trusted.end(), [&](const IpNetwork& n) { return n.contains(a); });
}

}  // namespace

std::string client_address(std::string_view peer, const std::vector<std::string_view>& forwarded_for,
                           const std::vector<IpNetwork>& trusted) {
    auto current = IpAddress::parse(peer);
    if (!current || trusted.empty() || !is_trusted(*current, trusted)) return std::string(peer);
    std::vector<std::string_view> hops;
    for (auto value : forwarded_for)
        text::for_each_piece(value, ',', [&](std::string_view hop) { hops.push_back(text::trim(hop)); });
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        auto hop = IpAddress::parse(*it);
        if (!hop) break;
        current = hop;
        if (!is_trusted(*current, trusted)) break;
    }
    return current->text();
}

std::string rate_limit_subject(std::string_view address) {
    // Every IPv6 text has a colon; IPv4 (the common case, on the benchmarked lookup) needs no parse.
    if (address.find(':') == std::string_view::npos) return std::string(address);
    auto a = IpAddress::parse(address);
    if (!a) return std::string(address);
    if (!a->v6) return a->text();
    std::fill(a->bytes.begin() + 8, a->bytes.end(), std::uint8_t{0});
    return a->text() + "/64";
}

std::string client_network(std::string_view address) {
    auto a = IpAddress::parse(address);
    if (!a) return "unknown";
    const std::size_t kept = a->v6 ? 6 : 3;  // bytes of the /48 or the /24
    std::fill(a->bytes.begin() + static_cast<std::ptrdiff_t>(kept), a->bytes.end(), std::uint8_t{0});
    return a->text() + (a->v6 ? "/48" : "/24");
}

}  // namespace sengen
