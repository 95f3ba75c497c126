// HTTP GET through libcurl (see http_get.hpp).
#include "net/http_get.hpp"

#include <curl/curl.h>

#include <memory>

#include "net/curl_init.hpp"

namespace sengen::net {
namespace {

struct Sink {
    std::string body;
    std::size_t max_bytes = 0;
    bool too_big = false;
};

std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<Sink*>(user);
    const std::size_t n = size * count;
    if (sink->body.size() + n > sink->max_bytes) {
        sink->too_big = true;
        return 0;  // libcurl stops the transfer
    }
    sink->body.append(data, n);
    return n;
}

Error fetch_error(const std::string& url, const std::string& what) {
    return Error{Error::Kind::Unavailable, "net.fetch", url + ": " + what, {}};
}

}  // namespace

Result<std::string> http_get(const std::string& url, const GetLimits& limits) {
    init_curl_once();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
    if (!curl) return fail(fetch_error(url, "libcurl could not start"));
    Sink sink;
    sink.max_bytes = limits.max_bytes;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, static_cast<long>(limits.timeout.count()));
    curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "sengen/" SENGEN_VERSION);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &sink);
    const CURLcode rc = curl_easy_perform(curl.get());
    if (sink.too_big)
        return fail(fetch_error(url, "the answer is longer than " + std::to_string(limits.max_bytes) + " bytes"));
    if (rc != CURLE_OK) return fail(fetch_error(url, curl_easy_strerror(rc)));
    long status = 0;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return fail(fetch_error(url, "answered " + std::to_string(status)));
    return std::move(sink.body);
}

}  // namespace sengen::net
