// The request pipeline shared by every route.
#include "web/app.hpp"

#include <spdlog/spdlog.h>
#include <algorithm>

#include "domain/ip_network.hpp"
#include "web/assessment_view.hpp"
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

std::optional<std::string> chosen_lang(const Request& req, const config::Config& config) {
    if (config.https())
        if (auto prefixed = req.cookie(kLangCookieHostPrefixed)) return prefixed;
    return req.cookie(kLangCookie);
}

std::string cookie_name(const config::Config& config, StrictCookie cookie) {
    return std::string(config.https() ? cookie.host_prefixed : cookie.plain);
}

void set_strict_cookie(Context& ctx, StrictCookie cookie, const std::string& value, std::optional<long long> max_age) {
    Cookie k;
    k.name = cookie_name(ctx.services.config, cookie);
    k.value = value;
    k.max_age = max_age;
    k.secure = ctx.services.config.https();
    k.same_site = "Strict";
    ctx.set_cookies.push_back(k.render());
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
    return session && session->stage == SignInStage::Full ? session->account_id : std::nullopt;
}

std::optional<std::int64_t> Context::account_awaiting_code() {
    load_session(*this);
    return session && session->stage == SignInStage::SecondFactor ? session->account_id : std::nullopt;
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
    // Kept for the account's list of its sessions: a short label and the network as the rate
    // limits count it, not the header or the full address.
    const app::SessionClient client{browser_label(req.header("user-agent").value_or("")),
                                    rate_limit_subject(req.remote_ip)};
    // Every way a declarant is signed in comes here, so the code is asked for on each (ADR 61).
    auto stage = SignInStage::Full;
    if (services.declarant_codes) {
        auto found = services.declarant_codes->stage_for(account);
        if (!found) return fail(found.error());
        stage = *found;
    }
    auto fresh = services.sessions.sign_in(session, account, client, stage);
    if (!fresh) return fail(fresh.error());
    adopt(*this, std::move(*fresh));
    if (stage == SignInStage::SecondFactor) {
        after_sign_in = std::string(kSignInCodePath);
    } else if (services.declarant_codes) {
        auto needed = services.declarant_codes->setup_needed(account);
        if (!needed) return fail(needed.error());
        if (*needed) after_sign_in = std::string(kCodeSetupPath);
    }
    return {};
}

Status Context::finish_sign_in() {
    load_session(*this);
    if (!session) return fail(Error::forbidden("session.stage"));
    auto fresh = services.sessions.finish_second_factor(*session);
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
    const bool https = services.config.https();
    set_cookies.push_back(make_cookie(services.config, std::string(https ? kLangCookieHostPrefixed : kLangCookie),
                                      std::string(i18n::code(chosen)), kLangCookieSeconds)
                              .render());
    // The plain cookie of an earlier choice would otherwise outlive this one's rename.
    if (https && req.cookie(kLangCookie))
        set_cookies.push_back(make_cookie(services.config, std::string(kLangCookie), "", 0).render());
}

app::Caller Context::caller() {
    app::Caller c;
    c.ip = req.remote_ip;
    c.lang = lang;
    c.account_id = account_id();
    return c;
}

namespace {

// What the layout needs on every page besides the session: the language and its switch link, the
// asset version, a title.
void add_layout_data(const Context& ctx, mustache::data& data) {
    const auto& req = ctx.req;
    auto other = ctx.lang == i18n::Lang::Ja ? i18n::Lang::En : i18n::Lang::Ja;
    std::string here = req.path + (req.query.empty() ? "" : "?" + req.query);
    data.set("lang", std::string(i18n::code(ctx.lang)));
    data.set("other_lang", std::string(i18n::code(other)));
    data.set("other_lang_name", ctx.services.catalogue.text(other, "lang.self_name"));
    data.set("switch_url", "/lang/" + std::string(i18n::code(other)) + "?next=" + url_encode(here));
    data.set("asset_version", std::string(StaticAssets::version()));
    if (!data.get("page_title")) data.set("page_title", ctx.text("site.name"));
}

}  // namespace

