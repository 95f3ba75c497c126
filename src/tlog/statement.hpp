// A signed statement and what a verifier needs to check it offline (issue 14, points 4 and 5):
// the statement (a signed note whose text is the declaration's latest log entry), the entry's
// leaf index, its inclusion proof, and the signed checkpoint the proof leads to. As JSON:
//
//   {"statement": "<signed note>", "leaf_index": 41,
//    "inclusion_proof": ["<base64 hash>", ...], "checkpoint": "<signed note>",
//    "record_salt": "<base64>"}
//
// record_salt is the declaration's record salt (entry.hpp), there while the declaration is
// public: with the public record (GET /api/v1/declarations/{id}) it gives the entry's `record`.
// A bundle without it is still a bundle: the salt is not part of what verify_statement checks.
//
// verify_statement checks all of it against the log's verifier keys with no network.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "tlog/checkpoint.hpp"
#include "tlog/entry.hpp"
#include "tlog/merkle.hpp"
#include "tlog/note.hpp"

namespace sengen::tlog {

struct StatementBundle {
    std::string statement;
    std::int64_t leaf_index = 0;
    std::vector<Hash> inclusion_proof;
    std::string checkpoint;
    std::string record_salt;  // base64; empty: none (not written)
};

std::string bundle_json(const StatementBundle& bundle);
// Refuses JSON that is not exactly a bundle (a missing or mistyped member, a hash that is not 32
// bytes of base64) and files larger than `max_bytes`.
Result<StatementBundle> parse_bundle_json(std::string_view json, std::size_t max_bytes = 1 << 20);

struct VerifiedStatement {
    LogEntry entry;
    Checkpoint checkpoint;
    std::int64_t leaf_index = 0;
};

// The checkpoint's and the statement's signatures by one of `keys`, the statement's entry from
// the checkpoint's log, and the entry's inclusion at leaf_index in the checkpoint's tree.
// Error::detail says which step failed, in a sentence.
Result<VerifiedStatement> verify_statement(const StatementBundle& bundle, std::span<const VerifierKey> keys);

}  // namespace sengen::tlog
