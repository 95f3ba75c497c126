// The basic security policy: the editor on My Page (private drafts), publishing numbered versions,
// taking a policy down (offering to step ★★ declarations that cite it down to ★), and the public
// pages with PDF and text downloads. Every text the business typed is shown escaped; its line
// breaks are kept by CSS (white-space: pre-line), never by markup.
#include <algorithm>
#include <limits>

#include "domain/dates.hpp"
#include "domain/error_codes.hpp"
#include "domain/identifiers.hpp"
#include "render/policy_document.hpp"
#include "web/errors.hpp"
#include "web/flash.hpp"
#include "web/forms.hpp"
#include "web/handlers.hpp"
#include "web/policy_view.hpp"

namespace sengen::web::handlers {

namespace {

using K = FieldSpec::Kind;

std::string edit_url(std::int64_t id) { return "/mypage/policies/" + std::to_string(id); }

// The language and assets choices, as form options (labels in both languages).
const std::vector<content::Choice>& lang_choices(const Context& ctx) {
    static thread_local std::vector<content::Choice> out;
    out.clear();
    const auto& cat = ctx.services.catalogue;
    for (auto l : i18n::all_langs) {
        const std::string id = "policy.lang." + std::string(i18n::code(l));
        out.push_back({std::string(i18n::code(l)), {cat.text(i18n::Lang::Ja, id), cat.text(i18n::Lang::En, id)}});
    }
    return out;
}

const std::vector<content::Choice>& asset_choices(const policy::Template& t) {
    static thread_local std::vector<content::Choice> out;
    out.clear();
    for (const auto& a : t.assets) out.push_back({a.id, {a.label.ja, a.label.en}});
    return out;
}

std::vector<FieldSpec> line_fields(const Context& ctx, const policy::Template& t) {
    return {
        {"policy_lang", K::Radio, true, "", "", 0, &lang_choices(ctx), ""},
        {"policy_business_name", K::Text, true, "organization", "", static_cast<int>(policy::Limits::business_name),
         nullptr, ""},
        {"policy_assets", K::Radio, true, "", "", 0, &asset_choices(t), ""},
        {"policy_established", K::Date, true, "", "numeric", 20, nullptr, "medium"},
        {"policy_representative_title", K::Text, true, "organization-title", "",
         static_cast<int>(policy::Limits::person), nullptr, "medium"},
        {"policy_representative_name", K::Text, true, "", "", static_cast<int>(policy::Limits::person), nullptr,
         "medium"},
    };
}

FieldSpec text_field(const std::string& name, std::size_t max) {
    return {name, K::Textarea, true, "", "", static_cast<int>(max), nullptr, ""};
}

// The language radio as posted: empty chooses nothing (the draft keeps its language); only the
// exact codes "ja" and "en" that the form offers are a choice.
policy::LangChoice lang_choice(const std::string& typed) {
    if (typed.empty()) return {};
    auto l = i18n::from_code(typed);
    if (l && typed == i18n::code(*l)) return policy::LangChoice::chosen(*l);
    return policy::LangChoice::unknown();
}

// What was typed in the editor. A field the form did not send at all keeps its value in `shown`
// (the stored draft as the editor shows it); a field sent empty was emptied.
policy::DraftInput typed_input(const Params& form, const policy::DraftInput& shown) {
    policy::DraftInput in;
    auto get = [&](const std::string& name, const std::string& kept) { return first(form, name).value_or(kept); };
    in.lang = shown.lang;
    if (auto typed = first(form, "policy_lang")) in.lang = lang_choice(*typed);
    in.business_name = get("policy_business_name", shown.business_name);
    in.assets = get("policy_assets", shown.assets);
    in.established = get("policy_established", shown.established);
    in.representative_title = get("policy_representative_title", shown.representative_title);
    in.representative_name = get("policy_representative_name", shown.representative_name);
    in.preamble = get("policy_preamble", shown.preamble);
    for (int n = 1; n <= policy::kSectionCount; ++n)
        in.sections.push_back(get(policy::field_of_section(n), shown.sections.at(static_cast<std::size_t>(n - 1))));
    return in;
}

FormValues values_of_input(const policy::DraftInput& in) {
    FormValues v = FormValues::object();
    v["policy_lang"] = in.lang.kind == policy::LangChoice::Kind::Chosen ? std::string(code(in.lang.lang)) : "";
    v["policy_business_name"] = in.business_name;
    v["policy_assets"] = in.assets;
    v["policy_established"] = in.established;
    v["policy_representative_title"] = in.representative_title;
    v["policy_representative_name"] = in.representative_name;
    v["policy_preamble"] = in.preamble;
    for (int n = 1; n <= policy::kSectionCount; ++n)
        v[policy::field_of_section(n)] = in.sections.at(static_cast<std::size_t>(n - 1));
    return v;
}

// The stored draft as the editor shows it: texts that follow the template are filled in.
policy::DraftInput input_of_draft(const policy::Template& t, const policy::Draft& d) {
    policy::DraftInput in;
    in.lang = policy::LangChoice::chosen(d.lang);
    in.business_name = d.business_name;
    in.assets = d.assets;
    in.established = d.established;
    in.representative_title = d.representative_title;
    in.representative_name = d.representative_name;
    in.preamble = policy::preamble_text(t, d);
    for (int n = 1; n <= policy::kSectionCount; ++n) in.sections.push_back(policy::section_text(t, d, n));
    return in;
}

std::string section_heading(const i18n::Catalogue& cat, i18n::Lang lang, const policy::Section& s) {
    return cat.format(lang, "policy.doc.section_heading",
                      {{"n", std::to_string(s.number)}, {"heading", s.heading.in(lang)}});
}

std::string status_text(const Context& ctx, const SavedPolicy& p) {
    if (policy::is_public(p.status))
        return ctx.services.catalogue.format(
            ctx.lang, "policy.status_line.published",
            {{"version", policy_view::version_label(ctx.services.catalogue, ctx.lang, p.versions)}});
    return ctx.text("policy.status_line." + std::string(to_string(p.status)));
}

// Where the editor is shown: the owner's own (publishing offered), or a supporter's for a business
// it helps (ADR 48: the draft only, under the declaration's address).
struct EditorPlace {
    std::string url;  // the form's address
    std::string back = "/mypage";
    std::string supporter_note;  // shown to a supporter; empty for the owner
    bool may_publish = true;
};

// The editor. `typed` and `errors` are set when what was posted was refused.
Response editor(Context& ctx, const SavedPolicy& p, const policy::DraftInput* typed,
                const std::vector<FieldError>& errors, const EditorPlace* place = nullptr) {
    const EditorPlace own{edit_url(p.id), "/mypage", "", true};
    if (!place) place = &own;
    auto& policies = *ctx.services.policies;
    const auto& cat = ctx.services.catalogue;
    const auto& t = policies.template_of(p);
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    const auto shown = typed ? *typed : input_of_draft(t, p.draft);
    const auto values = values_of_input(shown);
    // Headings and suggestions in the language the policy is written in.
    const auto doc_lang = shown.lang.kind == policy::LangChoice::Kind::Chosen ? shown.lang.lang : i18n::Lang::Ja;

    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("policy.edit.title"));
    v.set("noindex", true);
    v.set("csrf", *csrf);
    v.set("action", place->url);
    v.set("back_url", place->back);
    if (!place->supporter_note.empty()) v.set("supporter_note", place->supporter_note);
    if (place->may_publish) v.set("may_publish", true);
    v.set("lang_switch_form", lang_switch_button("policy-form", place->url));
    v.set("status", status_text(ctx, p));
    v.set("status_class", "policy-" + std::string(to_string(p.status)));
    v.set("template_note", cat.format(ctx.lang, "policy.edit.template_note", {{"source", t.source.in(ctx.lang)}}));
    if (policy::is_public(p.status)) {
        v.set("public_url", policies.public_url(p.slug));
        if (place->may_publish) v.set("unpublish_url", edit_url(p.id) + "/unpublish");
    }
    v.set("publish_url", edit_url(p.id) + "/publish");
    v.set("doc_lang", std::string(i18n::code(doc_lang)));

