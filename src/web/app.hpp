// The web application: one entry point from the HTTP adapter, `handle`, which runs the request
// through language choice, session, CSRF check, routing, the handler, error mapping, security
// headers, metrics and the access log.
#pragma once
#include <array>
#include <atomic>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "app/applications.hpp"
#include "app/assessment.hpp"
#include "app/console.hpp"
#include "app/declarant_codes.hpp"
#include "app/declarations.hpp"
#include "app/lookup.hpp"
#include "app/operators.hpp"
#include "app/policy.hpp"
#include "app/preparing.hpp"
#include "app/readiness.hpp"
#include "app/registry_context.hpp"
#include "app/reminders.hpp"
#include "app/sessions.hpp"
#include "app/sign_in.hpp"
#include "app/statistics.hpp"
#include "app/subsidy_catalogue.hpp"
#include "app/supporters.hpp"
#include "app/transparency_log.hpp"
#include "app/verifications.hpp"
#include "app/verifier_accounts.hpp"
#include "config/config.hpp"
#include "domain/assessment/edition.hpp"
#include "domain/clock.hpp"
#include "domain/session.hpp"
#include "i18n/catalogue.hpp"
#include "render/badge.hpp"
#include "web/download_cache.hpp"
#include "web/http.hpp"
#include "web/metrics.hpp"
#include "web/render.hpp"
#include "web/router.hpp"

namespace sengen::web {

namespace assessment_view {
class ScoreTexts;
}

// What handlers may use; built by main. Handlers reach data only through these use cases.
// Pages that are the same for every visitor who sends no cookie and no query, kept once rendered,
// one per language (the home page). Per App: its content and catalogue do not change while it runs.
class AnonymousPages {
public:
    std::optional<std::string> find(i18n::Lang lang) const;
    void keep(i18n::Lang lang, const std::string& body);

private:
    mutable std::shared_mutex mutex_;
    std::array<std::optional<std::string>, 2> bodies_;  // by i18n::Lang
};

struct Services {
    const config::Config& config;
    const Clock& clock;
    const i18n::Catalogue& catalogue;
    const Renderer& renderer;
    Metrics& metrics;
    const app::RegistryContext& registry;  // the registry's content, settings and mail links
    app::Applications& applications;
    app::SignIn& signin;
    app::Declarations& declarations;
    app::Lookup& lookup;
    const render::BadgeArtwork& artwork;        // operator-supplied badge files (empty: generated)
    const assessment::Library& assessments;     // the self-assessment editions (content/assessment/)
    app::Policies* policies = nullptr;          // the basic security policies (content/policy/); set by main
    DownloadCache* policy_downloads = nullptr;  // rendered public policy PDFs and texts; none: not kept
    app::Sessions& sessions;
    app::SavedAssessments& saved_assessments;
    app::Readiness& readiness;
    // The operators' console (issue 12); set by main.
    app::Operators* operators = nullptr;
    app::Console* console = nullptr;
    app::Verifications* verifications = nullptr;         // bulk verification and public histories; set by main
    app::StatisticsCache* statistics = nullptr;          // the public statistics (issue 12); none: 404
    app::VerifierAccounts* verifier_accounts = nullptr;  // the bulk verification page; none: 404
    // The subsidy catalogue in force (issue 13); take `current()` once per request. None: no catalogue.
    app::SubsidyCatalogue* subsidies = nullptr;
    app::Reminders* reminders = nullptr;    // subsidy reminders (issue 13 point 5); none: 404
    app::Supporters* supporters = nullptr;  // supporters of declarations (issue 13 point 6); none: 404
    app::Preparing* preparing = nullptr;    // a supporter's ★★ preparation (ADR 48); none: 404
    // The transparency log's read side and its signing key (issue 14); no key: /log/* is 404.
    app::TransparencyLog* transparency_log = nullptr;
    const tlog::NoteSigner* log_signer = nullptr;
    // After a key rotation, the keys that signed earlier checkpoints (published at /log/key).
    const std::vector<tlog::VerifierKey>* log_previous_keys = nullptr;
    // The witnesses the registry submits its checkpoints to, and how many cosignatures a served
    // checkpoint must carry (ADR 55): listed on /about.
    const std::vector<tlog::VerifierKey>* log_witnesses = nullptr;
    // The log's tiles as served, by path (each path's bytes never change); none: read each time.
    DownloadCache* log_tiles = nullptr;
    int log_witnesses_required = 0;
    // The scoring API's question texts, written as JSON once; set by App from `assessments`.
    const assessment_view::ScoreTexts* score_texts = nullptr;
    // Declarants' codes from an authenticator app (ADR 61); none: the mailed link alone signs in.
    app::DeclarantCodes* declarant_codes = nullptr;
    // The home page as an anonymous visitor gets it; set by App.
    AnonymousPages* anonymous_pages = nullptr;
};

class StaticAssets;

// One request's state, given to the handler.
struct Context {
    Context(const Request& r, Services& s) : req(r), services(s) {}
    const Request& req;
    Services& services;
    i18n::Lang lang = i18n::Lang::Ja;
    std::vector<std::pair<std::string, std::string>> params;
    std::string_view route;  // the matched pattern: what logs name instead of the path (which may hold a token)
    std::optional<std::string> session_token;  // from the cookie, when it names a live session
    std::optional<Session> session;
    std::optional<std::string> csrf_secret;  // the CSRF cookie's value, once read or made (no session)
    bool session_looked_up = false;          // the cookie is looked up once per request
    std::vector<std::string> set_cookies;    // added to the response
    // Where a visitor signed in by this request goes first (ADR 61): the code page, or the code's
    // set-up page when every account needs one. App::handle turns the handler's redirect into one
    // to this page, with the handler's target as `next`. Empty: nowhere first.
    std::string after_sign_in;

