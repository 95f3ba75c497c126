// Fuzz target: reading a cookie from the Cookie header(s) (Request::cookie). The input is "name
// NUL header value", where the header value may itself hold several Cookie headers separated by
// newlines. A cookie that is found was named in the header as "name=" at the start of an item; a
// value written by Cookie::render (session and language cookies) reads back as it was written.
#include <string>

#include "fuzz_check.hpp"
#include "web/http.hpp"

namespace {

using namespace sengen::web;

Request with_cookie_headers(std::string_view values) {
    Request req;
    req.headers.emplace_back("host", "example.test");
    std::size_t start = 0;
    while (start <= values.size()) {
        const auto nl = values.find('\n', start);
        req.headers.emplace_back("cookie", std::string(values.substr(start, nl - start)));
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
    return req;
}

// The characters of a cookie-octet (RFC 6265 §4.1.1), which is what the session and language
// cookies hold.
bool cookie_octet(unsigned char c) {
    return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) || (c >= 0x3C && c <= 0x5B) ||
           (c >= 0x5D && c <= 0x7E);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [name, values] = sengen::fuzz::split_at_nul(sengen::fuzz::as_text(data, size));
    const Request req = with_cookie_headers(values);
    if (auto v = req.cookie(name)) {
        FUZZ_CHECK(values.find(std::string(name) + "=") != std::string_view::npos);
        FUZZ_CHECK(v->size() <= values.size());
    }

    // A cookie as the server sets it, put in front of the fuzzed ones, is read back first.
    bool simple = !name.empty();
    for (unsigned char c : name) simple = simple && cookie_octet(c) && c != '=';
    if (!simple) return 0;
    std::string value;
    for (unsigned char c : values)
        if (cookie_octet(c) && value.size() < 64) value += static_cast<char>(c);
    Cookie set;
    set.name = std::string(name);
    set.value = value;
    const std::string rendered = set.render();
    const std::string sent = rendered.substr(0, rendered.find(';'));  // what a browser sends back
    Request back = with_cookie_headers(sent + "; " + std::string(values.substr(0, values.find('\n'))));
    FUZZ_CHECK(back.cookie(name) == value);
    return 0;
}
