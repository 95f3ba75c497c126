// C2SP signed notes with Ed25519 keys (see note.hpp).
#include "tlog/note.hpp"

#include <algorithm>
#include <cstring>

#include <sodium.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "domain/text.hpp"
#include "tlog/encoding.hpp"

namespace sengen::tlog {
namespace {

constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 EM DASH, then a space
constexpr std::string_view kPrivatePrefix = "PRIVATE+KEY+";

Error bad_key(std::string detail) { return Error{Error::Kind::Invalid, "tlog.bad_key", std::move(detail), {}}; }

Error bad_note(std::string detail) { return Error{Error::Kind::Invalid, "tlog.bad_note", std::move(detail), {}}; }

std::string hex32(std::uint32_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(8, '0');
    for (int i = 7; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = digits[v & 0xF];
    return out;
}

std::optional<std::uint32_t> parse_hex32(std::string_view s) {
    if (s.size() != 8) return std::nullopt;
    std::uint32_t v = 0;
    for (const char c : s) {
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= static_cast<std::uint32_t>(c - 'a' + 10);
        else
            return std::nullopt;
    }
    return v;
}

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]};
}

// "<name>+<hex id>+<base64(type || 32 bytes)>": the name, the ID, the 32 key bytes and the type.
struct KeyParts {
    std::string name;
    std::uint32_t key_id;
    std::array<unsigned char, 32> bytes;
    KeyType type;
};

Result<KeyParts> split_key(std::string_view text) {
    // The name holds no '+' and the ID none; the base64 after them may.
    const auto middle = text.find('+');
    if (middle == std::string_view::npos) return fail(bad_key("a key has three parts joined by '+'"));
    const auto last = text.find('+', middle + 1);
    if (last == std::string_view::npos) return fail(bad_key("a key has three parts joined by '+'"));
    KeyParts parts{std::string(text.substr(0, middle)), 0, {}, KeyType::Note};
    if (!valid_key_name(parts.name)) return fail(bad_key("the key name is empty or holds a space or '+'"));
    const auto id = parse_hex32(text.substr(middle + 1, last - middle - 1));
    if (!id) return fail(bad_key("the key ID is not 8 lowercase hex digits"));
    parts.key_id = *id;
    const auto raw = unbase64(text.substr(last + 1));
    const auto type = raw && !raw->empty() ? static_cast<unsigned char>((*raw)[0]) : 0;
    if (!raw || raw->size() != 33 ||
        (type != static_cast<unsigned char>(KeyType::Note) && type != static_cast<unsigned char>(KeyType::Cosignature)))
        return fail(
            bad_key("the key is not an Ed25519 key (type 0x01, or 0x04 for a cosigner, and 32 bytes, in base64)"));
    parts.type = static_cast<KeyType>(type);
    std::memcpy(parts.bytes.data(), raw->data() + 1, 32);
    return parts;
}

}  // namespace

bool valid_key_name(std::string_view name) {
    if (name.empty() || !text::valid_utf8(name)) return false;
    std::int32_t i = 0;
    const auto length = static_cast<std::int32_t>(name.size());
    while (i < length) {
        UChar32 c = 0;
        U8_NEXT(name.data(), i, length, c);
        if (c < 0 || c == '+' || c < 0x21 || c == 0x7F || u_isUWhiteSpace(c) || u_iscntrl(c)) return false;
    }
    return true;
}

std::uint32_t ed25519_key_id(std::string_view name, std::span<const unsigned char, 32> public_key, KeyType type) {
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(name.data()), name.size());
    const std::array<unsigned char, 2> separator{0x0A, static_cast<unsigned char>(type)};
    crypto_hash_sha256_update(&st, separator.data(), separator.size());
    crypto_hash_sha256_update(&st, public_key.data(), public_key.size());
    std::array<unsigned char, 32> digest{};
    crypto_hash_sha256_final(&st, digest.data());
    return be32(digest.data());
}

std::string format_verifier_key(const VerifierKey& key) {
    std::array<unsigned char, 33> raw{};
    raw[0] = static_cast<unsigned char>(key.type);
    std::memcpy(raw.data() + 1, key.public_key.data(), 32);
    return key.name + "+" + hex32(key.key_id) + "+" + base64(raw);
}

Result<VerifierKey> parse_verifier_key(std::string_view text) {
    auto parts = split_key(text);
    if (!parts) return fail(parts.error());
    VerifierKey key{std::move(parts->name), parts->key_id, parts->bytes, parts->type};
    if (ed25519_key_id(key.name, key.public_key, key.type) != key.key_id)
        return fail(bad_key("the key ID does not match the name and the key"));
    return key;
}

Result<NoteSigner> NoteSigner::generate(std::string_view name) {
    if (!valid_key_name(name)) return fail(bad_key("the key name is empty or holds a space or '+'"));
    if (sodium_init() < 0) return fail(Error::unavailable("tlog.no_sodium", "libsodium did not start"));
    NoteSigner s;
    randombytes_buf(s.seed_.data(), s.seed_.size());
    s.verifier_.name = std::string(name);
    crypto_sign_ed25519_seed_keypair(s.verifier_.public_key.data(), s.secret_.data(), s.seed_.data());
    s.verifier_.key_id = ed25519_key_id(s.verifier_.name, s.verifier_.public_key);
    return s;
}

