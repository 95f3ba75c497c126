// The storage contract of the transparency log (TransparencyLogRepository, issue 14, ADR 46) on a
// real SQLite file and a real throwaway PostgreSQL cluster: appends move the head by exactly their
// leaves, a rolled-back append leaves nothing and its index is used by the next one, appends from
// several nodes at once never use an index twice nor skip one, and the stored hashes give the
// root that a tree built in memory from the stored entries gives.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "app/transparency_log.hpp"
#include "storage_fixture.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note.hpp"
#include "tlog/tiles.hpp"

namespace sengen::testing {
namespace {

// The stored hashes read through one transaction's repository.
class TxHashes final : public tlog::HashReader {
public:
    explicit TxHashes(TransparencyLogRepository& log) : log_(log) {}
    Result<std::vector<tlog::Hash>> read_hashes(std::span<const std::int64_t> indexes) const override {
        return log_.hashes(indexes);
    }

private:
    TransparencyLogRepository& log_;
};

// Appends one entry the way app/transparency_log.cpp does: lock, hash with the stored left
// siblings, store. Returns the index the entry got.
Result<std::int64_t> append_one(Transaction& tx, std::int64_t declaration_id, const std::string& entry) {
    auto& log = tx.transparency_log();
    auto size = log.lock_size();
    if (!size) return fail(size.error());
    auto hashes = tlog::hashes_to_store(*size, tlog::leaf_hash(entry), TxHashes(log));
    if (!hashes) return fail(hashes.error());
    const LogLeaf leaf{*size, declaration_id, entry, T0};
    if (auto ok = log.append(std::span(&leaf, 1), tlog::stored_hash_count(*size), *hashes); !ok)
        return fail(ok.error());
    return *size;
}

struct StillClock final : Clock {
    TimePoint now() const override { return T0; }
};

class TlogContract : public StorageTest {
protected:
    std::int64_t append(std::int64_t declaration_id, const std::string& entry) {
        auto i = write_value<std::int64_t>([&](Transaction& tx) { return append_one(tx, declaration_id, entry); });
        EXPECT_TRUE(i) << i.error().detail;
        return i.value_or(-1);
    }
    std::int64_t size() {
        auto s = read<std::int64_t>([](Transaction& tx) { return tx.transparency_log().size(); });
        EXPECT_TRUE(s) << s.error().detail;
        return s.value_or(-1);
    }
    std::vector<std::string> entries(std::int64_t first, std::int64_t count) {
        auto e = read<std::vector<std::string>>(
            [&](Transaction& tx) { return tx.transparency_log().entries(first, count); });
        EXPECT_TRUE(e) << e.error().detail;
        return e.value_or(std::vector<std::string>{});
    }
    // The root from the stored hashes, and the root of a tree built in memory from the stored
    // entries (tlog::MemoryHashes, checked against RFC 9162's vectors in the unit tests).
    std::pair<tlog::Hash, tlog::Hash> roots() {
        const auto n = size();
        auto stored =
            read<tlog::Hash>([&](Transaction& tx) { return tlog::tree_hash(n, TxHashes(tx.transparency_log())); });
        EXPECT_TRUE(stored) << stored.error().detail;
        tlog::MemoryHashes memory;
        for (const auto& e : entries(0, n)) memory.append(e);
        auto rebuilt = tlog::tree_hash(n, memory);
        EXPECT_TRUE(rebuilt);
        return {stored.value_or(tlog::Hash{}), rebuilt.value_or(tlog::Hash{})};
    }
};

INSTANTIATE_TEST_SUITE_P(Engines, TlogContract, ::testing::Values("sqlite", "postgres"), engine_name);

TEST_P(TlogContract, a_new_log_is_empty_and_has_no_checkpoint) {
    EXPECT_EQ(size(), 0);
    auto c = read<std::optional<SignedCheckpoint>>(
        [](Transaction& tx) { return tx.transparency_log().latest_checkpoint(); });
    ASSERT_OK(c);
    EXPECT_FALSE(*c);
    EXPECT_TRUE(entries(0, 0).empty());
}

TEST_P(TlogContract, appends_take_consecutive_indexes_and_keep_their_entries) {
    for (int i = 0; i < 21; ++i) EXPECT_EQ(append(100 + i % 3, "entry " + std::to_string(i) + "\n"), i);
    EXPECT_EQ(size(), 21);
    const auto some = entries(5, 3);
    EXPECT_EQ(some, (std::vector<std::string>{"entry 5\n", "entry 6\n", "entry 7\n"}));
    auto latest = read<std::optional<LogLeaf>>([](Transaction& tx) { return tx.transparency_log().latest_of(101); });
    ASSERT_OK(latest);
    ASSERT_TRUE(*latest);
    EXPECT_EQ((*latest)->index, 19);
    EXPECT_EQ((*latest)->entry, "entry 19\n");
    EXPECT_EQ((*latest)->declaration_id, 101);
    auto none = read<std::optional<LogLeaf>>([](Transaction& tx) { return tx.transparency_log().latest_of(7); });
    ASSERT_OK(none);
    EXPECT_FALSE(*none);
    const auto [stored, rebuilt] = roots();
    EXPECT_EQ(stored, rebuilt);
}

TEST_P(TlogContract, the_stored_hashes_are_those_of_the_tree_built_in_memory) {
    tlog::MemoryHashes memory;
    for (int i = 0; i < 40; ++i) {
        const std::string e = "leaf " + std::to_string(i) + "\n";
        append(1, e);
        memory.append(e);
    }
    std::vector<std::int64_t> all(static_cast<std::size_t>(tlog::stored_hash_count(40)));
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::int64_t>(i);
    auto stored = read<std::vector<LogHash>>([&](Transaction& tx) { return tx.transparency_log().hashes(all); });
    ASSERT_OK(stored);
    auto expected = memory.read_hashes(all);
    ASSERT_TRUE(expected);
    EXPECT_EQ(*stored, *expected);
    // Scattered indexes (a proof's) are read one by one, in the order asked.
    const std::vector<std::int64_t> scattered{70, 0, 33};
    auto some = read<std::vector<LogHash>>([&](Transaction& tx) { return tx.transparency_log().hashes(scattered); });
    ASSERT_OK(some);
    EXPECT_EQ((*some)[0], (*expected)[70]);
    EXPECT_EQ((*some)[1], (*expected)[0]);
    EXPECT_EQ((*some)[2], (*expected)[33]);
    auto missing = read<std::vector<LogHash>>([&](Transaction& tx) {
        const std::vector<std::int64_t> beyond{static_cast<std::int64_t>(all.size())};
        return tx.transparency_log().hashes(beyond);
    });
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "storage.corrupt");
}

TEST_P(TlogContract, a_rolled_back_append_leaves_nothing_and_its_index_is_used_next) {
    append(1, "first\n");
    auto st = store_->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto i = append_one(tx, 2, "rolled back\n");
        if (!i) return fail(i.error());
        EXPECT_EQ(*i, 1);
        return fail(Error::conflict("test.roll_back"));
    });
    ASSERT_FALSE(st);
    EXPECT_EQ(size(), 1);
    EXPECT_EQ(append(3, "second\n"), 1);
    EXPECT_EQ(entries(0, 2), (std::vector<std::string>{"first\n", "second\n"}));
    const auto [stored, rebuilt] = roots();
    EXPECT_EQ(stored, rebuilt);
}

