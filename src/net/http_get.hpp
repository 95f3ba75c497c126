// HTTP GET as an outside client of a sengen registry (`sengen log monitor`): libcurl, with a
// bound on the answer's size and on the time it takes, no redirects followed, and an answer
// other than 200 turned into an error that says what came back.
#pragma once
#include <chrono>
#include <cstddef>
#include <string>

#include "domain/error.hpp"

namespace sengen::net {

struct GetLimits {
    std::size_t max_bytes = std::size_t{32} << 20;
    std::chrono::seconds timeout{30};
};

// The body of `url` when it answers 200. Errors have the code "net.fetch" and a detail naming
// the URL and what went wrong (no connection, a status, an answer over `max_bytes`).
Result<std::string> http_get(const std::string& url, const GetLimits& limits = {});

}  // namespace sengen::net