    mustache::data lines{mustache::data::type::list};
    for (const auto& f : line_fields(ctx, t)) lines.push_back(field_view(ctx, f, values, errors));
    v.set("line_fields", lines);

    // The texts are in the policy's language, which may not be the page's.
    auto preamble = field_view(ctx, text_field("policy_preamble", policy::Limits::preamble), values, errors);
    preamble.set("text_lang", std::string(i18n::code(doc_lang)));
    v.set("preamble", preamble);
    mustache::data sections{mustache::data::type::list};
    mustache::data resets{mustache::data::type::list};
    if (p.draft.preamble) {
        mustache::data r{mustache::data::type::object};
        r.set("value", "policy_preamble");
        r.set("label", ctx.text("policy.edit.reset_preamble"));
        resets.push_back(r);
    }
    for (const auto& s : t.sections) {
        const std::string name = policy::field_of_section(s.number);
        auto field = field_view(ctx, text_field(name, policy::Limits::section), values, errors);
        field.set("label", section_heading(cat, doc_lang, s));
        field.set("label_lang", std::string(i18n::code(doc_lang)));
        field.set("text_lang", std::string(i18n::code(doc_lang)));
        sections.push_back(field);
        if (p.draft.sections.at(static_cast<std::size_t>(s.number - 1))) {
            mustache::data r{mustache::data::type::object};
            r.set("value", name);
            r.set("label",
                  cat.format(ctx.lang, "policy.edit.reset_section", {{"heading", section_heading(cat, doc_lang, s)}}));
            resets.push_back(r);
        }
    }
    v.set("sections", sections);
    if (!resets.is_empty_list()) v.set("resets", resets);

