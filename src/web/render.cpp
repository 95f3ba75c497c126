// Template loading and rendering. Parsed templates are cached per thread: kainjow's render is not
// const, so no parsed template is shared between threads. Each is parsed from its text with the
// constant messages of one language already written in (inline_constants), and rendered through a
// context that resolves names like kainjow's own without its string streams (PageContext).
#include "web/render.hpp"

#include <array>
#include <atomic>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string_view>

#include "domain/declaration.hpp"
#include "embedded/embedded.hpp"
#include "render/xml_text.hpp"

namespace sengen::web {

namespace {

constexpr std::string_view kTemplateDir = "src/web/templates/";
// The names join_text_runs gives the stretches of text it takes out of a template: "~0", "~1"...
// No page data is named so.
constexpr std::string_view kRunPrefix = "~";

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

// The text of a constant as a template may hold it: kainjow starts a new line at '\r' and '\n' in
// a template's text (which decides whether a line holding only section tags is dropped), but not in
// a value; and '{' or '}' could make or end a tag. A constant holding any of these stays a tag.
bool may_inline(const std::string& value) { return value.find_first_of("{}\r\n") == std::string::npos; }

// A tag as kainjow's parser finds one: from "{{" to the first "}}", or to "}}}" after "{{{";
// `contents` is what is between them, trimmed. `end` is just after the tag.
struct Tag {
    std::size_t open = 0, end = 0;
    bool triple = false;
    std::string contents;
    bool sets_delimiters() const { return !contents.empty() && contents[0] == '='; }
};

// The first tag at or after `pos`; none when there is none, or when it is not closed (kainjow
// refuses such a template, and Renderer::load says so).
std::optional<Tag> next_tag(const std::string& text, std::size_t pos) {
    Tag tag;
    tag.open = text.find("{{", pos);
    if (tag.open == std::string::npos) return std::nullopt;
    tag.triple = tag.open + 2 < text.size() && text[tag.open + 2] == '{';
    const std::string_view close = tag.triple ? "}}}" : "}}";
    const std::size_t from = tag.open + (tag.triple ? 3 : 2);
    const std::size_t close_at = text.find(close, from);
    if (close_at == std::string::npos) return std::nullopt;
    tag.contents = mustache::trim(text.substr(from, close_at - from));
    tag.end = close_at + close.size();
    return tag;
}

bool next_tag_unclosed(const std::string& text, std::size_t pos) { return text.find("{{", pos) != std::string::npos; }

// kainjow's context (mustache::context) resolves names the same way: {{.}} is the top of the
// stack; a name is looked for from the top down; a dotted name is followed whole in one item
// before the next is tried. kainjow splits a dotted name with a string stream on every lookup,
// which was a third of a page's render (ADR 60); here the parts are cut in place. The split keeps
// kainjow's std::getline rules: "a..b" has an empty part, a trailing "." adds none.
// It also notes whether any item pushed on the stack holds one of the reserved names, which would
// make a message tag resolve to the page's data instead of the message (see Renderer::render).
class PageContext final : public mustache::basic_context<std::string> {
public:
    PageContext(const mustache::data* bottom, const std::vector<std::string>& reserved,
                const std::vector<mustache::data>& runs)
        : reserved_(reserved), runs_(runs) {
        items_.push_back(bottom);
    }

    void push(const mustache::data* data) override {
        if (data->is_object())
            for (const auto& name : reserved_)
                if (data->get(name)) shadowed_ = true;
        items_.push_back(data);
    }

    void pop() override { items_.pop_back(); }

