// Signed notes, keys and checkpoints (tlog::note, tlog::checkpoint): the examples of the C2SP
// signed-note and tlog-checkpoint specifications, keys that survive a round trip through their
// text forms, and notes that fail when anything in them changes.
#include "tlog/note.hpp"
#include "tlog/checkpoint.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sengen::tlog {
namespace {

// The example of C2SP signed-note v1.0.0, "Verifier keys".
constexpr std::string_view kExampleKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k";
constexpr std::string_view kExampleNote =
    "This is an example message.\n"
    "\n"
    "\xE2\x80\x94 example.com/foo "
    "Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";

TEST(Note, the_specifications_example_key_verifies_its_example_note) {
    const auto key = parse_verifier_key(kExampleKey);
    ASSERT_TRUE(key) << key.error().detail;
    EXPECT_EQ(key->name, "example.com/foo");
    EXPECT_EQ(key->key_id, 0x530d903aU);
    EXPECT_EQ(format_verifier_key(*key), kExampleKey);
    const auto note = parse_note(kExampleNote);
    ASSERT_TRUE(note) << note.error().detail;
    EXPECT_EQ(note->text, "This is an example message.\n");
    const std::vector<VerifierKey> keys{*key};
    const auto text = open_note(*note, keys);
    ASSERT_TRUE(text) << text.error().detail;
    EXPECT_EQ(*text, "This is an example message.\n");
    EXPECT_EQ(format_note(*note), kExampleNote);
}

TEST(Note, a_changed_text_or_signature_fails_and_unknown_keys_alone_are_refused) {
    const std::vector<VerifierKey> keys{*parse_verifier_key(kExampleKey)};
    auto note = *parse_note(kExampleNote);
    auto changed = note;
    changed.text = "This is an example message!\n";
    EXPECT_FALSE(open_note(changed, keys));
    auto forged = note;
    forged.signatures[0].signature[10] ^= 0x01;
    EXPECT_FALSE(open_note(forged, keys));
    // A signature by another key is ignored; with no known key's signature the note is refused.
    const auto other = *NoteSigner::generate("example.com/other");
    Note only_other{note.text, {other.sign(note.text)}};
    EXPECT_FALSE(open_note(only_other, keys));
    Note both{note.text, {other.sign(note.text), note.signatures[0]}};
    EXPECT_TRUE(open_note(both, keys));
}

TEST(Note, a_key_id_that_does_not_match_its_key_or_a_malformed_key_is_refused) {
    EXPECT_FALSE(parse_verifier_key("example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
    EXPECT_FALSE(parse_verifier_key("example.com/bar+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
    EXPECT_FALSE(parse_verifier_key("example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
    EXPECT_FALSE(parse_verifier_key("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2"));
    EXPECT_FALSE(parse_verifier_key("example.com/foo+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"));
    EXPECT_FALSE(parse_verifier_key(""));
}

TEST(Note, key_names_hold_no_space_and_no_plus) {
    EXPECT_TRUE(valid_key_name("registry.example.jp/log"));
    EXPECT_TRUE(valid_key_name("宣言.example/ログ"));
    EXPECT_FALSE(valid_key_name(""));
    EXPECT_FALSE(valid_key_name("a b"));
    EXPECT_FALSE(valid_key_name("a+b"));
    EXPECT_FALSE(
        valid_key_name("a\xE3\x80\x80"
                       "b"));  // U+3000 IDEOGRAPHIC SPACE
    EXPECT_FALSE(
        valid_key_name("a\xC2\xA0"
                       "b"));  // U+00A0 NO-BREAK SPACE
    EXPECT_FALSE(valid_key_name("a\tb"));
    EXPECT_FALSE(valid_key_name("\xFF"));
    EXPECT_FALSE(NoteSigner::generate("has space"));
}

TEST(Note, a_generated_key_survives_its_text_forms_and_signs_notes_that_verify) {
    const auto signer = NoteSigner::generate("registry.example.jp/log");
    ASSERT_TRUE(signer);
    const std::string secret = signer->format();
    EXPECT_TRUE(secret.starts_with("PRIVATE+KEY+registry.example.jp/log+"));
    const auto again = NoteSigner::parse(secret);
    ASSERT_TRUE(again) << again.error().detail;
    EXPECT_EQ(format_verifier_key(again->verifier()), format_verifier_key(signer->verifier()));
    const auto vkey = parse_verifier_key(format_verifier_key(signer->verifier()));
    ASSERT_TRUE(vkey);

    const std::string text = "registry.example.jp/log\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    const std::string signed_note = format_note({text, {again->sign(text)}});
    const auto parsed = parse_note(signed_note);
    ASSERT_TRUE(parsed);
    const std::vector<VerifierKey> keys{*vkey};
    EXPECT_EQ(*open_note(*parsed, keys), text);
    // Ed25519 is deterministic: the same key signs the same text the same way.
    EXPECT_EQ(again->sign(text).signature, signer->sign(text).signature);
    // Another key of the same name does not pass for this one.
    const std::vector<VerifierKey> impostor{NoteSigner::generate("registry.example.jp/log")->verifier()};
    EXPECT_FALSE(open_note(*parsed, impostor));
    EXPECT_FALSE(NoteSigner::parse(secret.substr(12)));  // without PRIVATE+KEY+
}

TEST(Note, keys_whose_base64_holds_a_plus_read_back) {
    // Half of all keys have a '+' in their base64; fifty of them all but surely include some.
    int with_plus = 0;
    for (int i = 0; i < 50; ++i) {
        const auto signer = NoteSigner::generate("registry.example.jp/log");
        const std::string vkey = format_verifier_key(signer->verifier());
        with_plus += vkey.substr(vkey.size() - 44).find('+') != std::string::npos ? 1 : 0;  // the base64
        ASSERT_TRUE(parse_verifier_key(vkey)) << vkey;
        ASSERT_TRUE(NoteSigner::parse(signer->format())) << vkey;
    }
    EXPECT_GT(with_plus, 0);
}

TEST(Note, malformed_notes_are_refused) {
    EXPECT_FALSE(parse_note("text\n"));                                // no signature
    EXPECT_FALSE(parse_note("text\n\n"));                              // a blank line, no signature
    EXPECT_FALSE(parse_note("text\n\n- example.com/foo AAAAAAA=\n"));  // a hyphen, not an em dash
    EXPECT_FALSE(parse_note("te\rxt\n\n\xE2\x80\x94 a AAAAAAAA\n"));   // a control character
    EXPECT_FALSE(parse_note("text\n\n\xE2\x80\x94 a AAAA\n"));         // shorter than a key ID and a byte
    EXPECT_FALSE(parse_note("text\n\n\xE2\x80\x94 a AAAAAAAA"));       // no final newline
    EXPECT_FALSE(parse_note(std::string(70000, 'a') + "\n\n\xE2\x80\x94 a AAAAAAAA\n"));
}

TEST(Checkpoint, the_specifications_example_parses_and_prints_back) {
    const std::string text = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    const auto c = parse_checkpoint(text);
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_EQ(c->origin, "example.com/behind-the-sofa");
    EXPECT_EQ(c->size, 20852163);
    EXPECT_EQ(checkpoint_text(*c), text);
    const auto with_extension = parse_checkpoint(text + "extra line\n");
    ASSERT_TRUE(with_extension);
    EXPECT_EQ(with_extension->extensions, std::vector<std::string>{"extra line"});
}

TEST(Checkpoint, anything_but_an_exact_checkpoint_is_refused) {
    const std::string root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    EXPECT_TRUE(parse_checkpoint("o\n0\n" + root));
    EXPECT_FALSE(parse_checkpoint("\n5\n" + root));
    EXPECT_FALSE(parse_checkpoint("o\n05\n" + root));
    EXPECT_FALSE(parse_checkpoint("o\n-5\n" + root));
    EXPECT_FALSE(parse_checkpoint("o\n+5\n" + root));
    EXPECT_FALSE(parse_checkpoint("o\n5 \n" + root));
    EXPECT_FALSE(parse_checkpoint("o\n99999999999999999999\n" + root));
    EXPECT_FALSE(parse_checkpoint("o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n"));
    EXPECT_FALSE(parse_checkpoint("o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jx\n"));
    EXPECT_FALSE(parse_checkpoint("o\n5\n" + root + "\n"));
    EXPECT_FALSE(parse_checkpoint("o\n5\n"));
    EXPECT_FALSE(parse_checkpoint("o\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
}

}  // namespace
}  // namespace sengen::tlog