    // Commitments the latest saved self-assessment suggests.
    auto latest = ctx.services.saved_assessments.latest(p.account_id);
    if (!latest) return error_response(ctx, latest.error());
    if (!*latest) {
        v.set("no_assessment", true);
    } else {
        const auto& a = **latest;
        v.set("suggest_lead", cat.format(ctx.lang, "policy.suggest.lead",
                                         {{"date", dates::display_japan_date(ctx.lang, a.taken_at)},
                                          {"score", std::to_string(a.score)}}));
        mustache::data items{mustache::data::type::list};
        for (const auto* s : policy::suggestions_for(t, a.answers)) {
            mustache::data d{mustache::data::type::object};
            d.set("id", s->id);
            d.set("text", s->text.in(doc_lang));
            // The questions that prompted it: those not answered "done".
            std::string qs;
            for (int q : s->questions) {
                auto it = a.answers.find(q);
                if (it != a.answers.end() && it->second == assessment::Answer::Done) continue;
                qs += (qs.empty() ? "" : ctx.lang == i18n::Lang::Ja ? "・" : ", ") + std::to_string(q);
            }
            d.set("because", cat.format(ctx.lang, "policy.suggest.because", {{"questions", qs}}));
            const auto& section = t.sections.at(static_cast<std::size_t>(s->section - 1));
            d.set("add_label",
                  cat.format(ctx.lang, "policy.suggest.add", {{"heading", section_heading(cat, doc_lang, section)}}));
            const std::string current = shown.sections.at(static_cast<std::size_t>(s->section - 1));
            if (policy::already_has(current, *s, doc_lang)) d.set("added", true);
            items.push_back(d);
        }
        if (items.is_empty_list()) {
            v.set("suggest_none", true);
        } else {
            v.set("suggestions", items);
            v.set("has_suggestions", true);
        }
    }
    if (!errors.empty()) {
        v.set("has_errors", true);
        v.set("errors", error_list(ctx, errors));
    }
    take_flash(ctx, v);
    return ctx.page(errors.empty() ? 200 : 422, "policy_edit", std::move(v));
}

// The account's policy named in the path, or the response to send instead.
struct Owned {
    std::int64_t account = 0;
    std::optional<SavedPolicy> policy;
    std::optional<Response> instead;
};
Owned owned_from_path(Context& ctx) {
    Owned o;
    auto account = ctx.account_id();
    if (!account) {
        o.instead = sign_in_first(ctx.req.path);
        return o;
    }
    o.account = *account;
    if (!ctx.services.policies) {
        o.instead = status_response(ctx, 404);
        return o;
    }
    auto p = ctx.services.policies->owned(*account, path_id(ctx.param("id")));
    if (!p) {
        if (p.error().kind == Error::Kind::NotFound) {
            const std::string actor = "account:" + std::to_string(*account);
            log_refusal(ctx, "access.refused", {"what", "policy"}, {"actor", actor});
        }
        o.instead = error_response(ctx, p.error());
        return o;
    }
    o.policy = std::move(*p);
    return o;
}

// ★★ declarations of the account whose policy address is this policy's.
Result<std::vector<Declaration>> citing(Context& ctx, std::int64_t account, const SavedPolicy& p) {
    auto all = ctx.services.declarations.declarations_of(account);
    if (!all) return fail(all.error());
    std::vector<Declaration> out;
    for (auto& d : *all)
        if (d.public_id && lifecycle::may_show_badge(d.state.status) && d.state.level >= 2 &&
            ctx.services.policies->points_at(d.details.policy_url, p))
            out.push_back(std::move(d));
    return out;
}

Response gone(Context& ctx) {
    auto r = ctx.message_page(
        410, {.title = ctx.text("policy.gone.title"), .body = ctx.text("policy.gone.body"), .noindex = true});
    r.set("X-Robots-Tag", "noindex");
    return r;
}

// The published policy of the path's slug with the version `number` (the current one when
// nullopt) and the page of its list that the query asks for, or the response to send instead.
struct Published {
    std::optional<app::Policies::Public> found;
    std::optional<Response> instead;
};
Published published_from_path(Context& ctx, std::optional<int> number) {
    Published out;
    if (!ctx.services.policies) {
        out.instead = status_response(ctx, 404);
        return out;
    }
    const auto page = first(ctx.req.query_params(), "page");
    auto p = ctx.services.policies->public_policy(
        ctx.param("slug"), number, page ? static_cast<int>(std::min<std::int64_t>(path_id(*page), 1 << 20)) : 1);
    if (!p) {
        out.instead = p.error().code == codes::kPolicyUnpublished ? gone(ctx) : error_response(ctx, p.error());
        return out;
    }
    out.found = std::move(*p);
    return out;
}

// The version number in the path ({n}); 0 (no version) when it is not a number.
int version_number(const Context& ctx) {
    return static_cast<int>(std::min<std::int64_t>(path_id(ctx.param("n")), std::numeric_limits<int>::max()));
}

Response public_page(Context& ctx, const app::Policies::Public& p) {
    const auto& cat = ctx.services.catalogue;
    const auto& v = p.version;
    const std::string base = "/policy/" + p.policy.slug;
    mustache::data d = policy_view::document(cat, v);
    d.set("doc_h1", true);
    d.set("page_title", cat.format(ctx.lang, "policy.public.page_title",
                                   {{"business", v.document.business_name}, {"title", v.document.title}}));
    const bool current = p.is_current();
    d.set("is_current", current);
    d.set("version_line", cat.format(ctx.lang, "policy.public.version_line",
                                     {{"version", policy_view::version_label(cat, ctx.lang, v.number)},
                                      {"date", dates::display_japan_date(ctx.lang, v.published_at)}}));
    if (!current) d.set("current_url", base);
    d.set("pdf_url", base + "/" + std::to_string(v.number) + "/policy.pdf");
    d.set("txt_url", base + "/" + std::to_string(v.number) + "/policy.txt");
    d.set("address", ctx.services.policies->public_url(p.policy.slug));
    mustache::data versions{mustache::data::type::list};
    for (const auto& x : p.versions) {
        mustache::data r{mustache::data::type::object};
        r.set("text", cat.format(ctx.lang, "policy.public.version_item",
                                 {{"version", policy_view::version_label(cat, ctx.lang, x.number)},
                                  {"date", dates::display_japan_date(ctx.lang, x.published_at)}}));
        r.set("url", base + "/" + std::to_string(x.number));
        if (x.number == v.number) r.set("shown", true);
        if (x.number == p.policy.versions) r.set("latest", true);
        versions.push_back(r);
    }
    d.set("versions", versions);
    if (p.policy.versions > 1) d.set("has_history", true);
    if (!p.versions.empty()) d.set("list_start", std::to_string(p.versions.front().number));
    if (p.pages > 1) {
        // The list's pages, on the page of the version shown.
        const std::string here = current ? base : base + "/" + std::to_string(v.number);
        auto page_url = [&](int n) { return n == 1 ? here : here + "?page=" + std::to_string(n); };
        d.set("has_pages", true);
        if (p.page > 1) d.set("newer_url", page_url(p.page - 1));
        if (p.page < p.pages) d.set("older_url", page_url(p.page + 1));
        d.set("page_of", cat.format(ctx.lang, "policy.public.page_of",
                                    {{"page", std::to_string(p.page)}, {"pages", std::to_string(p.pages)}}));
    }
    return ctx.page(200, "policy_public", std::move(d));
}

// A public download of one version, "pdf" or "txt". A version never changes, so what was made
// for it is kept in the node's cache and served again from there, with a strong ETag and a long
// lifetime; whether the policy is still up is checked on every request.
// IfMissing: make what is not in the cache; Never: answer nullopt instead (the quick path).
enum class Make { IfMissing, Never };
std::optional<Response> policy_download(Context& ctx, std::string_view kind, Make make) {
    if (!ctx.services.policies) return status_response(ctx, 404);
    auto& policies = *ctx.services.policies;
    auto p = policies.published(ctx.param("slug"));
    if (!p) return p.error().code == codes::kPolicyUnpublished ? gone(ctx) : error_response(ctx, p.error());
    const int number = version_number(ctx);
    if (number < 1 || number > p->versions) return status_response(ctx, 404);

    DownloadCache uncached(0);
    auto& cache = ctx.services.policy_downloads ? *ctx.services.policy_downloads : uncached;
    const std::string key = std::to_string(p->id) + "/" + std::to_string(number) + "/" + std::string(kind);
    auto entry = cache.find(key);
    if (entry) {
        ctx.services.metrics.count_policy_cache_hit(kind);
    } else if (make == Make::Never) {
        return std::nullopt;
    } else {
        auto v = policies.published_version(*p, number);
        if (!v) return error_response(ctx, v.error());
        const auto url = policies.public_url(p->slug);
        std::string bytes;
        if (kind == "pdf") {
            auto pdf = render::policy_pdf(policy_view::pdf_model(ctx.services.catalogue, *v, url));
            if (!pdf) return error_response(ctx, pdf.error());
            bytes = std::move(*pdf);
        } else {
            bytes = policy_view::plain_text(ctx.services.catalogue, *v, url);
        }
        ctx.services.metrics.count_policy_render(kind);
        entry = cache.put(key, std::move(bytes));
    }
    Response r = download_response(kind == "pdf" ? "application/pdf" : "text/plain; charset=utf-8",
                                   "security-policy-" + std::to_string(number) + "." + std::string(kind), entry->bytes);
    r.set("ETag", entry->etag);
    // A day, not a year: a policy its owner takes down should leave shared caches soon.
    r.set("Cache-Control", "public, max-age=86400, immutable");
    // The body stays on a 304: the HTTP adapter sends its length but not the bytes.
    if (auto inm = ctx.req.header("if-none-match"); inm && inm->find(entry->etag) != std::string_view::npos)
        r.status = 304;
    return r;
}

}  // namespace

