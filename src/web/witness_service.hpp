// The HTTP face of `sengen witness serve` (C2SP tlog-witness): POST /add-checkpoint, with
// GET / saying which witness this is and GET /healthz for a load balancer. Thin: the rules are in
// tlog/witness.hpp, the record in storage/witness_state.hpp.
#pragma once
#include <vector>

#include "domain/clock.hpp"
#include "storage/witness_state.hpp"
#include "tlog/note.hpp"
#include "web/http.hpp"

namespace sengen::web {

class WitnessService {
public:
    WitnessService(const tlog::NoteSigner& key, std::vector<tlog::VerifierKey> logs, storage::WitnessState& state,
                   const Clock& clock)
        : key_(key), logs_(std::move(logs)), state_(state), clock_(clock) {}
    Response handle(const Request& req);

private:
    Response add_checkpoint(const Request& req);
    const tlog::NoteSigner& key_;
    std::vector<tlog::VerifierKey> logs_;
    storage::WitnessState& state_;
    const Clock& clock_;
};

}  // namespace sengen::web
