// RFC 9162 Merkle tree hashing and proofs over stored subtree hashes (see merkle.hpp).
#include "tlog/merkle.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#include <sodium.h>

namespace sengen::tlog {
namespace {

// A run of leaves [lo, hi) whose hash a proof needs.
struct Range {
    std::int64_t lo;
    std::int64_t hi;
};

// The largest power of two strictly below n (n >= 2): RFC 9162's split point k.
std::int64_t split(std::int64_t n) {
    return std::int64_t{1} << (std::bit_width(static_cast<std::uint64_t>(n - 1)) - 1);
}

// [lo, hi) as the complete subtrees that cover it from the left, largest first. Folding their
// hashes from the right gives the range's hash as RFC 9162 defines it, for every range a proof
// asks for (each starts at a multiple of a power of two at least as large as the range).
void cover(Range r, std::vector<Subtree>& out) {
    std::int64_t lo = r.lo;
    while (lo < r.hi) {
        int level = 0;
        while (level < 62) {
            const std::int64_t next = std::int64_t{1} << (level + 1);
            if (lo % next != 0 || r.hi - lo < next) break;
            ++level;
        }
        out.push_back({level, lo >> level});
        lo += std::int64_t{1} << level;
    }
}

// The hashes of `ranges`, each folded from its covering subtrees, read in one call.
Result<std::vector<Hash>> range_hashes(const std::vector<Range>& ranges, const HashReader& reader) {
    std::vector<Subtree> parts;
    std::vector<std::size_t> ends;
    for (const Range& r : ranges) {
        cover(r, parts);
        ends.push_back(parts.size());
    }
    std::vector<std::int64_t> indexes;
    indexes.reserve(parts.size());
    for (const Subtree& s : parts) indexes.push_back(stored_hash_index(s.level, s.n));
    auto read = reader.read_hashes(indexes);
    if (!read) return fail(read.error());
    if (read->size() != indexes.size())
        return fail(Error::unavailable("tlog.short_read", "the hash store answered fewer hashes than asked"));
    std::vector<Hash> out;
    out.reserve(ranges.size());
    std::size_t begin = 0;
    for (const std::size_t end : ends) {
        Hash h = (*read)[end - 1];
        for (std::size_t i = end - 1; i > begin; --i) h = node_hash((*read)[i - 1], h);
        out.push_back(h);
        begin = end;
    }
    return out;
}

// RFC 9162 PATH(m, D[lo:hi]) as the ranges whose hashes it lists, deepest first.
void path_ranges(std::int64_t m, std::int64_t lo, std::int64_t hi, std::vector<Range>& out) {
    while (hi - lo > 1) {
        const std::int64_t k = split(hi - lo);
        if (m < lo + k) {
            out.push_back({lo + k, hi});
            hi = lo + k;
        } else {
            out.push_back({lo, lo + k});
            lo += k;
        }
    }
    // Built from the root down; the proof lists it from the leaf up.
    std::reverse(out.begin(), out.end());
}

// RFC 9162 SUBPROOF(m, D[lo:hi], b) as ranges, in the proof's order.
void subproof_ranges(std::int64_t m, std::int64_t lo, std::int64_t hi, bool whole, std::vector<Range>& out) {
    std::vector<Range> outer;  // root first
    while (m != hi) {
        const std::int64_t k = split(hi - lo);
        if (m <= lo + k) {
            outer.push_back({lo + k, hi});
            hi = lo + k;
        } else {
            outer.push_back({lo, lo + k});
            lo += k;
            whole = false;
        }
    }
    if (!whole) out.push_back({lo, hi});
    out.insert(out.end(), outer.rbegin(), outer.rend());
}

bool lsb(std::int64_t v) { return (v & 1) != 0; }

Hash sha256(const unsigned char* data, std::size_t size) {
    Hash h{};
    crypto_hash_sha256(h.data(), data, size);
    return h;
}

}  // namespace

Hash leaf_hash(std::string_view entry) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    const unsigned char prefix = 0x00;
    crypto_hash_sha256_update(&st, &prefix, 1);
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(entry.data()), entry.size());
    Hash h{};
    crypto_hash_sha256_final(&st, h.data());
    return h;
}

Hash node_hash(const Hash& left, const Hash& right) {
    std::array<unsigned char, 65> buf{};
    buf[0] = 0x01;
    std::memcpy(buf.data() + 1, left.data(), left.size());
    std::memcpy(buf.data() + 33, right.data(), right.size());
    return sha256(buf.data(), buf.size());
}

Hash empty_tree_hash() { return sha256(nullptr, 0); }

std::int64_t stored_hash_index(int level, std::int64_t n) {
    // Subtree n of height `level` is completed by leaf j, the last it holds; the hashes stored
    // before leaf j are one per leaf and one per subtree completed before it (j/2 + j/4 + ...),
    // and the subtree's own follows j's leaf hash after those of the `level - 1` smaller
    // subtrees j also completes.
    const std::int64_t j = ((n + 1) << level) - 1;
    std::int64_t index = 0;
    for (std::int64_t v = j; v > 0; v >>= 1) index += v;
    return index + level;
}

