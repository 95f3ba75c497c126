// Serving embedded static assets.
#include "web/static_assets.hpp"

#include <sodium.h>

#include "embedded/embedded.hpp"

namespace sengen::web {

namespace {

constexpr std::string_view kStaticDir = "src/web/static/";

std::string short_hash(std::string_view bytes) {
    unsigned char h[12];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
    char hex[sizeof h * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

std::string content_type_for(std::string_view path) {
    auto dot = path.rfind('.');
    auto ext = dot == std::string_view::npos ? std::string_view{} : path.substr(dot + 1);
    if (ext == "css") return "text/css; charset=utf-8";
    if (ext == "js") return "text/javascript; charset=utf-8";
    if (ext == "svg") return "image/svg+xml";
    if (ext == "png") return "image/png";
    if (ext == "ico") return "image/x-icon";
    if (ext == "txt") return "text/plain; charset=utf-8";
    if (ext == "json") return "application/json";
    if (ext == "woff2") return "font/woff2";
    return "application/octet-stream";
}

}  // namespace

StaticAssets::StaticAssets() {
    if (sodium_init() < 0) return;
    for (const auto& f : embedded::all_files()) {
        if (f.path.rfind(kStaticDir, 0) != 0) continue;
        assets_.emplace(std::string(f.path.substr(kStaticDir.size())),
                        Asset{f.bytes, "\"" + short_hash(f.bytes) + "\"", content_type_for(f.path)});
    }
}

std::string_view StaticAssets::version() {
    static const std::string v = [] {
        if (sodium_init() < 0) return std::string("0");
        std::string all;
        for (const auto& f : embedded::all_files())
            if (f.path.rfind(kStaticDir, 0) == 0) all += std::string(f.path) + '\0' + std::string(f.bytes);
        return short_hash(all).substr(0, 12);
    }();
    return v;
}

Response StaticAssets::serve(const Request& req, const std::string& relative_path) const {
    Response r;
    auto it = assets_.find(relative_path);
    if (it == assets_.end()) {
        r.status = 404;
        r.set("Content-Type", "text/plain; charset=utf-8");
        r.body = "Not Found\n";
        return r;
    }
    const auto& a = it->second;
    r.set("ETag", a.etag);
    // Pages link assets with ?v=<version>, so a long lifetime is safe; a new release changes v.
    r.set("Cache-Control", "public, max-age=86400");
    // The body stays on a 304: the HTTP adapter sends its length but not the bytes.
    r.body = std::string(a.bytes);
    if (auto inm = req.header("if-none-match"); inm && inm->find(a.etag) != std::string_view::npos) {
        r.status = 304;
        return r;
    }
    r.set("Content-Type", a.content_type);
    return r;
}

}  // namespace sengen::web