// --- My Page: the editor ----------------------------------------------------------------------

Response mypage_policy_create(Context& ctx) {
    auto account = ctx.account_id();
    if (!account) return sign_in_first("/mypage");
    if (!ctx.services.policies) return status_response(ctx, 404);
    auto p = ctx.services.policies->create(*account, ctx.lang, ctx.caller());
    if (!p) return error_response(ctx, p.error());
    return redirect(edit_url(p->id));
}

Response mypage_policy_edit(Context& ctx) {
    auto o = owned_from_path(ctx);
    if (o.instead) return std::move(*o.instead);
    return editor(ctx, *o.policy, nullptr, {});
}

namespace {

// What the editor's form posted: the typed draft, the button pressed and where to come back to.
struct DraftPost {
    policy::DraftInput typed;
    app::DraftAction action;
    std::string anchor;
    bool switched = false;  // the language switch posted the form
    bool then_publish = false;
};

DraftPost read_draft_post(Context& ctx, const SavedPolicy& p) {
    const auto form = ctx.req.form_params();
    const auto& t = ctx.services.policies->template_of(p);
    DraftPost out{typed_input(form, input_of_draft(t, p.draft)), {}, {}, false, false};
    if (auto add = first(form, "add")) {
        out.action = {app::DraftAction::Kind::AddSuggestion, *add};
        if (const auto* s = t.suggestion(*add)) out.anchor = "#f-" + policy::field_of_section(s->section);
    } else if (auto reset = first(form, "reset")) {
        out.action = {app::DraftAction::Kind::Reset, *reset};
        out.anchor = "#f-" + *reset;
    }
    // The language switch posts the form too: what was typed is saved, then shown in that language.
    out.switched = posted_lang_switch(ctx) == LangSwitch::Posted;
    out.then_publish = first(form, "then") == "publish";
    return out;
}

// Back to the editor at `url` after a save, with the flash of the button pressed.
Response after_save(Context& ctx, const DraftPost& post, const std::string& url) {
    if (post.switched) return redirect(url);
    set_flash(ctx, post.action.kind == app::DraftAction::Kind::AddSuggestion ? "policy.flash.added"
                   : post.action.kind == app::DraftAction::Kind::Reset       ? "policy.flash.reset"
                                                                             : "policy.flash.saved");
    return redirect(url + post.anchor);
}

}  // namespace

