// The tree as C2SP tlog-tiles (tlog::tiles): path encoding and its one spelling, which tiles a
// tree of a given size holds (the specification's own example of a tree of 70,000 leaves), tile
// contents read from the stored hashes, and entry bundles.
#include "tlog/tiles.hpp"

#include <gtest/gtest.h>

#include "tlog/merkle.hpp"

namespace sengen::tlog {
namespace {

TileRef hashes(int level, std::int64_t n, int width = kTileWidth) { return {TileRef::Kind::Hashes, level, n, width}; }

TEST(Tiles, indexes_are_written_in_three_digit_elements) {
    EXPECT_EQ(tile_index_path(1234067), "x001/x234/067");
    EXPECT_EQ(tile_index_path(0), "000");
    EXPECT_EQ(tile_index_path(5), "005");
    EXPECT_EQ(tile_index_path(1000), "x001/000");
    EXPECT_EQ(tile_path(hashes(0, 1234067)), "tile/0/x001/x234/067");
    EXPECT_EQ(tile_path(hashes(1, 3, 17)), "tile/1/003.p/17");
    EXPECT_EQ(tile_path({TileRef::Kind::Entries, 0, 273, 112}), "tile/entries/273.p/112");
}

TEST(Tiles, paths_parse_back_and_every_other_spelling_is_refused) {
    for (const TileRef& t :
         {hashes(0, 1234067), hashes(2, 0, 1), hashes(63, 999), TileRef{TileRef::Kind::Entries, 0, 1000, 5}}) {
        const std::string path = tile_path(t).substr(5);
        const auto back = parse_tile_path(path);
        ASSERT_TRUE(back) << path;
        EXPECT_EQ(tile_path(*back), tile_path(t));
    }
    for (const std::string_view bad :
         {"0/1", "0/x001", "00/000", "0/000.p/0", "0/000.p/256", "0/000.p/012", "64/000", "0/x000/001", "0/001/002",
          "0/x1/002", "entries/000.p/", "0/000/", "-1/000", "0/0000", "0", "", "0/000.p/5x", "x/000"})
        EXPECT_FALSE(parse_tile_path(bad)) << bad;
}

TEST(Tiles, a_tree_of_70000_leaves_holds_the_tiles_the_specification_lists) {
    constexpr std::int64_t size = 70000;
    EXPECT_TRUE(tile_in_tree(hashes(0, 272), size));
    EXPECT_FALSE(tile_in_tree(hashes(0, 273), size));
    EXPECT_TRUE(tile_in_tree(hashes(0, 273, 112), size));
    EXPECT_FALSE(tile_in_tree(hashes(0, 273, 113), size));
    EXPECT_TRUE(tile_in_tree(hashes(1, 0), size));
    EXPECT_TRUE(tile_in_tree(hashes(1, 1, 17), size));
    EXPECT_FALSE(tile_in_tree(hashes(1, 1, 18), size));
    EXPECT_TRUE(tile_in_tree(hashes(2, 0, 1), size));
    EXPECT_FALSE(tile_in_tree(hashes(2, 0, 2), size));
    EXPECT_FALSE(tile_in_tree(hashes(3, 0, 1), size));
    // Partial tiles of earlier sizes stay servable; a tree of 256 has one full level-0 tile and a
    // level-1 tile of width 1.
    EXPECT_TRUE(tile_in_tree(hashes(0, 273, 5), size));
    EXPECT_TRUE(tile_in_tree(hashes(0, 0), 256));
    EXPECT_TRUE(tile_in_tree(hashes(1, 0, 1), 256));
    EXPECT_FALSE(tile_in_tree(hashes(0, 1, 1), 256));
    EXPECT_FALSE(tile_in_tree(hashes(63, 0, 1), INT64_MAX));
}

TEST(Tiles, a_tiles_hashes_are_the_leaf_hashes_and_the_roots_of_the_full_tiles_below) {
    MemoryHashes tree;
    std::vector<Hash> leaves;
    for (int i = 0; i < 3 * 256 + 10; ++i) {
        const std::string entry = "e" + std::to_string(i);
        tree.append(entry);
        leaves.push_back(leaf_hash(entry));
    }
    const auto level0 = tree.read_hashes(tile_hash_indexes(hashes(0, 3, 10)));
    ASSERT_TRUE(level0);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ((*level0)[static_cast<std::size_t>(i)], leaves[static_cast<std::size_t>(768 + i)]);
    const auto level1 = tree.read_hashes(tile_hash_indexes(hashes(1, 0, 3)));
    ASSERT_TRUE(level1);
    for (int t = 0; t < 3; ++t) {
        // The root of full tile t below, rebuilt from its 256 leaf hashes pair by pair.
        std::vector<Hash> row(leaves.begin() + t * 256, leaves.begin() + (t + 1) * 256);
        while (row.size() > 1) {
            std::vector<Hash> up;
            for (std::size_t i = 0; i < row.size(); i += 2) up.push_back(node_hash(row[i], row[i + 1]));
            row = up;
        }
        EXPECT_EQ((*level1)[static_cast<std::size_t>(t)], row[0]) << t;
    }
}

TEST(Tiles, entry_bundles_round_trip_and_refuse_what_does_not_fit) {
    const std::vector<std::string> entries{"", "a", std::string(300, 'x'), std::string(65535, 'y')};
    const auto bundle = entry_bundle(entries);
    ASSERT_TRUE(bundle);
    EXPECT_EQ(bundle->substr(0, 5), std::string("\0\0\0\x01"
                                                "a",
                                                5));
    EXPECT_EQ(*parse_entry_bundle(*bundle), entries);
    EXPECT_FALSE(entry_bundle({std::string(65536, 'z')}));
    EXPECT_FALSE(
        parse_entry_bundle(std::string("\0\x05"
                                       "abc",
                                       5)));
    EXPECT_FALSE(parse_entry_bundle(std::string("\0", 1)));
}

}  // namespace
}  // namespace sengen::tlog
