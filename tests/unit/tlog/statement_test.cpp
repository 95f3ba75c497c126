// Signed statements checked offline (tlog::statement): a bundle made from a log of entries
// verifies, survives its JSON form, and fails with a reason when any part of it is changed, comes
// from another log or is signed by another key.
#include "tlog/statement.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "domain/identifiers.hpp"

namespace sengen::tlog {
namespace {

using namespace std::chrono;

constexpr std::string_view kOrigin = "registry.example.jp/log";

class Statements : public ::testing::Test {
protected:
    void SetUp() override {
        signer_ = std::make_unique<NoteSigner>(*NoteSigner::generate(kOrigin));
        for (int i = 0; i < 13; ++i) {
            LogEntry e;
            e.origin = std::string(kOrigin);
            e.id = DeclarationId::make(1, 100 + i).digits();
            e.event = i % 3 == 0 ? LogEvent::Issued : LogEvent::LevelChanged;
            e.level = 1 + i % 2;
            e.time = sys_days{2026y / December / 7} + seconds{i};
            e.record.fill(static_cast<unsigned char>(i));
            entries_.push_back(entry_text(e));
            tree_.append(entries_.back());
        }
    }

    StatementBundle bundle(std::int64_t index) const {
        const Checkpoint c{std::string(kOrigin), tree_.size(), *tree_hash(tree_.size(), tree_), {}};
        const std::string text = checkpoint_text(c);
        const std::string& entry = entries_[static_cast<std::size_t>(index)];
        return {format_note({entry, {signer_->sign(entry)}}),
                index,
                *inclusion_proof(tree_.size(), index, tree_),
                format_note({text, {signer_->sign(text)}}),
                {}};
    }

    std::vector<VerifierKey> keys() const { return {signer_->verifier()}; }

    std::unique_ptr<NoteSigner> signer_;
    std::vector<std::string> entries_;
    MemoryHashes tree_;
};

TEST_F(Statements, a_bundle_verifies_offline_and_survives_its_json_form) {
    for (std::int64_t i = 0; i < tree_.size(); ++i) {
        const auto parsed = parse_bundle_json(bundle_json(bundle(i)));
        ASSERT_TRUE(parsed) << parsed.error().detail;
        const auto v = verify_statement(*parsed, keys());
        ASSERT_TRUE(v) << v.error().detail;
        EXPECT_EQ(v->leaf_index, i);
        EXPECT_EQ(v->checkpoint.size, 13);
        EXPECT_EQ(v->entry.id, DeclarationId::make(1, 100 + static_cast<int>(i)).digits());
    }
}

TEST_F(Statements, a_change_to_any_part_fails_with_its_reason) {
    const auto k = keys();
    auto reason = [&](const StatementBundle& b) {
        const auto v = verify_statement(b, k);
        return v ? std::string("verified") : v.error().detail;
    };
    StatementBundle b = bundle(5);
    b.leaf_index = 6;
    EXPECT_NE(reason(b).find("inclusion proof"), std::string::npos);
    b = bundle(5);
    b.leaf_index = 13;
    EXPECT_NE(reason(b).find("beyond the checkpoint"), std::string::npos);
    b = bundle(5);
    b.inclusion_proof[1][0] ^= 1;
    EXPECT_NE(reason(b).find("inclusion proof"), std::string::npos);
    b = bundle(5);
    b.checkpoint.replace(b.checkpoint.find("\n13\n"), 4, "\n12\n");
    EXPECT_NE(reason(b).find("checkpoint's signature"), std::string::npos);
    b = bundle(5);
    b.statement.replace(b.statement.find("level 2"), 7, "level 1");
    EXPECT_NE(reason(b).find("statement's signature"), std::string::npos);
    // A well-signed statement of an entry the log does not hold.
    b = bundle(5);
    std::string other = entries_[5];
    other.replace(other.find("level 2"), 7, "level 1");
    b.statement = format_note({other, {signer_->sign(other)}});
    EXPECT_NE(reason(b).find("inclusion proof"), std::string::npos);
    // Signed by another key of the same name.
    const auto impostor = *NoteSigner::generate(kOrigin);
    const std::vector<VerifierKey> theirs{impostor.verifier()};
    EXPECT_FALSE(verify_statement(bundle(5), theirs));
}

TEST_F(Statements, a_statement_from_another_log_does_not_pass_for_one_of_this_log) {
    StatementBundle b = bundle(2);
    std::string elsewhere = entries_[2];
    elsewhere.replace(0, kOrigin.size(), "other.example/log");
    b.statement = format_note({elsewhere, {signer_->sign(elsewhere)}});
    const auto v = verify_statement(b, keys());
    ASSERT_FALSE(v);
    EXPECT_NE(v.error().detail.find("other.example/log"), std::string::npos);
}

TEST(StatementJson, anything_but_a_bundle_is_refused) {
    EXPECT_FALSE(parse_bundle_json("[]"));
    EXPECT_FALSE(parse_bundle_json("{"));
    EXPECT_FALSE(parse_bundle_json(R"({"statement":"a","leaf_index":1,"inclusion_proof":[]})"));
    EXPECT_FALSE(parse_bundle_json(R"({"statement":"a","leaf_index":-1,"inclusion_proof":[],"checkpoint":"c"})"));
    EXPECT_FALSE(parse_bundle_json(R"({"statement":"a","leaf_index":"1","inclusion_proof":[],"checkpoint":"c"})"));
    EXPECT_FALSE(parse_bundle_json(R"({"statement":"a","leaf_index":1,"inclusion_proof":["AAAA"],"checkpoint":"c"})"));
    EXPECT_FALSE(parse_bundle_json(R"({"statement":"a","leaf_index":1,"inclusion_proof":[1],"checkpoint":"c"})"));
    EXPECT_TRUE(parse_bundle_json(R"({"statement":"a","leaf_index":1,"inclusion_proof":[],"checkpoint":"c"})"));
    EXPECT_FALSE(parse_bundle_json(std::string(2 << 20, ' ')));
    EXPECT_FALSE(parse_bundle_json(
        R"({"statement":"a","leaf_index":1,"inclusion_proof":[],"checkpoint":"c","record_salt":"not base64!"})"));
    EXPECT_FALSE(
        parse_bundle_json(R"({"statement":"a","leaf_index":1,"inclusion_proof":[],"checkpoint":"c","record_salt":7})"));
}

TEST(StatementJson, the_record_salt_is_written_when_there_is_one_and_read_back) {
    StatementBundle b;
    b.statement = "a";
    b.checkpoint = "c";
    EXPECT_EQ(bundle_json(b).find("record_salt"), std::string::npos);
    b.record_salt = "AAECAw==";
    const auto parsed = parse_bundle_json(bundle_json(b));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->record_salt, "AAECAw==");
}

}  // namespace
}  // namespace sengen::tlog