Response mypage_policy_save(Context& ctx) {
    auto o = owned_from_path(ctx);
    if (o.instead) return std::move(*o.instead);
    const auto post = read_draft_post(ctx, *o.policy);
    auto saved = ctx.services.policies->edit(o.account, o.policy->id, post.typed, post.action);
    if (!saved) {
        if (saved.error().kind != Error::Kind::Invalid) return error_response(ctx, saved.error());
        return editor(ctx, *o.policy, &post.typed, saved.error().fields);
    }
    // 「内容を確かめて公開する」 is a button of the form: what was typed is saved before the
    // publish page checks it.
    if (post.then_publish) return redirect(edit_url(o.policy->id) + "/publish");
    return after_save(ctx, post, edit_url(o.policy->id));
}

// --- a supporter's editor for a business it helps (ADR 48) -------------------------------------

namespace {

// The declaration ID of the path, written as the site links it (the bare digits).
std::optional<DeclarationId> declaration_in_path(const Context& ctx) {
    const std::string typed = ctx.param("id");
    auto parsed = DeclarationId::parse(typed);
    if (!parsed.id || parsed.id->digits() != typed) return std::nullopt;
    return *parsed.id;
}

std::string prepared_url(const DeclarationId& id, std::int64_t policy_id) {
    return "/mypage/declarations/" + id.digits() + "/policies/" + std::to_string(policy_id);
}

// The business's policy named in the path, through the guard, or the response to send instead.
struct Prepared {
    std::int64_t account = 0;
    std::optional<DeclarationId> id;
    std::optional<app::Preparing::PolicyFor> found;
    std::optional<Response> instead;
};
Prepared prepared_from_path(Context& ctx) {
    Prepared o;
    auto account = ctx.account_id();
    if (!account) {
        o.instead = sign_in_first(ctx.req.path);
        return o;
    }
    o.account = *account;
    o.id = declaration_in_path(ctx);
    if (!o.id || !ctx.services.preparing) {
        o.instead = status_response(ctx, 404);
        return o;
    }
    auto found = ctx.services.preparing->policy(*account, *o.id, path_id(ctx.param("policy")));
    if (!found) {
        // As on the declaration's own page: the log says that an account asked for what it has no part in.
        if (found.error().kind == Error::Kind::NotFound)
            log_refusal(ctx, "access.refused", {"what", "policy"}, {"actor", "account:" + std::to_string(*account)});
        o.instead = error_response(ctx, found.error());
        return o;
    }
    o.found = std::move(*found);
    return o;
}

EditorPlace supporter_place(const Context& ctx, const Prepared& o) {
    const std::string detail = "/mypage/declarations/" + o.id->digits();
    return {prepared_url(*o.id, o.found->policy.id), detail,
            ctx.services.catalogue.format(ctx.lang, "supporters.policy.note",
                                          {{"name", o.found->declaration.details.business_name}}),
            false};
}

}  // namespace

