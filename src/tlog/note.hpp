// Signed notes as C2SP signed-note v1.0.0 specifies them: a UTF-8 text ending in a newline, a
// blank line, then one line per signature, "— <key name> <base64(key ID || signature)>". Only
// Ed25519 (signature type 0x01) is made or checked here; a signature by any other key is kept
// and ignored, as the specification asks, so that cosignatures and a rotated key's signatures
// pass through.
//
// Keys: a verifier key is "<name>+<hex key ID>+<base64(0x01 || public key)>"; the key ID is the
// first four bytes of SHA-256(name || 0x0A || 0x01 || public key). A signer key (the private
// half, kept in a file) is "PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 || 32-byte seed)>", the
// form Go's note package and the tools built on it read.
#pragma once
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"

namespace sengen::tlog {

struct NoteSignature {
    std::string name;
    std::uint32_t key_id = 0;
    std::string signature;  // the bytes after the key ID
};

struct Note {
    std::string text;  // ends in a newline
    std::vector<NoteSignature> signatures;
};

// Whether `name` may name a key: non-empty, no space of any kind, no '+'.
bool valid_key_name(std::string_view name);

// What an Ed25519 key signs, as the type byte of its verifier key and key ID: notes (C2SP
// signed-note) or cosignatures of checkpoints (C2SP tlog-cosignature, cosignature/v1).
enum class KeyType : unsigned char { Note = 0x01, Cosignature = 0x04 };

struct VerifierKey {
    std::string name;
    std::uint32_t key_id = 0;
    std::array<unsigned char, 32> public_key{};
    KeyType type = KeyType::Note;
};

std::uint32_t ed25519_key_id(std::string_view name, std::span<const unsigned char, 32> public_key,
                             KeyType type = KeyType::Note);
std::string format_verifier_key(const VerifierKey& key);
Result<VerifierKey> parse_verifier_key(std::string_view text);

class NoteSigner {
public:
    // A new key from libsodium's generator.
    static Result<NoteSigner> generate(std::string_view name);
    static Result<NoteSigner> parse(std::string_view signer_key);

    const VerifierKey& verifier() const { return verifier_; }
    // The same key as a cosigner's (C2SP tlog-cosignature: the key ID made with type 0x04).
    VerifierKey cosigner() const;
    // The private key as a signer key line (secret: never logged).
    std::string format() const;
    NoteSignature sign(std::string_view text) const;
    // The 64-byte Ed25519 signature of `message` as it is (for formats that build their own
    // signed message, such as cosignatures).
    std::string sign_message(std::string_view message) const;

private:
    NoteSigner() = default;
    VerifierKey verifier_;
    std::array<unsigned char, 32> seed_{};
    std::array<unsigned char, 64> secret_{};
};

// One signature line: "— <name> <base64(key ID || signature)>" and a newline.
std::string format_signature_line(const NoteSignature& signature);
// The note as text: its text, a blank line, its signature lines.
std::string format_note(const Note& note);

// Splits a signed note into its text and signatures, refusing what the specification forbids
// (not UTF-8, a control character other than newline, no signature, a malformed line) and notes
// longer than `max_bytes`.
Result<Note> parse_note(std::string_view text, std::size_t max_bytes = 1 << 16);

// The note's text when at least one signature by a key in `keys` verifies and none by those keys
// fails; a note signed only by unknown keys is refused. Only keys of type Note sign notes.
Result<std::string> open_note(const Note& note, std::span<const VerifierKey> keys);

}  // namespace sengen::tlog
