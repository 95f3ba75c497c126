// The transparency log's Merkle tree (tlog::merkle): the RFC 6962 reference vectors published
// with Certificate Transparency's code (transparency-dev/merkle, testonly), a second, naive
// implementation of RFC 9162's definitions written here, and proofs over every tree up to 70
// leaves that verify while any flipped bit, wrong index or wrong size fails.
#include "tlog/merkle.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sengen::tlog {
namespace {

std::string hex(const Hash& h) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : h) {
        out += digits[c >> 4];
        out += digits[c & 15];
    }
    return out;
}

std::string unhex(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i + 1 < s.size(); i += 2)
        out += static_cast<char>(std::stoi(std::string(s.substr(i, 2)), nullptr, 16));
    return out;
}

const std::vector<std::string> kLeaves = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"};
const std::vector<std::string> kRoots = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

MemoryHashes reference_tree() {
    MemoryHashes tree;
    for (const std::string& leaf : kLeaves) tree.append(unhex(leaf));
    return tree;
}

std::vector<std::string> hexes(const std::vector<Hash>& hashes) {
    std::vector<std::string> out;
    for (const Hash& h : hashes) out.push_back(hex(h));
    return out;
}

// RFC 9162 2.1.1, read literally: the second implementation the stored-hash one is checked against.
Hash naive_root(const std::vector<Hash>& leaves, std::size_t lo, std::size_t hi) {
    if (hi == lo) return empty_tree_hash();
    if (hi - lo == 1) return leaves[lo];
    std::size_t k = 1;
    while (k * 2 < hi - lo) k *= 2;
    return node_hash(naive_root(leaves, lo, lo + k), naive_root(leaves, lo + k, hi));
}

TEST(Merkle, roots_match_the_rfc_6962_reference_for_every_size_from_0_to_8) {
    const MemoryHashes tree = reference_tree();
    for (std::int64_t size = 0; size <= 8; ++size) {
        const auto root = tree_hash(size, tree);
        ASSERT_TRUE(root) << size;
        EXPECT_EQ(hex(*root), kRoots[static_cast<std::size_t>(size)]) << "size " << size;
    }
}

