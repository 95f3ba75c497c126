// Checkpoints as C2SP tlog-checkpoint specifies them: the text of a signed note whose lines are
// the log's origin, the tree size in decimal and the root hash in base64, then optional
// extension lines (sengen writes none).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "tlog/merkle.hpp"

namespace sengen::tlog {

struct Checkpoint {
    std::string origin;
    std::int64_t size = 0;
    Hash root{};
    std::vector<std::string> extensions;
};

std::string checkpoint_text(const Checkpoint& checkpoint);

// Refuses a text that is not exactly a checkpoint: an empty origin, a size with a sign or a
// leading zero, a root that is not 32 bytes of standard base64, an empty extension line.
Result<Checkpoint> parse_checkpoint(std::string_view text);

}  // namespace sengen::tlog