    const mustache::data* get(const std::string& name) const override {
        if (name.starts_with(kRunPrefix)) {
            std::size_t run = 0;
            const auto [end, error] = std::from_chars(name.data() + kRunPrefix.size(), name.data() + name.size(), run);
            if (error == std::errc{} && end == name.data() + name.size() && run < runs_.size()) return &runs_[run];
        }
        if (name.size() == 1 && name[0] == '.') return items_.back();
        if (name.find('.') == std::string::npos) return get_partial(name);
        for (auto item = items_.rbegin(); item != items_.rend(); ++item) {
            const mustache::data* var = *item;
            std::size_t from = 0;
            while (var && from < name.size()) {
                std::size_t dot = name.find('.', from);
                if (dot == std::string::npos) dot = name.size();
                part_.assign(name, from, dot - from);
                var = var->get(part_);
                from = dot + 1;
            }
            if (var) return var;
        }
        return nullptr;
    }

    const mustache::data* get_partial(const std::string& name) const override {
        for (auto item = items_.rbegin(); item != items_.rend(); ++item)
            if (const auto* var = (*item)->get(name)) return var;
        return nullptr;
    }

    bool shadowed() const { return shadowed_; }

private:
    std::vector<const mustache::data*> items_;  // the top of the stack last
    const std::vector<std::string>& reserved_;
    const std::vector<mustache::data>& runs_;
    bool shadowed_ = false;
    mutable std::string part_;
};

// Where render() puts the rendered text: straight into one string, not a string stream.
struct Output {
    std::string text;
    Output& operator<<(const std::string& s) {
        text += s;
        return *this;
    }
};

}  // namespace

std::string escape_html(const std::string& text) {
    if (text.find_first_of(render::kMarkupSpecial) == std::string::npos) return text;
    std::string out;
    out.reserve(text.size() + text.size() / 8 + 16);
    render::append_xml_escaped(out, text, "&apos;");
    return out;
}

std::string inline_constants(const std::string& text, const std::unordered_map<std::string, std::string>& constants) {
    std::string out;
    out.reserve(text.size());
    std::size_t pos = 0;
    for (auto tag = next_tag(text, pos); tag; tag = next_tag(text, pos)) {
        if (tag->sets_delimiters()) return text;
        std::string name = tag->contents;
        bool raw = tag->triple;
        if (!raw && !name.empty() && name[0] == '&') {
            raw = true;
            name = mustache::trim(name.substr(1));
        }
        const bool variable = raw || name.empty() || std::string_view("#^/>!").find(name[0]) == std::string_view::npos;
        out.append(text, pos, tag->open - pos);
        const auto found = variable ? constants.find(name) : constants.end();
        if (found != constants.end())
            out += raw ? found->second : mustache::html_escape(found->second);
        else
            out.append(text, tag->open, tag->end - tag->open);
        pos = tag->end;
    }
    out.append(text, pos, std::string::npos);
    return out;
}

std::string join_text_runs(const std::string& text, std::vector<std::string>& runs) {
    std::string out;
    out.reserve(text.size());
    const std::size_t first_run = runs.size();
    // The text from `from` to `to` (no tag in it), each stretch between line breaks that kainjow
    // would cut into more than one part (it has a space or a tab) made one tag.
    auto add_text = [&](std::size_t from, std::size_t to) {
        while (from < to) {
            std::size_t line_end = text.find_first_of("\r\n", from);
            if (line_end == std::string::npos || line_end > to) line_end = to;
            const std::string_view stretch(text.data() + from, line_end - from);
            if (stretch.size() >= 2 && stretch.find_first_of(" \t") != std::string_view::npos) {
                out += "{{{" + std::string(kRunPrefix) + std::to_string(runs.size()) + "}}}";
                runs.emplace_back(stretch);
            } else {
                out += stretch;
            }
            from = line_end;
            while (from < to && (text[from] == '\r' || text[from] == '\n')) out += text[from++];
        }
    };
    std::size_t pos = 0;
    for (auto tag = next_tag(text, pos); tag; tag = next_tag(text, pos)) {
        if (tag->sets_delimiters()) {
            runs.resize(first_run);
            return text;
        }
        add_text(pos, tag->open);
        out.append(text, tag->open, tag->end - tag->open);
        pos = tag->end;
    }
    if (next_tag_unclosed(text, pos)) {
        out.append(text, pos, std::string::npos);
        return out;
    }
    add_text(pos, text.size());
    return out;
}

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

Renderer::Renderer(const i18n::Catalogue& c) : catalogue_(c) {
    static std::atomic<std::uint64_t> renderers{0};
    generation_ = ++renderers;
}

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
        // Every message and name that {{...}} would find at the bottom of the stack as a string: the
        // constants written into this language's templates. Resolved through kainjow's context, so
        // that a name is what kainjow would find for it.
        const mustache::context<std::string> bottom(&r->messages_[l]);
        auto& constants = r->constants_[l];
        auto add = [&](const std::string& name) {
            const auto* value = bottom.get(name);
            if (value && value->is_string() && may_inline(value->string_value()))
                constants.emplace(name, value->string_value());
        };
        for (const auto& [key, text] : catalogue.all(l)) add("t." + key);
        add("registry.operator_name");
        add("registry.programme_name");
    }
    r->reserved_ = {"t", "registry"};
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

