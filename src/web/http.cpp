// Request parsing helpers: headers, cookies, url-encoded forms, UTF-8 checks.
#include "web/http.hpp"

#include "domain/text.hpp"

#include <algorithm>
#include <cctype>

namespace sengen::web {

namespace {
bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}
int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

namespace {
// Each method with its name: read one way by parse_method, the other by method_name.
constexpr std::pair<Method, std::string_view> kMethodNames[] = {
    {Method::Get, "GET"},     {Method::Head, "HEAD"},     {Method::Post, "POST"},       {Method::Put, "PUT"},
    {Method::Patch, "PATCH"}, {Method::Delete, "DELETE"}, {Method::Options, "OPTIONS"},
};
}  // namespace

Method parse_method(std::string_view m) {
    for (const auto& [method, name] : kMethodNames)
        if (name == m) return method;
    return Method::Other;
}

std::string_view method_name(Method m) {
    for (const auto& [method, name] : kMethodNames)
        if (method == m) return name;
    return "OTHER";
}

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
        if (k == lower_name) return std::string_view(v);
    return std::nullopt;
}

std::optional<std::string> Request::cookie(std::string_view name) const {
    for (const auto& [k, v] : headers) {
        if (k != "cookie") continue;
        std::string_view s = v;
        while (!s.empty()) {
            auto semi = s.find(';');
            auto item = s.substr(0, semi);
            s = semi == std::string_view::npos ? std::string_view{} : s.substr(semi + 1);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            auto eq = item.find('=');
            if (eq == std::string_view::npos) continue;
            if (item.substr(0, eq) == name) {
                auto val = item.substr(eq + 1);
                if (val.size() >= 2 && val.front() == '"' && val.back() == '"') val = val.substr(1, val.size() - 2);
                return std::string(val);
            }
        }
    }
    return std::nullopt;
}

Params Request::query_params() const { return parse_urlencoded(query); }

bool Request::is_form() const {
    auto ct = header("content-type");
    if (!ct) return false;
    auto v = *ct;
    auto semi = v.find(';');
    v = v.substr(0, semi);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    return iequals(v, "application/x-www-form-urlencoded");
}

Params Request::form_params() const {
    if (is_form()) return parse_urlencoded(body);
    // A form with a file input posts multipart/form-data: its text fields (the CSRF token among
    // them) read the same way; the files are left to form_parts.
    Params out;
    if (auto parts = form_parts())
        for (const auto& p : *parts)
            if (!p.filename) out.emplace_back(p.name, std::string(p.data));
    return out;
}

std::optional<std::vector<FormPart>> Request::form_parts() const {
    auto ct = header("content-type");
    if (!ct) return std::nullopt;
    auto boundary = multipart_boundary(*ct);
    if (!boundary) return std::nullopt;
    return parse_multipart(body, *boundary);
}

Response& Response::set(std::string name, std::string value) {
    headers.erase(std::remove_if(headers.begin(), headers.end(), [&](const auto& h) { return iequals(h.first, name); }),
                  headers.end());
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

Response redirect(const std::string& to, int status) {
    Response r;
    r.status = status;
    r.set("Location", to);
    return r;
}

Response sign_in_first(std::string_view next) { return redirect("/signin?next=" + url_encode(next)); }

std::string safe_local_path(std::string_view next, std::string_view fallback) {
    if (next.empty() || next.front() != '/' || next.rfind("//", 0) == 0) return std::string(fallback);
    for (unsigned char c : next)
        if (c < 0x21 || c == 0x7F || c == '\\') return std::string(fallback);
    return std::string(next);
}

std::int64_t path_id(std::string_view s) {
    if (s.empty() || s.size() > 18) return 0;
    std::int64_t n = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return 0;
        n = n * 10 + (c - '0');
    }
    return n;
}

Response make_response(int status, std::string content_type, std::string body) {
    Response r;
    r.status = status;
    r.set("Content-Type", std::move(content_type));
    r.body = std::move(body);
    return r;
}

Response download_response(std::string content_type, const std::string& file_name, std::string body) {
    Response r = make_response(200, std::move(content_type), std::move(body));
    r.set("Content-Disposition", "attachment; filename=\"" + file_name + "\"");
    return r;
}

Response& Response::add(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
}

std::optional<std::string_view> Response::header(std::string_view name) const {
    for (const auto& [k, v] : headers)
        if (iequals(k, name)) return std::string_view(v);
    return std::nullopt;
}

std::string url_decode(std::string_view s, Plus plus) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '+' && plus == Plus::Space) {
            out += ' ';
        } else if (c == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string url_encode(std::string_view s) {
    static const char* digits = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += digits[c >> 4];
            out += digits[c & 15];
        }
    }
    return out;
}

Params parse_urlencoded(std::string_view s) {
    Params out;
    while (!s.empty()) {
        auto amp = s.find('&');
        auto item = s.substr(0, amp);
        s = amp == std::string_view::npos ? std::string_view{} : s.substr(amp + 1);
        if (item.empty()) continue;
        auto eq = item.find('=');
        out.emplace_back(url_decode(item.substr(0, eq), Plus::Space),
                         eq == std::string_view::npos ? std::string{} : url_decode(item.substr(eq + 1), Plus::Space));
    }
    return out;
}

std::optional<std::string> first(const Params& p, std::string_view name) {
    for (const auto& [k, v] : p)
        if (k == name) return v;
    return std::nullopt;
}

std::string_view reason_phrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 304:
            return "Not Modified";
        case 307:
            return "Temporary Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 410:
            return "Gone";
        case 413:
            return "Content Too Large";
        case 414:
            return "URI Too Long";
        case 415:
            return "Unsupported Media Type";
        case 422:
            return "Unprocessable Content";
        case 431:
            return "Request Header Fields Too Large";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

bool valid_utf8(std::string_view s) { return text::valid_utf8(s); }

std::string Cookie::render() const {
    std::string s = name + "=" + value + "; Path=" + path;
    if (max_age) s += "; Max-Age=" + std::to_string(*max_age);
    if (http_only) s += "; HttpOnly";
    if (secure) s += "; Secure";
    if (!same_site.empty()) s += "; SameSite=" + same_site;
    return s;
}

}  // namespace sengen::web
