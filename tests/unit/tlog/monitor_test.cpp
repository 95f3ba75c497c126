// Reading a log from its tiles and monitoring it (tlog::TileHashReader, tlog::monitor_log): a
// log served as C2SP tlog-tiles from memory gives the same roots and proofs as the log itself, on
// trees small and large enough for level-1 tiles; a monitor accepts a log that only grows and
// names what is wrong with one that forks, rewrites its history, shrinks, is signed by another
// key or serves an entry that is not the one its leaf hash was made from.
#include "tlog/monitor.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <map>

#include "domain/identifiers.hpp"

namespace sengen::tlog {
namespace {

using namespace std::chrono;

constexpr std::string_view kOrigin = "registry.example.jp/log";

std::string entry_for(int i, std::string_view origin = kOrigin) {
    LogEntry e;
    e.origin = std::string(origin);
    e.id = DeclarationId::make(1, 100 + i).digits();
    e.event = i % 3 == 0 ? LogEvent::Issued : LogEvent::DetailsChanged;
    e.time = sys_days{2026y / December / 7} + seconds{i};
    e.record.fill(static_cast<unsigned char>(i));
    return entry_text(e);
}

// A log as its server holds it, and what that server would answer for a tile path.
struct ServedLog {
    std::vector<std::string> entries;
    MemoryHashes tree;
    std::map<std::string, std::string> overrides;  // path -> bytes served instead
    int fetches = 0;

    void append(std::string entry) {
        tree.append(entry);
        entries.push_back(std::move(entry));
    }

    Result<std::string> fetch(const std::string& path) {
        ++fetches;
        if (auto it = overrides.find(path); it != overrides.end()) return it->second;
        auto tile = path.starts_with("tile/") ? parse_tile_path(path.substr(5)) : std::nullopt;
        if (!tile || !tile_in_tree(*tile, tree.size())) return fail(Error::not_found("net.fetch", path + ": 404"));
        if (tile->kind == TileRef::Kind::Entries) {
            const auto first = entries.begin() + bundle_first_leaf(*tile);
            return entry_bundle({first, first + tile->width});
        }
        auto hashes = tree.read_hashes(tile_hash_indexes(*tile));
        std::string bytes;
        for (const Hash& h : *hashes) bytes.append(reinterpret_cast<const char*>(h.data()), h.size());
        return bytes;
    }
    TileFetcher fetcher() {
        return [this](const std::string& path) { return fetch(path); };
    }
    std::string checkpoint(const NoteSigner& signer) const {
        const std::string text =
            checkpoint_text({std::string(kOrigin), tree.size(), *tree_hash(tree.size(), tree), {}});
        return format_note({text, {signer.sign(text)}});
    }
};

TEST(StoredSubtree, inverts_the_stored_hash_index_of_every_subtree) {
    for (std::int64_t size = 1; size <= 4096; size *= 2)
        for (int level = 0; (std::int64_t{1} << level) <= size; ++level)
            for (std::int64_t n = 0; ((n + 1) << level) <= size; ++n) {
                const Subtree s = stored_subtree(stored_hash_index(level, n));
                ASSERT_EQ(s.level, level) << n;
                ASSERT_EQ(s.n, n) << level;
            }
    // And every index of a tree is some subtree's: the count of a tree is reached exactly.
    for (std::int64_t i = 0; i < stored_hash_count(3000); ++i) {
        const Subtree s = stored_subtree(i);
        ASSERT_EQ(stored_hash_index(s.level, s.n), i);
    }
}

TEST(TileHashReader, gives_the_roots_and_proofs_of_the_log_it_reads) {
    ServedLog log;
    const std::vector<std::int64_t> sizes = {1, 2, 3, 255, 256, 257, 511, 1000, 65536, 65536 + 300};
    std::int64_t next = 0;
    for (const std::int64_t size : sizes) {
        while (next < size) log.append(entry_for(static_cast<int>(next++)));
        TileHashReader tiles(size, log.fetcher());
        for (const std::int64_t old_size : {std::int64_t{1}, size / 3 + 1, size - 1, size}) {
            if (old_size < 1) continue;
            ASSERT_EQ(*tree_hash(old_size, tiles), *tree_hash(old_size, log.tree)) << size << " " << old_size;
        }
        const std::int64_t leaf = size / 2;
        EXPECT_EQ(*inclusion_proof(size, leaf, tiles), *inclusion_proof(size, leaf, log.tree)) << size;
        if (size > 1) {
            EXPECT_EQ(*consistency_proof(size / 2, size, tiles), *consistency_proof(size / 2, size, log.tree));
        }
    }
}

TEST(TileHashReader, fetches_each_tile_once_and_refuses_one_of_the_wrong_length) {
    ServedLog log;
    for (int i = 0; i < 600; ++i) log.append(entry_for(i));
    TileHashReader tiles(600, log.fetcher());
    ASSERT_TRUE(tree_hash(600, tiles));
    // 600 = 512 + 64 + 16 + 8: the two 256-leaf hashes of tile/1/000.p/2 and, for the rest,
    // tile/0/002.p/88.
    EXPECT_EQ(log.fetches, 2);
    ASSERT_TRUE(tree_hash(600, tiles));
    EXPECT_EQ(log.fetches, 2);
    ASSERT_TRUE(tree_hash(300, tiles));  // 256 + 32 + 8 + 4: tile/0/001 comes in
    ASSERT_TRUE(tree_hash(300, tiles));
    EXPECT_EQ(log.fetches, 3);

    log.overrides["tile/0/002.p/88"] = std::string(87 * 32, 'x');
    TileHashReader cut(600, log.fetcher());
    auto r = tree_hash(600, cut);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "tlog.bad_tile");
}

TEST(TileHashReader, reads_entries_across_bundles_and_checks_each_against_its_leaf_hash) {
    ServedLog log;
    for (int i = 0; i < 600; ++i) log.append(entry_for(i));
    TileHashReader tiles(600, log.fetcher());
    auto some = tiles.read_entries(250, 530);
    ASSERT_TRUE(some);
    ASSERT_EQ(some->size(), 280u);
    EXPECT_EQ(some->front(), log.entries[250]);
    EXPECT_EQ(some->back(), log.entries[529]);
    EXPECT_TRUE(tiles.read_entries(600, 600));
    EXPECT_FALSE(tiles.read_entries(599, 601));

    // A bundle holding another entry than the one hashed into the tree is caught.
    std::vector<std::string> forged(log.entries.begin() + 512, log.entries.end());
    forged[3] = entry_for(9999);
    log.overrides["tile/entries/002.p/88"] = *entry_bundle(forged);
    TileHashReader again(600, log.fetcher());
    auto r = again.read_entries(500, 600);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, "tlog.entry_mismatch");
    EXPECT_NE(r.error().detail.find("entry 515"), std::string::npos);
}

