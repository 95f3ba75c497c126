// Fuzz target: multipart/form-data bodies (web/multipart.hpp), as the bulk verification page's
// upload is read, and the Content-Type boundary. The input is split at its first NUL byte: the
// Content-Type header's value before it, the body after it (no NUL: the input is the body, with
// the boundary "b"). Properties: never more parts than allowed; every part's data is a slice of
// the body that holds no delimiter; a well-formed body rebuilt from the parts parses to the same
// names and data.
#include <string>

#include "fuzz_check.hpp"
#include "web/multipart.hpp"

namespace {

using namespace sengen::web;

bool simple(std::string_view s) {
    for (char c : s)
        if (c == '"' || c == '\\' || c == '\r' || c == '\n' || c == '\0') return false;
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto nul = input.find('\0');
    std::string boundary = "b";
    std::string_view body = input;
    if (nul != std::string_view::npos) {
        auto b = multipart_boundary(input.substr(0, nul));
        if (!b) return 0;
        FUZZ_CHECK(!b->empty() && b->size() <= 70);
        boundary = *b;
        body = input.substr(nul + 1);
    }
    const MultipartLimits limits{.max_parts = 8, .max_header_bytes = 512};
    auto parts = parse_multipart(body, boundary, limits);
    if (!parts) return 0;
    FUZZ_CHECK(parts->size() <= limits.max_parts);
    const std::string delimiter = "\r\n--" + boundary;
    std::string rebuilt;
    bool rebuildable = true;
    for (const auto& p : *parts) {
        FUZZ_CHECK(p.data.data() >= body.data() && p.data.data() + p.data.size() <= body.data() + body.size());
        FUZZ_CHECK(p.data.find(delimiter) == std::string_view::npos);
        if (!simple(p.name) || (p.filename && !simple(*p.filename))) rebuildable = false;
        rebuilt += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
        if (p.filename) rebuilt += "; filename=\"" + *p.filename + "\"";
        rebuilt += "\r\n\r\n";
        rebuilt += p.data;
        rebuilt += "\r\n";
    }
    rebuilt += "--" + boundary + "--\r\n";
    if (!rebuildable || parts->empty()) return 0;
    auto again = parse_multipart(rebuilt, boundary, limits);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->size() == parts->size());
    for (std::size_t i = 0; i < parts->size(); ++i) {
        FUZZ_CHECK((*again)[i].name == (*parts)[i].name);
        FUZZ_CHECK((*again)[i].filename == (*parts)[i].filename);
        FUZZ_CHECK((*again)[i].data == (*parts)[i].data);
    }
    return 0;
}
