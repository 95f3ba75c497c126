// The subsidy catalogue's pages and API (issue 13 points 3 and 4): /subsidies with its GET filters,
// /subsidies/{slug}, a signed-in declarant's readiness per declaration, and the JSON answers
// GET /api/v1/subsidies, /api/v1/subsidies/{slug} and /api/v1/declarations/{id}/readiness. Each
// request takes the catalogue's snapshot once, so a reload meanwhile never mixes two editions.
#include <algorithm>

#include "domain/dates.hpp"
#include "domain/error_codes.hpp"
#include "domain/subsidy/readiness.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/handlers.hpp"
#include "web/json_text.hpp"

namespace sengen::web::handlers {

namespace {

using Json = nlohmann::ordered_json;
using subsidy::AskKind;
using subsidy::Programme;

constexpr AskKind kKinds[] = {AskKind::Required, AskKind::BonusPoints, AskKind::RequiredAfterAdoption};

template <typename E>
std::string text_of(E e) {
    return std::string(subsidy::to_string(e));
}

std::string level_text(Context& ctx, int level) {
    const auto& c = ctx.services.registry.content();
    if (level < 1 || level > c.max_level()) return std::to_string(level);
    return c.level(level).stars + " " + c.level(level).name.in(ctx.lang);
}

std::string date_text(Context& ctx, const std::string& iso) {
    const auto d = dates::parse_iso_date(iso);
    return d ? dates::display(ctx.lang, *d) : iso;
}

std::string area_text(Context& ctx, const Programme& p) {
    if (p.scope == subsidy::Scope::National) return ctx.text("subsidies.area_national");
    const auto* pref = content::RegistryContent::find(ctx.services.registry.content().prefectures, p.prefecture);
    std::string area = pref ? pref->label.in(ctx.lang) : p.prefecture;
    if (p.scope == subsidy::Scope::Municipal && !p.city.in(ctx.lang).empty())
        area += (ctx.lang == i18n::Lang::Ja ? " " : ", ") + p.city.in(ctx.lang);
    return area;
}

// The registries a programme checks, by name, in the page's language.
std::string registries_text(Context& ctx, const subsidy::Catalogue& cat, const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& code : codes) {
        std::string name;
        if (code == subsidy::kThisRegistry)
            name = ctx.text("subsidies.registry_this");
        else if (code == subsidy::kAnyRegistry)
            name = ctx.text("subsidies.registry_any");
        else if (const auto* r = cat.registry(code))
            name = r->name.in(ctx.lang);
        else
            name = code;
        out += (out.empty() ? "" : ctx.lang == i18n::Lang::Ja ? "、" : ", ") + name;
    }
    return out;
}

// The other registries a programme checks, each with the page where a business declares there.
mustache::data registry_links(Context& ctx, const subsidy::Catalogue& cat, const std::vector<std::string>& codes) {
    mustache::data list{mustache::data::type::list};
    for (const auto& code : codes)
        if (const auto* r = cat.registry(code)) {
            mustache::data l{mustache::data::type::object};
            l.set("name", r->name.in(ctx.lang));
            l.set("url", r->url);
            list.push_back(l);
        }
    return list;
}

std::string status_text(Context& ctx, subsidy::Status s) {
    return ctx.text("subsidies.status_" + std::string(subsidy::to_string(s)));
}

// Whether a table cell's text is short enough to keep on one line (「すべての枠」, 「第1回締切」,
// 「申請の条件」). Chromium sizes a column of Japanese text as if it could break between any two
// characters, phrase detection or not, so on a phone such a cell gets a column two characters
// wide and a line with one character in it; kept whole, the column takes the word's width.
bool keep_whole(std::string_view text) {
    constexpr std::size_t kShortCharacters = 8;
    const auto characters = static_cast<std::size_t>(
        std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    return characters <= kShortCharacters;
}

mustache::data asks_view(Context& ctx, const Programme& p) {
    mustache::data asks{mustache::data::type::list};
    for (const auto& a : p.asks) {
        mustache::data v{mustache::data::type::object};
        const auto kind = ctx.text("subsidies.kind_" + std::string(subsidy::to_string(a.kind)));
        v.set("kind", kind);
        v.set("kind_whole", keep_whole(kind));
        v.set("level", level_text(ctx, a.minimum_level));
        std::string frames;
        for (const auto& code : a.frames)
            for (const auto& f : p.frames)
                if (f.code == code) frames += (frames.empty() ? "" : " / ") + f.name.in(ctx.lang);
        if (frames.empty()) frames = ctx.text("subsidies.frames_all");
        v.set("frames_whole", keep_whole(frames));
        v.set("frames", frames);
        v.set("note", a.note.in(ctx.lang));  // always set: a missing key would read the programme's note
        v.set("has_note", !a.note.in(ctx.lang).empty());
        asks.push_back(v);
    }
    return asks;
}

// What a card and the programme's page share.
mustache::data programme_view(Context& ctx, const subsidy::Catalogue& cat, const Programme& p) {
    mustache::data v{mustache::data::type::object};
    v.set("slug", p.slug);
    v.set("url", "/subsidies/" + p.slug);
    v.set("name", p.name.in(ctx.lang));
    v.set("body", p.body.in(ctx.lang));
    v.set("summary", p.summary.in(ctx.lang));
    v.set("area", area_text(ctx, p));
    v.set("status", status_text(ctx, p.status));
    v.set("status_class", std::string(subsidy::to_string(p.status)));
    if (p.status == subsidy::Status::Closed) v.set("closed", true);
    v.set("level", level_text(ctx, p.minimum_level()));
    v.set("asks", asks_view(ctx, p));
    v.set("accepts", registries_text(ctx, cat, p.accepts));
    // The plain warning the issue asks for: a programme that does not take this registry's IDs
    // says so, with the page of the registry it does check.
    if (!p.accepts_registry(subsidy::kThisRegistry)) {
        v.set("not_this_registry", true);
        v.set("registry_links", registry_links(ctx, cat, p.accepts));
    }
    v.set("checked", date_text(ctx, p.checked));
    v.set("checked_iso", p.checked);
    return v;
}

const std::string* first(const Params& params, std::string_view key) {
    for (const auto& [k, v] : params)
        if (k == key) return &v;
    return nullptr;
}

struct Filters {
    std::string prefecture;       // a code of content/choices.toml; "" for every area
    std::optional<AskKind> kind;  // none: every kind
    bool open_only = false;
};

// Unknown values read as "no filter": a hand-edited address shows the whole list, not an error.
Filters filters_of(Context& ctx) {
    const auto params = ctx.req.query_params();
    Filters f;
    if (const auto* p = first(params, "prefecture");
        p && content::RegistryContent::find(ctx.services.registry.content().prefectures, *p))
        f.prefecture = *p;
    if (const auto* k = first(params, "kind")) f.kind = subsidy::ask_kind_from_string(*k);
    if (const auto* o = first(params, "open")) f.open_only = *o == "1";
    return f;
}

// A prefecture's businesses may use the national programmes and their own prefecture's.
bool matches(const Programme& p, const Filters& f) {
    if (!f.prefecture.empty() && p.scope != subsidy::Scope::National && p.prefecture != f.prefecture) return false;
    return !f.kind || p.has(*f.kind);
}

// One declaration's subscribe or unsubscribe form; `back` says which page the form returns to.
mustache::data reminder_choice(const std::string& csrf, const std::string& id, const std::string& slug, bool subscribed,
                               const std::string& back, const std::string& label) {
    const std::string base = "/mypage/declarations/" + id + "/subsidies/" + slug;
    mustache::data c{mustache::data::type::object};
    c.set("id", id);
    c.set("csrf", csrf);
    c.set("back", back);
    if (!label.empty()) c.set("label", label);
    if (subscribed) c.set("subscribed", true);
    c.set("subscribe_action", base + "/subscribe");
    c.set("unsubscribe_action", base + "/unsubscribe");
    return c;
}

// In a card of the readiness page the section's heading is one level below the card's.
enum class Placement { Page, Card };

mustache::data reminder_view(const std::string& slug, const mustache::data& choices, Placement placement) {
    mustache::data r{mustache::data::type::object};
    r.set("slug", slug);
    if (placement == Placement::Card) r.set("in_card", true);
    r.set("choices", choices);
    return r;
}

app::CatalogueSnapshot snapshot(Context& ctx) {
    return ctx.services.subsidies ? ctx.services.subsidies->current() : nullptr;
}

}  // namespace

Response subsidies_page(Context& ctx) {
    auto cat = snapshot(ctx);
    if (!cat) return status_response(ctx, 404);
    const auto f = filters_of(ctx);
    mustache::data d{mustache::data::type::object};
    d.set("page_title", ctx.text("subsidies.title"));
    d.set("edition", cat->edition());

    mustache::data prefs{mustache::data::type::list};
    for (const auto& p : ctx.services.registry.content().prefectures) {
        mustache::data o{mustache::data::type::object};
        o.set("code", p.code);
        o.set("label", p.label.in(ctx.lang));
        if (p.code == f.prefecture) o.set("selected", true);
        prefs.push_back(o);
    }
    d.set("prefectures", prefs);
    mustache::data kinds{mustache::data::type::list};
    for (const auto k : kKinds) {
        mustache::data o{mustache::data::type::object};
        o.set("code", std::string(subsidy::to_string(k)));
        o.set("label", ctx.text("subsidies.kind_" + std::string(subsidy::to_string(k))));
        if (f.kind == k) o.set("selected", true);
        kinds.push_back(o);
    }
    d.set("kinds", kinds);
    if (f.open_only) d.set("open_only", true);

    mustache::data list{mustache::data::type::list};
    std::size_t shown = 0, hidden = 0;
    for (const auto& p : cat->programmes()) {
        if (!matches(p, f)) continue;
        if (f.open_only && p.status != subsidy::Status::Open) {
            ++hidden;
            continue;
        }
        list.push_back(programme_view(ctx, *cat, p));
        ++shown;
    }
    if (shown == 0) d.set("none", true);
    d.set("programmes", list);
    const auto& messages = ctx.services.catalogue;
    d.set("count", messages.format(ctx.lang, "subsidies.count", {{"n", std::to_string(shown)}}));
    if (f.open_only) {
        // Never hidden silently: the filter says how many it leaves out, and how to see them.
        d.set("hidden", messages.format(ctx.lang, "subsidies.hidden_count", {{"n", std::to_string(hidden)}}));
        std::string all = "/subsidies";
        std::string sep = "?";
        if (!f.prefecture.empty()) all += sep + "prefecture=" + f.prefecture, sep = "&";
        if (f.kind) all += sep + "kind=" + std::string(subsidy::to_string(*f.kind));
        d.set("show_all_url", all);
    }
    return ctx.page(200, "subsidies", std::move(d));
}

Response subsidy_page(Context& ctx) {
    auto cat = snapshot(ctx);
    if (!cat) return status_response(ctx, 404);
    const auto* p = cat->find(ctx.param("slug"));
    if (!p) return status_response(ctx, 404);
    auto v = programme_view(ctx, *cat, *p);
    v.set("page_title", p->name.in(ctx.lang));
    mustache::data frames{mustache::data::type::list};
    for (const auto& fr : p->frames) frames.push_back(mustache::data("name", fr.name.in(ctx.lang)));
    if (!p->frames.empty()) v.set("frames", frames), v.set("has_frames", true);
    mustache::data prereqs{mustache::data::type::list};
    for (const auto& code : p->prerequisites)
        if (const auto* pr = cat->prerequisite(code)) {
            mustache::data o{mustache::data::type::object};
            o.set("name", pr->name.in(ctx.lang));
            o.set("description", pr->description.in(ctx.lang));
            prereqs.push_back(o);
        }
    if (!p->prerequisites.empty()) v.set("prerequisites", prereqs), v.set("has_prerequisites", true);
    std::string years;
    for (const int y : p->years) years += (years.empty() ? "" : ", ") + std::to_string(y);
    if (!years.empty()) v.set("years", years);
    mustache::data rounds{mustache::data::type::list};
    for (const auto& r : p->rounds) {
        mustache::data o{mustache::data::type::object};
        o.set("name", r.name.in(ctx.lang));
        o.set("name_whole", keep_whole(r.name.in(ctx.lang)));
        o.set("status", status_text(ctx, r.status));
        o.set("status_class", std::string(subsidy::to_string(r.status)));
        o.set("opens", r.opens.empty() ? ctx.text("subsidies.date_unknown") : date_text(ctx, r.opens));
        o.set("closes", r.closes.empty() ? ctx.text("subsidies.date_unknown") : date_text(ctx, r.closes));
        rounds.push_back(o);
    }
    if (!p->rounds.empty()) v.set("rounds", rounds), v.set("has_rounds", true);
    mustache::data sources{mustache::data::type::list};
    for (const auto& s : p->sources) sources.push_back(mustache::data("url", s));
    v.set("sources", sources);
    if (!p->note.in(ctx.lang).empty()) v.set("note", p->note.in(ctx.lang));
    v.set("edition", cat->edition());
    // A signed-in declarant may ask to be told when the programme opens a round, per declaration.
    if (auto account = ctx.services.reminders ? ctx.account_id() : std::nullopt) {
        auto choices = ctx.services.reminders->choices(*account, p->slug);
        if (!choices) return error_response(ctx, choices.error());
        auto csrf = ctx.csrf_token();
        if (!csrf) return error_response(ctx, csrf.error());
        mustache::data list{mustache::data::type::list};
        for (const auto& c : *choices) {
            const std::string id = c.declaration.public_id->digits();
            list.push_back(reminder_choice(*csrf, id, p->slug, c.subscribed, "programme",
                                           c.declaration.details.business_name + " (" + id + ")"));
        }
        if (!choices->empty()) v.set("reminder", reminder_view(p->slug, list, Placement::Page));
    }
    take_flash(ctx, v);
    return ctx.page(200, "subsidy", std::move(v));
}

// --- a signed-in declarant's readiness ------------------------------------------------------

namespace {

// What one gap asks of the business, with the page that leads there.
mustache::data gap_view(Context& ctx, const subsidy::Catalogue& cat, const subsidy::Gap& g,
                        const std::string& detail_url, const support::Access& access) {
    mustache::data v{mustache::data::type::object};
    v.set("code", subsidy::code_of(g));
    mustache::data links{mustache::data::type::list};
    auto link = [&](const std::string& url, const std::string& text) {
        mustache::data l{mustache::data::type::object};
        l.set("url", url);
        l.set("text", text);
        links.push_back(l);
    };
    switch (g.code) {
        case subsidy::GapCode::NeedsDeclaration:
            v.set("text", ctx.services.catalogue.format(ctx.lang, "subsidies.gap_needs_declaration",
                                                        {{"level", level_text(ctx, g.level)}}));
            for (const auto& code : g.registries)
                if (const auto* r = cat.registry(code))
                    link(r->url, ctx.services.catalogue.format(ctx.lang, "subsidies.link_registry",
                                                               {{"registry", r->name.in(ctx.lang)}}));
                else
                    link("/apply", ctx.text("subsidies.link_apply"));
            break;
        case subsidy::GapCode::NeedsLevel:
            v.set("text", ctx.services.catalogue.format(ctx.lang, "subsidies.gap_needs_level",
                                                        {{"level", level_text(ctx, g.level)}}));
            // A supporter prepares at most (ADR 48); stepping up is the owner's (ADR 42), so it
            // gets no link to the step-up page, which would refuse it.
            switch (support::two_star_path(access)) {
                case support::TwoStarPath::StepUp:
                    link("/assessment", ctx.text("subsidies.link_assessment"));
                    link("/mypage#policies-title", ctx.text("subsidies.link_policy"));
                    link(detail_url + "/step-up", ctx.text("subsidies.link_step_up"));
                    break;
                case support::TwoStarPath::Prepare:
                    link(detail_url + "#prepare-title", ctx.text("subsidies.link_prepare"));
                    v.set("note", ctx.text("subsidies.owner_steps_up"));
                    break;
                case support::TwoStarPath::LeaveToOwner:
                    v.set("note", ctx.text("subsidies.owner_steps_up"));
                    break;
            }
            break;
        case subsidy::GapCode::RegistryNotAccepted:
            v.set("text", ctx.services.catalogue.format(ctx.lang, "subsidies.gap_registry_not_accepted",
                                                        {{"registries", registries_text(ctx, cat, g.registries)}}));
            for (const auto& code : g.registries)
                if (const auto* r = cat.registry(code))
                    link(r->url, ctx.services.catalogue.format(ctx.lang, "subsidies.link_registry",
                                                               {{"registry", r->name.in(ctx.lang)}}));
            break;
        case subsidy::GapCode::DeclarationStopped:
            v.set("text", ctx.text("subsidies.gap_declaration_stopped"));
            link("/apply", ctx.text("subsidies.link_declare_again"));
            break;
        case subsidy::GapCode::DeclarationRevoked:
            v.set("text", ctx.text("subsidies.gap_declaration_revoked"));
            link("/about", ctx.text("subsidies.link_operator"));
            break;
    }
    v.set("links", links);
    return v;
}

Result<app::Acting> viewable_declaration(Context& ctx, std::int64_t account) {
    const std::string typed = ctx.param("id");
    auto parsed = DeclarationId::parse(typed);
    // As the declaration's own page: the site links to the bare digits only.
    if (!parsed.id || parsed.id->digits() != typed) return fail(Error::not_found(codes::kDeclarationNotFound));
    return ctx.services.declarations.acting(account, *parsed.id, support::Action::View);
}

}  // namespace

Response mypage_subsidies(Context& ctx) {
    auto account = ctx.account_id();
    if (!account) return sign_in_first(ctx.req.path);
    // The owner's, or a supporter's view of a business it helps (reminders are the owner's alone).
    auto acting = viewable_declaration(ctx, *account);
    if (!acting) return error_response(ctx, acting.error());
    const Declaration* d = &acting->declaration;
    app::Reminders* reminders =
        support::allowed(acting->access, support::Action::Subscribe) ? ctx.services.reminders : nullptr;
    auto cat = snapshot(ctx);
    if (!cat) return status_response(ctx, 404);
    const std::string detail_url = "/mypage/declarations/" + d->public_id->digits();
    const auto facts = subsidy::facts_of(d->state);

    mustache::data v{mustache::data::type::object};
    v.set("page_title",
          ctx.services.catalogue.format(ctx.lang, "subsidies.readiness_title", {{"name", d->details.business_name}}));
    v.set("business_name", d->details.business_name);
    v.set("detail_url", detail_url);
    v.set("level", level_text(ctx, d->state.level));
    std::vector<std::string> subscribed;
    std::string csrf;
    if (reminders) {
        auto on = reminders->subscribed(*account, *d->public_id);
        if (!on) return error_response(ctx, on.error());
        subscribed = std::move(*on);
        auto token = ctx.csrf_token();
        if (!token) return error_response(ctx, token.error());
        csrf = std::move(*token);
    }
    mustache::data list{mustache::data::type::list};
    for (const auto& p : cat->programmes()) {
        const auto r = subsidy::assess(p, facts);
        auto pv = programme_view(ctx, *cat, p);
        if (reminders) {
            const bool on = std::find(subscribed.begin(), subscribed.end(), p.slug) != subscribed.end();
            mustache::data one{mustache::data::type::list};
            one.push_back(reminder_choice(csrf, d->public_id->digits(), p.slug, on, "readiness", ""));
            pv.set("reminder", reminder_view(p.slug, one, Placement::Card));
        }
        const bool met = r.verdict == subsidy::Verdict::Met;
        pv.set("verdict", ctx.text(met ? "subsidies.verdict_met" : "subsidies.verdict_not_met"));
        pv.set("verdict_class", met ? "met" : "not-met");
        mustache::data gaps{mustache::data::type::list};
        for (const auto& g : r.missing) gaps.push_back(gap_view(ctx, *cat, g, detail_url, acting->access));
        if (!r.missing.empty()) pv.set("gaps", gaps);
        // Bonus points beside a requirement are reported on their own (they do not change the verdict).
        // A programme of bonus points only has them in `missing` already.
        mustache::data bonus{mustache::data::type::list};
        const bool has_requirement = p.has(AskKind::Required) || p.has(AskKind::RequiredAfterAdoption);
        for (const auto& o : r.asks) {
            if (!has_requirement || o.ask.kind != AskKind::BonusPoints || o.verdict == subsidy::Verdict::Met) continue;
            for (const auto& g : o.gaps)
                if (std::find(r.missing.begin(), r.missing.end(), g) == r.missing.end())
                    bonus.push_back(gap_view(ctx, *cat, g, detail_url, acting->access));
        }
        if (!bonus.is_empty_list()) pv.set("bonus_gaps", bonus), pv.set("has_bonus", true);
        mustache::data unchecked{mustache::data::type::list};
        for (const auto& code : r.unchecked)
            if (const auto* pr = cat->prerequisite(code))
                unchecked.push_back(mustache::data("name", pr->name.in(ctx.lang)));
        if (!r.unchecked.empty()) pv.set("unchecked", unchecked), pv.set("has_unchecked", true);
        list.push_back(pv);
    }
    v.set("programmes", list);
    take_flash(ctx, v);
    return ctx.page(200, "mypage_subsidies", std::move(v));
}

// --- reminders: subscribing on My Page, unsubscribing by the mail's link ----------------------

namespace {

Response subscription_change(Context& ctx, bool subscribe) {
    if (!ctx.services.reminders) return status_response(ctx, 404);
    auto account = ctx.account_id();
    if (!account) return redirect("/signin");
    const std::string typed = ctx.param("id");
    auto parsed = DeclarationId::parse(typed);
    if (!parsed.id || parsed.id->digits() != typed)
        return error_response(ctx, Error::not_found(codes::kDeclarationNotFound));
    const std::string slug = ctx.param("slug");
    auto& reminders = *ctx.services.reminders;
    auto ok = subscribe ? reminders.subscribe(ctx.caller(), *account, *parsed.id, slug)
                        : reminders.unsubscribe(ctx.caller(), *account, *parsed.id, slug);
    if (!ok) return error_response(ctx, ok.error());
    set_flash(ctx, subscribe ? "subsidies.flash_subscribed" : "subsidies.flash_unsubscribed");
    const auto form = ctx.req.form_params();
    if (const auto* back = first(form, "back"); back && *back == "programme") return redirect("/subsidies/" + slug);
    return redirect("/mypage/declarations/" + typed + "/subsidies#programme-" + slug);
}

// The confirmation page of an unsubscribe link, or what became of it.
Response unsubscribe_page(Context& ctx, int status, const std::string& title_id, mustache::data v) {
    v.set("page_title", ctx.text(title_id));
    v.set("noindex", true);
    return ctx.page(status, "subsidy_unsubscribe", std::move(v));
}

}  // namespace

Response subsidy_subscribe(Context& ctx) { return subscription_change(ctx, true); }
Response subsidy_unsubscribe(Context& ctx) { return subscription_change(ctx, false); }

Response reminder_unsubscribe_show(Context& ctx) {
    if (!ctx.services.reminders) return status_response(ctx, 404);
    const std::string token = ctx.param("token");
    auto found = ctx.services.reminders->find_by_token(token);
    if (!found) return error_response(ctx, found.error());
    mustache::data v{mustache::data::type::object};
    if (!*found) {
        v.set("unknown", true);
        return unsubscribe_page(ctx, 404, "subsidies.unsubscribe_title", std::move(v));
    }
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    auto cat = snapshot(ctx);
    const auto* p = cat ? cat->find((*found)->programme) : nullptr;
    v.set("question", ctx.services.catalogue.format(ctx.lang, "subsidies.unsubscribe_question",
                                                    {{"business_name", (*found)->business_name},
                                                     {"programme", p ? p->name.in(ctx.lang) : (*found)->programme}}));
    v.set("csrf", *csrf);
    v.set("action", "/subsidies/unsubscribe/" + token);
    return unsubscribe_page(ctx, 200, "subsidies.unsubscribe_title", std::move(v));
}

// The confirmation page's form (with its CSRF token), or a mail program's one-click POST (RFC 8058,
// let through without one by the route's Csrf::OneClickUnsubscribe): the token alone authorises.
Response reminder_unsubscribe_submit(Context& ctx) {
    if (!ctx.services.reminders) return status_response(ctx, 404);
    auto ended = ctx.services.reminders->unsubscribe_by_token(ctx.param("token"), ctx.req.remote_ip);
    if (!ended) return error_response(ctx, ended.error());
    mustache::data v{mustache::data::type::object};
    if (!*ended) {
        v.set("unknown", true);
        return unsubscribe_page(ctx, 404, "subsidies.unsubscribe_title", std::move(v));
    }
    v.set("done", true);
    return unsubscribe_page(ctx, 200, "subsidies.unsubscribe_done_title", std::move(v));
}

// --- JSON API ---------------------------------------------------------------------------------

namespace {

Json localized(const Localized& l) { return Json{{"ja", l.ja}, {"en", l.en}}; }

Json programme_json(const subsidy::Catalogue& cat, const Programme& p) {
    Json j;
    j["slug"] = p.slug;
    j["name"] = localized(p.name);
    j["body"] = localized(p.body);
    j["summary"] = localized(p.summary);
    j["scope"] = text_of(p.scope);
    j["prefecture"] = p.prefecture.empty() ? Json(nullptr) : Json(p.prefecture);
    j["city"] = p.scope == subsidy::Scope::Municipal ? localized(p.city) : Json(nullptr);
    j["status"] = text_of(p.status);
    j["minimum_level"] = p.minimum_level();
    Json frames = Json::array();
    for (const auto& f : p.frames) frames.push_back(Json{{"code", f.code}, {"name", localized(f.name)}});
    j["frames"] = frames;
    Json asks = Json::array();
    for (const auto& a : p.asks)
        asks.push_back(Json{{"kind", text_of(a.kind)},
                            {"minimum_level", a.minimum_level},
                            {"frames", a.frames},
                            {"note", localized(a.note)}});
    j["asks"] = asks;
    j["accepts"] = p.accepts;
    j["accepts_this_registry"] = p.accepts_registry(subsidy::kThisRegistry);
    Json prereqs = Json::array();
    for (const auto& code : p.prerequisites) {
        const auto* pr = cat.prerequisite(code);
        prereqs.push_back(Json{{"code", code},
                               {"name", pr ? localized(pr->name) : Json(nullptr)},
                               {"description", pr ? localized(pr->description) : Json(nullptr)}});
    }
    j["prerequisites"] = prereqs;
    j["years"] = p.years;
    Json rounds = Json::array();
    for (const auto& r : p.rounds)
        rounds.push_back(Json{{"id", r.id},
                              {"name", localized(r.name)},
                              {"status", text_of(r.status)},
                              {"opens", r.opens.empty() ? Json(nullptr) : Json(r.opens)},
                              {"closes", r.closes.empty() ? Json(nullptr) : Json(r.closes)}});
    j["rounds"] = rounds;
    j["sources"] = p.sources;
    j["checked"] = p.checked;
    j["note"] = localized(p.note);
    return j;
}

// The catalogue changes only when a reload puts a new edition in force: the edition is the
// validator. Characters an entity tag may not hold are left out (RFC 9110 §8.8.3).
std::string etag_of(const subsidy::Catalogue& cat, std::string_view what) {
    std::string tag = "\"subsidies-";
    for (const char c : cat.edition())
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
            c == '_')
            tag += c;
    tag += '-';
    tag += what;
    tag += '"';
    return tag;
}

Response cached_json(Context& ctx, const subsidy::Catalogue& cat, std::string_view what, const Json& j) {
    Response r = json_response(200, j);
    const auto tag = etag_of(cat, what);
    r.set("ETag", tag);
    r.set("Cache-Control", "public, max-age=300");
    r.set("Access-Control-Allow-Origin", "*");
    if (auto inm = ctx.req.header("if-none-match"); inm && inm->find(tag) != std::string_view::npos) r.status = 304;
    return r;
}

Json registries_json(const subsidy::Catalogue& cat) {
    Json regs = Json::array();
    for (const auto& r : cat.registries())
        regs.push_back(Json{{"code", r.code}, {"name", localized(r.name)}, {"url", r.url}});
    return regs;
}

}  // namespace

