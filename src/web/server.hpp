// The HTTP adapter: serves an App over RESTinio until SIGINT or SIGTERM, then lets requests in
// flight finish (up to the configured grace period) and returns. SIGHUP asks for content to be
// read again (the hook on_hangup), without stopping anything.
#pragma once
#include <functional>

#include "config/config.hpp"
#include "web/app.hpp"

namespace sengen::web {

struct ServeHooks {
    std::function<void()> on_listening;  // once the socket accepts connections
    // On each SIGHUP once the server listens, run on the render pool's threads so that no event
    // loop waits for it.
    std::function<void()> on_hangup;
};

// Whether tls-cert and tls-key (when set) can be read and belong together: the error names the
// setting. serve checks again; main calls this first, so that a bad file stops the start early.
Status check_tls(const config::Config& config);

// Blocks until shut down. Returns 0 on a clean shutdown, 1 when the address could not be bound
// or the TLS files (tls-cert, tls-key) cannot be used. With them, speaks only HTTPS (ADR 54).
int serve(const config::Config& config, App& app, const ServeHooks& hooks = {});

// A small service on one event loop (the witness): every request goes to `handler` on the loop's
// thread, with the listener, limits and shutdown of `serve`. For handlers that answer quickly.
int serve_handler(const config::Config& config, const std::function<Response(const Request&)>& handler,
                  const ServeHooks& hooks = {});

}  // namespace sengen::web
