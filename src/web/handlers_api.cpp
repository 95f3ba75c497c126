// The public JSON API, version 1 (documented in docs/api/openapi.yaml, served as
// /api/v1/openapi.json): look up a declaration, apply, and confirm an application. Third parties
// build on it, so names and shapes only ever grow. The API reads no cookies and needs no CSRF
// token; failures are problem details from web/errors.cpp.
#include <algorithm>

#include "app/verifications.hpp"
#include "domain/dates.hpp"
#include "domain/declaration_history.hpp"
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

// `issuer`, the member every answer about declarations carries: the registry that issued the IDs,
// as the operator (by its Japanese name, the one it is registered under, so that the answer does
// not vary with Accept-Language) and its base URL.
JsonWriter& issuer_member(JsonWriter& j, const Context& ctx) {
    return j.key("issuer")
        .begin_object()
        .member("name", ctx.services.registry.content().operator_profile.operator_name.ja)
        .member("url", ctx.services.config.base_url)
        .end_object();
}

// Public data, no cookies: any web page may read it (a badge widget on a declarant's site).
Response with_cors(Response r) {
    r.set("Access-Control-Allow-Origin", "*");
    return r;
}

// The declaration's public members, written straight as text (web/json_text.hpp): this is the
// answer verifiers ask for thousands of times. The object is left open for more members.
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
    issuer_member(j, ctx);
    return j;
}

}  // namespace

