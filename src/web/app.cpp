// The request pipeline shared by every route.
#include "web/app.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>

#include "web/errors.hpp"
#include "web/security.hpp"
#include "web/static_assets.hpp"

namespace sengen::web {

std::string session_cookie_name(const config::Config& config) {
    return config.https() ? "__Host-sengen_session" : "sengen_session";
}

std::string csrf_cookie_name(const config::Config& config) {
    return config.https() ? "__Host-sengen_csrf" : "sengen_csrf";
}

std::string Context::param(std::string_view name) const {
    for (const auto& [k, v] : params)
        if (k == name) return v;
    return {};
}

namespace {

// How long the browser keeps the language cookie.
constexpr long long kLangCookieSeconds = 365LL * 24 * 3600;

// The session the cookie names, looked up once per request.
void load_session(Context& ctx) {
    if (ctx.session_looked_up) return;
    auto token = ctx.req.cookie(session_cookie_name(ctx.services.config));
    if (!token) {
        ctx.session_looked_up = true;
        return;
    }
    // A failed lookup is not remembered, so that what runs next (the error page) fails the same
    // way instead of taking the visitor for one without a session and starting a new one.
    auto found = ctx.services.sessions.resume(*token);
    if (!found) throw std::runtime_error("session lookup failed: " + found.error().detail);
    ctx.session_looked_up = true;
    if (!*found) return;
    ctx.session = std::move(**found);
    ctx.session_token = std::move(*token);
}

Cookie make_cookie(const config::Config& c, std::string name, std::string value, std::optional<long long> max_age) {
    Cookie k;
    k.name = std::move(name);
    k.value = std::move(value);
    k.max_age = max_age;
    k.secure = c.https();
    return k;
}

// Makes `open` the request's session and sends its token back in the session cookie.
void adopt(Context& ctx, app::OpenSession open) {
    ctx.session = std::move(open.session);
    ctx.session_token = std::move(open.token);
    ctx.set_cookies.push_back(
        make_cookie(ctx.services.config, session_cookie_name(ctx.services.config), *ctx.session_token, std::nullopt)
            .render());
}

bool unsafe_method(Method m) {
    return m == Method::Post || m == Method::Put || m == Method::Patch || m == Method::Delete;
}

// The token a form post must carry: keyed with the stored session's token when there is one (a
// cookie planted in the browser cannot then forge the posts of a signed-in visitor), else with the
// CSRF cookie's value. nullopt when the request has neither.
std::optional<std::string> expected_csrf(Context& ctx) {
    load_session(ctx);
    if (ctx.session_token) return csrf_token_for(*ctx.session_token);
    auto secret = ctx.req.cookie(csrf_cookie_name(ctx.services.config));
    if (!secret || !app::plausible_token(*secret)) return std::nullopt;
    return csrf_token_for(*secret);
}

}  // namespace

Result<std::string> Context::csrf_token() {
    load_session(*this);
    if (session_token) return csrf_token_for(*session_token);
    if (!csrf_secret) {
        auto sent = req.cookie(csrf_cookie_name(services.config));
        if (sent && app::plausible_token(*sent)) {
            csrf_secret = std::string(*sent);
        } else {
            // A random value in an HttpOnly cookie: nothing is stored, so showing a form to
            // anyone costs no database write.
            csrf_secret = random_token();
            set_cookies.push_back(
                make_cookie(services.config, csrf_cookie_name(services.config), *csrf_secret, std::nullopt).render());
        }
    }
    return csrf_token_for(*csrf_secret);
}

std::optional<std::int64_t> Context::account_id() {
    load_session(*this);
    return session ? session->account_id : std::nullopt;
}

nlohmann::json Context::session_data() {
    load_session(*this);
    if (!session || session->data.empty()) return nlohmann::json::object();
    auto j = nlohmann::json::parse(session->data, nullptr, false);
    return j.is_object() ? j : nlohmann::json::object();
}

Status Context::save_session_data(const nlohmann::json& data) {
    load_session(*this);
    auto text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!session) {
        // Nothing kept so far and nothing to keep now: no session is started for it.
        if (data.empty()) return {};
        auto started = services.sessions.start(text);
        if (!started) return fail(started.error());
        adopt(*this, std::move(*started));
        return {};
    }
    if (auto ok = services.sessions.save_data(*session, text); !ok) return ok;
    session->data = std::move(text);
    return {};
}

Status Context::sign_in(std::int64_t account) {
    load_session(*this);
    auto fresh = services.sessions.sign_in(session, account);
    if (!fresh) return fail(fresh.error());
    adopt(*this, std::move(*fresh));
    return {};
}

Status Context::sign_out() {
    load_session(*this);
    if (session)
        if (auto ok = services.sessions.end(*session); !ok) return ok;
    session.reset();
    session_token.reset();
    set_cookies.push_back(make_cookie(services.config, session_cookie_name(services.config), "", 0).render());
    return {};
}

Status Context::sign_out_everywhere() {
    load_session(*this);
    if (session)
        if (auto ok = services.sessions.end_everywhere(*session); !ok) return ok;
    session.reset();
    session_token.reset();
    set_cookies.push_back(make_cookie(services.config, session_cookie_name(services.config), "", 0).render());
    return {};
}

