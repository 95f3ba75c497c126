// HTTP through libcurl (see http_client.hpp).
#include "net/http_client.hpp"

#include <curl/curl.h>

#include <memory>
#include <optional>

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

struct Post {
    std::string_view body;
    const std::string* content_type = nullptr;
};

// One request to `url`, a GET or (with `post`) a POST, and its answer whatever its status.
Result<HttpAnswer> transfer(const std::string& url, const HttpLimits& limits, const std::optional<Post>& post) {
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
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr, &curl_slist_free_all);
    if (post) {
        headers.reset(curl_slist_append(nullptr, ("Content-Type: " + *post->content_type).c_str()));
        curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
        // Never a null pointer: libcurl would then read the body from a callback.
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post->body.empty() ? "" : post->body.data());
        curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post->body.size()));
    }
    const CURLcode rc = curl_easy_perform(curl.get());
    if (sink.too_big)
        return fail(fetch_error(url, "the answer is longer than " + std::to_string(limits.max_bytes) + " bytes"));
    if (rc != CURLE_OK) return fail(fetch_error(url, curl_easy_strerror(rc)));
    HttpAnswer answer;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &answer.status);
    answer.body = std::move(sink.body);
    return answer;
}

}  // namespace

Result<std::string> http_get(const std::string& url, const HttpLimits& limits) {
    auto answer = transfer(url, limits, std::nullopt);
    if (!answer) return fail(answer.error());
    if (answer->status != 200) return fail(fetch_error(url, "answered " + std::to_string(answer->status)));
    return std::move(answer->body);
}

Result<HttpAnswer> http_post(const std::string& url, std::string_view body, const std::string& content_type,
                             const HttpLimits& limits) {
    return transfer(url, limits, Post{body, &content_type});
}

}  // namespace sengen::net
