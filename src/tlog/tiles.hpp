// The tree served as static files, as C2SP tlog-tiles specifies: hash tiles at
// tile/<L>/<N>[.p/<W>] and entry bundles at tile/entries/<N>[.p/<W>], N written in 3-digit
// path elements of which all but the last start with 'x' (1234067 is x001/x234/067). A tile at
// level L holds up to 256 hashes of complete subtrees of height 8L; a partial one (.p/W) the
// first W of them. Every tile is immutable once its leaves exist, so it is served with long
// caching; which tiles exist follows from the tree size alone.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace sengen::tlog {

constexpr int kTileHeight = 8;
constexpr int kTileWidth = 256;

struct TileRef {
    enum class Kind { Hashes, Entries };
    Kind kind = Kind::Hashes;
    int level = 0;           // 0 for entry bundles
    std::int64_t n = 0;      // the tile's index within its level
    int width = kTileWidth;  // 1..256; below 256 the tile is partial
};

// "x001/x234/067" for 1234067, "000" for 0.
std::string tile_index_path(std::int64_t n);
// The tile's path below the log's prefix: "tile/0/x001/067.p/12", "tile/entries/005".
std::string tile_path(const TileRef& tile);
// Parses what follows "tile/"; nullopt for anything the specification does not allow (leading
// zeros, a level above 63, a width of 0 or 256 after .p/, stray characters).
std::optional<TileRef> parse_tile_path(std::string_view path);
// A full tile (256 wide) never changes; a partial one is followed by a wider one as the tree grows.
inline bool full_tile(const TileRef& tile) { return tile.width == kTileWidth; }

// Whether the tree of `size` leaves holds the tile (a partial tile exists for every size that
// reaches its width; a tile beyond the tree does not).
bool tile_in_tree(const TileRef& tile, std::int64_t size);
// The stored hash indexes (merkle.hpp) of a hash tile's hashes, in order.
std::vector<std::int64_t> tile_hash_indexes(const TileRef& tile);
// The leaf range [first, first + width) of an entry bundle.
std::int64_t bundle_first_leaf(const TileRef& tile);

// An entry bundle: each entry as a big-endian uint16 length and its bytes. Entries longer than
// 65,535 bytes cannot be bundled and are refused.
Result<std::string> entry_bundle(const std::vector<std::string>& entries);
Result<std::vector<std::string>> parse_entry_bundle(std::string_view bundle);

}  // namespace sengen::tlog