Response api_declaration(Context& ctx) {
    auto found = ctx.services.lookup.verify(DeclarationId::parse(ctx.param("id")), api_caller(ctx));
    if (!found) return with_cors(error_response(ctx, found.error()));
    auto out = declaration_json(*found, ctx);
    // While the registry serves its log, the salt of the record hash its entries carry
    // (tlog/entry.hpp): with the members above but `issuer` and itself, anyone recomputes it.
    if (ctx.services.transparency_log && ctx.services.log_signer) {
        auto salt = ctx.services.transparency_log->record_salt(found->public_id);
        if (!salt) return with_cors(error_response(ctx, salt.error()));
        if (*salt) out.member("record_salt", **salt);
    }
    Response r = json_response(200, out.end_object().take());
    // A minute of caching absorbs bursts from pages that show a badge; a stop or a revocation
    // shows within that minute.
    r.set("Cache-Control", "public, max-age=60");
    return with_cors(std::move(r));
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

// --- Verifiers (issue 12): bulk verification and the public history of a declaration ----------

namespace {

// The key of "Authorization: Bearer KEY" (RFC 6750 §2.1; the scheme in any case); "" when absent.
std::string_view bearer_key(const Request& req) {
    const auto header = req.header("authorization");
    if (!header) return {};
    const std::string_view v = text::trim(*header);
    if (v.size() < 7 || lower_trimmed(v.substr(0, 7)) != "bearer") return {};
    return text::trim(v.substr(7));
}

// An answer refused for its key says how to authenticate (RFC 6750 §3).
Response key_refused(Context& ctx, const Error& e) {
    // A missing, unknown or revoked key is a failed authentication (a 429 is logged by error_response).
    if (e.kind == Error::Kind::Forbidden) log_refusal(ctx, "key.refused", {"code", e.code});
    Response r = error_response(ctx, e);
    if (e.code == "verifier_key.missing")
        r.set("WWW-Authenticate", "Bearer realm=\"sengen\"");
    else if (e.code == "verifier_key.unknown")
        r.set("WWW-Authenticate", "Bearer realm=\"sengen\", error=\"invalid_token\"");
    return r;
}

std::string_view event_status(lifecycle::Status s) { return lifecycle::to_string(s); }

}  // namespace

Response api_verifications(Context& ctx) {
    if (!ctx.services.verifications) return status_response(ctx, 404);
    const auto key = bearer_key(ctx.req);
    if (key.empty()) return key_refused(ctx, Error::forbidden("verifier_key.missing"));
    if (!is_json(ctx.req)) return error_response(ctx, Error::invalid({}, codes::kUnsupportedMediaType));
    // Room for kMaxItems objects of two members each; more is a request over the size (413).
    auto body = parse_json_body(ctx.req.body, 3 * app::Verifications::kMaxItems + 16);
    if (!body) {
        const auto& f = body.error().fields;
        if (!f.empty() && f.front().code == "too_many_items")
            return key_refused(ctx, Error::invalid({{"ids", "too_many_items"}}, "verification.too_many_ids"));
        return error_response(ctx, body.error());
    }
    if (!body->is_object()) return error_response(ctx, Error::invalid({{"body", "invalid_type"}}, "request.invalid"));

    std::vector<FieldError> errors;
    std::optional<dates::CivilDate> at;
    if (auto it = body->find("at"); it != body->end() && !it->is_null()) {
        if (!it->is_string())
            errors.push_back({"at", "invalid_type"});
        else if (auto d = dates::parse_iso_date(it->get_ref<const std::string&>()); !d)
            errors.push_back({"at", "invalid_date"});
        else if (dates::iso_date(*d) > ctx.services.registry.today())
            errors.push_back({"at", "future_date"});
        else
            at = *d;
    }
    std::vector<app::VerificationItem> items;
    auto ids = body->find("ids");
    if (ids == body->end() || ids->is_null())
        errors.push_back({"ids", "required"});
    else if (!ids->is_array())
        errors.push_back({"ids", "invalid_type"});
    else {
        items.reserve(ids->size());
        std::size_t n = 0;
        for (auto& item : *ids) {
            app::VerificationItem v;
            if (item.is_string()) {
                v.typed_id = std::move(item.get_ref<std::string&>());
            } else if (item.is_object()) {
                auto id = item.find("id");
                auto number = item.find("corporate_number");
                if (id == item.end() || !id->is_string())
                    errors.push_back({"ids[" + std::to_string(n) + "].id", "invalid_type"});
                else
                    v.typed_id = std::move(id->get_ref<std::string&>());
                if (number != item.end() && !number->is_null()) {
                    if (number->is_string())
                        v.corporate_number = std::move(number->get_ref<std::string&>());
                    else
                        errors.push_back({"ids[" + std::to_string(n) + "].corporate_number", "invalid_type"});
                }
            } else {
                errors.push_back({"ids[" + std::to_string(n) + "]", "invalid_type"});
            }
            items.push_back(std::move(v));
            ++n;
        }
        if (items.empty()) errors.push_back({"ids", "required"});
    }
    if (!errors.empty()) return error_response(ctx, Error::invalid(std::move(errors), "verification.invalid"));

    auto checked = ctx.services.verifications->verify(key, items, at, api_caller(ctx));
    if (!checked) return key_refused(ctx, checked.error());

    JsonWriter j;
    j.begin_object();
    if (at) j.member("at", dates::iso_date(*at));
    j.key("results").begin_array();
    for (const auto& r : checked->results) {
        j.begin_object().member("id", r.id);
        if (r.error != app::ItemError::None) {
            j.member("found", false).member("error", app::error_code(r.error)).end_object();
            continue;
        }
        if (!r.found) {
            j.member("found", false).end_object();
            continue;
        }
        const auto& p = checked->found[*r.found].view;
        j.member("found", true).member("business_name", p.business_name);
        if (at && !r.state_at) {
            // Not declared yet at the end of that day.
            j.null_member("level").member("status", "not_declared");
        } else {
            const auto state = at ? *r.state_at : lifecycle::State{p.status, p.level};
            j.member("level", state.level).member("status", lifecycle::to_string(state.status));
        }
        j.member("declared_at", dates::rfc3339_utc(p.declared_at))
            .member("level_since", dates::rfc3339_utc(p.level_since));
        if (p.policy_url.empty())
            j.null_member("policy_url");
        else
            j.member("policy_url", p.policy_url);
        if (r.corporate_number_matches) j.member("corporate_number_matches", *r.corporate_number_matches);
        j.end_object();
    }
    j.end_array();
    issuer_member(j, ctx).end_object();
    Response out = json_response(200, j.take());
    out.set("Cache-Control", "no-store");
    return out;
}

Response api_declaration_history(Context& ctx) {
    if (!ctx.services.verifications) return status_response(ctx, 404);
    // The same limit and the same answers for a bad or unknown ID as the single lookup.
    auto limited = ctx.services.lookup.verify(DeclarationId::parse(ctx.param("id")), api_caller(ctx));
    if (!limited) return error_response(ctx, limited.error());
    auto events = ctx.services.verifications->events_for(*limited);
    if (!events) return error_response(ctx, events.error());
    JsonWriter j;
    j.begin_object().member("id", limited->public_id.digits()).key("events").begin_array();
    for (const auto& e : *events)
        j.begin_object()
            .member("event", history::to_string(e.kind))
            .member("at", dates::rfc3339_utc(e.at))
            .member("date", dates::japan_iso_date(e.at))
            .member("level", e.level)
            .member("status", event_status(e.status))
            .end_object();
    j.end_array();
    issuer_member(j, ctx).end_object();
    Response r = json_response(200, j.take());
    r.set("Access-Control-Allow-Origin", "*");
    r.set("Cache-Control", "public, max-age=60");
    return r;
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