    std::string param(std::string_view name) const;
    const std::string& text(const std::string& id) const { return services.catalogue.text(lang, id); }

    // The CSRF token for a form on this page: derived from the session's token when there is a
    // stored session, else from the CSRF cookie, which is set here when missing. Nothing is
    // stored for it (docs/adr/0027-csrf-without-a-stored-session.md).
    Result<std::string> csrf_token();

    // The signed-in account, if any: a session still waiting for its code (ADR 61) is not signed in.
    std::optional<std::int64_t> account_id();
    // The account of a session that waits for the code from its authenticator app, if any.
    std::optional<std::int64_t> account_awaiting_code();
    // Data kept in the server-side session (a JSON object; empty when none).
    nlohmann::json session_data();
    // Keeps `data` in the session, starting a stored session when there is none yet and `data`
    // holds something. A session's CSRF token differs from the cookie's, so a page built before
    // takes the new one in `page`.
    Status save_session_data(const nlohmann::json& data);
    // Who is asking, for use cases.
    app::Caller caller();
    // Replaces the session with a new one for the account (a new token: no session fixation). For
    // an account with a code from an authenticator app, the new session waits for the code
    // (finish_sign_in); after_sign_in says where the visitor goes next.
    Status sign_in(std::int64_t account_id);
    // Signs in the session that waited for its code, once the code is right (a new token again).
    Status finish_sign_in();
    // Ends the server-side session and clears the cookie.
    Status sign_out();
    // Ends every session of the signed-in account, on every browser, and clears the cookie.
    Status sign_out_everywhere();
    // Answers in `chosen` from now on, and remembers the choice in the language cookie.
    void switch_lang(i18n::Lang chosen);