// A new draft in the business's account (POST from the supporter's page of the declaration).
Response mypage_prepared_policy_create(Context& ctx) {
    auto account = ctx.account_id();
    if (!account) return sign_in_first("/mypage");
    auto id = declaration_in_path(ctx);
    if (!id || !ctx.services.preparing) return status_response(ctx, 404);
    auto p = ctx.services.preparing->start_policy(*account, *id, ctx.lang, ctx.caller());
    if (!p) return error_response(ctx, p.error());
    return redirect(prepared_url(*id, p->id));
}

Response mypage_prepared_policy_edit(Context& ctx) {
    auto o = prepared_from_path(ctx);
    if (o.instead) return std::move(*o.instead);
    const auto place = supporter_place(ctx, o);
    return editor(ctx, o.found->policy, nullptr, {}, &place);
}

Response mypage_prepared_policy_save(Context& ctx) {
    auto o = prepared_from_path(ctx);
    if (o.instead) return std::move(*o.instead);
    const auto post = read_draft_post(ctx, o.found->policy);
    auto saved = ctx.services.preparing->edit_policy(o.account, *o.id, o.found->policy.id, post.typed, post.action,
                                                     ctx.caller());
    if (!saved) {
        if (saved.error().kind != Error::Kind::Invalid) return error_response(ctx, saved.error());
        const auto place = supporter_place(ctx, o);
        return editor(ctx, o.found->policy, &post.typed, saved.error().fields, &place);
    }
    return after_save(ctx, post, prepared_url(*o.id, o.found->policy.id));
}

