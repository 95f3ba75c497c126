// Fuzz target: percent-decoding and application/x-www-form-urlencoded, as the query string and
// every posted form are read (web/http.hpp), and the checks on a "next" path and on a numeric path
// segment. Encoding then decoding gives back any bytes; parsed parameters, encoded again, parse to
// themselves; a "next" that is kept stays on this site.
#include <string>

#include "fuzz_check.hpp"
#include "web/http.hpp"

namespace {

using namespace sengen::web;

bool unreserved(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
           c == '.' || c == '~';
}

void check_round_trip(std::string_view s) {
    const std::string encoded = url_encode(s);
    for (unsigned char c : encoded) FUZZ_CHECK(unreserved(c) || c == '%');
    FUZZ_CHECK(url_decode(encoded, Plus::Space) == s);
    FUZZ_CHECK(url_decode(encoded, Plus::Literal) == s);
}

void check_params(std::string_view s) {
    const Params params = parse_urlencoded(s);
    std::string again;
    for (const auto& [k, v] : params) {
        if (!again.empty()) again += '&';
        again += url_encode(k) + "=" + url_encode(v);
    }
    FUZZ_CHECK(parse_urlencoded(again) == params);

    Request req;
    req.query = std::string(s);
    req.body = std::string(s);
    req.headers.emplace_back("content-type", "application/x-www-form-urlencoded; charset=UTF-8");
    FUZZ_CHECK(req.is_form());
    FUZZ_CHECK(req.query_params() == params);
    FUZZ_CHECK(req.form_params() == params);
    if (!params.empty()) FUZZ_CHECK(first(params, params.front().first) == params.front().second);
}

void check_local_path(std::string_view next) {
    const std::string kept = safe_local_path(next, "/fallback");
    if (kept == "/fallback" && next != "/fallback") return;
    FUZZ_CHECK(kept == next);
    FUZZ_CHECK(kept.size() >= 1 && kept[0] == '/');
    FUZZ_CHECK(kept.size() < 2 || kept[1] != '/');
    for (unsigned char c : kept) FUZZ_CHECK(c > 0x20 && c != 0x7F && c != '\\');
}

void check_path_id(std::string_view s) {
    const auto n = path_id(s);
    FUZZ_CHECK(n >= 0);
    if (n == 0) return;
    FUZZ_CHECK(s.size() <= 18);
    FUZZ_CHECK(std::to_string(n).size() <= s.size());
    for (char c : s) FUZZ_CHECK(c >= '0' && c <= '9');
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto s = sengen::fuzz::as_text(data, size);
    const std::string decoded = url_decode(s, Plus::Space);
    FUZZ_CHECK(decoded.size() <= s.size());
    FUZZ_CHECK(url_decode(s, Plus::Literal).size() == decoded.size());
    check_round_trip(s);
    check_params(s);
    check_local_path(s);
    check_local_path(url_decode(s, Plus::Space));
    check_path_id(s);
    return 0;
}
