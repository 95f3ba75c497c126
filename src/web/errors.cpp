// Error kinds to HTTP status, problem details and error pages. Nothing internal (exception
// text, SQL, paths) is ever put in a response; Error::detail goes to the log only.
#include "web/errors.hpp"

#include <algorithm>
#include <array>
#include <span>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "domain/error_codes.hpp"

namespace sengen::web {

namespace {

constexpr std::size_t kMaxListedErrors = 50;

std::string slug(int status) {
    switch (status) {
        case 400:
            return "bad-request";
        case 401:
            return "unauthorized";
        case 403:
            return "forbidden";
        case 404:
            return "not-found";
        case 405:
            return "method-not-allowed";
        case 409:
            return "conflict";
        case 413:
            return "payload-too-large";
        case 414:
            return "uri-too-long";
        case 431:
            return "request-header-fields-too-large";
        case 415:
            return "unsupported-media-type";
        case 422:
            return "invalid";
        case 429:
            return "too-many-requests";
        case 503:
            return "unavailable";
        default:
            return "internal";
    }
}

// Statuses with their own texts in the catalogue; others use the 500 texts.
int text_status(int status) {
    switch (status) {
        case 400:
        case 401:
        case 403:
        case 404:
        case 405:
        case 409:
        case 413:
        case 414:
        case 415:
        case 422:
        case 431:
        case 429:
        case 503:
            return status;
        default:
            return 500;
    }
}

// Error codes with a status or a problem type of their own; every other error is mapped by its
// kind. The types are part of the API contract (docs/api/openapi.yaml): clients branch on them.
struct ByCode {
    std::string_view code;
    int status;
    std::string_view type;
};
constexpr ByCode kByCode[] = {
    {codes::kRequestMalformed, 400, "bad-request"},  // malformed JSON, invalid UTF-8
    {codes::kUnsupportedMediaType, 415, "unsupported-media-type"},
    {codes::kIdMalformed, 400, "malformed-id"},        // not 11 digits
    {codes::kIdCheckDigit, 400, "id-check-digit"},     // 11 digits, probably mistyped
    {codes::kIdOtherRegistry, 404, "other-registry"},  // 11 digits shaped like another registry's ID
    {codes::kDuplicateCorporateNumber, 409, "duplicate-corporate-number"},
    // Bulk verification (issue 12): a key that is missing or unknown, or revoked; too many IDs.
    {"verifier_key.missing", 401, "unauthorized"},
    {"verifier_key.unknown", 401, "unauthorized"},
    {"verifier_key.revoked", 403, "revoked-key"},
    {"verification.too_many_ids", 413, "payload-too-large"},
};

const ByCode* by_code(const std::string& code) {
    for (const auto& b : kByCode)
        if (b.code == code) return &b;
    return nullptr;
}

// The catalogue's texts for an answer: a refusal by the mail limits says so (the user can do
// nothing about it before tomorrow, unlike a burst of clicks); otherwise the status's texts.
std::string text_base(int status, const Error* e) {
    if (e && e->code.rfind("rate.mail.", 0) == 0) return "error.mail_limit";
    if (e && e->code == codes::kIdOtherRegistry) return "error.other_registry";
    if (e && e->code.rfind("verifier_key.", 0) == 0) return "error." + e->code;
    return "error." + std::to_string(text_status(status));
}

// RFC 9457 problem details. `e` is null for a bare status (no route, CSRF, body too large...).
Response problem(Context& ctx, int status, const Error* e) {
    const std::string base = text_base(status, e);
    const auto* known = e ? by_code(e->code) : nullptr;
    nlohmann::ordered_json body = {
        {"type", "/problems/" + (known ? std::string(known->type) : slug(status))},
        {"title", ctx.text(base + ".title")},
        {"status", status},
        {"detail", ctx.text(base + ".body")},
    };
    // A request refused for one field (an ID) says what is wrong with it in the detail too.
    if (e && status == 400 && !e->fields.empty()) body["detail"] = field_message(ctx, e->fields.front());
    if (e && status < 500 && !e->code.empty()) body["code"] = e->code;
    // Where such an ID can be checked instead: the registries of the operator profile.
    if (e && e->code == codes::kIdOtherRegistry) {
        auto& list = body["other_registries"] = nlohmann::ordered_json::array();
        for (const auto& r : ctx.services.registry.content().operator_profile.other_registries)
            list.push_back({{"name", r.name.in(ctx.lang)}, {"lookup_url", r.lookup_url}});
    }
    if (e && !e->fields.empty()) {
        // A few dozen problems at most: enough for every field of the longest form, while an
        // answer to a request with thousands of bad keys stays a few kilobytes. The rest are counted.
        const auto listed = std::min(e->fields.size(), kMaxListedErrors);
        auto& errs = body["errors"] = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i < listed; ++i) {
            const auto& f = e->fields[i];
            errs.push_back({{"field", f.field}, {"code", f.code}, {"message", field_message(ctx, f)}});
        }
        const auto not_listed = e->fields.size() - listed;
        if (not_listed > 0) body["errors_not_listed"] = not_listed;
    }
    return make_response(status, "application/problem+json",
                         body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response page(Context& ctx, int status, const Error* e = nullptr) {
    const std::string base = text_base(status, e);
    mustache::data d{mustache::data::type::object};
    d.set("status", std::to_string(status));
    d.set("error_title", ctx.text(base + ".title"));
    d.set("error_body", ctx.text(base + ".body"));
    d.set("page_title", ctx.text(base + ".title"));
    d.set("noindex", true);  // an error page has nothing worth finding in a search engine
    return ctx.page(status, "error", std::move(d));
}

}  // namespace

std::string field_message(const Context& ctx, const FieldError& f) {
    // A field group may word a code its own way: "answers.7" + "required" looks for
    // "field_error.answers.required" before "field_error.required".
    const auto dot = f.field.find('.');
    if (dot != std::string::npos) {
        const std::string specific = "field_error." + f.field.substr(0, dot) + "." + f.code;
        const auto& t = ctx.text(specific);
        if (t != specific) return t;
    }
    return ctx.text("field_error." + f.code);
}

int http_status(const Error& e) {
    if (const auto* known = by_code(e.code)) return known->status;
    switch (e.kind) {
        case Error::Kind::Invalid:
            return e.code == codes::kRequestMalformed ? 400 : 422;
        case Error::Kind::NotFound:
            return 404;
        case Error::Kind::Conflict:
            return 409;
        case Error::Kind::Forbidden:
            return 403;
        case Error::Kind::IllegalTransition:
            return 409;
        case Error::Kind::Unavailable:
            return 503;
        case Error::Kind::TooMany:
            return 429;
    }
    return 500;
}

void log_refusal(const Context& ctx, std::string_view event, app::SecurityField first, app::SecurityField second) {
    const std::array<app::SecurityField, 4> given{
        {first, second, {"method", ctx.req.method_text}, {"route", ctx.route}}};
    std::array<app::SecurityField, 4> kept{};
    std::size_t n = 0;
    for (const auto& f : given)
        if (!f.name.empty()) kept.at(n++) = f;  // a detail not given is left out
    app::log_security_event(event, ctx.req.remote_ip, std::span<const app::SecurityField>(kept.data(), n));
}

void log_hostile_fields(const Context& ctx, const std::vector<FieldError>& errors) {
    const auto hostile =
        std::find_if(errors.begin(), errors.end(), [](const FieldError& f) { return f.code == "invalid_characters"; });
    if (hostile != errors.end()) log_refusal(ctx, "input.refused", {"code", hostile->code}, {"field", hostile->field});
}

Response error_response(Context& ctx, const Error& e) {
    int status = http_status(e);
    if (status >= 500) spdlog::error("{} {}: {} ({})", ctx.req.method_text, ctx.route, e.code, e.detail);
    // Every limiter's refusal that becomes a 429 passes here; so does a request body that cannot be read.
    if (status == 429)
        log_refusal(ctx, "rate.limited", {"rule", e.code});
    else if (e.code == codes::kRequestMalformed || status == 413)
        log_refusal(ctx, "input.refused", {"code", e.code});
    else if (e.kind == Error::Kind::Invalid && ctx.is_api())
        log_hostile_fields(ctx, e.fields);  // an HTML form's errors are listed by error_list, which logs them
    Response r = ctx.is_api() ? problem(ctx, status, &e) : page(ctx, status, &e);
    if (status == 429 || status == 503) r.set("Retry-After", "60");
    r.set("X-Robots-Tag", "noindex");
    return r;
}

Response status_response(Context& ctx, int status) {
    if (ctx.is_api()) return problem(ctx, status, nullptr).set("X-Robots-Tag", "noindex");
    try {
        return page(ctx, status).set("X-Robots-Tag", "noindex");
    } catch (const std::exception&) {
        // The error page itself failed (e.g. the store is down while making a CSRF token):
        // fall back to a plain page that needs nothing.
        return make_response(status, "text/plain; charset=utf-8",
                             ctx.text("error." + std::to_string(text_status(status)) + ".title") + "\n");
    }
}

}  // namespace sengen::web
