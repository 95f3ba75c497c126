// Ed25519 cosignatures of checkpoints (see cosignature.hpp).
#include "tlog/cosignature.hpp"

#include <sodium.h>

namespace sengen::tlog {
namespace {

Error bad_cosignature(std::string detail) {
    return Error{Error::Kind::Invalid, "tlog.bad_cosignature", std::move(detail), {}};
}

}  // namespace

std::string cosigned_message(std::int64_t timestamp, std::string_view checkpoint_text) {
    std::string out = "cosignature/v1\ntime " + std::to_string(timestamp) + "\n";
    out += checkpoint_text;
    return out;
}

NoteSignature cosign(const NoteSigner& signer, std::string_view checkpoint_text, std::int64_t timestamp) {
    const VerifierKey key = signer.cosigner();
    std::string signature(8, '\0');
    for (int i = 0; i < 8; ++i)
        signature[static_cast<std::size_t>(i)] =
            static_cast<char>((static_cast<std::uint64_t>(timestamp) >> (56 - 8 * i)) & 0xFF);
    signature += signer.sign_message(cosigned_message(timestamp, checkpoint_text));
    return {key.name, key.key_id, std::move(signature)};
}

Result<std::int64_t> verify_cosignature(std::string_view checkpoint_text, const NoteSignature& signature,
                                        const VerifierKey& key) {
    if (key.type != KeyType::Cosignature) return fail(bad_cosignature("the key is not a cosigner's (type 0x04)"));
    if (signature.name != key.name || signature.key_id != key.key_id)
        return fail(bad_cosignature("the signature is not by this cosigner"));
    if (signature.signature.size() != 8 + crypto_sign_ed25519_BYTES)
        return fail(bad_cosignature("a cosignature is a timestamp and a 64-byte signature"));
    std::uint64_t t = 0;
    for (int i = 0; i < 8; ++i)
        t = (t << 8) | static_cast<unsigned char>(signature.signature[static_cast<std::size_t>(i)]);
    if (t == 0 || t > static_cast<std::uint64_t>(INT64_MAX))
        return fail(bad_cosignature("the timestamp is out of range"));
    const auto timestamp = static_cast<std::int64_t>(t);
    const std::string message = cosigned_message(timestamp, checkpoint_text);
    if (crypto_sign_ed25519_verify_detached(reinterpret_cast<const unsigned char*>(signature.signature.data()) + 8,
                                            reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                                            key.public_key.data()) != 0)
        return fail(bad_cosignature("the cosignature by " + key.name + " does not verify"));
    return timestamp;
}

Status require_cosignatures(const Note& note, std::span<const VerifierKey> witnesses, int required) {
    int cosigned = 0;
    for (const VerifierKey& witness : witnesses) {
        bool found = false;
        for (const NoteSignature& s : note.signatures) {
            if (s.name != witness.name || s.key_id != witness.key_id) continue;
            auto ok = verify_cosignature(note.text, s, witness);
            if (!ok) return fail(ok.error());
            found = true;
        }
        if (found) ++cosigned;
    }
    if (cosigned < required)
        return fail(Error{Error::Kind::Invalid,
                          "tlog.too_few_cosignatures",
                          std::to_string(cosigned) + " of the " + std::to_string(witnesses.size()) +
                              " given witnesses cosigned the checkpoint; " + std::to_string(required) + " are required",
                          {}});
    return {};
}

}  // namespace sengen::tlog
