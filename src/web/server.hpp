// The HTTP adapter: serves an App over RESTinio until SIGINT or SIGTERM, then lets requests in
// flight finish (up to the configured grace period) and returns.
#pragma once
#include <functional>

#include "config/config.hpp"
#include "web/app.hpp"

namespace sengen::web {

// Blocks until shut down. `on_listening` is called once the socket accepts connections.
// Returns 0 on a clean shutdown, 1 when the address could not be bound.
int serve(const config::Config& config, App& app, const std::function<void()>& on_listening = {});

}  // namespace sengen::web
