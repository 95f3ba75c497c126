// Cosignatures as C2SP tlog-cosignature specifies them, of the Ed25519 type (cosignature/v1): a
// witness's note signature on a checkpoint, stating that at a given time this was the largest
// tree it had seen of the log and that it was consistent with what it saw before. The signature
// is the key ID, an 8-byte big-endian timestamp and the Ed25519 signature of
//
//   cosignature/v1
//   time <timestamp>
//   <the checkpoint's text>
//
// The key ID is made with type 0x04 (note.hpp, KeyType::Cosignature). The specification advises
// ML-DSA-44 for new witnesses; libsodium has no ML-DSA, so sengen's witness signs with Ed25519,
// which every client of the specification must accept.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "tlog/note.hpp"

namespace sengen::tlog {

// The message a cosignature signs.
std::string cosigned_message(std::int64_t timestamp, std::string_view checkpoint_text);

// `signer`'s cosignature, made at `timestamp` (POSIX seconds, above zero), on the checkpoint whose
// note text is `checkpoint_text`.
NoteSignature cosign(const NoteSigner& signer, std::string_view checkpoint_text, std::int64_t timestamp);

// The timestamp of `signature` when it is a valid cosignature by `key` (of type Cosignature) on
// `checkpoint_text`; an error saying why otherwise.
Result<std::int64_t> verify_cosignature(std::string_view checkpoint_text, const NoteSignature& signature,
                                        const VerifierKey& key);

// A verifier's witness policy: the checkpoint `note` must carry valid cosignatures by at least
// `required` of `witnesses` (k of n). Signatures by other keys are ignored; a line that names a
// given witness but does not verify is refused, as signed-note requires. Invalid
// "tlog.too_few_cosignatures" says how many of how many cosigned.
Status require_cosignatures(const Note& note, std::span<const VerifierKey> witnesses, int required);

}  // namespace sengen::tlog