TEST_P(TlogContract, an_append_from_a_head_that_moved_is_refused) {
    append(1, "first\n");
    auto st = store_->transact(TxMode::Write, [&](Transaction& tx) -> Status {
        const LogLeaf stale{0, 1, "again at 0\n", T0};
        const std::vector<LogHash> hashes{tlog::leaf_hash(stale.entry)};
        return tx.transparency_log().append(std::span(&stale, 1), 0, hashes);
    });
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "tlog.head_moved");
    EXPECT_EQ(size(), 1);
}

TEST_P(TlogContract, entries_and_hashes_cannot_be_changed_or_deleted) {
    append(1, "kept\n");
    // Through the engine's own SQL (as a migration, the way the audit log's test does it):
    // nothing in the port rewrites the log, so a hand-typed statement is what the triggers stop.
    std::vector<std::string> attempts = {
        "UPDATE tlog_entries SET entry = 'changed' WHERE idx = 0", "DELETE FROM tlog_entries WHERE idx = 0",
        "UPDATE tlog_hashes SET hash = '00' WHERE idx = 0", "DELETE FROM tlog_hashes WHERE idx = 0"};
    if (postgres()) attempts.push_back("TRUNCATE tlog_entries");
    int version = 9200;
    for (const auto& sql : attempts) {
        const std::string name = std::to_string(version) + "_rewrite_log.sql";
        auto r = store_->apply_migrations({storage::Migration{version++, name, sql}});
        ASSERT_FALSE(r) << sql << " succeeded";
        EXPECT_NE(r.error().detail.find("append-only"), std::string::npos) << r.error().detail;
    }
    EXPECT_EQ(entries(0, 1), std::vector<std::string>{"kept\n"});
}

