// The operator's own pages: who runs this registry (/about), its privacy policy (/privacy) and
// every version of the terms of use (/terms, /terms/{version}). Everything they say comes from the
// operator profile and the terms files (content/), in the reader's language.
#include "domain/dates.hpp"
#include "web/errors.hpp"
#include "web/handlers.hpp"

namespace sengen::web::handlers {

namespace {

const OperatorProfile& profile_of(const Context& ctx) { return ctx.services.registry.content().operator_profile; }

// The operator's name, address and ways to reach it: the about and privacy pages both show them.
void add_operator(const Context& ctx, mustache::data& d) {
    const auto& p = profile_of(ctx);
    d.set("programme_name", p.programme_name.in(ctx.lang));
    d.set("operator_name", p.operator_name.in(ctx.lang));
    d.set("postal_address", p.postal_address.in(ctx.lang));
    if (!p.representative.in(ctx.lang).empty()) d.set("representative", p.representative.in(ctx.lang));
    if (!p.contact_email.empty()) d.set("contact_email", p.contact_email);
    if (!p.contact_form_url.empty()) d.set("contact_form_url", p.contact_form_url);
    if (!p.contact_phone.empty()) d.set("contact_phone", p.contact_phone);
    if (p.demo()) d.set("demo", true);
}

std::string display_date(Lang lang, const std::string& iso) {
    auto parsed = dates::parse_iso_date(iso);
    return parsed ? dates::display(lang, *parsed) : iso;
}

Response terms_page(Context& ctx, const Terms& terms) {
    const auto& all = ctx.services.registry.content().terms;
    mustache::data d{mustache::data::type::object};
    d.set("page_title", terms.title.in(ctx.lang) + " (" + terms.version + ")");
    d.set("terms_title", terms.title.in(ctx.lang));
    d.set("terms_version", terms.version);
    d.set("terms_effective", display_date(ctx.lang, terms.effective));
    if (&terms == &all.back()) d.set("current", true);
    mustache::data sections{mustache::data::type::list};
    for (const auto& s : terms.sections) {
        mustache::data sd{mustache::data::type::object};
        sd.set("heading", s.heading.in(ctx.lang));
        sd.set("body", s.body.in(ctx.lang));
        sections.push_back(sd);
    }
    d.set("sections", sections);
    if (!terms.changes.in(ctx.lang).empty()) d.set("changes", terms.changes.in(ctx.lang));
    // Every version, newest first, so that a declarant can read the one it agreed to.
    mustache::data versions{mustache::data::type::list};
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        mustache::data v{mustache::data::type::object};
        v.set("version", it->version);
        v.set("effective", display_date(ctx.lang, it->effective));
        v.set("url", "/terms/" + it->version);
        if (&*it == &terms) v.set("shown", true);
        versions.push_back(v);
    }
    d.set("versions", versions);
    return ctx.page(200, "terms", std::move(d));
}

}  // namespace

Response about(Context& ctx) {
    const auto& p = profile_of(ctx);
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("profile.about.title"));
    add_operator(ctx, d);
    if (!p.accepted_for.in(ctx.lang).empty()) d.set("accepted_for", p.accepted_for.in(ctx.lang));
    mustache::data others{mustache::data::type::list};
    for (const auto& r : p.other_registries) {
        mustache::data o{mustache::data::type::object};
        o.set("name", r.name.in(ctx.lang));
        o.set("lookup_url", r.lookup_url);
        others.push_back(o);
    }
    if (!p.other_registries.empty()) d.set("has_other_registries", true);
    d.set("other_registries", others);
    add_log_key(ctx, d);
    return ctx.page(200, "about", std::move(d));
}

Response privacy(Context& ctx) {
    const auto& p = profile_of(ctx);
    const auto& pp = p.privacy;
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("profile.privacy.title"));
    add_operator(ctx, d);
    mustache::data purposes{mustache::data::type::list};
    for (const auto& s : pp.purposes.in(ctx.lang)) purposes.push_back(mustache::data(s));
    d.set("purposes", purposes);
    d.set("sharing", pp.sharing.in(ctx.lang));
    if (!pp.foreign_transfer.in(ctx.lang).empty()) d.set("foreign_transfer", pp.foreign_transfer.in(ctx.lang));
    d.set("retention", pp.retention.in(ctx.lang));
    d.set("safeguards", pp.safeguards.in(ctx.lang));
    d.set("requests", pp.requests.in(ctx.lang));
    d.set("updated", display_date(ctx.lang, pp.updated));
    return ctx.page(200, "privacy", std::move(d));
}

Response terms_current(Context& ctx) { return terms_page(ctx, ctx.services.registry.content().current_terms()); }

Response terms_version(Context& ctx) {
    const auto* terms = ctx.services.registry.content().terms_version(ctx.param("id"));
    if (!terms) return status_response(ctx, 404);
    return terms_page(ctx, *terms);
}

}  // namespace sengen::web::handlers
