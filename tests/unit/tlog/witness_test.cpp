// The witness's rules (tlog::add_checkpoint, C2SP tlog-witness) and its cosignatures
// (tlog::cosign, C2SP tlog-cosignature cosignature/v1): a consistent checkpoint is cosigned and
// kept; each way a request can be wrong gets the status the specification gives and keeps nothing;
// a cosignature verifies with the cosigner key only, and not once anything it covers changes.
#include "tlog/witness.hpp"

#include <gtest/gtest.h>

#include "tlog/cosignature.hpp"
#include "tlog/encoding.hpp"

namespace sengen::tlog {
namespace {

constexpr std::string_view kOrigin = "registry.example.jp/log";
constexpr std::int64_t kNow = 1'800'000'000;

class WitnessRules : public ::testing::Test {
protected:
    void SetUp() override {
        log_ = std::make_unique<NoteSigner>(*NoteSigner::generate(kOrigin));
        witness_ = std::make_unique<NoteSigner>(*NoteSigner::generate("witness.example.jp/w1"));
    }
    void grow(int to) {
        while (tree_.size() < to) tree_.append("entry " + std::to_string(tree_.size()) + "\n");
    }
    std::string text(std::int64_t size) const {
        return checkpoint_text({std::string(kOrigin), size, *tree_hash(size, tree_), {}});
    }
    AddCheckpoint request(std::int64_t old_size, std::int64_t size, const NoteSigner* signer = nullptr) const {
        const std::string t = text(size);
        return {old_size, *consistency_proof(old_size, size, tree_),
                format_note({t, {(signer ? *signer : *log_).sign(t)}})};
    }
    WitnessAnswer send(const AddCheckpoint& r, const std::optional<std::string>& latest) const {
        const std::vector<VerifierKey> keys{log_->verifier()};
        return add_checkpoint(r, keys, latest, *witness_, kNow);
    }
    std::unique_ptr<NoteSigner> log_, witness_;
    MemoryHashes tree_;
};

TEST_F(WitnessRules, a_consistent_checkpoint_is_cosigned_and_kept) {
    grow(300);
    auto first = send(request(0, 100), std::nullopt);
    ASSERT_EQ(first.status, 200) << first.body;
    ASSERT_TRUE(first.keep);
    EXPECT_EQ(*first.keep, text(100));
    auto next = send(request(100, 300), first.keep);
    ASSERT_EQ(next.status, 200) << next.body;
    EXPECT_EQ(*next.keep, text(300));
    // The answer is one cosignature line by the witness, on the checkpoint's text, at kNow.
    auto parsed = parse_note(text(300) + "\n" + next.body);
    ASSERT_TRUE(parsed);
    ASSERT_EQ(parsed->signatures.size(), 1u);
    EXPECT_EQ(*verify_cosignature(text(300), parsed->signatures[0], witness_->cosigner()), kNow);
    EXPECT_EQ(send(request(300, 300), next.keep).status, 200);  // the same checkpoint again
}

TEST_F(WitnessRules, each_wrong_request_gets_its_status_and_nothing_is_kept) {
    grow(300);
    const std::optional<std::string> latest = text(100);
    auto stale = send(request(50, 300), latest);
    EXPECT_EQ(stale.status, 409);
    EXPECT_EQ(stale.content_type, "text/x.tlog.size");
    EXPECT_EQ(stale.body, "100\n");
    EXPECT_FALSE(stale.keep);

    auto other = *NoteSigner::generate(kOrigin);
    EXPECT_EQ(send(request(100, 300, &other), latest).status, 403);
    EXPECT_EQ(add_checkpoint(request(100, 300), {}, latest, *witness_, kNow).status, 404);

    AddCheckpoint bad_proof = request(100, 300);
    bad_proof.proof.back()[0] ^= 1;
    EXPECT_EQ(send(bad_proof, latest).status, 422);
    AddCheckpoint from_empty = request(0, 300);
    from_empty.proof = request(100, 300).proof;
    EXPECT_EQ(send(from_empty, std::nullopt).status, 422);
    AddCheckpoint shrinking = request(100, 300);
    shrinking.old_size = 301;
    EXPECT_EQ(send(shrinking, latest).status, 400);

    // Another tree of the same size as the kept one.
    MemoryHashes fork;
    for (int i = 0; i < 100; ++i) fork.append("other " + std::to_string(i) + "\n");
    const std::string forked = checkpoint_text({std::string(kOrigin), 100, *tree_hash(100, fork), {}});
    EXPECT_EQ(send({100, {}, format_note({forked, {log_->sign(forked)}})}, latest).status, 422);
}

// The log's side: the body it sends is what the witness reads, and of the answer it keeps only a
// cosignature that verifies with the witness's key.
TEST_F(WitnessRules, the_log_sends_what_the_witness_reads_and_keeps_only_a_cosignature_that_verifies) {
    grow(300);
    const AddCheckpoint sent = request(100, 300);
    auto read = parse_add_checkpoint(format_add_checkpoint(sent));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->old_size, 100);
    EXPECT_EQ(read->proof, sent.proof);
    EXPECT_EQ(read->checkpoint, sent.checkpoint);
    auto from_empty = parse_add_checkpoint(format_add_checkpoint(request(0, 300)));
    ASSERT_TRUE(from_empty);
    EXPECT_TRUE(from_empty->proof.empty());