TEST_P(TlogContract, a_record_salt_is_set_once) {
    Declaration d;
    d.state = {lifecycle::Status::Declared, 1};
    d.details.business_name = "salted";
    d.details.contact_email = "salted@example.jp";
    d.details.lang = Lang::Ja;
    d.terms_version = "2026-1";
    d.terms_agreed_at = T0;
    d.created_at = T0;
    d.confirm_token_hash = "confirm-salted";
    d.confirm_expires_at = T0;
    auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().create(d); });
    ASSERT_OK(id);
    auto salt = [&] {
        auto s =
            read<std::optional<std::string>>([&](Transaction& tx) { return tx.transparency_log().record_salt(*id); });
        EXPECT_TRUE(s);
        return s.value_or(std::nullopt);
    };
    EXPECT_FALSE(salt());
    auto set = [&](const std::string& value) {
        const std::vector<std::pair<std::int64_t, std::string>> salts{{*id, value}};
        return write([&](Transaction& tx) { return tx.transparency_log().set_record_salts(salts); });
    };
    ASSERT_OK(set(std::string(64, 'a')));
    ASSERT_OK(set(std::string(64, 'b')));
    EXPECT_EQ(salt(), std::string(64, 'a'));
    // Many at once, in the order asked, those without a salt as nullopt.
    const std::vector<std::int64_t> asked{*id, *id + 1000};
    auto both = read<std::vector<std::optional<std::string>>>(
        [&](Transaction& tx) { return tx.transparency_log().record_salts(asked); });
    ASSERT_OK(both);
    EXPECT_EQ(*both, (std::vector<std::optional<std::string>>{std::string(64, 'a'), std::nullopt}));
}

TEST_P(TlogContract, a_checkpoint_of_a_size_is_stored_once) {
    auto add = [&](std::int64_t size, const std::string& note) {
        auto r = write_value<bool>([&](Transaction& tx) {
            return tx.transparency_log().add_checkpoint({size, note, T0});
        });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(false);
    };
    EXPECT_TRUE(add(3, "three\n"));
    EXPECT_FALSE(add(3, "three again\n"));
    EXPECT_TRUE(add(5, "five\n"));
    EXPECT_TRUE(add(4, "four\n"));
    auto c = read<std::optional<SignedCheckpoint>>(
        [](Transaction& tx) { return tx.transparency_log().latest_checkpoint(); });
    ASSERT_OK(c);
    ASSERT_TRUE(*c);
    EXPECT_EQ((*c)->size, 5);
    EXPECT_EQ((*c)->note, "five\n");
}

