// The Merkle tree of the transparency log, exactly as RFC 9162 section 2.1 (and RFC 6962 before
// it) defines it, so that any tool for Certificate Transparency style logs agrees with ours:
// SHA-256; a leaf hashes as H(0x00 || entry), an inner node as H(0x01 || left || right); a tree of
// n > 1 leaves splits at the largest power of two below n.
//
// The log keeps the hash of every complete subtree once, in the order it is completed (the order
// of the Go checksum database's tlog package, so the read side maps onto C2SP tlog-tiles): the
// tree of any size, every proof and every tile is then a few reads of stored hashes. Where those
// hashes live is behind HashReader; this file does no I/O.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace sengen::tlog {

using Hash = std::array<unsigned char, 32>;

Hash leaf_hash(std::string_view entry);
Hash node_hash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of nothing.
Hash empty_tree_hash();

// Where the hash of complete subtree `n` of height `level` (level 0: leaf n) sits among the
// stored hashes.
std::int64_t stored_hash_index(int level, std::int64_t n);
// How many hashes a tree of `size` leaves has stored.
std::int64_t stored_hash_count(std::int64_t size);

struct Subtree {
    int level = 0;       // its height; 0 for a leaf
    std::int64_t n = 0;  // its index among the subtrees of that height
};
// The subtree whose hash sits at `index` among the stored hashes (stored_hash_index inverted).
Subtree stored_subtree(std::int64_t index);

// Reads stored hashes by their index; every index asked for is below the stored count of the
// tree being read. Answers in the order asked.
class HashReader {
public:
    virtual ~HashReader() = default;
    virtual Result<std::vector<Hash>> read_hashes(std::span<const std::int64_t> indexes) const = 0;
};

// The hashes to store, in order from stored_hash_count(n), when leaf `n` (counted from 0) with
// leaf hash `leaf` is appended to the tree of n leaves: the leaf's own, then one per subtree it
// completes.
Result<std::vector<Hash>> hashes_to_store(std::int64_t n, const Hash& leaf, const HashReader& reader);

// The root of the tree of the first `size` leaves.
Result<Hash> tree_hash(std::int64_t size, const HashReader& reader);

// RFC 9162 2.1.3.1: the inclusion proof of leaf `index` in the tree of `size` leaves.
Result<std::vector<Hash>> inclusion_proof(std::int64_t size, std::int64_t index, const HashReader& reader);
// RFC 9162 2.1.4.1: the consistency proof from the tree of `old_size` leaves to that of
// `new_size` (empty when old_size is 0 or equals new_size).
Result<std::vector<Hash>> consistency_proof(std::int64_t old_size, std::int64_t new_size, const HashReader& reader);

// RFC 9162 2.1.3.2.
bool verify_inclusion(std::int64_t index, std::int64_t size, const Hash& leaf, std::span<const Hash> proof,
                      const Hash& root);
// RFC 9162 2.1.4.2; a tree is consistent with itself (empty proof, same root) and every tree with
// the empty one (empty proof).
bool verify_consistency(std::int64_t old_size, std::int64_t new_size, const Hash& old_root, const Hash& new_root,
                        std::span<const Hash> proof);

// Stored hashes in memory: for tests and for tools that rebuild a tree from its entries (the
// monitor, the auditor).
class MemoryHashes final : public HashReader {
public:
    // Appends one leaf and returns its index.
    std::int64_t append(std::string_view entry);
    std::int64_t size() const { return size_; }
    Result<std::vector<Hash>> read_hashes(std::span<const std::int64_t> indexes) const override;

private:
    std::vector<Hash> stored_;
    std::int64_t size_ = 0;
};

}  // namespace sengen::tlog
