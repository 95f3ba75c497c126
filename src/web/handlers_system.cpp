// Health, readiness and metrics endpoints for load balancers and monitoring.
#include "web/handlers.hpp"

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

Response metrics(Context& ctx) {
    Response r = plain(200, ctx.services.metrics.prometheus_text());
    r.set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    return r;
}

}  // namespace sengen::web::handlers
