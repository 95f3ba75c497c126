// Reads and checks the registry's content files with toml++.
#include "content/registry_content.hpp"

#include <algorithm>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "embedded/embedded.hpp"

namespace sengen::content {

const Terms* RegistryContent::terms_version(const std::string& v) const {
    for (const auto& t : terms)
        if (t.version == v) return &t;
    return nullptr;
}

int RegistryContent::highest_self_declared_level() const {
    int n = 0;
    for (const auto& l : levels)
        if (l.self_declared) n = l.number;
    return n;
}

const Choice* RegistryContent::find(const std::vector<Choice>& list, const std::string& code) {
    for (const auto& c : list)
        if (c.code == code) return &c;
    return nullptr;
}

namespace {

// Collects problems as "file:line: message".
class Checker {
public:
    explicit Checker(std::string file) : file_(std::move(file)) {}
    void problem(const toml::node* at, const std::string& msg) {
        std::ostringstream s;
        s << file_ << ":" << (at ? at->source().begin.line : 0) << ": " << msg << "\n";
        problems_ += s.str();
    }
    std::string text(const toml::table& t, const std::string& key) {
        auto* n = t.get(key);
        auto v = n ? n->value<std::string>() : std::nullopt;
        if (!v || v->find_first_not_of(" \t\n") == std::string::npos) {
            problem(n ? n : &t, "'" + key + "' must be a non-empty string");
            return {};
        }
        return *v;
    }
    Localized localized(const toml::table& t, const std::string& stem) {
        return {text(t, stem + "_ja"), text(t, stem + "_en")};
    }
    int integer(const toml::table& t, const std::string& key) {
        auto* n = t.get(key);
        auto v = n ? n->value<int64_t>() : std::nullopt;
        if (!v) {
            problem(n ? n : &t, "'" + key + "' must be a whole number");
            return 0;
        }
        return static_cast<int>(*v);
    }
    const toml::array* array_of_tables(const toml::table& t, const std::string& key) {
        auto* a = t.get_as<toml::array>(key);
        if (!a || a->empty() || !a->is_array_of_tables()) {
            problem(&t, "expected one or more [[" + key + "]] tables");
            return nullptr;
        }
        return a;
    }
    std::vector<Choice> choices(const toml::table& t, const std::string& key) {
        std::vector<Choice> out;
        std::set<std::string> seen;
        if (auto* a = array_of_tables(t, key)) {
            for (const auto& node : *a) {
                const auto& row = *node.as_table();
                Choice c{text(row, "code"), {text(row, "ja"), text(row, "en")}};
                if (!seen.insert(c.code).second) problem(&node, key + " code '" + c.code + "' appears twice");
                out.push_back(std::move(c));
            }
        }
        return out;
    }
    const std::string& problems() const { return problems_; }

private:
    std::string file_;
    std::string problems_;
};

std::optional<toml::table> parse(std::string_view text, const std::string& file, std::string& problems) {
    try {
        return toml::parse(text, file);
    } catch (const toml::parse_error& e) {
        std::ostringstream s;
        s << file << ":" << e.source().begin.line << ": " << e.description() << "\n";
        problems += s.str();
        return std::nullopt;
    }
}

}  // namespace

Result<RegistryContent> load_registry_content(const std::map<std::string, std::string_view>& files) {
    RegistryContent rc;
    std::string problems;
    auto need = [&](const std::string& path) -> std::optional<toml::table> {
        auto it = files.find(path);
        if (it == files.end()) {
            problems += path + ": missing\n";
            return std::nullopt;
        }
        return parse(it->second, path, problems);
    };

    if (auto t = need("content/levels.toml")) {
        Checker c("content/levels.toml");
        if (auto* a = c.array_of_tables(*t, "level")) {
            for (const auto& node : *a) {
                const auto& row = *node.as_table();
                Level l{c.integer(row, "number"), c.text(row, "stars"), c.localized(row, "name"),
                        c.localized(row, "summary")};
                if (l.number != static_cast<int>(rc.levels.size()) + 1)
                    c.problem(&node, "levels must be numbered 1, 2, 3, ... in order");
                auto* self = row.get("self_declared");
                if (!self || !self->is_boolean())
                    c.problem(self ? self : &row, "'self_declared' must be true or false");
                else
                    l.self_declared = self->as_boolean()->get();
                // A declarant climbs one level at a time, so the levels it may give itself come first.
                if (l.self_declared && !rc.levels.empty() && !rc.levels.back().self_declared)
                    c.problem(&node, "a self-declared level cannot follow one that is not");
                rc.levels.push_back(std::move(l));
            }
            if (!rc.levels.empty() && !rc.levels.front().self_declared)
                c.problem(&a->front(), "level 1 must be self-declared");
        }
        problems += c.problems();
    }
    if (auto t = need("content/principles.toml")) {
        Checker c("content/principles.toml");
        rc.principles_edition = c.text(*t, "edition");
        if (auto* a = c.array_of_tables(*t, "principle")) {
            for (const auto& node : *a) {
                const auto& row = *node.as_table();
                Principle p{c.integer(row, "number"), c.localized(row, "title"), c.localized(row, "commitment")};
                if (p.number != static_cast<int>(rc.principles.size()) + 1)
                    c.problem(&node, "principles must be numbered 1, 2, 3, ... in order");
                rc.principles.push_back(std::move(p));
            }
            if (rc.principles.size() != 5) c.problem(t->get("principle"), "there must be exactly five principles");
        }
        problems += c.problems();
    }
    if (auto t = need("content/choices.toml")) {
        Checker c("content/choices.toml");
        rc.entity_types = c.choices(*t, "entity_type");
        rc.industries = c.choices(*t, "industry");
        rc.employees = c.choices(*t, "employees");
        rc.purposes = c.choices(*t, "purpose");
        rc.prefectures = c.choices(*t, "prefecture");
        if (rc.prefectures.size() != 47) c.problem(t->get("prefecture"), "there must be 47 prefectures");
        for (const char* code : {"corporation", "sole_proprietor", "other"})
            if (!RegistryContent::find(rc.entity_types, code))
                c.problem(t->get("entity_type"), std::string("entity_type '") + code + "' is required");
        problems += c.problems();
    }
    for (const auto& [path, text] : files) {
        if (path.rfind("content/terms/", 0) != 0) continue;
        std::string local;
        auto t = parse(text, path, local);
        problems += local;
        if (!t) continue;
        Checker c(path);
        Terms terms;
        terms.version = c.text(*t, "version");
        if (auto* d = t->get("effective"); d && d->is_date()) {
            std::ostringstream s;
            s << *d->as_date();
            terms.effective = s.str();
        } else {
            c.problem(d ? d : &*t, "'effective' must be a date (YYYY-MM-DD)");
        }
        terms.title = c.localized(*t, "title");
        if (auto* a = c.array_of_tables(*t, "section"))
            for (const auto& node : *a)
                terms.sections.push_back(
                    {c.localized(*node.as_table(), "heading"), c.localized(*node.as_table(), "body")});
        problems += c.problems();
        rc.terms.push_back(std::move(terms));
    }
    if (rc.terms.empty()) problems += "content/terms/: no terms of badge use\n";
    std::sort(rc.terms.begin(), rc.terms.end(), [](const auto& a, const auto& b) { return a.effective < b.effective; });

    if (!problems.empty()) {
        Error e = Error::invalid({{"content", "invalid"}}, "content.invalid");
        e.detail = problems;
        return fail(std::move(e));
    }
    return rc;
}

Result<RegistryContent> load_embedded_registry_content() {
    std::map<std::string, std::string_view> files;
    for (const auto& f : embedded::all_files())
        if (f.path.rfind("content/", 0) == 0) files.emplace(std::string(f.path), f.bytes);
    return load_registry_content(files);
}

}  // namespace sengen::content