Subtree stored_subtree(std::int64_t index) {
    // Leaf j's hash sits at 2j - popcount(j) <= 2j, and leaf j stores 1 + countr_one(j) hashes:
    // its own, then one per subtree it completes. Start at the leaf index/2, whose group starts at
    // or before `index`, and walk on to the leaf whose group holds it.
    std::int64_t j = index / 2;
    std::int64_t first = stored_hash_index(0, j);
    for (;;) {
        const std::int64_t next = first + 1 + std::countr_one(static_cast<std::uint64_t>(j));
        if (next > index) break;
        ++j;
        first = next;
    }
    const int level = static_cast<int>(index - first);
    return Subtree{level, j >> level};
}

std::int64_t stored_hash_count(std::int64_t size) {
    if (size <= 0) return 0;
    const std::int64_t last = size - 1;
    return stored_hash_index(0, last) + 1 + std::countr_one(static_cast<std::uint64_t>(last));
}

Result<std::vector<Hash>> hashes_to_store(std::int64_t n, const Hash& leaf, const HashReader& reader) {
    if (n < 0) return fail(Error::invalid({}, "tlog.bad_size"));
    // Each trailing 1 bit of n completes a subtree whose left half is already stored.
    const int completes = std::countr_one(static_cast<std::uint64_t>(n));
    std::vector<std::int64_t> indexes;
    indexes.reserve(static_cast<std::size_t>(completes));
    for (int level = 0; level < completes; ++level) indexes.push_back(stored_hash_index(level, (n >> level) - 1));
    auto left = reader.read_hashes(indexes);
    if (!left) return fail(left.error());
    if (left->size() != indexes.size())
        return fail(Error::unavailable("tlog.short_read", "the hash store answered fewer hashes than asked"));
    std::vector<Hash> out{leaf};
    Hash h = leaf;
    for (int level = 0; level < completes; ++level) {
        h = node_hash((*left)[static_cast<std::size_t>(level)], h);
        out.push_back(h);
    }
    return out;
}

Result<Hash> tree_hash(std::int64_t size, const HashReader& reader) {
    if (size < 0) return fail(Error::invalid({}, "tlog.bad_size"));
    if (size == 0) return empty_tree_hash();
    auto h = range_hashes({{0, size}}, reader);
    if (!h) return fail(h.error());
    return h->front();
}

Result<std::vector<Hash>> inclusion_proof(std::int64_t size, std::int64_t index, const HashReader& reader) {
    if (index < 0 || index >= size) return fail(Error::invalid({}, "tlog.bad_index"));
    std::vector<Range> ranges;
    path_ranges(index, 0, size, ranges);
    return range_hashes(ranges, reader);
}

Result<std::vector<Hash>> consistency_proof(std::int64_t old_size, std::int64_t new_size, const HashReader& reader) {
    if (old_size < 0 || old_size > new_size) return fail(Error::invalid({}, "tlog.bad_size"));
    if (old_size == 0 || old_size == new_size) return std::vector<Hash>{};
    std::vector<Range> ranges;
    subproof_ranges(old_size, 0, new_size, true, ranges);
    return range_hashes(ranges, reader);
}

bool verify_inclusion(std::int64_t index, std::int64_t size, const Hash& leaf, std::span<const Hash> proof,
                      const Hash& root) {
    if (index < 0 || index >= size) return false;
    std::int64_t fn = index;
    std::int64_t sn = size - 1;
    Hash r = leaf;
    for (const Hash& p : proof) {
        if (sn == 0) return false;
        if (lsb(fn) || fn == sn) {
            r = node_hash(p, r);
            while (!lsb(fn) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            r = node_hash(r, p);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return sn == 0 && r == root;
}

bool verify_consistency(std::int64_t old_size, std::int64_t new_size, const Hash& old_root, const Hash& new_root,
                        std::span<const Hash> proof) {
    if (old_size < 0 || old_size > new_size) return false;
    if (old_size == 0) return proof.empty();
    if (old_size == new_size) return proof.empty() && old_root == new_root;
    if (proof.empty()) return false;
    std::vector<Hash> path;
    // A tree whose size is a power of two is a subtree of the new one: its root opens the path.
    if (std::has_single_bit(static_cast<std::uint64_t>(old_size))) path.push_back(old_root);
    path.insert(path.end(), proof.begin(), proof.end());
    std::int64_t fn = old_size - 1;
    std::int64_t sn = new_size - 1;
    while (lsb(fn)) {
        fn >>= 1;
        sn >>= 1;
    }
    Hash fr = path.front();
    Hash sr = path.front();
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Hash& c = path[i];
        if (sn == 0) return false;
        if (lsb(fn) || fn == sn) {
            fr = node_hash(c, fr);
            sr = node_hash(c, sr);
            while (!lsb(fn) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            sr = node_hash(sr, c);
        }
        fn >>= 1;
        sn >>= 1;
    }
    return fr == old_root && sr == new_root && sn == 0;
}

std::int64_t MemoryHashes::append(std::string_view entry) {
    auto added = hashes_to_store(size_, leaf_hash(entry), *this);
    // Reading from memory cannot fail: every index asked for is below the stored count.
    stored_.insert(stored_.end(), added->begin(), added->end());
    return size_++;
}

Result<std::vector<Hash>> MemoryHashes::read_hashes(std::span<const std::int64_t> indexes) const {
    std::vector<Hash> out;
    out.reserve(indexes.size());
    for (const std::int64_t i : indexes) {
        if (i < 0 || static_cast<std::size_t>(i) >= stored_.size())
            return fail(Error::not_found("tlog.no_hash", "no stored hash at that index"));
        out.push_back(stored_[static_cast<std::size_t>(i)]);
    }
    return out;
}

}  // namespace sengen::tlog