std::string Renderer::render(Wrap wrap, const std::string& name, i18n::Lang lang, const mustache::data& data,
                             Messages how) const {
    // One template's parsed forms on this thread: with each language's constants written in, and
    // as it is written.
    struct Inlined {
        std::unique_ptr<mustache::mustache> tmpl;
        std::vector<mustache::data> runs;  // the stretches of text join_text_runs took out
    };
    struct Parsed {
        std::array<Inlined, i18n::all_langs.size()> inlined;
        std::unique_ptr<mustache::mustache> looked_up;
        std::size_t last_size = 0;  // the length of the last inlined render, reserved for the next
    };
    struct Cache {
        std::unordered_map<std::string, Parsed> pages, fragments;
    };
    thread_local std::unordered_map<std::uint64_t, Cache> cache;
    auto& mine = cache[generation_];
    auto& parsed = (wrap == Wrap::InLayout ? mine.pages : mine.fragments)[name];
    static const std::string kLayout = "layout";
    auto text = [&] { return wrap == Wrap::InLayout ? expanded(kLayout, &name) : expanded(name, nullptr); };
    // Lookups search the top of the stack first: the page's data, then the messages ("t").
    const mustache::data& bottom = messages_.at(lang);
    if (how == Messages::Inlined) {
        auto& inlined = parsed.inlined[static_cast<std::size_t>(lang)];
        if (!inlined.tmpl) {
            std::vector<std::string> runs;
            inlined.tmpl = std::make_unique<mustache::mustache>(
                join_text_runs(inline_constants(text(), constants_.at(lang)), runs));
            for (auto& run : runs) inlined.runs.emplace_back(std::move(run));
            inlined.tmpl->set_custom_escape(escape_html);
        }
        PageContext ctx(&bottom, reserved_, inlined.runs);
        ctx.push(&data);
        Output out;
        out.text.reserve(parsed.last_size);
        inlined.tmpl->render(ctx, out);
        if (!ctx.shadowed()) {
            parsed.last_size = out.text.size();
            return std::move(out.text);
        }
    }
    // kainjow as it is, with its own context: the reference the tests compare with, and what a
    // page whose data shadows a constant's name gets.
    if (!parsed.looked_up) parsed.looked_up = std::make_unique<mustache::mustache>(text());
    mustache::context<std::string> ctx(&bottom);
    ctx.push(&data);
    return parsed.looked_up->render(ctx);
}

std::string Renderer::page(const std::string& name, i18n::Lang lang, const mustache::data& data) const {
    return render(Wrap::InLayout, name, lang, data, Messages::Inlined);
}

std::string Renderer::fragment(const std::string& name, i18n::Lang lang, const mustache::data& data) const {
    return render(Wrap::Alone, name, lang, data, Messages::Inlined);
}

}  // namespace sengen::web
