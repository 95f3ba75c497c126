// Reading a log the way an outside client does: its stored hashes and entries from the tiles of
// C2SP tlog-tiles (tiles.hpp), fetched by path. No I/O here: the caller hands in how a path is
// fetched (over HTTP for `sengen log monitor`, from memory in tests).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "tlog/merkle.hpp"
#include "tlog/tiles.hpp"

namespace sengen::tlog {

// The bytes at a tile path ("tile/0/x001/067.p/12"), relative to the log's prefix.
using TileFetcher = std::function<Result<std::string>(const std::string& path)>;

// The tile that holds hashes at tile level `level` from index `first` on, as the tree of `size`
// leaves has it: full when the tree has all 256 of its hashes, partial otherwise; nullopt when the
// tree does not reach the tile.
std::optional<TileRef> hash_tile_for(int level, std::int64_t first, std::int64_t size);
// The entry bundle that holds leaf `leaf` in the tree of `size` leaves.
std::optional<TileRef> bundle_for(std::int64_t leaf, std::int64_t size);

// The stored hashes of the tree of `size` leaves, read from its tiles. Each tile is fetched once
// and kept for the reader's life; a tile of the wrong length is refused.
class TileHashReader final : public HashReader {
public:
    TileHashReader(std::int64_t size, TileFetcher fetch) : size_(size), fetch_(std::move(fetch)) {}
    std::int64_t size() const { return size_; }
    Result<std::vector<Hash>> read_hashes(std::span<const std::int64_t> indexes) const override;
    // The entries of leaves [first, last) from the entry bundles, each checked against the leaf
    // hash the tiles hold for it.
    Result<std::vector<std::string>> read_entries(std::int64_t first, std::int64_t last) const;

private:
    Result<const std::vector<Hash>*> hash_tile(const TileRef& tile) const;
    std::int64_t size_;
    TileFetcher fetch_;
    mutable std::map<std::string, std::vector<Hash>> tiles_;
};

}  // namespace sengen::tlog
