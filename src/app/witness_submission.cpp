// Submitting checkpoints to witnesses (see witness_submission.hpp; ADR 55).
#include "app/witness_submission.hpp"

#include <spdlog/spdlog.h>

#include "tlog/witness.hpp"

namespace sengen::app {
namespace {

// The first line of a witness's answer, bounded: enough to say why it refused, never a flood.
std::string first_line_of(const std::string& body) {
    std::string line = body.substr(0, body.find('\n'));
    if (line.size() > 200) line.resize(200);
    for (char& c : line)
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    return line;
}

}  // namespace

WitnessSubmitter::WitnessSubmitter(const TransparencyLog& log, std::vector<Witness> witnesses, WitnessPost post,
                                   std::chrono::milliseconds every)
    : log_(log),
      witnesses_(std::move(witnesses)),
      post_(std::move(post)),
      cosigned_(witnesses_.size(), 0),
      periodic_(every, [this] {
          const std::int64_t size = offered_.load();
          if (size > submitted_) {
              submit(size);
              submitted_ = size;
          }
      }) {}

void WitnessSubmitter::offer(std::int64_t size) {
    std::int64_t seen = offered_.load();
    while (size > seen && !offered_.compare_exchange_weak(seen, size)) {
    }
}

int WitnessSubmitter::submit(std::int64_t size) {
    auto checkpoint = log_.checkpoint_of(size);
    if (!checkpoint || !*checkpoint) {
        spdlog::warn("witnesses: the checkpoint of size {} cannot be read", size);
        return 0;
    }
    auto note = tlog::parse_note((*checkpoint)->note);
    if (!note) {
        spdlog::warn("witnesses: the stored checkpoint of size {} is not a signed note", size);
        return 0;
    }
    int cosigned = 0;
    for (std::size_t i = 0; i < witnesses_.size(); ++i)
        if (submit_to(i, **checkpoint, note->text)) ++cosigned;
    return cosigned;
}

bool WitnessSubmitter::submit_to(std::size_t i, const SignedCheckpoint& checkpoint, const std::string& text) {
    const Witness& w = witnesses_[i];
    for (int attempt = 0; attempt < 2; ++attempt) {
        const std::int64_t old_size = cosigned_[i];
        if (old_size > checkpoint.size) return false;  // it has cosigned a newer one already
        tlog::AddCheckpoint request{old_size, {}, checkpoint.note};
        if (old_size > 0) {
            auto proof = log_.consistency_proof(old_size, checkpoint.size);
            if (!proof) {
                spdlog::warn("witness {}: no consistency proof from size {}: {}", w.key.name, old_size,
                             proof.error().code);
                return false;
            }
            request.proof = std::move(*proof);
        }
        auto reply = post_(w.url + "/add-checkpoint", tlog::format_add_checkpoint(request));
        if (!reply) {
            spdlog::warn("witness {}: checkpoint of size {} not submitted: {}", w.key.name, checkpoint.size,
                         reply.error().detail);
            return false;
        }
        if (reply->status == 409) {
            // Another node (or this one before a restart) brought the witness further: it says
            // where it stands, and the submission is made again from there.
            const auto known = tlog::size_in_conflict(reply->body);
            if (!known) {
                spdlog::warn("witness {}: answered 409 without a size", w.key.name);
                return false;
            }
            cosigned_[i] = *known;
            continue;
        }
        if (reply->status != 200) {
            spdlog::warn("witness {}: refused the checkpoint of size {} ({}): {}", w.key.name, checkpoint.size,
                         reply->status, first_line_of(reply->body));
            return false;
        }
        auto signature = tlog::cosignature_in_answer(reply->body, text, w.key);
        if (!signature) {
            spdlog::warn("witness {}: {}", w.key.name, signature.error().detail);
            return false;
        }
        cosigned_[i] = checkpoint.size;
        auto stored = log_.add_cosignature({checkpoint.size, tlog::format_verifier_key(w.key),
                                            tlog::format_signature_line(*signature), log_.clock().now()});
        if (!stored) {
            spdlog::warn("witness {}: its cosignature could not be stored: {}", w.key.name, stored.error().code);
            return false;
        }
        spdlog::debug("witness {}: cosigned the checkpoint of size {}", w.key.name, checkpoint.size);
        return true;
    }
    spdlog::warn("witness {}: still at another size after a retry; the next checkpoint tries again", w.key.name);
    return false;
}

}  // namespace sengen::app