// GET: the policy as it will be published, and the button; POST: publish the next version.
Response mypage_policy_publish(Context& ctx) {
    auto o = owned_from_path(ctx);
    if (o.instead) return std::move(*o.instead);
    auto& policies = *ctx.services.policies;
    const auto& p = *o.policy;
    std::vector<FieldError> problems = policy::publish_problems(p.draft);
    // Why it cannot be published, when the state machine refuses for a reason other than a
    // missing part (policy.not_declared, policy.unchanged); said before the button is pressed.
    std::optional<Error> refused;
    int status = 200;
    if (ctx.req.method == Method::Post && problems.empty()) {
        auto v = policies.publish(o.account, p.id, ctx.caller());
        if (v) {
            set_flash(ctx, "policy.flash.published");
            return redirect(edit_url(p.id));
        }
        if (v.error().kind == Error::Kind::Invalid)
            problems = v.error().fields;
        else if (v.error().code == codes::kPolicyNotDeclared || v.error().code == codes::kPolicyUnchanged)
            refused = v.error();
        else
            return error_response(ctx, v.error());
    } else if (problems.empty()) {
        auto ok = policies.check_publish(o.account, p.id);
        if (!ok && (ok.error().code == codes::kPolicyNotDeclared || ok.error().code == codes::kPolicyUnchanged))
            refused = ok.error();
    }
    if (refused && ctx.req.method == Method::Post) status = http_status(*refused);
    if (!problems.empty()) status = 422;
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    const auto& cat = ctx.services.catalogue;
    PolicyVersion preview{p.id, p.versions + 1, ctx.services.clock.now(),
                          policy::resolve(policies.template_of(p), p.draft)};
    mustache::data v = policy_view::document(cat, preview);
    // Like every form page with problems, the title says so first (screen readers read it first).
    v.set("page_title", (problems.empty() && !refused ? std::string() : ctx.text("form.error_prefix")) +
                            ctx.text("policy.publish.title"));
    v.set("noindex", true);
    v.set("csrf", *csrf);
    v.set("edit_url", edit_url(p.id));
    v.set("action", edit_url(p.id) + "/publish");
    v.set("lead", cat.format(ctx.lang, "policy.publish.lead",
                             {{"version", policy_view::version_label(cat, ctx.lang, preview.number)}}));
    v.set("address", policies.public_url(p.slug));
    if (!problems.empty()) {
        // Each problem links to its field in the editor.
        mustache::data list{mustache::data::type::list};
        for (const auto& e : problems) {
            mustache::data item{mustache::data::type::object};
            item.set("href", edit_url(p.id) + "#f-" + e.field);
            item.set("label", ctx.text("field." + e.field + ".label"));
            item.set("message", field_message(ctx, e));
            list.push_back(item);
        }
        v.set("has_problems", true);
        v.set("problems", list);
    }
    if (refused) {
        v.set("has_refusal", true);
        v.set("refusal_title", ctx.text("policy.publish.refused_title"));
        v.set("refusal", ctx.text(refused->code == codes::kPolicyNotDeclared ? "policy.publish.not_declared"
                                                                             : "policy.publish.unchanged"));
    }
    return ctx.page(status, "policy_publish", std::move(v));
}

