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

}  // namespace sengen::tlog