class Monitor : public ::testing::Test {
protected:
    void SetUp() override { signer_ = std::make_unique<NoteSigner>(*NoteSigner::generate(kOrigin)); }
    std::vector<VerifierKey> keys() const { return {signer_->verifier()}; }
    Result<MonitorResult> run(ServedLog& log, const std::optional<std::string>& previous) {
        return monitor_log(previous, log.checkpoint(*signer_), keys(), log.fetcher());
    }
    std::unique_ptr<NoteSigner> signer_;
};

TEST_F(Monitor, accepts_a_log_that_only_grows_and_reports_each_new_entry_once) {
    ServedLog log;
    auto empty = run(log, std::nullopt);
    ASSERT_TRUE(empty) << empty.error().detail;
    EXPECT_EQ(empty->checkpoint.size, 0);
    for (int i = 0; i < 300; ++i) log.append(entry_for(i));
    auto first = run(log, empty->note);
    ASSERT_TRUE(first) << first.error().detail;
    EXPECT_EQ(first->previous_size, 0);
    ASSERT_EQ(first->entries.size(), 300u);
    EXPECT_EQ(first->entries[7].id, DeclarationId::make(1, 107).digits());
    for (int i = 300; i < 700; ++i) log.append(entry_for(i));
    auto second = run(log, first->note);
    ASSERT_TRUE(second) << second.error().detail;
    EXPECT_EQ(second->previous_size, 300);
    ASSERT_EQ(second->entries.size(), 400u);
    EXPECT_EQ(second->entries.front().id, DeclarationId::make(1, 400).digits());
    auto unchanged = run(log, second->note);
    ASSERT_TRUE(unchanged);
    EXPECT_TRUE(unchanged->entries.empty());
}

TEST_F(Monitor, names_a_fork_a_rewritten_history_and_a_shrunk_log) {
    ServedLog log;
    for (int i = 0; i < 300; ++i) log.append(entry_for(i));
    const std::string seen = run(log, std::nullopt)->note;

    ServedLog forked;  // as many entries, one of them different
    for (int i = 0; i < 300; ++i) forked.append(entry_for(i == 42 ? 4242 : i));
    auto fork = run(forked, seen);
    ASSERT_FALSE(fork);
    EXPECT_EQ(fork.error().code, "tlog.monitor.fork");

    for (int i = 300; i < 400; ++i) forked.append(entry_for(i));  // grown, on a changed past
    auto rewritten = run(forked, seen);
    ASSERT_FALSE(rewritten);
    EXPECT_EQ(rewritten.error().code, "tlog.monitor.inconsistent");

    ServedLog shorter;
    for (int i = 0; i < 299; ++i) shorter.append(entry_for(i));
    auto shrunk = run(shorter, seen);
    ASSERT_FALSE(shrunk);
    EXPECT_EQ(shrunk.error().code, "tlog.monitor.shrunk");
}

TEST_F(Monitor, refuses_another_key_tiles_that_do_not_give_the_root_and_foreign_entries) {
    ServedLog log;
    for (int i = 0; i < 20; ++i) log.append(entry_for(i));
    auto other = *NoteSigner::generate(kOrigin);
    auto wrong_key = monitor_log(std::nullopt, log.checkpoint(other), keys(), log.fetcher());
    ASSERT_FALSE(wrong_key);
    EXPECT_EQ(wrong_key.error().code, "tlog.monitor.bad_signature");

    log.overrides["tile/0/000.p/20"] = std::string(20 * 32, '\0');
    auto bad_root = run(log, std::nullopt);
    ASSERT_FALSE(bad_root);
    EXPECT_EQ(bad_root.error().code, "tlog.monitor.bad_root");

    ServedLog foreign;
    for (int i = 0; i < 20; ++i) foreign.append(entry_for(i, i == 5 ? "elsewhere.example/log" : kOrigin));
    auto bad_entry = run(foreign, std::nullopt);
    ASSERT_FALSE(bad_entry);
    EXPECT_EQ(bad_entry.error().code, "tlog.monitor.bad_entry");
    EXPECT_NE(bad_entry.error().detail.find("entry 5"), std::string::npos);

    // A kept checkpoint that was edited by hand fails too: it is checked like the latest.
    auto tampered = run(log, std::string("registry.example.jp/log\n1\nAAAA\n\n— x y\n"));
    ASSERT_FALSE(tampered);
    EXPECT_EQ(tampered.error().code, "tlog.monitor.bad_note");
}

}  // namespace
}  // namespace sengen::tlog
