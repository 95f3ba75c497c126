// C2SP tlog-tiles paths, contents and entry bundles (see tiles.hpp).
#include "tlog/tiles.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "tlog/merkle.hpp"

namespace sengen::tlog {
namespace {

// A decimal without leading zeros (or "0") within [0, max].
std::optional<std::int64_t> decimal(std::string_view s, std::int64_t max) {
    if (s.empty() || (s.size() > 1 && s[0] == '0')) return std::nullopt;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < 0 || v > max) return std::nullopt;
    return v;
}

bool three_digits(std::string_view s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// 256^(level) leaves per hash of a level-`level` tile, or nullopt past 2^62.
std::optional<std::int64_t> leaves_per_hash(int level) {
    if (level * kTileHeight > 62) return std::nullopt;
    return std::int64_t{1} << (level * kTileHeight);
}

}  // namespace

std::string tile_index_path(std::int64_t n) {
    std::string digits = std::to_string(n);
    digits.insert(0, (3 - digits.size() % 3) % 3, '0');
    std::string out;
    for (std::size_t i = 0; i < digits.size(); i += 3) {
        if (i + 3 < digits.size()) out += 'x';
        out.append(digits, i, 3);
        if (i + 3 < digits.size()) out += '/';
    }
    return out;
}

std::string tile_path(const TileRef& tile) {
    std::string out =
        tile.kind == TileRef::Kind::Entries ? "tile/entries/" : "tile/" + std::to_string(tile.level) + "/";
    out += tile_index_path(tile.n);
    if (tile.width < kTileWidth) out += ".p/" + std::to_string(tile.width);
    return out;
}

std::optional<TileRef> parse_tile_path(std::string_view path) {
    TileRef t;
    const auto slash = path.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    const std::string_view head = path.substr(0, slash);
    if (head == "entries") {
        t.kind = TileRef::Kind::Entries;
    } else {
        const auto level = decimal(head, 63);
        if (!level) return std::nullopt;
        t.level = static_cast<int>(*level);
    }
    std::string_view rest = path.substr(slash + 1);
    if (const auto p = rest.find(".p/"); p != std::string_view::npos) {
        const auto width = decimal(rest.substr(p + 3), kTileWidth - 1);
        if (!width || *width == 0) return std::nullopt;
        t.width = static_cast<int>(*width);
        rest = rest.substr(0, p);
    }
    // x001/x234/067: every element but the last is 'x' and three digits.
    std::int64_t n = 0;
    while (true) {
        const auto next = rest.find('/');
        const std::string_view element = rest.substr(0, next);
        const bool last = next == std::string_view::npos;
        std::string_view digits = element;
        if (!last) {
            if (!element.starts_with('x')) return std::nullopt;
            digits.remove_prefix(1);
        }
        if (!three_digits(digits)) return std::nullopt;
        if (n > (INT64_MAX - 999) / 1000) return std::nullopt;
        std::int64_t element_value = 0;
        std::from_chars(digits.data(), digits.data() + 3, element_value);
        n = n * 1000 + element_value;
        if (last) break;
        rest.remove_prefix(next + 1);
    }
    t.n = n;
    // One spelling per tile: "x000/001" is not 1.
    if (tile_path(t) != "tile/" + std::string(path)) return std::nullopt;
    return t;
}

bool tile_in_tree(const TileRef& tile, std::int64_t size) {
    const auto per_hash = leaves_per_hash(tile.kind == TileRef::Kind::Entries ? 0 : tile.level);
    if (!per_hash || tile.n < 0 || tile.width < 1 || tile.width > kTileWidth) return false;
    // The tile's last hash covers leaves up to (n * 256 + width) * 256^level.
    const std::int64_t hashes = tile.n * kTileWidth + tile.width;
    if (tile.n > (INT64_MAX / kTileWidth) || hashes > INT64_MAX / *per_hash) return false;
    return hashes * *per_hash <= size;
}

std::vector<std::int64_t> tile_hash_indexes(const TileRef& tile) {
    std::vector<std::int64_t> out;
    out.reserve(static_cast<std::size_t>(tile.width));
    for (int i = 0; i < tile.width; ++i)
        out.push_back(stored_hash_index(tile.level * kTileHeight, tile.n * kTileWidth + i));
    return out;
}

std::int64_t bundle_first_leaf(const TileRef& tile) { return tile.n * kTileWidth; }

Result<std::string> entry_bundle(const std::vector<std::string>& entries) {
    std::string out;
    for (const std::string& e : entries) {
        if (e.size() > 0xFFFF)
            return fail(Error{Error::Kind::Invalid, "tlog.entry_too_long", "an entry longer than 65,535 bytes", {}});
        out += static_cast<char>((e.size() >> 8) & 0xFF);
        out += static_cast<char>(e.size() & 0xFF);
        out += e;
    }
    return out;
}

Result<std::vector<std::string>> parse_entry_bundle(std::string_view bundle) {
    std::vector<std::string> out;
    while (!bundle.empty()) {
        if (bundle.size() < 2) return fail(Error{Error::Kind::Invalid, "tlog.bad_bundle", "a length cut short", {}});
        const std::size_t length =
            (std::size_t{static_cast<unsigned char>(bundle[0])} << 8) | static_cast<unsigned char>(bundle[1]);
        bundle.remove_prefix(2);
        if (bundle.size() < length)
            return fail(Error{Error::Kind::Invalid, "tlog.bad_bundle", "an entry cut short", {}});
        out.emplace_back(bundle.substr(0, length));
        bundle.remove_prefix(length);
    }
    return out;
}

}  // namespace sengen::tlog
