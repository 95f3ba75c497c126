// A witness of transparency logs as C2SP tlog-witness specifies it, as pure logic: the
// add-checkpoint request a log sends (its checkpoint, the size of the one the witness cosigned
// last and a consistency proof between them), and the answer: a cosignature when the new
// checkpoint is signed by the log's key and consistent with what the witness saw before, or the
// status the specification gives for each failure. Keeping the witness's state, and doing the
// check and the update as one step, is the caller's (storage/witness_state.hpp).
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note.hpp"

namespace sengen::tlog {

struct AddCheckpoint {
    std::int64_t old_size = 0;
    std::vector<Hash> proof;
    std::string checkpoint;  // the signed note, as sent
};

// Reads an add-checkpoint body: "old <size>" (no leading zero), at most 63 lines of one base64
// hash each, an empty line, then the signed checkpoint. Invalid ("tlog.witness.bad_request")
// when it is anything else.
Result<AddCheckpoint> parse_add_checkpoint(std::string_view body);

// The checkpoint's origin line as sent (nothing is verified yet): what the witness looks its
// keys and its state up by.
std::optional<std::string> claimed_origin(const AddCheckpoint& request);

struct WitnessAnswer {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    // On 200: the checkpoint's text, to keep as the latest cosigned for its origin.
    std::optional<std::string> keep;
};

// The answer to `request`. `log_keys` are the keys the witness trusts for the claimed origin
// (empty: the origin is unknown, 404); `latest` is the checkpoint text it cosigned last for that
// origin (nullopt: never); `witness` cosigns at `now` (POSIX seconds).
WitnessAnswer add_checkpoint(const AddCheckpoint& request, std::span<const VerifierKey> log_keys,
                             const std::optional<std::string>& latest, const NoteSigner& witness, std::int64_t now);

// The log's side of the protocol: what it sends and what it reads back.

// The body of an add-checkpoint request: what parse_add_checkpoint reads.
std::string format_add_checkpoint(const AddCheckpoint& request);

// The cosignature by `witness` (a key of type Cosignature) in a witness's 200 answer to the
// submission of the checkpoint whose note text is `checkpoint_text`: the first line by that key
// that verifies. Invalid "tlog.witness.bad_answer" when there is none or the answer is not
// signature lines.
Result<NoteSignature> cosignature_in_answer(std::string_view answer, std::string_view checkpoint_text,
                                            const VerifierKey& witness);

// The size a 409 answer (text/x.tlog.size) gives: the one the witness cosigned last; nullopt when
// the body is not a decimal size and an optional newline.
std::optional<std::int64_t> size_in_conflict(std::string_view answer);

}  // namespace sengen::tlog
