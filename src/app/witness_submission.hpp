// The registry's side of C2SP tlog-witness (issue 14 point 7, ADR 55): each checkpoint this node
// stores is submitted to every witness of the log-witnesses setting, and each cosignature that
// verifies with that witness's key is stored, so that /log/checkpoint serves it. Submissions run
// on a thread of their own: the log's signing never waits for a witness, and a witness that is
// slow or down only delays its own cosignature, until the next checkpoint.
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/periodic.hpp"
#include "app/transparency_log.hpp"
#include "tlog/note.hpp"

namespace sengen::app {

struct Witness {
    std::string url;        // its submission prefix: requests go to url + "/add-checkpoint"
    tlog::VerifierKey key;  // its cosigner key (KeyType::Cosignature)
};

struct WitnessReply {
    long status = 0;
    std::string body;
};

// Posts an add-checkpoint body to a witness's address and returns its answer, whatever its
// status; an error only when no answer came. main wires it to the HTTP client.
using WitnessPost = std::function<Result<WitnessReply>(const std::string& url, const std::string& body)>;

class WitnessSubmitter {
public:
    WitnessSubmitter(const TransparencyLog& log, std::vector<Witness> witnesses, WitnessPost post,
                     std::chrono::milliseconds every = std::chrono::milliseconds(200));

    // The checkpoint of `size` was stored by this node: submit it (soon, from the submitter's
    // thread). A later offer supersedes one not yet submitted.
    void offer(std::int64_t size);
    // Submits the checkpoint of `size` to every witness now, on the caller's thread; the number
    // of witnesses whose cosignature was stored.
    int submit(std::int64_t size);

    void start() { periodic_.start(); }
    void stop() { periodic_.stop(); }

private:
    // One witness: submits, and on 409 retries once from the size the witness names.
    bool submit_to(std::size_t i, const SignedCheckpoint& checkpoint, const std::string& text);

    const TransparencyLog& log_;
    std::vector<Witness> witnesses_;
    WitnessPost post_;
    // Per witness, the size it cosigned last as far as this node knows (other nodes submit too:
    // a 409 tells the true one).
    std::vector<std::int64_t> cosigned_;
    std::atomic<std::int64_t> offered_{-1};
    std::int64_t submitted_ = -1;
    Periodic periodic_;
};

}  // namespace sengen::app
