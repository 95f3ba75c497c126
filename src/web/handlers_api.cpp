// The public JSON API, version 1 (documented in docs/api/openapi.yaml, served as
// /api/v1/openapi.json): look up a declaration, apply, and confirm an application. Third parties
// build on it, so names and shapes only ever grow. The API reads no cookies and needs no CSRF
// token; failures are problem details from web/errors.cpp.
#include <algorithm>

#include "domain/dates.hpp"
#include "domain/error_codes.hpp"
#include "domain/text.hpp"
#include "embedded/embedded.hpp"
#include "web/errors.hpp"
#include "web/handlers.hpp"
#include "web/json_text.hpp"

namespace sengen::web::handlers {

namespace {

using Json = nlohmann::ordered_json;

std::string lower_trimmed(std::string_view s) {
    std::string out(text::trim(s));
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Whether the request says its body is JSON in UTF-8 (RFC 8259 §8.1: JSON exchanged between
// systems is UTF-8; a charset parameter, if any, must say so).
bool is_json(const Request& req) {
    const auto type = req.header("content-type").value_or("");
    const auto semicolon = type.find(';');
    if (lower_trimmed(type.substr(0, semicolon)) != "application/json") return false;
    if (semicolon == std::string_view::npos) return true;
    const auto param = lower_trimmed(type.substr(semicolon + 1));
    return param.empty() || param == "charset=utf-8" || param == "charset=\"utf-8\"";
}

// The JSON object in the body: 415 for another media type; 400 for invalid UTF-8 (checked before
// the parser sees it: nlohmann throws on it later) or malformed JSON; 422 for JSON that is not an
// object or holds more than kMaxJsonValues values.
// The field "body" names the problem, as the self-assessment API does.
Result<nlohmann::json> object_body(const Request& req) {
    if (!is_json(req)) return fail(Error::invalid({}, codes::kUnsupportedMediaType));
    auto parsed = parse_json_body(req.body);
    if (!parsed) return fail(parsed.error());
    if (!parsed->is_object()) return fail(Error::invalid({{"body", "invalid_type"}}, "request.invalid"));
    return parsed;
}

// Reads members of a JSON object, noting each member of the wrong type. An absent member and
// null read as empty.
class Members {
public:
    explicit Members(const nlohmann::json& j) : j_(j) {}
    std::vector<FieldError> errors;

    std::string text(const char* name) {
        const auto* v = find(name);
        if (!v) return {};
        if (!v->is_string()) return wrong(name), std::string();
        return v->get<std::string>();
    }
    bool flag(const char* name) {
        const auto* v = find(name);
        if (!v) return false;
        if (!v->is_boolean()) return wrong(name), false;
        return v->get<bool>();
    }
    // A small whole number, given as a number or as a string of digits (full-width too).
    std::string number(const char* name) {
        const auto* v = find(name);
        if (!v) return {};
        if (v->is_number_integer()) {
            const auto n = v->get<std::int64_t>();
            if (n < 0) errors.push_back({name, "invalid_choice"});
            return n < 0 ? std::string() : std::to_string(n);
        }
        if (v->is_string()) return v->get<std::string>();
        return wrong(name), std::string();
    }
    std::vector<std::string> list(const char* name, bool numbers) {
        std::vector<std::string> out;
        const auto* v = find(name);
        if (!v) return out;
        if (!v->is_array()) return wrong(name), out;
        for (const auto& item : *v) {
            if (item.is_string())
                out.push_back(item.get<std::string>());
            else if (numbers && item.is_number_integer())
                out.push_back(std::to_string(item.get<std::int64_t>()));
            else
                return wrong(name), std::vector<std::string>();
        }
        return out;
    }

private:
    const nlohmann::json* find(const char* name) const {
        auto it = j_.find(name);
        return it == j_.end() || it->is_null() ? nullptr : &*it;
    }
    void wrong(const char* name) { errors.push_back({name, "invalid_type"}); }
    const nlohmann::json& j_;
};

// The API's caller: no cookies are read, so never a signed-in account.
app::Caller api_caller(const Context& ctx) {
    app::Caller c;
    c.ip = ctx.req.remote_ip;
    c.lang = ctx.lang;
    return c;
}

// The declaration's public members, written straight as text (web/json_text.hpp): this is the
// answer verifiers ask for thousands of times. The object is left open for more members. `issuer`
// names the registry that issued the ID: the operator (by its Japanese name, the one it is
// registered under, so that the answer does not vary with Accept-Language) and its base URL.
JsonWriter declaration_json(const PublicDeclaration& p, const Context& ctx) {
    JsonWriter j;
    j.begin_object()
        .member("id", p.public_id.digits())
        .member("business_name", p.business_name)
        .member("level", p.level)
        .member("status", lifecycle::to_string(p.status))
        .member("declared_at", dates::rfc3339_utc(p.declared_at))
        .member("level_since", dates::rfc3339_utc(p.level_since));
    if (p.policy_url.empty())
        j.null_member("policy_url");
    else
        j.member("policy_url", p.policy_url);
    j.key("issuer")
        .begin_object()
        .member("name", ctx.services.registry.content().operator_profile.operator_name.ja)
        .member("url", ctx.services.config.base_url)
        .end_object();
    return j;
}

}  // namespace

Response api_declaration(Context& ctx) {
    auto found = ctx.services.lookup.verify(DeclarationId::parse(ctx.param("id")), api_caller(ctx));
    Response r = found ? json_response(200, declaration_json(*found, ctx).end_object().take())
                       : error_response(ctx, found.error());
    // Public data, no cookies: any web page may read it (a badge widget on a declarant's site).
    r.set("Access-Control-Allow-Origin", "*");
    // A minute of caching absorbs bursts from pages that show a badge; a stop or a revocation
    // shows within that minute.
    if (found) r.set("Cache-Control", "public, max-age=60");
    return r;
}

Response api_apply(Context& ctx) {
    auto body = object_body(ctx.req);
    if (!body) return error_response(ctx, body.error());
    Members m(*body);
    ApplicationInput in;
    in.terms_version = m.text("terms_version");
    in.terms_agreed = m.flag("terms_agreed");
    for (const auto& f : kBusinessFields)
        in.*f.typed = m.text(f.name.data());  // the names are literals: NUL-terminated
    in.purposes = m.list("purposes", false);
    in.level = m.number("level");
    in.commitments = m.list("commitments", true);
    in.assessment_date = m.text("assessment_date");
    in.policy_url = m.text("policy_url");
    // "ja" or "en" in any case; absent or empty: the language the request was negotiated in.
    if (const std::string lang = m.text("lang"); lang.empty())
        in.lang = ctx.lang;
    else if (auto l = i18n::from_code(lang))
        in.lang = *l;
    else
        m.errors.push_back({"lang", "invalid_choice"});

    auto& registry = ctx.services.registry;
    if (!m.errors.empty()) {
        // Every problem at once: the wrong types, then what validation finds in the rest.
        auto errors = m.errors;
        if (auto checked = validate(in, registry.content(), registry.today()); !checked)
            for (const auto& e : checked.error().fields) {
                const bool seen =
                    std::any_of(errors.begin(), errors.end(), [&](const FieldError& x) { return x.field == e.field; });
                if (!seen) errors.push_back(e);
            }
        return error_response(ctx, Error::invalid(std::move(errors), "application.invalid"));
    }
    auto applied = ctx.services.applications.apply(in, api_caller(ctx));
    if (!applied) return error_response(ctx, applied.error());
    return json_response(202, Json{{"application_id", *applied}, {"status", "awaiting_confirmation"}});
}

Response api_confirm(Context& ctx) {
    auto body = object_body(ctx.req);
    if (!body) return error_response(ctx, body.error());
    Members m(*body);
    const std::string token = m.text("token");
    if (!m.errors.empty()) return error_response(ctx, Error::invalid(m.errors, "confirm.invalid"));
    if (token.empty()) return error_response(ctx, Error::invalid({{"token", "required"}}, "confirm.invalid"));
    auto confirmed = ctx.services.applications.confirm(token, api_caller(ctx));
    if (!confirmed) return error_response(ctx, confirmed.error());
    const auto& d = confirmed->declaration;
    if (!d.public_id) {
        // The operator reviews applications first: no ID yet.
        return json_response(202, Json{{"id", nullptr},
                                       {"status", std::string(lifecycle::to_string(d.state.status))},
                                       {"newly_confirmed", confirmed->newly_confirmed}});
    }
    auto out = declaration_json(public_view(d), ctx);
    out.member("newly_confirmed", confirmed->newly_confirmed).end_object();
    return json_response(200, out.take());
}

Response api_openapi(Context& ctx) {
    auto doc = embedded::find("docs/api/openapi.json");
    if (!doc) return status_response(ctx, 404);
    Response r;
    r.set("Content-Type", "application/json");
    r.set("Access-Control-Allow-Origin", "*");
    r.set("Cache-Control", "public, max-age=300");
    r.body = std::string(*doc);
    return r;
}

}  // namespace sengen::web::handlers
