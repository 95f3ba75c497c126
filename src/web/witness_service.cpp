// The witness's HTTP handler (see witness_service.hpp).
#include "web/witness_service.hpp"

#include <spdlog/spdlog.h>

#include "tlog/witness.hpp"

namespace sengen::web {
namespace {

// An add-checkpoint body holds at most 63 proof lines and a checkpoint with its signatures.
constexpr std::size_t kMaxBody = std::size_t{64} * 1024;

Response text(int status, std::string body, std::string type = "text/plain; charset=utf-8") {
    Response r;
    r.status = status;
    r.body = std::move(body);
    r.set("Content-Type", std::move(type));
    r.set("Cache-Control", "no-store");
    r.set("X-Content-Type-Options", "nosniff");
    return r;
}

}  // namespace

Response WitnessService::handle(const Request& req) {
    if (req.path == "/add-checkpoint") {
        if (req.method != Method::Post) return text(405, "POST only\n").set("Allow", "POST");
        return add_checkpoint(req);
    }
    if (req.method != Method::Get && req.method != Method::Head)
        return text(405, "GET only\n").set("Allow", "GET, HEAD");
    if (req.path == "/healthz") return text(200, "ok\n");
    if (req.path == "/") {
        std::string body = "sengen witness (C2SP tlog-witness; Ed25519 cosignatures, cosignature/v1)\n";
        body += "cosigner key: " + tlog::format_verifier_key(key_.cosigner()) + "\n";
        for (const auto& log : logs_) body += "witnesses: " + log.name + "\n";
        return text(200, std::move(body));
    }
    return text(404, "not found\n");
}

Response WitnessService::add_checkpoint(const Request& req) {
    if (req.body.size() > kMaxBody) return text(413, "the body is too long\n");
    auto request = tlog::parse_add_checkpoint(req.body);
    if (!request) return text(400, request.error().detail + "\n");
    const auto origin = tlog::claimed_origin(*request);
    if (!origin) return text(400, "the checkpoint has no origin line\n");
    std::vector<tlog::VerifierKey> keys;
    for (const auto& k : logs_)
        if (k.name == *origin) keys.push_back(k);
    const auto now = unix_seconds(clock_.now());
    auto answer = state_.update(*origin, [&](const std::optional<std::string>& latest) {
        return tlog::add_checkpoint(*request, keys, latest, key_, now);
    });
    if (!answer) {
        spdlog::error("witness: {} {}", answer.error().code, answer.error().detail);
        return text(503, "the witness cannot keep its record now; try again later\n");
    }
    if (auto kept = answer->keep ? tlog::parse_checkpoint(*answer->keep) : Result<tlog::Checkpoint>();
        answer->keep && kept)
        spdlog::info("witness: cosigned {} at size {}", *origin, kept->size);
    else
        spdlog::info("witness: {} for {} ({})", answer->status, *origin, answer->body.substr(0, 120));
    return text(answer->status, std::move(answer->body), std::move(answer->content_type));
}

}  // namespace sengen::web
