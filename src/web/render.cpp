// Template loading and rendering. Parsed templates are cached per thread: kainjow's render is not
// const, so no parsed template is shared between threads.
#include "web/render.hpp"

#include <unordered_map>

#include "domain/declaration.hpp"
#include "embedded/embedded.hpp"

namespace sengen::web {

namespace {

constexpr std::string_view kTemplateDir = "src/web/templates/";

// {"a.b": x, "a.c": y} -> {"a": {"b": x, "c": y}}
mustache::data nest(const i18n::Messages& msgs, const std::string& prefix) {
    mustache::data obj{mustache::data::type::object};
    std::map<std::string, i18n::Messages> children;
    for (const auto& [k, v] : msgs) {
        if (k.rfind(prefix, 0) != 0) continue;
        auto rest = k.substr(prefix.size());
        auto dot = rest.find('.');
        if (dot == std::string::npos)
            obj.set(rest, v);
        else
            children[rest.substr(0, dot)][k] = v;
    }
    for (const auto& [name, sub] : children) obj.set(name, nest(sub, prefix + name + "."));
    return obj;
}

}  // namespace

mustache::data declaration_id_view(const DeclarationId& id) {
    mustache::data groups{mustache::data::type::list};
    const std::string grouped = id.grouped();
    std::size_t from = 0;
    while (from <= grouped.size()) {
        auto space = grouped.find(' ', from);
        if (space == std::string::npos) space = grouped.size();
        groups.push_back(mustache::data(grouped.substr(from, space - from)));
        from = space + 1;
    }
    mustache::data v{mustache::data::type::object};
    v.set("digits", id.digits());
    v.set("groups", groups);
    return v;
}

Renderer::Renderer(const i18n::Catalogue& c) : catalogue_(c) {}

Result<std::shared_ptr<const Renderer>> Renderer::load(const i18n::Catalogue& catalogue,
                                                       const OperatorProfile* profile) {
    auto r = std::shared_ptr<Renderer>(new Renderer(catalogue));
    std::string problems;
    for (const auto& f : embedded::all_files()) {
        if (f.path.rfind(kTemplateDir, 0) != 0) continue;
        std::string name(f.path.substr(kTemplateDir.size()));
        name = name.substr(0, name.rfind(".mustache"));
        std::string text(f.bytes);
        mustache::mustache parsed(text);
        if (!parsed.is_valid()) problems += name + ": " + parsed.error_message() + "\n";
        r->sources_[name] = std::move(text);
    }
    if (!r->sources_.count("layout"))
        problems += "layout: missing\n";
    else
        for (const auto& [name, src] : r->sources_) {
            if (name == "layout" || name[0] == '_') continue;
            mustache::mustache whole(r->expanded("layout", &name));
            if (!whole.is_valid()) problems += name + " in the layout: " + whole.error_message() + "\n";
        }
    for (auto l : i18n::all_langs) {
        mustache::data d{mustache::data::type::object};
        d.set("t", nest(catalogue.all(l), ""));
        // What anyone can see, for the partial _public_fields: the domain's list, so that every
        // page says the same and a field made public shows up everywhere at once.
        mustache::data fields{mustache::data::type::list};
        for (auto f : kPublicFields) {
            std::string key = "public_field." + std::string(public_field_code(f));
            if (!catalogue.all(l).count(key)) problems += "catalogue: missing " + key + "\n";
            mustache::data item{mustache::data::type::object};
            item.set("code", std::string(public_field_code(f)));
            item.set("label", catalogue.text(l, key));
            fields.push_back(item);
        }
        d.set("what_is_public", fields);
        if (profile) {
            mustache::data reg{mustache::data::type::object};
            reg.set("operator_name", profile->operator_name.in(l));
            reg.set("programme_name", profile->programme_name.in(l));
            if (profile->demo()) reg.set("demo", true);
            d.set("registry", reg);
        }
        r->messages_[l] = std::move(d);
    }
    if (!problems.empty()) {
        Error e = Error::invalid({{"templates", "syntax"}}, "templates.invalid");
        e.detail = problems;
        return fail(std::move(e));
    }
    return std::shared_ptr<const Renderer>(r);
}

std::string Renderer::expanded(const std::string& outer, const std::string* content_name) const {
    // Partials are put in place as text once, so that each page is parsed once per thread
    // instead of its partials being parsed again on every render.
    std::string text = sources_.at(outer);
    auto replace_all = [&text](const std::string& tag, const std::string& with) {
        for (auto p = text.find(tag); p != std::string::npos; p = text.find(tag, p + with.size()))
            text.replace(p, tag.size(), with);
    };
    if (content_name) replace_all("{{> content}}", sources_.at(*content_name));
    // Templates named "_x" are partials a template includes as {{> _x}}; they may nest.
    for (int depth = 0; depth < 4 && text.find("{{> _") != std::string::npos; ++depth)
        for (const auto& [name, src] : sources_)
            if (!name.empty() && name[0] == '_') replace_all("{{> " + name + "}}", src);
    return text;
}

std::string Renderer::render(const std::string& outer, const std::string* content_name, i18n::Lang lang,
                             const mustache::data& data) const {
    thread_local std::unordered_map<const Renderer*,
                                    std::unordered_map<std::string, std::unique_ptr<mustache::mustache>>>
        cache;
    auto& tmpl = cache[this][content_name ? outer + "/" + *content_name : outer];
    if (!tmpl) tmpl = std::make_unique<mustache::mustache>(expanded(outer, content_name));
    // Lookups search the top of the stack first: the page's data, then the messages ("t").
    mustache::context<mustache::mustache::string_type> ctx(&messages_.at(lang));
    ctx.push(&data);
    return tmpl->render(ctx);
}

std::string Renderer::page(const std::string& name, i18n::Lang lang, const mustache::data& data) const {
    return render("layout", &name, lang, data);
}

std::string Renderer::fragment(const std::string& name, i18n::Lang lang, const mustache::data& data) const {
    return render(name, nullptr, lang, data);
}

}  // namespace sengen::web