void Context::switch_lang(i18n::Lang chosen) {
    lang = chosen;
    set_cookies.push_back(
        make_cookie(services.config, std::string(kLangCookie), std::string(i18n::code(chosen)), kLangCookieSeconds)
            .render());
}

app::Caller Context::caller() {
    app::Caller c;
    c.ip = req.remote_ip;
    c.lang = std::string(i18n::code(lang));
    c.account_id = account_id();
    return c;
}

Response Context::page(int status, const std::string& template_name, mustache::data data) {
    auto other = lang == i18n::Lang::Ja ? i18n::Lang::En : i18n::Lang::Ja;
    std::string here = req.path + (req.query.empty() ? "" : "?" + req.query);
    data.set("lang", std::string(i18n::code(lang)));
    data.set("other_lang", std::string(i18n::code(other)));
    data.set("other_lang_name", services.catalogue.text(other, "lang.self_name"));
    data.set("switch_url", "/lang/" + std::string(i18n::code(other)) + "?next=" + url_encode(here));
    data.set("asset_version", std::string(StaticAssets::version()));
    if (!data.get("page_title")) data.set("page_title", text("site.name"));
    // The form's token as it is now: starting a session while handling the request (an
    // application's first step kept) changes it after the handler read it.
    if (data.get("csrf"))
        if (auto csrf = csrf_token()) data.set("csrf", *csrf);
    // A page (above all an error page) still renders when the session lookup fails because the
    // store is down: it is shown as signed out.
    try {
        if (account_id()) data.set("signed_in", true);
    } catch (const std::exception&) {
    }
    return make_response(status, "text/html; charset=utf-8", services.renderer.page(template_name, lang, data));
}

Response Context::message_page(int status, const Message& m) {
    mustache::data v{mustache::data::type::object};
    v.set("page_title", m.title);
    v.set("title", m.title);
    v.set("body", m.body);
    if (!m.link.empty()) {
        v.set("link", m.link);
        v.set("link_text", m.link_text);
    }
    if (m.noindex) v.set("noindex", true);
    return page(status, "message", std::move(v));
}

App::App(Services services, const StaticAssets& assets)
    : services_(services), router_(std::make_unique<Router>(route_table(assets))) {}
App::~App() = default;

Match App::route(const Request& req) const { return router_->match(req.method, req.path); }

Response App::dispatch(Context& ctx, const Match& match) {
    const auto& req = ctx.req;
    if (req.body.size() > services_.config.max_body_bytes) return status_response(ctx, 413);
    if (!valid_utf8(req.path) || !valid_utf8(url_decode(req.query, Plus::Space))) return status_response(ctx, 400);

    if (unsafe_method(req.method) && !ctx.is_api()) {
        std::string sent;
        if (auto h = req.header("x-csrf-token"))
            sent = std::string(*h);
        else if (auto f = first(req.form_params(), "csrf"))
            sent = *f;
        auto expected = expected_csrf(ctx);
        if (!expected || !same_secret(sent, *expected)) {
            spdlog::info("csrf rejected: {} {}", req.method_text, ctx.route);
            return status_response(ctx, 403);
        }
    }

    if (!match.route) {
        if (!match.allowed.empty()) {
            Response r = status_response(ctx, 405);
            std::string allow;
            for (auto m : match.allowed) allow += (allow.empty() ? "" : ", ") + std::string(method_name(m));
            if (allow.find("GET") != std::string::npos) allow += ", HEAD";
            r.set("Allow", allow);
            return r;
        }
        return status_response(ctx, 404);
    }
    ctx.params = match.params;
    return match.route->handler(ctx);
}

Response App::handle(const Request& req, const Match& match) {
    const auto started = std::chrono::steady_clock::now();
    ++in_flight_;
    Context ctx(req, services_);
    ctx.lang = i18n::negotiate(req.cookie(kLangCookie), req.header("accept-language").value_or(""));
    const std::string route_name = match.pattern.empty() ? std::string("unmatched") : std::string(match.pattern);
    ctx.route = route_name;
    Response r;
    try {
        r = dispatch(ctx, match);
    } catch (const std::exception& e) {
        spdlog::error("unhandled error on {} {}: {}", req.method_text, route_name, e.what());
        r = status_response(ctx, 500);
    }
    for (auto& c : ctx.set_cookies) r.add("Set-Cookie", std::move(c));
    apply_security_headers(r, services_.config.https(), referrer_for_route(match.pattern));
    if (!r.header("Content-Language") && r.header("Content-Type").value_or("").find("text/html") == 0)
        r.set("Content-Language", std::string(i18n::code(ctx.lang)));
    if (!r.header("Cache-Control")) r.set("Cache-Control", "no-store");

    const auto took = std::chrono::steady_clock::now() - started;
    services_.metrics.observe(route_name, req.method_text, r.status, took);
    if (auto log = spdlog::get("access"))
        log->info("{} {} {} {:.3f}ms", req.method_text, route_name, r.status,
                  std::chrono::duration<double, std::milli>(took).count());
    --in_flight_;
    return r;
}

}  // namespace sengen::web