// ADR 55: a witness's cosignature is kept once per checkpoint; the checkpoint served when some are
// required is the largest with that many; nobody rewrites or removes one.
TEST_P(TlogContract, cosignatures_are_kept_once_per_witness_and_count_towards_the_served_checkpoint) {
    for (std::int64_t size : {3, 4, 5})
        ASSERT_OK(write_value<bool>([&](Transaction& tx) {
            return tx.transparency_log().add_checkpoint({size, "note " + std::to_string(size) + "\n", T0});
        }));
    auto cosign = [&](std::int64_t size, const std::string& witness, const std::string& line) {
        return write([&](Transaction& tx) { return tx.transparency_log().add_cosignature({size, witness, line, T0}); });
    };
    auto latest_with = [&](int required) {
        auto r = read<std::optional<std::int64_t>>(
            [&](Transaction& tx) { return tx.transparency_log().latest_cosigned_size(required); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::nullopt);
    };
    auto lines_of = [&](std::int64_t size) {
        auto r = read<std::vector<std::string>>(
            [&](Transaction& tx) { return tx.transparency_log().cosignatures_of(size); });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::vector<std::string>{});
    };
    EXPECT_EQ(latest_with(1), std::nullopt);
    ASSERT_OK(cosign(3, "w2", "— w2 three\n"));
    ASSERT_OK(cosign(3, "w1", "— w1 three\n"));
    ASSERT_OK(cosign(4, "w1", "— w1 four\n"));
    ASSERT_OK(cosign(4, "w1", "— w1 four again\n"));  // another node submitted the same: kept once
    EXPECT_EQ(latest_with(1), std::optional<std::int64_t>(4));
    EXPECT_EQ(latest_with(2), std::optional<std::int64_t>(3));
    EXPECT_EQ(latest_with(3), std::nullopt);
    EXPECT_EQ(lines_of(3), (std::vector<std::string>{"— w1 three\n", "— w2 three\n"}));
    EXPECT_EQ(lines_of(4), std::vector<std::string>{"— w1 four\n"});
    EXPECT_TRUE(lines_of(5).empty());
    auto four =
        read<std::optional<SignedCheckpoint>>([](Transaction& tx) { return tx.transparency_log().checkpoint_of(4); });
    ASSERT_OK(four);
    ASSERT_TRUE(*four);
    EXPECT_EQ((*four)->note, "note 4\n");
    // A cosignature of a checkpoint never stored is refused.
    EXPECT_FALSE(cosign(9, "w1", "— w1 nine\n"));

    std::vector<std::string> attempts = {"UPDATE tlog_cosignatures SET line = 'forged' WHERE size = 3",
                                         "DELETE FROM tlog_cosignatures WHERE size = 3"};
    if (postgres()) attempts.push_back("TRUNCATE tlog_cosignatures");
    int version = 9300;
    for (const auto& sql : attempts) {
        const std::string name = std::to_string(version) + "_rewrite_cosignatures.sql";
        auto r = store_->apply_migrations({storage::Migration{version++, name, sql}});
        ASSERT_FALSE(r) << sql << " succeeded";
        EXPECT_NE(r.error().detail.find("append-only"), std::string::npos) << r.error().detail;
    }
    EXPECT_EQ(lines_of(3).size(), 2u);
}

// ADR 46: on PostgreSQL the head's row lock orders appenders of every node; on SQLite the write
// transaction is exclusive. Either way no index is used twice or skipped, and the tree's root is
// the one its entries give.
TEST_P(TlogContract, appends_from_two_nodes_at_once_never_reuse_or_skip_an_index) {
    auto other = open_other_node();
    ASSERT_TRUE(other);
    constexpr int kThreads = 6;
    constexpr int kEach = 25;
    std::vector<std::vector<std::int64_t>> got(kThreads);
    std::vector<std::string> problems(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            Store& node = t % 2 == 0 ? static_cast<Store&>(*store_) : static_cast<Store&>(**other);
            for (int i = 0; i < kEach; ++i) {
                const std::string entry = "thread " + std::to_string(t) + " entry " + std::to_string(i) + "\n";
                auto index =
                    node.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) { return append_one(tx, t, entry); });
                if (!index) {
                    problems[t] = index.error().code + ": " + index.error().detail;
                    return;
                }
                got[t].push_back(*index);
            }
        });
    }
    for (auto& th : threads) th.join();
    for (const auto& p : problems) EXPECT_EQ(p, "");
    std::set<std::int64_t> unique;
    std::size_t total = 0;
    for (const auto& g : got) {
        unique.insert(g.begin(), g.end());
        total += g.size();
    }
    EXPECT_EQ(unique.size(), total) << "an index was used twice";
    ASSERT_EQ(total, static_cast<std::size_t>(kThreads * kEach));
    EXPECT_EQ(*unique.begin(), 0);
    EXPECT_EQ(*unique.rbegin(), kThreads * kEach - 1) << "an index was skipped";
    EXPECT_EQ(size(), kThreads * kEach);
    // Each thread's entries are at the indexes it was told.
    const auto all = entries(0, kThreads * kEach);
    for (int t = 0; t < kThreads; ++t)
        for (int i = 0; i < kEach; ++i)
            EXPECT_EQ(all[static_cast<std::size_t>(got[t][static_cast<std::size_t>(i)])],
                      "thread " + std::to_string(t) + " entry " + std::to_string(i) + "\n");
    const auto [stored, rebuilt] = roots();
    EXPECT_EQ(stored, rebuilt);
}

