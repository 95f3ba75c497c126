// multipart/form-data parsing (see multipart.hpp).
#include "web/multipart.hpp"

#include <algorithm>
#include <cctype>

namespace sengen::web {

namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// The parameter `name` of a header value such as `form-data; name="f"; filename="a.csv"`. A quoted
// value may hold ';' and backslash-escaped quotes (browsers escape '"' as %22, but be safe).
std::optional<std::string> parameter(std::string_view value, std::string_view name) {
    std::size_t i = value.find(';');
    while (i != std::string_view::npos && i < value.size()) {
        ++i;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t')) ++i;
        const auto eq = value.find('=', i);
        if (eq == std::string_view::npos) return std::nullopt;
        const auto key = trim(value.substr(i, eq - i));
        i = eq + 1;
        std::string v;
        if (i < value.size() && value[i] == '"') {
            ++i;
            bool closed = false;
            while (i < value.size()) {
                const char c = value[i++];
                if (c == '\\' && i < value.size()) {
                    v += value[i++];
                } else if (c == '"') {
                    closed = true;
                    break;
                } else {
                    v += c;
                }
            }
            if (!closed) return std::nullopt;
            i = value.find(';', i);
        } else {
            const auto end = value.find(';', i);
            v = std::string(trim(value.substr(i, end == std::string_view::npos ? std::string_view::npos : end - i)));
            i = end;
        }
        if (iequals(key, name)) return v;
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
    const auto semi = content_type.find(';');
    if (!iequals(trim(content_type.substr(0, semi)), "multipart/form-data")) return std::nullopt;
    auto b = parameter(content_type, "boundary");
    if (!b || b->empty() || b->size() > 70) return std::nullopt;
    for (char c : *b)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return std::nullopt;
    return b;
}

std::optional<std::vector<FormPart>> parse_multipart(std::string_view body, std::string_view boundary,
                                                     const MultipartLimits& limits) {
    if (boundary.empty()) return std::nullopt;
    const std::string delimiter = "--" + std::string(boundary);
    // The body opens with the first delimiter (a preamble before it is allowed, RFC 2046).
    std::size_t at = body.starts_with(delimiter) ? 0 : body.find("\r\n" + delimiter);
    if (at == std::string_view::npos) return std::nullopt;
    at += body.starts_with(delimiter) ? delimiter.size() : delimiter.size() + 2;
    const std::string next_delimiter = "\r\n" + delimiter;
    std::vector<FormPart> parts;
    for (;;) {
        // After a delimiter: "--" closes the body, CR LF opens a part.
        if (body.substr(at, 2) == "--") return parts;
        // Transport padding (spaces and tabs) may follow a delimiter.
        while (at < body.size() && (body[at] == ' ' || body[at] == '\t')) ++at;
        if (body.substr(at, 2) != "\r\n") return std::nullopt;
        at += 2;
        if (parts.size() == limits.max_parts) return std::nullopt;
        const auto headers_end = body.find("\r\n\r\n", at);
        const bool no_headers = body.substr(at, 2) == "\r\n";
        if (!no_headers && (headers_end == std::string_view::npos || headers_end - at > limits.max_header_bytes))
            return std::nullopt;
        FormPart part;
        bool form_data = false;
        if (!no_headers) {
            std::string_view block = body.substr(at, headers_end - at);
            while (!block.empty()) {
                const auto eol = block.find("\r\n");
                const auto line = block.substr(0, eol);
                block = eol == std::string_view::npos ? std::string_view{} : block.substr(eol + 2);
                const auto colon = line.find(':');
                if (colon == std::string_view::npos) return std::nullopt;
                const auto name = trim(line.substr(0, colon));
                const auto value = trim(line.substr(colon + 1));
                if (iequals(name, "content-disposition")) {
                    if (!iequals(trim(value.substr(0, value.find(';'))), "form-data")) return std::nullopt;
                    auto n = parameter(value, "name");
                    if (!n) return std::nullopt;
                    part.name = std::move(*n);
                    part.filename = parameter(value, "filename");
                    form_data = true;
                } else if (iequals(name, "content-type")) {
                    part.content_type = std::string(value);
                }
            }
            at = headers_end + 4;
        } else {
            at += 2;
        }
        if (!form_data) return std::nullopt;
        const auto end = body.find(next_delimiter, at);
        if (end == std::string_view::npos) return std::nullopt;
        part.data = body.substr(at, end - at);
        parts.push_back(std::move(part));
        at = end + next_delimiter.size();
    }
}

}  // namespace sengen::web
