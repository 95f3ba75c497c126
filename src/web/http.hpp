// Framework-free HTTP request and response. The RESTinio adapter (server.cpp) converts to and
// from these, so that everything else in web/ can be tested without a socket.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "web/multipart.hpp"

namespace sengen::web {

enum class Method { Get, Head, Post, Put, Patch, Delete, Options, Other };

Method parse_method(std::string_view m);
std::string_view method_name(Method m);

using Params = std::vector<std::pair<std::string, std::string>>;  // ordered, may repeat

struct Request {
    Method method = Method::Get;
    std::string method_text;
    std::string path;                                          // decoded path, no query
    std::string query;                                         // raw query string, without '?'
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
    std::string body;
    std::string remote_ip;

    std::optional<std::string_view> header(std::string_view lower_name) const;
    std::optional<std::string> cookie(std::string_view name) const;
    Params query_params() const;
    // The form's text fields: an application/x-www-form-urlencoded body, or the parts without a
    // file of a multipart/form-data one.
    Params form_params() const;
    // Every part of a multipart/form-data body; nullopt for another type or a malformed body.
    std::optional<std::vector<FormPart>> form_parts() const;
    bool is_form() const;
};

struct Response {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    Response& set(std::string name, std::string value);                   // replaces any header of that name
    Response& add(std::string name, std::string value);                   // appends (e.g. Set-Cookie)
    std::optional<std::string_view> header(std::string_view name) const;  // case-insensitive
};

// A redirect to `to` (303 See Other unless told otherwise).
Response redirect(const std::string& to, int status = 303);
// A redirect to the sign-in page, which sends the visitor on to `next` (a local path) once signed in.
Response sign_in_first(std::string_view next);
// `next` if it is a path on this site to send the visitor on to, else `fallback`: it must start
// with one "/" (not "//", another host) and hold no backslash, space or control character
// (browsers drop tabs and newlines from a URL, so "/\t/evil.example" would become
// "//evil.example"; WHATWG URL, "remove all ASCII tab or newline").
std::string safe_local_path(std::string_view next, std::string_view fallback);
// A number from a path segment: 1 to 18 ASCII digits, else 0.
std::int64_t path_id(std::string_view s);

// A response with this status, Content-Type and body.
Response make_response(int status, std::string content_type, std::string body);
// A 200 that the browser saves as `file_name` (ASCII, no quotes) instead of showing it.
Response download_response(std::string content_type, const std::string& file_name, std::string body);

// What a '+' means: itself in a path, a space in a query or form (application/x-www-form-urlencoded).
enum class Plus { Literal, Space };
// Percent-decoding. Invalid escapes are kept literally.
std::string url_decode(std::string_view s, Plus plus);
std::string url_encode(std::string_view s);
Params parse_urlencoded(std::string_view s);
std::optional<std::string> first(const Params& p, std::string_view name);

// The standard reason phrase (RFC 9110 §15) for the status line.
std::string_view reason_phrase(int status);

// Whether `s` is well-formed UTF-8 (no overlongs, no surrogates): text::valid_utf8, for the web layer.
bool valid_utf8(std::string_view s);

// A Set-Cookie value.
struct Cookie {
    std::string name, value;
    std::string path = "/";
    std::optional<long long> max_age;
    bool http_only = true;
    bool secure = false;
    std::string same_site = "Lax";
    std::string render() const;
};

}  // namespace sengen::web
