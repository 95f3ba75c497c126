// The transparency log's read side (issue 14, ADR 46): the verifier key, the latest signed
// checkpoint and the tiles of C2SP tlog-tiles. Without a signing key (the log-key setting) every
// /log/* path answers 404.
#include <spdlog/spdlog.h>

#include "tlog/note.hpp"
#include "tlog/tiles.hpp"
#include "web/errors.hpp"
#include "web/handlers.hpp"
#include "web/security.hpp"

namespace sengen::web::handlers {

namespace {

Response not_served(Context& ctx) { return error_response(ctx, Error::not_found("tlog.not_served")); }

Response text(std::string body, std::string_view cache) {
    Response r = make_response(200, "text/plain; charset=utf-8", std::move(body));
    r.set("Cache-Control", std::string(cache));
    r.set("Access-Control-Allow-Origin", "*");
    return r;
}

}  // namespace

Response log_key(Context& ctx) {
    const auto* signer = ctx.services.log_signer;
    if (!signer) return not_served(ctx);
    // The key that signs now first, then any that signed before a rotation (docs/trust.md).
    std::string keys = tlog::format_verifier_key(signer->verifier()) + "\n";
    if (const auto* previous = ctx.services.log_previous_keys)
        for (const auto& key : *previous) keys += tlog::format_verifier_key(key) + "\n";
    return text(std::move(keys), "public, max-age=3600");
}

Response log_checkpoint(Context& ctx) {
    if (!ctx.services.log_signer || !ctx.services.transparency_log) return not_served(ctx);
    auto c = ctx.services.transparency_log->checkpoint();
    if (!c) return error_response(ctx, c.error());
    // A checkpoint follows appends within a second or two: caches keep it no longer than that.
    return text(std::move(c->note), "public, max-age=1");
}

Response log_tile(Context& ctx) {
    if (!ctx.services.log_signer || !ctx.services.transparency_log) return not_served(ctx);
    // Every tile path names bytes that never change once the tree holds them (a partial tile names
    // its width), so what was read once is kept by path; a tile the tree does not hold yet is an
    // error and is not kept.
    const std::string path(ctx.param("path"));
    DownloadCache uncached(0);
    auto& cache = ctx.services.log_tiles ? *ctx.services.log_tiles : uncached;
    auto entry = cache.find(path);
    if (!entry) {
        auto tile = ctx.services.transparency_log->tile(path);
        if (!tile) return error_response(ctx, tile.error());
        entry = cache.put(path, std::move(tile->body));
    }
    // C2SP tlog-tiles: a full tile never changes; a partial one is replaced by a wider one as the
    // tree grows, so clients should look for the wider one soon. (Only a path that parsed was kept.)
    const auto ref = tlog::parse_tile_path(path);
    const bool full = ref && tlog::full_tile(*ref);
    Response r = make_response(200, "application/octet-stream", entry->bytes);
    r.set("Cache-Control", full ? "public, max-age=31536000, immutable" : "public, max-age=1");
    r.set("ETag", entry->etag);
    r.set("Access-Control-Allow-Origin", "*");
    // The body stays on a 304: the HTTP adapter sends its length but not the bytes.
    if (auto inm = ctx.req.header("if-none-match"); inm && inm->find(entry->etag) != std::string_view::npos)
        r.status = 304;
    return r;
}

Response api_declaration_statement(Context& ctx) {
    if (!ctx.services.log_signer || !ctx.services.transparency_log) return not_served(ctx);
    // The same limit and the same answers for a bad or unknown ID as the single lookup.
    app::Caller caller;  // as the API's other answers: no cookies read, never a signed-in account
    caller.ip = ctx.req.remote_ip;
    caller.lang = ctx.lang;
    auto limited = ctx.services.lookup.verify(DeclarationId::parse(ctx.param("id")), caller);
    if (!limited) return error_response(ctx, limited.error());
    auto bundle = ctx.services.transparency_log->statement(limited->public_id, *ctx.services.log_signer);
    if (!bundle) return error_response(ctx, bundle.error());
    Response r = make_response(200, "application/json", std::move(*bundle));
    r.set("Access-Control-Allow-Origin", "*");
    r.set("Cache-Control", "public, max-age=1");
    return r;
}

void add_log_key(Context& ctx, mustache::data& d) {
    const auto* signer = ctx.services.log_signer;
    if (!signer) return;
    d.set("log_key", tlog::format_verifier_key(signer->verifier()));
    const auto* witnesses = ctx.services.log_witnesses;
    if (!witnesses || witnesses->empty()) return;
    mustache::data keys{mustache::data::type::list};
    for (const auto& w : *witnesses) {
        mustache::data key{mustache::data::type::object};
        key.set("key", tlog::format_verifier_key(w));
        keys.push_back(key);
    }
    d.set("log_witnesses", keys);
    d.set("has_log_witnesses", true);
    if (const int required = ctx.services.log_witnesses_required; required > 0)
        d.set("log_witnesses_required", ctx.services.catalogue.format(ctx.lang, "profile.about.log_witnesses_required",
                                                                      {{"count", std::to_string(required)}}));
}

void add_log_position(Context& ctx, const DeclarationId& id, mustache::data& d) {
    if (!ctx.services.log_signer || !ctx.services.transparency_log) return;
    auto at = ctx.services.transparency_log->position(id);
    if (!at) {
        spdlog::warn("transparency log: reading the position of {} failed: {}", id.digits(), at.error().code);
        return;
    }
    if (!*at) return;
    // People count from 1; the statement's leaf_index counts from 0.
    d.set("log_position", std::to_string((*at)->leaf_index + 1));
    d.set("log_size", std::to_string((*at)->tree_size));
    d.set("log_body", ctx.services.catalogue.format(
                          ctx.lang, "log.position",
                          {{"n", std::to_string((*at)->leaf_index + 1)}, {"size", std::to_string((*at)->tree_size)}}));
    d.set("statement_url", "/api/v1/declarations/" + id.digits() + "/statement");
    d.set("statement_file", "statement-" + id.digits() + ".json");
}

}  // namespace sengen::web::handlers

namespace sengen::web::handlers {

// The page only carries words and this registry's verifier key: the bundle is read and checked by
// static/verify-offline.js in the browser and never sent back (ADR 53). Its CSP therefore allows
// the script no connection at all, so that even a changed script could not send what was pasted.
Response verify_offline(Context& ctx) {
    mustache::data d{mustache::data::type::object};
    d.set("noindex", true);
    d.set("page_title", ctx.text("verify.offline.page_title"));
    d.set("page_script", std::string("verify-offline.js"));
    if (const auto* signer = ctx.services.log_signer)
        d.set("verifier_key", tlog::format_verifier_key(signer->verifier()));
    mustache::data levels{mustache::data::type::list};
    for (const auto& l : ctx.services.registry.content().levels) {
        mustache::data o{mustache::data::type::object};
        o.set("number", std::to_string(l.number));
        o.set("label", l.stars + " " + l.name.in(ctx.lang));
        levels.push_back(o);
    }
    d.set("levels", levels);
    Response r = ctx.page(200, "verify_offline", std::move(d));
    r.set("X-Robots-Tag", "noindex");
    r.set("Content-Security-Policy", content_security_policy(Connect::None));
    return r;
}

}  // namespace sengen::web::handlers
