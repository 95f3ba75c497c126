// Health, readiness and metrics endpoints for load balancers and monitoring.
#include "web/handlers.hpp"

#include "domain/ip_network.hpp"
#include "web/errors.hpp"
#include "web/security.hpp"

namespace sengen::web::handlers {

namespace {
Response plain(int status, std::string body) {
    return make_response(status, "text/plain; charset=utf-8", std::move(body));
}
}  // namespace

Response healthz(Context&) { return plain(200, "ok\n"); }

Response readyz(Context& ctx) {
    if (auto ok = ctx.services.readiness.check(); !ok) return plain(503, "database unavailable\n");
    return plain(200, "ready\n");
}

namespace {

// Whether this request may read the metrics (ADR 43). With `metrics-token` set: whoever sends it
// as a bearer token. Without: only a scraper on this machine. A request that a proxy forwarded
// (X-Forwarded-For or Forwarded) is a visitor's, whatever the proxy's own address, so a proxy on
// the same machine does not open /metrics to the world.
bool may_read_metrics(const Context& ctx) {
    const auto& token = ctx.services.config.metrics_token;
    if (!token.empty()) {
        const auto sent = ctx.req.header("authorization");
        return sent && same_secret(*sent, "Bearer " + token);
    }
    const auto peer = IpAddress::parse(ctx.req.remote_ip);  // an IPv4-mapped address reads as IPv4
    const bool loopback = peer && (peer->v6 ? peer->text() == "::1" : peer->bytes[0] == 127);
    return loopback && !ctx.req.header("x-forwarded-for") && !ctx.req.header("forwarded");
}

}  // namespace

Response metrics(Context& ctx) {
    if (!may_read_metrics(ctx)) {
        // Answered as an address that does not exist, so that nobody learns it is there.
        log_refusal(ctx, "access.refused", {"what", "metrics"});
        return status_response(ctx, 404);
    }
    Response r = plain(200, ctx.services.metrics.prometheus_text());
    r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
}

}  // namespace sengen::web::handlers