// The read side over each engine (app::TransparencyLog, ADR 46): tiles as C2SP tlog-tiles gives
// them, full past 256 leaves, at level 1 too; a checkpoint signed once per size, whose root is the
// tree's.
TEST_P(TlogContract, tiles_and_checkpoints_are_read_from_the_stored_hashes) {
    tlog::MemoryHashes memory;
    std::vector<std::string> texts;
    ASSERT_OK(write([&](Transaction& tx) -> Status {
        for (int i = 0; i < 600; ++i) {
            texts.push_back("leaf " + std::to_string(i) + "\n");
            memory.append(texts.back());
            auto index = append_one(tx, i, texts.back());
            if (!index) return fail(index.error());
        }
        return {};
    }));
    StillClock clock;
    app::TransparencyLog log(*store_, clock);
    auto expect_hash_tile = [&](const std::string& path, bool full) {
        auto tile = log.tile(path);
        ASSERT_OK(tile);
        EXPECT_EQ(tile->full, full) << path;
        const auto ref = tlog::parse_tile_path(path);
        ASSERT_TRUE(ref);
        auto hashes = memory.read_hashes(tlog::tile_hash_indexes(*ref));
        ASSERT_TRUE(hashes);
        std::string expected;
        for (const auto& h : *hashes) expected.append(reinterpret_cast<const char*>(h.data()), h.size());
        EXPECT_EQ(tile->body, expected) << path;
    };
    expect_hash_tile("0/000", true);
    expect_hash_tile("0/001", true);
    expect_hash_tile("0/002.p/88", false);
    expect_hash_tile("1/000.p/2", false);
    auto bundle = log.tile("entries/001");
    ASSERT_OK(bundle);
    EXPECT_TRUE(bundle->full);
    auto entries = tlog::parse_entry_bundle(bundle->body);
    ASSERT_TRUE(entries);
    EXPECT_EQ(*entries, std::vector<std::string>(texts.begin() + 256, texts.begin() + 512));
    for (const char* beyond : {"0/002", "0/002.p/89", "1/000.p/3", "entries/002", "0/x001/000", "junk"}) {
        auto none = log.tile(beyond);
        ASSERT_FALSE(none) << beyond;
        EXPECT_EQ(none.error().code, "tlog.no_tile") << beyond;
    }

    auto before = log.checkpoint();
    ASSERT_FALSE(before);
    EXPECT_EQ(before.error().code, "tlog.no_checkpoint");
    auto signer = tlog::NoteSigner::generate("registry.example.jp/log");
    ASSERT_TRUE(signer);
    auto first = log.sign_if_grown(*signer);
    ASSERT_OK(first);
    EXPECT_EQ(*first, std::optional<std::int64_t>(600));
    auto again = log.sign_if_grown(*signer);
    ASSERT_OK(again);
    EXPECT_FALSE(*again) << "nothing new to sign";
    auto latest = log.checkpoint();
    ASSERT_OK(latest);
    auto note = tlog::parse_note(latest->note);
    ASSERT_TRUE(note);
    const std::vector<tlog::VerifierKey> keys{signer->verifier()};
    auto text = tlog::open_note(*note, keys);
    ASSERT_TRUE(text);
    auto checkpoint = tlog::parse_checkpoint(*text);
    ASSERT_TRUE(checkpoint);
    EXPECT_EQ(checkpoint->size, 600);
    EXPECT_EQ(checkpoint->root, *tlog::tree_hash(600, memory));
}

}  // namespace
}  // namespace sengen::testing