TEST(Merkle, inclusion_proofs_match_the_reference) {
    const MemoryHashes tree = reference_tree();
    EXPECT_EQ(hexes(*inclusion_proof(8, 0, tree)),
              (std::vector<std::string>{"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                                        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
    EXPECT_EQ(hexes(*inclusion_proof(8, 5, tree)),
              (std::vector<std::string>{"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
    EXPECT_TRUE(inclusion_proof(1, 0, tree)->empty());
}

TEST(Merkle, consistency_proofs_match_the_reference) {
    const MemoryHashes tree = reference_tree();
    EXPECT_EQ(hexes(*consistency_proof(2, 8, tree)),
              (std::vector<std::string>{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}));
    EXPECT_EQ(hexes(*consistency_proof(6, 8, tree)),
              (std::vector<std::string>{"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                                        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                                        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}));
    EXPECT_EQ(hexes(*consistency_proof(2, 5, tree)),
              (std::vector<std::string>{"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                                        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}));
    EXPECT_TRUE(consistency_proof(0, 8, tree)->empty());
    EXPECT_TRUE(consistency_proof(8, 8, tree)->empty());
    EXPECT_FALSE(consistency_proof(9, 8, tree));
}

class Trees : public ::testing::Test {
protected:
    static constexpr std::int64_t kMax = 70;
    void SetUp() override {
        for (std::int64_t i = 0; i < kMax; ++i) {
            const std::string entry = "entry " + std::to_string(i * 7919);
            tree_.append(entry);
            leaves_.push_back(leaf_hash(entry));
        }
    }
    Hash root(std::int64_t size) const { return naive_root(leaves_, 0, static_cast<std::size_t>(size)); }
    MemoryHashes tree_;
    std::vector<Hash> leaves_;
};

TEST_F(Trees, the_stored_hashes_give_the_same_root_as_the_definition_and_are_counted_right) {
    MemoryHashes grown;
    for (std::int64_t size = 0; size <= kMax; ++size) {
        EXPECT_EQ(hex(*tree_hash(size, tree_)), hex(root(size))) << size;
        // The count is what the tree holds after `size` appends: reading one past it fails.
        const std::int64_t count = stored_hash_count(size);
        if (size > 0) {
            EXPECT_TRUE(grown.read_hashes(std::vector<std::int64_t>{count - 1}));
        }
        EXPECT_FALSE(grown.read_hashes(std::vector<std::int64_t>{count}));
        if (size < kMax) grown.append("entry " + std::to_string(size * 7919));
    }
}

TEST_F(Trees, every_inclusion_proof_verifies_and_nothing_altered_does) {
    for (std::int64_t size = 1; size <= kMax; ++size) {
        const Hash r = root(size);
        for (std::int64_t i = 0; i < size; ++i) {
            const auto proof = inclusion_proof(size, i, tree_);
            ASSERT_TRUE(proof);
            const Hash& leaf = leaves_[static_cast<std::size_t>(i)];
            ASSERT_TRUE(verify_inclusion(i, size, leaf, *proof, r)) << i << " of " << size;
            if (size > 1) {
                EXPECT_FALSE(verify_inclusion((i + 1) % size, size, leaf, *proof, r));
                EXPECT_FALSE(verify_inclusion(i, size, leaves_[static_cast<std::size_t>((i + 1) % size)], *proof, r));
            }
            for (std::size_t p = 0; p < proof->size(); ++p) {
                auto flipped = *proof;
                flipped[p][p % 32] ^= 0x01;
                EXPECT_FALSE(verify_inclusion(i, size, leaf, flipped, r));
            }
            if (!proof->empty()) {
                auto shorter = *proof;
                shorter.pop_back();
                EXPECT_FALSE(verify_inclusion(i, size, leaf, shorter, r));
            }
            auto longer = *proof;
            longer.push_back(r);
            EXPECT_FALSE(verify_inclusion(i, size, leaf, longer, r));
        }
    }
}

TEST_F(Trees, every_consistency_proof_verifies_and_nothing_altered_does) {
    for (std::int64_t n = 1; n <= kMax; ++n) {
        for (std::int64_t m = 1; m <= n; ++m) {
            const auto proof = consistency_proof(m, n, tree_);
            ASSERT_TRUE(proof);
            ASSERT_TRUE(verify_consistency(m, n, root(m), root(n), *proof)) << m << " -> " << n;
            if (m == n) continue;
            EXPECT_FALSE(verify_consistency(m, n, root(m), root(m), *proof));
            EXPECT_FALSE(verify_consistency(m, n, root(n), root(n), *proof));
            if (m + 1 < n) {
                EXPECT_FALSE(verify_consistency(m + 1, n, root(m + 1), root(n), *proof));
            }
            for (std::size_t p = 0; p < proof->size(); ++p) {
                auto flipped = *proof;
                flipped[p][31 - p % 32] ^= 0x80;
                EXPECT_FALSE(verify_consistency(m, n, root(m), root(n), flipped));
            }
            EXPECT_FALSE(verify_consistency(m, n, root(m), root(n), {}));
        }
    }
    // Two trees of the same size with different roots: a fork.
    EXPECT_FALSE(verify_consistency(5, 5, root(5), root(6), {}));
    EXPECT_TRUE(verify_consistency(0, 9, empty_tree_hash(), root(9), {}));
}

TEST(Merkle, sizes_and_indexes_outside_the_tree_are_refused) {
    const MemoryHashes tree = reference_tree();
    EXPECT_FALSE(tree_hash(-1, tree));
    EXPECT_FALSE(tree_hash(9, tree));  // more than is stored
    EXPECT_FALSE(inclusion_proof(8, 8, tree));
    EXPECT_FALSE(inclusion_proof(8, -1, tree));
    EXPECT_FALSE(verify_inclusion(8, 8, leaf_hash(""), {}, empty_tree_hash()));
}

}  // namespace
}  // namespace sengen::tlog