Response Context::page(int status, const std::string& template_name, mustache::data data) {
    add_layout_data(*this, data);
    // The form's token as it is now: starting a session while handling the request (an
    // application's first step kept) changes it after the handler read it.
    if (data.get("csrf"))
        if (auto csrf = csrf_token()) data.set("csrf", *csrf);
    // A page (above all an error page) still renders when the session lookup fails because the
    // store is down: it is shown as signed out.
    try {
        if (account_id()) {
            data.set("signed_in", true);
            // ログアウト in the header of every page, not only at the bottom of My Page.
            if (auto csrf = csrf_token()) data.set("signout_csrf", *csrf);
        }
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

namespace {

// What a request may send before its body: a longer target gets 414, a larger header block 431.
// The HTTP adapter's parser limits sit well above these (server.cpp), so that such a request gets
// a short answer instead of a closed connection.
struct RequestLimits {
    std::size_t target_bytes;  // the path (as decoded) and the raw query together
    std::size_t header_fields;
    std::size_t header_name_bytes;
    std::size_t header_value_bytes;
    std::size_t header_block_bytes;  // names and values together
};
constexpr std::size_t kKiB = 1024;
constexpr RequestLimits kRequestLimits{8 * kKiB, 100, 256, 16 * kKiB, 32 * kKiB};

bool target_too_long(const Request& req) { return req.path.size() + req.query.size() > kRequestLimits.target_bytes; }

// Whether the header block is over kRequestLimits (the count, one name or value, or all together).
bool headers_too_large(const Request& req) {
    if (req.headers.size() > kRequestLimits.header_fields) return true;
    std::size_t total = 0;
    for (const auto& [name, value] : req.headers) {
        if (name.size() > kRequestLimits.header_name_bytes || value.size() > kRequestLimits.header_value_bytes)
            return true;
        total += name.size() + value.size();
    }
    return total > kRequestLimits.header_block_bytes;
}

// RFC 8058 §3.2: "The POST request MUST NOT include cookies, HTTP authorization, or any other
// context information"; its body is the key/value pair "List-Unsubscribe=One-Click".
bool one_click_unsubscribe(const Request& req, const Match& match) {
    if (!match.route || match.route->csrf != Csrf::OneClickUnsubscribe || req.method != Method::Post) return false;
    const auto form = req.form_params();
    return form.size() == 1 && form[0].first == "List-Unsubscribe" && form[0].second == "One-Click";
}

// My Page opens only to a session that is fully signed in (ADR 61): one that waits for its code
// goes to the code page, and, when every account needs a code, one without goes to its set-up
// first. The page wanted comes back as `next`.
std::optional<Response> code_first(Context& ctx) {
    const auto& path = ctx.req.path;
    if (!ctx.services.declarant_codes || !(path == "/mypage" || path.starts_with("/mypage/"))) return std::nullopt;
    if (path == kCodeSetupPath || path.starts_with(std::string(kCodeSetupPath) + "/")) return std::nullopt;
    const bool get = ctx.req.method == Method::Get || ctx.req.method == Method::Head;
    const auto back = [&](std::string_view page) {
        return redirect(std::string(page) + (get ? "?next=" + url_encode(path) : std::string()));
    };
    if (ctx.account_awaiting_code()) return back(kSignInCodePath);
    auto account = ctx.account_id();
    if (!account || !ctx.services.declarant_codes->required()) return std::nullopt;
    auto needed = ctx.services.declarant_codes->setup_needed(*account);
    if (!needed) return error_response(ctx, needed.error());
    if (*needed) return back(kCodeSetupPath);
    return std::nullopt;
}

// A handler that signed someone in sends them on: first to the page after_sign_in names, with
// where the handler meant them to go as `next`.
Response via_after_sign_in(const Context& ctx, Response r) {
    if (ctx.after_sign_in.empty() || r.status < 300 || r.status >= 400) return r;
    auto to = r.header("Location");
    if (!to) return r;
    r.set("Location", ctx.after_sign_in + "?next=" + url_encode(safe_local_path(*to, "/mypage")));
    return r;
}

}  // namespace

App::App(Services services, const StaticAssets& assets)
    : services_(services),
      score_texts_(std::make_unique<assessment_view::ScoreTexts>(services.assessments)),
      anonymous_pages_(std::make_unique<AnonymousPages>()),
      router_(std::make_unique<Router>(route_table(assets))) {
    services_.score_texts = score_texts_.get();
    services_.anonymous_pages = anonymous_pages_.get();
}

std::optional<std::string> AnonymousPages::find(i18n::Lang lang) const {
    std::shared_lock lock(mutex_);
    return bodies_[static_cast<std::size_t>(lang)];
}

void AnonymousPages::keep(i18n::Lang lang, const std::string& body) {
    std::unique_lock lock(mutex_);
    bodies_[static_cast<std::size_t>(lang)] = body;
}
App::~App() = default;

Match App::route(const Request& req) const { return router_->match(req.method, req.path); }

std::optional<Response> App::dispatch(Context& ctx, const Match& match, Path path) {
    const auto& req = ctx.req;
    // Requests refused before any handler sees them: each is a security line (never its content).
    const auto refuse_input = [&](int status, std::string_view what) {
        log_refusal(ctx, "input.refused", {"code", what});
        return status_response(ctx, status);
    };
    if (target_too_long(req)) return refuse_input(414, "request.target_too_long");
    if (headers_too_large(req)) return refuse_input(431, "request.headers_too_large");
    if (req.body.size() > services_.config.max_body_bytes) return refuse_input(413, "request.body_too_large");
    if (!valid_utf8(req.path) || !valid_utf8(url_decode(req.query, Plus::Space)))
        return refuse_input(400, "request.invalid_utf8");

    if (unsafe_method(req.method) && !ctx.is_api() && !one_click_unsubscribe(req, match)) {
        std::string sent;
        if (auto h = req.header("x-csrf-token"))
            sent = std::string(*h);
        else if (auto f = first(req.form_params(), "csrf"))
            sent = *f;
        auto expected = expected_csrf(ctx);
        if (!expected || !same_secret(sent, *expected)) {
            log_refusal(ctx, "csrf.refused");
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
    if (auto first = code_first(ctx)) return first;
    if (path == Path::Quick) return match.route->quick(ctx);
    return match.route->handler(ctx);
}

Response App::handle(const Request& req, const Match& match) {
    const auto started = std::chrono::steady_clock::now();
    ++in_flight_;
    Context ctx(req, services_);
    ctx.lang = i18n::negotiate(chosen_lang(req, services_.config), req.header("accept-language").value_or(""));
    ctx.route = match.pattern.empty() ? std::string_view("unmatched") : match.pattern;
    Response r;
    try {
        r = via_after_sign_in(ctx, *dispatch(ctx, match, Path::Full));
    } catch (const std::exception& e) {
        spdlog::error("unhandled error on {} {}: {}", req.method_text, ctx.route, e.what());
        r = status_response(ctx, 500);
    }
    r = finish(ctx, req, std::move(r), started);
    --in_flight_;
    return r;
}

std::optional<Response> App::handle_quick(const Request& req, const Match& match) {
    if (!match.route || !match.route->quick) return std::nullopt;
    const auto started = std::chrono::steady_clock::now();
    ++in_flight_;
    Context ctx(req, services_);
    ctx.lang = i18n::negotiate(chosen_lang(req, services_.config), req.header("accept-language").value_or(""));
    ctx.route = match.pattern;
    std::optional<Response> r;
    try {
        r = dispatch(ctx, match, Path::Quick);
    } catch (const std::exception& e) {
        // The slow path runs the request again and answers it, with the error page if it fails too.
        spdlog::warn("quick path of {} {} failed: {}", req.method_text, ctx.route, e.what());
        r.reset();
    }
    if (r) r = finish(ctx, req, std::move(*r), started);
    --in_flight_;
    return r;
}

Response App::busy(const Request& req, const Match& match) {
    const auto started = std::chrono::steady_clock::now();
    Context ctx(req, services_);
    ctx.lang = i18n::negotiate(chosen_lang(req, services_.config), req.header("accept-language").value_or(""));
    ctx.route = match.pattern.empty() ? std::string_view("unmatched") : match.pattern;
    services_.metrics.count_busy(ctx.route);
    // The message page without the session lookup that Context::page makes (the store is not
    // asked anything here).
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("error.busy.title"));
    v.set("title", ctx.text("error.busy.title"));
    v.set("body", ctx.text("error.busy.body"));
    v.set("noindex", true);
    add_layout_data(ctx, v);
    Response r = make_response(503, "text/html; charset=utf-8", services_.renderer.page("message", ctx.lang, v));
    // A few seconds: a PDF takes tenths of a second, so the queue drains quickly.
    r.set("Retry-After", "5");
    r.set("X-Robots-Tag", "noindex");
    return finish(ctx, req, std::move(r), started);
}

Response App::finish(Context& ctx, const Request& req, Response r, std::chrono::steady_clock::time_point started) {
    for (auto& c : ctx.set_cookies) r.add("Set-Cookie", std::move(c));
    apply_security_headers(r, services_.config.https(), referrer_for_route(ctx.route));
    if (!r.header("Content-Language") && r.header("Content-Type").value_or("").find("text/html") == 0)
        r.set("Content-Language", std::string(i18n::code(ctx.lang)));
    if (!r.header("Cache-Control")) r.set("Cache-Control", "no-store");

    const auto took = std::chrono::steady_clock::now() - started;
    const std::string route_name(ctx.route);
    services_.metrics.observe(route_name, req.method_text, r.status, took);
    if (auto log = spdlog::get("access"))
        log->info("{} {} {} {:.3f}ms", req.method_text, route_name, r.status,
                  std::chrono::duration<double, std::milli>(took).count());
    return r;
}

}  // namespace sengen::web