// GET: what taking the policy down means, with the ★★ declarations that cite it; POST: take it
// down, and step those declarations down to ★ when asked to.
Response mypage_policy_unpublish(Context& ctx) {
    auto o = owned_from_path(ctx);
    if (o.instead) return std::move(*o.instead);
    const auto& p = *o.policy;
    if (!policy::is_public(p.status)) return redirect(edit_url(p.id));  // nothing to take down
    auto cited = citing(ctx, o.account, p);
    if (!cited) return error_response(ctx, cited.error());
    if (ctx.req.method == Method::Post) {
        const bool step_down = first(ctx.req.form_params(), "step_down").value_or("") == "yes";
        if (auto ok = ctx.services.policies->unpublish(o.account, p.id, ctx.caller()); !ok)
            return error_response(ctx, ok.error());
        if (step_down)
            for (const auto& d : *cited)
                if (auto r = ctx.services.declarations.step_down(o.account, *d.public_id, ctx.caller()); !r)
                    return error_response(ctx, r.error());
        set_flash(ctx,
                  step_down && !cited->empty() ? "policy.flash.unpublished_stepped_down" : "policy.flash.unpublished");
        return redirect(edit_url(p.id));
    }
    auto csrf = ctx.csrf_token();
    if (!csrf) return error_response(ctx, csrf.error());
    const auto& c = ctx.services.registry.content();
    mustache::data v{mustache::data::type::object};
    v.set("page_title", ctx.text("policy.unpublish.title"));
    v.set("noindex", true);
    v.set("csrf", *csrf);
    v.set("edit_url", edit_url(p.id));
    v.set("action", edit_url(p.id) + "/unpublish");
    v.set("address", ctx.services.policies->public_url(p.slug));
    mustache::data list{mustache::data::type::list};
    for (const auto& d : *cited) {
        mustache::data r{mustache::data::type::object};
        r.set("business_name", d.details.business_name);
        r.set("id_grouped", d.public_id->grouped());
        r.set("level", c.level(std::min(d.state.level, c.max_level())).stars);
        r.set("url", "/mypage/declarations/" + d.public_id->digits());
        list.push_back(r);
    }
    if (!cited->empty()) {
        v.set("declarations", list);
        v.set("has_declarations", true);
    }
    return ctx.page(200, "policy_unpublish", std::move(v));
}

// --- the public pages ---------------------------------------------------------------------------

Response policy_public(Context& ctx) {
    auto p = published_from_path(ctx, std::nullopt);
    if (p.instead) return std::move(*p.instead);
    return public_page(ctx, *p.found);
}

Response policy_version(Context& ctx) {
    const int number = version_number(ctx);
    if (number < 1) return status_response(ctx, 404);
    auto p = published_from_path(ctx, number);
    if (p.instead) return std::move(*p.instead);
    return public_page(ctx, *p.found);
}

Response policy_pdf(Context& ctx) { return *policy_download(ctx, "pdf", Make::IfMissing); }

std::optional<Response> policy_pdf_cached(Context& ctx) { return policy_download(ctx, "pdf", Make::Never); }

Response policy_text(Context& ctx) { return *policy_download(ctx, "txt", Make::IfMissing); }

}  // namespace sengen::web::handlers