    // A page in the layout, with the common data (language, switch links, CSRF token) added.
    Response page(int status, const std::string& template_name, mustache::data data);
    // A short page of one message (the "message" template): a title, a paragraph and optionally a
    // link onwards.
    struct Message {
        std::string title = {};
        std::string body = {};
        std::string link = {};  // none: no link
        std::string link_text = {};
        bool noindex = false;
    };
    Response message_page(int status, const Message& m);
    // The API and the transparency log's files: machine-read, so failures are problem details.
    bool is_api() const { return req.path.rfind("/api/", 0) == 0 || req.path.rfind("/log/", 0) == 0; }
};

class App {
public:
    App(Services services, const StaticAssets& assets);
    ~App();
    // The route the request goes to. The HTTP adapter asks first, to hand a slow route
    // (Speed::Slow) to another thread, and then passes the match on: a request is matched once.
    Match route(const Request& req) const;
    // Runs the request through the pipeline to the route `match` (from `route`).
    Response handle(const Request& req, const Match& match);
    // Both steps, for callers that have no use for the match (tests, benchmarks).
    Response handle(const Request& req) { return handle(req, route(req)); }
    // A slow route's answer when its quick handler can give one on the calling thread (a cached
    // PDF), through the whole pipeline; nullopt when the request must go to the pool.
    std::optional<Response> handle_quick(const Request& req, const Match& match);
    // The answer to a slow request that the render pool has no room for: 503 with Retry-After and
    // a short page in the visitor's language, counted and logged like any other answer. Reads no
    // session and touches no store, so it costs about as much as /healthz.
    Response busy(const Request& req, const Match& match);

    // Requests being handled right now (for graceful shutdown).
    int in_flight() const { return in_flight_.load(); }

private:
    enum class Path { Full, Quick };
    // The checks every request passes, then the route's handler (Full) or quick handler (Quick,
    // which may return nullopt).
    std::optional<Response> dispatch(Context& ctx, const Match& match, Path path);
    // The steps every answer takes last: cookies, security headers, caching, metrics, access log.
    Response finish(Context& ctx, const Request& req, Response r, std::chrono::steady_clock::time_point started);
    Services services_;
    std::unique_ptr<assessment_view::ScoreTexts> score_texts_;
    std::unique_ptr<AnonymousPages> anonymous_pages_;
    std::unique_ptr<Router> router_;
    std::atomic<int> in_flight_{0};
};

// A declarant's code from an authenticator app (ADR 61): the page that asks for it after the
// mailed link, and My Page's page that sets it up or turns it off (handlers_declarant_code.cpp).
inline constexpr std::string_view kSignInCodePath = "/signin-code";
inline constexpr std::string_view kCodeSetupPath = "/mypage/signin-code";

// The route table (routes.cpp).
std::vector<Route> route_table(const StaticAssets& assets);

// Session cookie name: "__Host-" prefixed on https.
std::string session_cookie_name(const config::Config& config);
// The CSRF cookie of a visitor without a stored session: "__Host-" prefixed on https too.
std::string csrf_cookie_name(const config::Config& config);
// The language cookie: "__Host-" prefixed on https as well (ASVS V3.3.3).
inline constexpr std::string_view kLangCookie = "sengen_lang";
inline constexpr std::string_view kLangCookieHostPrefixed = "__Host-sengen_lang";
// The language the visitor chose, if any. On https the prefixed cookie wins, and the plain one is
// still read so that a choice made before the cookie was renamed is not lost.
std::optional<std::string> chosen_lang(const Request& req, const config::Config& config);

// The cookies of the console and of the verifiers' pages: named with the "__Host-" prefix on https,
// SameSite=Strict (nobody reaches these pages signed in from a link on another site).
struct StrictCookie {
    std::string_view plain;
    std::string_view host_prefixed;
};
inline constexpr StrictCookie kOperatorCookie{"sengen_op", "__Host-sengen-op"};
inline constexpr StrictCookie kVerifierCookie{"sengen_vf", "__Host-sengen-vf"};
std::string cookie_name(const config::Config& config, StrictCookie cookie);
// Sets it for the rest of the browser session, or for `max_age` seconds (0 clears it).
void set_strict_cookie(Context& ctx, StrictCookie cookie, const std::string& value,
                       std::optional<long long> max_age = std::nullopt);

}  // namespace sengen::web