    auto answer = send(sent, text(100));
    ASSERT_EQ(answer.status, 200);
    auto kept = cosignature_in_answer(answer.body, text(300), witness_->cosigner());
    ASSERT_TRUE(kept) << kept.error().detail;
    EXPECT_EQ(*verify_cosignature(text(300), *kept, witness_->cosigner()), kNow);

    // Not for another checkpoint; not by another witness; not the witness's note key; not junk.
    EXPECT_FALSE(cosignature_in_answer(answer.body, text(100), witness_->cosigner()));
    auto stranger = *NoteSigner::generate("witness.example.jp/w1");
    EXPECT_FALSE(cosignature_in_answer(answer.body, text(300), stranger.cosigner()));
    EXPECT_FALSE(cosignature_in_answer(answer.body, text(300), witness_->verifier()));
    for (const std::string junk : {"", "hello\n", "— witness.example.jp/w1 AAAA\n"}) {
        auto none = cosignature_in_answer(junk, text(300), witness_->cosigner());
        ASSERT_FALSE(none) << junk;
        EXPECT_EQ(none.error().code, "tlog.witness.bad_answer");
    }

    auto conflict = send(request(50, 300), text(100));
    EXPECT_EQ(size_in_conflict(conflict.body), std::optional<std::int64_t>(100));
    EXPECT_EQ(size_in_conflict("7"), std::optional<std::int64_t>(7));
    for (const std::string_view bad : {"", "\n", "07\n", "-1\n", "12 \n", "1\n\n"})
        EXPECT_EQ(size_in_conflict(bad), std::nullopt) << bad;
}

TEST(WitnessRequest, the_body_is_read_exactly_as_the_specification_writes_it) {
    const std::string hash = base64(std::array<unsigned char, 32>{});
    auto ok = parse_add_checkpoint("old 5\n" + hash + "\n" + hash + "\n\nlog\n5\nroot\n\n— log sig\n");
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->old_size, 5);
    EXPECT_EQ(ok->proof.size(), 2u);
    EXPECT_EQ(claimed_origin(*ok), "log");
    std::string too_long = "old 1\n";
    for (int i = 0; i < 64; ++i) too_long += hash + "\n";
    for (const std::string& bad : {std::string(""), std::string("old 05\n\nx\n"), std::string("old -1\n\nx\n"),
                                   std::string("old 1\nAAAA\n\nx\n"), std::string("old 1\n\n"), too_long + "\nx\n"})
        EXPECT_FALSE(parse_add_checkpoint(bad)) << bad;
}

TEST(Cosignature, verifies_with_the_cosigner_key_only_and_covers_the_time_and_the_text) {
    auto witness = *NoteSigner::generate("witness.example.jp/w1");
    const std::string checkpoint = "registry.example.jp/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    const NoteSignature s = cosign(witness, checkpoint, kNow);
    EXPECT_EQ(*verify_cosignature(checkpoint, s, witness.cosigner()), kNow);
    // The key ID is the cosigner's (type 0x04), not the note signer's.
    EXPECT_NE(witness.cosigner().key_id, witness.verifier().key_id);
    EXPECT_FALSE(verify_cosignature(checkpoint, s, witness.verifier()));
    EXPECT_FALSE(verify_cosignature("registry.example.jp/log\n4\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", s,
                                    witness.cosigner()));
    NoteSignature later = s;
    later.signature[7] ^= 1;  // another time
    EXPECT_FALSE(verify_cosignature(checkpoint, later, witness.cosigner()));
    // The cosigner's verifier key round-trips with its type.
    auto parsed = parse_verifier_key(format_verifier_key(witness.cosigner()));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->type, KeyType::Cosignature);
    EXPECT_EQ(parsed->key_id, witness.cosigner().key_id);
}

TEST(Cosignature, a_verifier_requires_k_of_the_n_witnesses_it_trusts) {
    auto w1 = *NoteSigner::generate("witness1.example/w");
    auto w2 = *NoteSigner::generate("witness2.example/w");
    auto w3 = *NoteSigner::generate("witness3.example/w");
    auto log = *NoteSigner::generate("registry.example.jp/log");
    const std::string text = "registry.example.jp/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    Note note{text, {log.sign(text), cosign(w1, text, kNow), cosign(w2, text, kNow)}};
    const std::vector<VerifierKey> trusted{w1.cosigner(), w2.cosigner(), w3.cosigner()};
    EXPECT_TRUE(require_cosignatures(note, trusted, 2));
    auto three = require_cosignatures(note, trusted, 3);
    ASSERT_FALSE(three);
    EXPECT_EQ(three.error().code, "tlog.too_few_cosignatures");
    EXPECT_NE(three.error().detail.find("2 of the 3"), std::string::npos);
    // The log's own signature is no cosignature, and a note key is no cosigner key.
    EXPECT_FALSE(require_cosignatures(note, std::vector<VerifierKey>{w1.verifier()}, 1));
    // A line that names a trusted witness but does not verify is refused outright.
    note.signatures[1].signature.back() ^= 1;
    auto forged = require_cosignatures(note, trusted, 1);
    ASSERT_FALSE(forged);
    EXPECT_EQ(forged.error().code, "tlog.bad_cosignature");
}

}  // namespace
}  // namespace sengen::tlog
