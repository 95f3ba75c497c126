// HTTP as a client (`sengen log monitor` reading a registry's log, `serve` submitting checkpoints
// to the witnesses named in log-witnesses): libcurl, with a bound on the answer's size and on the
// time it takes, no redirects followed, and TLS certificates verified.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "domain/error.hpp"

namespace sengen::net {

struct HttpLimits {
    std::size_t max_bytes = std::size_t{32} << 20;
    std::chrono::seconds timeout{30};
};

// The body of `url` when it answers 200. Errors have the code "net.fetch" and a detail naming
// the URL and what went wrong (no connection, a status, an answer over `max_bytes`).
Result<std::string> http_get(const std::string& url, const HttpLimits& limits = {});

struct HttpAnswer {
    long status = 0;
    std::string body;
};

// POSTs `body` as `content_type` to `url` and returns the answer, whatever its status. Errors
// ("net.fetch") only when no answer came: no connection, a timeout, an answer over `max_bytes`.
Result<HttpAnswer> http_post(const std::string& url, std::string_view body, const std::string& content_type,
                             const HttpLimits& limits = {});

}  // namespace sengen::net
