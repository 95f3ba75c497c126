// Template loading and rendering. Parsed templates are cached per thread: kainjow's render is not
// const, so no parsed template is shared between threads.
#include "web/render.hpp"

#include <unordered_map>

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

Renderer::Renderer(const i18n::Catalogue& c) : catalogue_(c) {}

Result<std::shared_ptr<const Renderer>> Renderer::load(const i18n::Catalogue& catalogue) {
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
    if (!r->sources_.count("layout")) problems += "layout: missing\n";
    if (!problems.empty()) {
        Error e = Error::invalid({{"templates", "syntax"}}, "templates.invalid");
        e.detail = problems;
        return fail(std::move(e));
    }
    for (auto l : i18n::all_langs) {
        mustache::data d{mustache::data::type::object};
        d.set("t", nest(catalogue.all(l), ""));
        r->messages_[l] = std::move(d);
    }
    return std::shared_ptr<const Renderer>(r);
}

std::string Renderer::render(const std::string& outer, const std::string* content_name, i18n::Lang lang,
                             const mustache::data& data) const {
    thread_local std::unordered_map<const Renderer*,
                                    std::unordered_map<std::string, std::unique_ptr<mustache::mustache>>>
        cache;
    auto& mine = cache[this];
    auto& tmpl = mine[outer];
    if (!tmpl) tmpl = std::make_unique<mustache::mustache>(sources_.at(outer));

    // Lookups search the top of the stack first: the content partial, the page's data, then "t".
    mustache::context<mustache::mustache::string_type> ctx(&messages_.at(lang));
    ctx.push(&data);
    // Templates named "_x" are partials every page may include as {{> _x}} (the underscore keeps
    // them apart from data names such as "errors").
    mustache::data partial_holder{mustache::data::type::object};
    for (const auto& [name, src_text] : sources_) {
        if (name.empty() || name[0] != '_') continue;
        const std::string* text_ptr = &src_text;
        partial_holder.set(name, mustache::partial([text_ptr]() { return *text_ptr; }));
    }
    ctx.push(&partial_holder);
    if (content_name) {
        const std::string& src = sources_.at(*content_name);
        partial_holder.set("content", mustache::partial([&src]() { return src; }));
    }
    return tmpl->render(ctx);
}

std::string Renderer::page(const std::string& name, i18n::Lang lang, const mustache::data& data) const {
    return render("layout", &name, lang, data);
}

std::string Renderer::fragment(const std::string& name, i18n::Lang lang, const mustache::data& data) const {
    return render(name, nullptr, lang, data);
}

}  // namespace sengen::web
