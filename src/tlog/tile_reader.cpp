// A log's hashes and entries read from its tiles (see tile_reader.hpp).
#include "tlog/tile_reader.hpp"

#include <algorithm>
#include <cstring>

namespace sengen::tlog {
namespace {

Error tile_error(std::string code, std::string detail) {
    return Error{Error::Kind::Invalid, std::move(code), std::move(detail), {}};
}

}  // namespace

std::optional<TileRef> hash_tile_for(int level, std::int64_t first, std::int64_t size) {
    if (level < 0 || level * kTileHeight > 62 || first < 0 || size <= 0) return std::nullopt;
    const std::int64_t hashes = size >> (level * kTileHeight);  // complete subtrees of the tile's height
    const std::int64_t n = first / kTileWidth;
    const std::int64_t width = std::min<std::int64_t>(kTileWidth, hashes - n * kTileWidth);
    if (first - n * kTileWidth >= width) return std::nullopt;
    return TileRef{TileRef::Kind::Hashes, level, n, static_cast<int>(width)};
}

std::optional<TileRef> bundle_for(std::int64_t leaf, std::int64_t size) {
    if (leaf < 0 || leaf >= size) return std::nullopt;
    const std::int64_t n = leaf / kTileWidth;
    const auto width = static_cast<int>(std::min<std::int64_t>(kTileWidth, size - n * kTileWidth));
    return TileRef{TileRef::Kind::Entries, 0, n, width};
}

Result<const std::vector<Hash>*> TileHashReader::hash_tile(const TileRef& tile) const {
    const std::string path = tile_path(tile);
    if (auto it = tiles_.find(path); it != tiles_.end()) return &it->second;
    auto bytes = fetch_(path);
    if (!bytes) return fail(bytes.error());
    if (bytes->size() != static_cast<std::size_t>(tile.width) * sizeof(Hash))
        return fail(tile_error("tlog.bad_tile", path + " holds " + std::to_string(bytes->size()) + " bytes, not " +
                                                    std::to_string(tile.width * sizeof(Hash))));
    std::vector<Hash> hashes(static_cast<std::size_t>(tile.width));
    for (std::size_t i = 0; i < hashes.size(); ++i)
        std::memcpy(hashes[i].data(), bytes->data() + i * sizeof(Hash), sizeof(Hash));
    return &tiles_.emplace(path, std::move(hashes)).first->second;
}

Result<std::vector<Hash>> TileHashReader::read_hashes(std::span<const std::int64_t> indexes) const {
    std::vector<Hash> out;
    out.reserve(indexes.size());
    for (const std::int64_t index : indexes) {
        // A subtree of height 8T + s is the hash of 2^s adjacent hashes of one level-T tile.
        const Subtree st = stored_subtree(index);
        const int level = st.level / kTileHeight;
        const int below = st.level % kTileHeight;
        const std::int64_t lo = st.n << below;
        const std::int64_t hi = (st.n + 1) << below;
        const auto tile = hash_tile_for(level, hi - 1, size_);
        if (!tile) return fail(Error::not_found("tlog.no_hash", "a hash beyond the tree's tiles"));
        auto hashes = hash_tile(*tile);
        if (!hashes) return fail(hashes.error());
        const std::int64_t base = tile->n * kTileWidth;
        std::vector<Hash> row((*hashes)->begin() + (lo - base), (*hashes)->begin() + (hi - base));
        while (row.size() > 1) {
            for (std::size_t i = 0; i < row.size() / 2; ++i) row[i] = node_hash(row[2 * i], row[2 * i + 1]);
            row.resize(row.size() / 2);
        }
        out.push_back(row.front());
    }
    return out;
}

Result<std::vector<std::string>> TileHashReader::read_entries(std::int64_t first, std::int64_t last) const {
    std::vector<std::string> out;
    if (first < 0 || last > size_ || first > last)
        return fail(Error::not_found("tlog.no_entry", "entries beyond the tree"));
    for (std::int64_t leaf = first; leaf < last;) {
        const auto bundle = bundle_for(leaf, size_);
        const std::string path = tile_path(*bundle);
        auto bytes = fetch_(path);
        if (!bytes) return fail(bytes.error());
        auto entries = parse_entry_bundle(*bytes);
        if (!entries) return fail(tile_error("tlog.bad_bundle", path + ": " + entries.error().detail));
        if (entries->size() != static_cast<std::size_t>(bundle->width))
            return fail(tile_error("tlog.bad_bundle", path + " holds " + std::to_string(entries->size()) +
                                                          " entries, not " + std::to_string(bundle->width)));
        const std::int64_t base = bundle->n * kTileWidth;
        const std::int64_t end = std::min(last, base + bundle->width);
        for (; leaf < end; ++leaf) out.push_back(std::move((*entries)[static_cast<std::size_t>(leaf - base)]));
    }
    // Each entry must be the one the tree's leaf hash was made from.
    std::vector<std::int64_t> indexes;
    indexes.reserve(out.size());
    for (std::int64_t leaf = first; leaf < last; ++leaf) indexes.push_back(stored_hash_index(0, leaf));
    auto leaves = read_hashes(indexes);
    if (!leaves) return fail(leaves.error());
    for (std::size_t i = 0; i < out.size(); ++i)
        if (leaf_hash(out[i]) != (*leaves)[i])
            return fail(tile_error("tlog.entry_mismatch", "entry " +
                                                              std::to_string(first + static_cast<std::int64_t>(i)) +
                                                              " does not match its leaf hash in the tiles"));
    return out;
}

}  // namespace sengen::tlog