Result<NoteSigner> NoteSigner::parse(std::string_view signer_key) {
    if (!signer_key.starts_with(kPrivatePrefix)) return fail(bad_key("a signer key starts with PRIVATE+KEY+"));
    auto parts = split_key(signer_key.substr(kPrivatePrefix.size()));
    if (!parts) return fail(parts.error());
    if (parts->type != KeyType::Note) return fail(bad_key("a signer key holds an Ed25519 seed of type 0x01"));
    NoteSigner s;
    s.seed_ = parts->bytes;
    s.verifier_.name = std::move(parts->name);
    crypto_sign_ed25519_seed_keypair(s.verifier_.public_key.data(), s.secret_.data(), s.seed_.data());
    s.verifier_.key_id = ed25519_key_id(s.verifier_.name, s.verifier_.public_key);
    if (s.verifier_.key_id != parts->key_id) return fail(bad_key("the key ID does not match the name and the key"));
    return s;
}

std::string NoteSigner::format() const {
    std::array<unsigned char, 33> raw{};
    raw[0] = static_cast<unsigned char>(KeyType::Note);
    std::memcpy(raw.data() + 1, seed_.data(), 32);
    std::string out = std::string(kPrivatePrefix) + verifier_.name + "+" + hex32(verifier_.key_id) + "+" + base64(raw);
    sodium_memzero(raw.data(), raw.size());
    return out;
}

VerifierKey NoteSigner::cosigner() const {
    VerifierKey key = verifier_;
    key.type = KeyType::Cosignature;
    key.key_id = ed25519_key_id(key.name, key.public_key, key.type);
    return key;
}

std::string NoteSigner::sign_message(std::string_view message) const {
    std::array<unsigned char, crypto_sign_ed25519_BYTES> sig{};
    crypto_sign_ed25519_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                                 message.size(), secret_.data());
    return {reinterpret_cast<const char*>(sig.data()), sig.size()};
}

NoteSignature NoteSigner::sign(std::string_view text) const {
    return {verifier_.name, verifier_.key_id, sign_message(text)};
}

std::string format_signature_line(const NoteSignature& s) {
    std::string raw(4, '\0');
    for (int i = 0; i < 4; ++i) raw[static_cast<std::size_t>(i)] = static_cast<char>((s.key_id >> (24 - 8 * i)) & 0xFF);
    raw += s.signature;
    std::string out(kDash);
    out += s.name;
    out += ' ';
    out += base64({reinterpret_cast<const unsigned char*>(raw.data()), raw.size()});
    out += '\n';
    return out;
}

std::string format_note(const Note& note) {
    std::string out = note.text;
    out += '\n';
    for (const NoteSignature& s : note.signatures) out += format_signature_line(s);
    return out;
}

Result<Note> parse_note(std::string_view text, std::size_t max_bytes) {
    if (text.size() > max_bytes) return fail(bad_note("the note is longer than allowed"));
    if (!text::valid_utf8(text)) return fail(bad_note("the note is not UTF-8"));
    if (std::any_of(text.begin(), text.end(), [](char c) {
            const auto u = static_cast<unsigned char>(c);
            return (u < 0x20 && c != '\n') || u == 0x7F;
        }))
        return fail(bad_note("the note holds a control character other than newline"));
    if (!text.ends_with('\n')) return fail(bad_note("the note does not end in a newline"));
    // The text ends at the last blank line; everything after it is signatures.
    const auto blank = text.rfind("\n\n");
    if (blank == std::string_view::npos) return fail(bad_note("the note has no signatures"));
    Note note{std::string(text.substr(0, blank + 1)), {}};
    std::string_view rest = text.substr(blank + 2);
    if (rest.empty()) return fail(bad_note("the note has no signatures"));
    while (!rest.empty()) {
        const auto eol = rest.find('\n');
        std::string_view line = rest.substr(0, eol);
        rest.remove_prefix(eol + 1);
        if (!line.starts_with(kDash)) return fail(bad_note("a signature line does not start with an em dash"));
        line.remove_prefix(kDash.size());
        const auto space = line.find(' ');
        if (space == std::string_view::npos) return fail(bad_note("a signature line has no signature"));
        NoteSignature s{std::string(line.substr(0, space)), 0, {}};
        if (!valid_key_name(s.name)) return fail(bad_note("a signature names an invalid key"));
        const auto raw = unbase64(line.substr(space + 1));
        if (!raw || raw->size() < 5) return fail(bad_note("a signature is not base64 of a key ID and a signature"));
        s.key_id = be32(reinterpret_cast<const unsigned char*>(raw->data()));
        s.signature = raw->substr(4);
        note.signatures.push_back(std::move(s));
    }
    return note;
}

Result<std::string> open_note(const Note& note, std::span<const VerifierKey> keys) {
    bool verified = false;
    for (const NoteSignature& s : note.signatures) {
        const auto key = std::find_if(keys.begin(), keys.end(), [&](const VerifierKey& k) {
            return k.type == KeyType::Note && k.name == s.name && k.key_id == s.key_id;
        });
        if (key == keys.end()) continue;  // someone else's signature: ignored
        if (s.signature.size() != crypto_sign_ed25519_BYTES ||
            crypto_sign_ed25519_verify_detached(reinterpret_cast<const unsigned char*>(s.signature.data()),
                                                reinterpret_cast<const unsigned char*>(note.text.data()),
                                                note.text.size(), key->public_key.data()) != 0)
            return fail(bad_note("the signature by " + s.name + " does not verify"));
        verified = true;
    }
    if (!verified) return fail(bad_note("no signature by a known key"));
    return note.text;
}

}  // namespace sengen::tlog