Response api_subsidies(Context& ctx) {
    auto cat = snapshot(ctx);
    if (!cat) return status_response(ctx, 404);
    Json j;
    j["edition"] = cat->edition();
    j["registries"] = registries_json(*cat);
    Json list = Json::array();
    for (const auto& p : cat->programmes()) list.push_back(programme_json(*cat, p));
    j["programmes"] = list;
    return cached_json(ctx, *cat, "all", j);
}

Response api_subsidy(Context& ctx) {
    auto cat = snapshot(ctx);
    if (!cat) return status_response(ctx, 404);
    const auto slug = ctx.param("slug");
    const auto* p = cat->find(slug);
    if (!p) return error_response(ctx, Error::not_found("subsidy.not_found"));
    Json j;
    j["edition"] = cat->edition();
    j["programme"] = programme_json(*cat, *p);
    j["registries"] = registries_json(*cat);
    return cached_json(ctx, *cat, p->slug, j);
}

Response api_declaration_readiness(Context& ctx) {
    auto cat = snapshot(ctx);
    if (!cat) return status_response(ctx, 404);
    app::Caller caller;
    caller.ip = ctx.req.remote_ip;
    caller.lang = ctx.lang;
    // The same parsing, limit and answers for a bad or unknown ID as the single lookup.
    auto found = ctx.services.lookup.verify(DeclarationId::parse(ctx.param("id")), caller);
    if (!found) {
        Response r = error_response(ctx, found.error());
        r.set("Access-Control-Allow-Origin", "*");
        return r;
    }
    const auto facts = subsidy::facts_of(lifecycle::State{found->status, found->level});
    Json j;
    j["id"] = found->public_id.digits();
    j["level"] = found->level;
    j["status"] = std::string(lifecycle::to_string(found->status));
    j["edition"] = cat->edition();
    Json list = Json::array();
    for (const auto& p : cat->programmes()) {
        const auto r = subsidy::assess(p, facts);
        Json missing = Json::array();
        for (const auto& g : r.missing) missing.push_back(subsidy::code_of(g));
        Json asks = Json::array();
        for (const auto& o : r.asks) {
            Json gaps = Json::array();
            for (const auto& g : o.gaps) gaps.push_back(subsidy::code_of(g));
            asks.push_back(Json{{"kind", text_of(o.ask.kind)},
                                {"minimum_level", o.ask.minimum_level},
                                {"verdict", o.verdict == subsidy::Verdict::Met ? "met" : "not_met"},
                                {"gaps", gaps}});
        }
        list.push_back(Json{{"slug", p.slug},
                            {"verdict", r.verdict == subsidy::Verdict::Met ? "met" : "not_met"},
                            {"missing", missing},
                            {"asks", asks},
                            {"unchecked", r.unchecked}});
    }
    j["programmes"] = list;
    Response r = json_response(200, j);
    r.set("Access-Control-Allow-Origin", "*");
    // As the lookup: a stop or a revocation shows within the minute.
    r.set("Cache-Control", "public, max-age=60");
    return r;
}

}  // namespace sengen::web::handlers
