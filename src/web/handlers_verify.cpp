// Public verification (/verify, /verify/{id}) and the public search (/verify/search). Only the
// public fields of a declaration (PublicDeclaration) ever reach these pages, and no page here is
// meant for search engines: each says noindex in a meta tag and in X-Robots-Tag.
//
// Search has its own page under /verify rather than sharing /verify: the ID check stays one
// short form at the top of /verify (what most visitors came for), the results page keeps the
// search form above the results without the ID form pushing them down on a phone, and every
// result page lives under /verify, so one rule covers robots and rate limits.
#include <algorithm>

#include "domain/dates.hpp"
#include "domain/declaration_history.hpp"
#include "domain/error_codes.hpp"
#include "domain/text.hpp"
#include "web/errors.hpp"
#include "web/forms.hpp"
#include "web/handlers.hpp"

namespace sengen::web::handlers {

namespace {

constexpr std::size_t kSearchNameLimit = 100;  // characters, as the business name itself

Response noindex(Response r) {
    r.set("X-Robots-Tag", "noindex");
    return r;
}

std::string label_of(const std::vector<content::Choice>& list, const std::string& code, i18n::Lang l) {
    const auto* c = content::RegistryContent::find(list, code);
    return c ? c->label.in(l) : code;
}

const char* status_code(lifecycle::Status s) {
    switch (s) {
        case lifecycle::Status::Stopped:
            return "stopped";
        case lifecycle::Status::Revoked:
            return "revoked";
        default:
            return "declared";
    }
}

// The fields every view of a public declaration shows (the details page and a search result).
mustache::data public_fields(Context& ctx, const PublicDeclaration& p) {
    const auto& content = ctx.services.registry.content();
    const int level = std::clamp(p.level, 1, content.max_level());
    const char* code = status_code(p.status);
    mustache::data d{mustache::data::type::object};
    d.set("id", p.public_id.digits());
    d.set("id_view", declaration_id_view(p.public_id));
    d.set("business_name", p.business_name);
    d.set("business_name_kana", p.business_name_kana);
    d.set("prefecture", label_of(content.prefectures, p.prefecture, ctx.lang));
    d.set("stars", content.level(level).stars);
    d.set("level_name", content.level(level).name.in(ctx.lang));
    d.set("level_summary", content.level(level).summary.in(ctx.lang));
    d.set("status_code", std::string(code));
    d.set("status", ctx.text(std::string("verify.status.") + code));
    d.set("declared_at", dates::display_japan_date(ctx.lang, p.declared_at));
    d.set("level_since", dates::display_japan_date(ctx.lang, p.level_since));
    return d;
}

// --- the search form ---------------------------------------------------------------------------

struct SearchQuery {
    std::string name, prefecture, level;
    std::size_t page = 1;
    bool given = false;  // any search parameter was sent (the form was submitted)
};

SearchQuery search_query(const Request& req) {
    const auto params = req.query_params();
    SearchQuery q;
    for (const auto& [k, v] : params)
        if (k == "name" || k == "prefecture" || k == "level" || k == "page") q.given = true;
    q.name = text::squeeze_spaces(first(params, "name").value_or(""));
    q.prefecture = first(params, "prefecture").value_or("");
    q.level = first(params, "level").value_or("");
    const auto page = first(params, "page").value_or("1");
    const auto digit = [](char ch) { return ch >= '0' && ch <= '9'; };
    if (!page.empty() && page.size() <= 4 && std::all_of(page.begin(), page.end(), digit))
        q.page = std::max<std::size_t>(1, std::stoul(page));
    return q;
}

// Problems with what was typed into the search form, as field errors of the form's fields.
std::vector<FieldError> search_errors(const SearchQuery& q, const content::RegistryContent& c) {
    std::vector<FieldError> errors;
    if (text::has_forbidden_characters(q.name))
        errors.push_back({"search_name", "invalid_characters"});
    else if (text::length(q.name) > kSearchNameLimit)
        errors.push_back({"search_name", "too_long"});
    if (!q.prefecture.empty() && !content::RegistryContent::find(c.prefectures, q.prefecture))
        errors.push_back({"search_prefecture", "invalid_choice"});
    if (!q.level.empty()) {
        const bool known = std::any_of(c.levels.begin(), c.levels.end(),
                                       [&](const content::Level& l) { return std::to_string(l.number) == q.level; });
        if (!known) errors.push_back({"search_level", "invalid_choice"});
    }
    return errors;
}

mustache::data search_form(Context& ctx, const SearchQuery& q, const std::vector<FieldError>& errors) {
    const auto& c = ctx.services.registry.content();
    mustache::data d{mustache::data::type::object};
    d.set("name", q.name);
    mustache::data prefectures{mustache::data::type::list};
    for (const auto& p : c.prefectures) {
        mustache::data o{mustache::data::type::object};
        o.set("value", p.code);
        o.set("label", p.label.in(ctx.lang));
        if (p.code == q.prefecture) o.set("selected", true);
        prefectures.push_back(o);
    }
    d.set("prefectures", prefectures);
    mustache::data levels{mustache::data::type::list};
    for (const auto& l : c.levels) {
        mustache::data o{mustache::data::type::object};
        o.set("value", std::to_string(l.number));
        o.set("label", l.stars + " " + l.name.in(ctx.lang));
        if (std::to_string(l.number) == q.level) o.set("selected", true);
        levels.push_back(o);
    }
    d.set("levels", levels);
    for (const auto& e : errors) {
        const auto key = e.field.substr(std::string("search_").size()) + "_error";
        d.set(key, field_message(ctx, e));
    }
    return d;
}

std::string search_url(const SearchQuery& q, std::size_t page) {
    return "/verify/search?name=" + url_encode(q.name) + "&prefecture=" + url_encode(q.prefecture) +
           "&level=" + url_encode(q.level) + "&page=" + std::to_string(page);
}

// --- the ID form ---------------------------------------------------------------------------------

// What /verify says about an ID that no declaration here has: nothing more, or that it looks like
// another registry's ID.
enum class Unknown { No, OtherRegistry };

// /verify with the ID form (holding what was typed and its problem, if any) and the search form.
Response verify_page(Context& ctx, int status, const std::string& typed_id, const std::vector<FieldError>& errors,
                     const std::optional<DeclarationId>& not_found_id = std::nullopt, Unknown unknown = Unknown::No) {
    mustache::data d{mustache::data::type::object};
    d.set("noindex", true);
    d.set("page_title", ctx.text("verify.page_title"));
    FormValues values = FormValues::object();
    values["id"] = typed_id;
    const FieldSpec id_field{"id", FieldSpec::Kind::Text, true, "off", "numeric", 40, nullptr, "medium"};
    d.set("id_field", field_view(ctx, id_field, values, errors));
    d.set("search", search_form(ctx, SearchQuery{}, {}));
    d.set("lang_switch_form", lang_switch_button("verify-id-form", "/verify"));
    if (!errors.empty()) {
        d.set("has_errors", true);
        d.set("errors", error_list(ctx, errors));
        d.set("page_title", ctx.text("apply.error_prefix") + ctx.text("verify.page_title"));
    }
    if (not_found_id) {
        d.set("not_found", true);
        d.set("not_found_body",
              ctx.services.catalogue.format(ctx.lang, "verify.not_found.body", {{"id", not_found_id->grouped()}}));
        d.set("page_title", ctx.text("verify.not_found.title"));
    }
    if (unknown == Unknown::OtherRegistry) {
        // Shaped like another registry's ID (its first digit): say where it can be checked.
        d.set("other_registry", true);
        d.set("other_registry_body", ctx.services.catalogue.format(ctx.lang, "verify.other_registry.body",
                                                                   {{"id", text::squeeze_spaces(typed_id)}}));
        mustache::data list{mustache::data::type::list};
        for (const auto& r : ctx.services.registry.content().operator_profile.other_registries) {
            mustache::data o{mustache::data::type::object};
            o.set("name", r.name.in(ctx.lang));
            o.set("lookup_url", r.lookup_url);
            list.push_back(o);
        }
        d.set("other_registries", list);
        d.set("page_title", ctx.text("verify.other_registry.title"));
    }
    return noindex(ctx.page(status, "verify", std::move(d)));
}

// The outcome of Lookup::verify as a page: the declaration, or the form with the reason.
// The public history (issue 12): one indexed query of the lifecycle events. A failure to read it
// leaves the section out rather than failing the check the visitor came for.
void add_history(Context& ctx, const PublicDeclaration& p, mustache::data& d) {
    if (!ctx.services.verifications) return;
    auto events = ctx.services.verifications->events_for(p);
    if (!events || events->empty()) return;
    const auto& content = ctx.services.registry.content();
    mustache::data rows{mustache::data::type::list};
    for (const auto& e : *events) {
        const int level = std::clamp(e.level, 1, content.max_level());
        mustache::data row{mustache::data::type::object};
        row.set("date", dates::display_japan_date(ctx.lang, e.at));
        row.set("event", ctx.text("verify.history.event." + std::string(history::to_string(e.kind))));
        row.set("stars", content.level(level).stars);
        row.set("level_name", content.level(level).name.in(ctx.lang));
        row.set("status", ctx.text(std::string("verify.status.") + status_code(e.status)));
        rows.push_back(row);
    }
    d.set("history", rows);
    d.set("has_history", true);
}

Response verify_outcome(Context& ctx, const std::string& typed, const DeclarationId::Parsed& parsed,
                        const Result<PublicDeclaration>& found) {
    if (!found) {
        const auto& e = found.error();
        if (e.kind == Error::Kind::Invalid) return verify_page(ctx, http_status(e), typed, e.fields);
        // Only a well-formed ID is looked up, so only one can be not found; 11 digits that fail the
        // check digit and look like another registry's ID are the other "not here".
        if (e.kind == Error::Kind::NotFound && parsed.id) return verify_page(ctx, 404, typed, {}, parsed.id);
        if (e.code == codes::kIdOtherRegistry)
            return verify_page(ctx, 404, typed, {}, std::nullopt, Unknown::OtherRegistry);
        return noindex(error_response(ctx, e));
    }
    const auto& p = *found;
    auto d = public_fields(ctx, p);
    d.set("noindex", true);
    d.set("page_title", ctx.services.catalogue.format(ctx.lang, "verify.show.page_title", {{"name", p.business_name}}));
    const char* code = status_code(p.status);
    d.set(code, true);
    // A declaration that may no longer show a badge carries a banner saying since when and why.
    if (!lifecycle::may_show_badge(p.status)) {
        const auto ended = dates::display_japan_date(ctx.lang, p.ended_at.value_or(p.level_since));
        d.set("ended_body", ctx.services.catalogue.format(ctx.lang, std::string("verify.banner.") + code + ".body",
                                                          {{"date", ended}}));
        d.set("ended_at", ended);
        d.set("ended_label",
              ctx.text(p.status == lifecycle::Status::Revoked ? "verify.row.revoked_at" : "verify.row.stopped_at"));
        if (!p.end_reason.empty()) d.set("reason", p.end_reason);
    }
    if (!p.policy_url.empty()) {
        d.set("has_policy", true);
        d.set("policy_url", p.policy_url);
        // Only http(s) addresses become links; anything else is shown as text.
        if (valid_web_url(p.policy_url)) d.set("policy_link", true);
        // A policy published with this registry's toolkit is on this site, not the business's.
        const auto& base = ctx.services.config.base_url;
        const bool here =
            p.policy_url.size() > base.size() && p.policy_url.starts_with(base) && p.policy_url[base.size()] == '/';
        d.set("policy_note", ctx.text(here ? "verify.policy_note_registry" : "verify.policy_note"));
    }
    add_history(ctx, p, d);
    add_log_position(ctx, p.public_id, d);
    return noindex(ctx.page(200, "verify_show", std::move(d)));
}

}  // namespace

Response verify_form(Context& ctx) {
    const auto params = ctx.req.query_params();
    const auto typed = first(params, "id");
    if (!typed) return verify_page(ctx, 200, "", {});
    // The header's language switch sent the form: the same form again, in the other language, with
    // what was typed and nothing checked yet.
    if (queried_lang_switch(ctx) == LangSwitch::Posted) return verify_page(ctx, 200, *typed, {});
    if (text::squeeze_spaces(*typed).empty()) return verify_page(ctx, 400, "", {{"id", "required"}});
    auto parsed = DeclarationId::parse(*typed);
    if (parsed.id) return noindex(redirect("/verify/" + parsed.id->digits()));
    // Malformed or mistyped: the same answer Lookup::verify gives, without a lookup.
    return verify_outcome(ctx, *typed, parsed, ctx.services.lookup.verify(parsed, ctx.caller()));
}

Response verify_declaration(Context& ctx) {
    const std::string typed = ctx.param("id");
    auto parsed = DeclarationId::parse(typed);
    // "100-0000-0428" or full-width digits in the address: send the visitor to the canonical one.
    if (parsed.id && parsed.id->digits() != typed) return noindex(redirect("/verify/" + parsed.id->digits(), 301));
    return verify_outcome(ctx, typed, parsed, ctx.services.lookup.verify(parsed, ctx.caller()));
}

Response verify_search(Context& ctx) {
    auto& registry = ctx.services.registry;
    const auto q = search_query(ctx.req);
    // Sent by the header's language switch: the form again in the other language, as typed.
    const bool switched = queried_lang_switch(ctx) == LangSwitch::Posted;
    std::vector<FieldError> errors;
    if (q.given && !switched) errors = search_errors(q, registry.content());

    mustache::data d{mustache::data::type::object};
    d.set("noindex", true);
    d.set("page_title", ctx.text("verify.search.page_title"));
    d.set("search", search_form(ctx, q, errors));
    d.set("lang_switch_form", lang_switch_button("verify-search-form", "/verify/search"));
    if (!errors.empty()) {
        d.set("has_errors", true);
        d.set("errors", error_list(ctx, errors));
        d.set("page_title", ctx.text("apply.error_prefix") + ctx.text("verify.search.page_title"));
        return noindex(ctx.page(400, "verify_search", std::move(d)));
    }
    if (!q.given || switched) return noindex(ctx.page(200, "verify_search", std::move(d)));

    const int level = q.level.empty() ? 0 : std::stoi(q.level);
    auto found = ctx.services.lookup.search(q.name, q.prefecture, level, q.page, ctx.caller());
    if (!found) return noindex(error_response(ctx, found.error()));

    const std::size_t from = (found->page - 1) * app::Lookup::kPageSize + 1;
    const std::size_t to = from + found->rows.size() - 1;
    d.set("searched", true);
    mustache::data rows{mustache::data::type::list};
    for (const auto& p : found->rows) rows.push_back(public_fields(ctx, p));
    d.set("rows", rows);
    if (!found->rows.empty()) {
        d.set("has_rows", true);
        d.set("from", std::to_string(from));
        d.set("count_text", ctx.services.catalogue.format(ctx.lang, "verify.search.count",
                                                          {{"total", std::to_string(found->total)},
                                                           {"from", std::to_string(from)},
                                                           {"to", std::to_string(to)}}));
    } else {
        d.set("count_text", ctx.text(found->total == 0 ? "verify.search.none" : "verify.search.page_empty"));
    }
    if (found->pages > 1 || found->page > 1) {
        d.set("paged", true);
        d.set("page_of", ctx.services.catalogue.format(
                             ctx.lang, "verify.search.page_of",
                             {{"page", std::to_string(found->page)}, {"pages", std::to_string(found->pages)}}));
        if (found->page > 1) d.set("prev_url", search_url(q, std::min(found->page - 1, found->pages)));
        if (found->page < found->pages) d.set("next_url", search_url(q, found->page + 1));
    }
    return noindex(ctx.page(200, "verify_search", std::move(d)));
}

}  // namespace sengen::web::handlers
