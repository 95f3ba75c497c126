// Reads and checks the registry's content files through the one content checker.
#include "content/registry_content.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include <toml++/toml.h>

#include "content/toml_checker.hpp"
#include "embedded/embedded.hpp"

namespace sengen::content {

namespace {

// The option list of the [[key]] sections: a code each, stored, and a label in both languages.
std::vector<Choice> choices(Checker& ck, const toml::table& root, const std::string& key) {
    std::vector<Choice> out;
    std::set<std::string> seen;
    for (const auto* row : ck.nonempty_tables(root, key)) {
        ck.only_keys(*row, {"code", "label"}, key);
        auto code = ck.text(*row, "code", key);
        Choice c{code.value_or(""), ck.localized(*row, "label", key + " '" + code.value_or("?") + "'")};
        if (code && !seen.insert(*code).second) ck.problem(*row, key + " code '" + *code + "' appears twice");
        out.push_back(std::move(c));
    }
    return out;
}

void load_levels(Checker& ck, const toml::table& root, RegistryContent& rc) {
    ck.only_keys(root, {"edition", "level"}, "levels file");
    for (const auto* row : ck.nonempty_tables(root, "level")) {
        ck.only_keys(*row, {"number", "stars", "self_declared", "name", "summary", "choice"}, "level");
        auto number = ck.integer(*row, "number", "level");
        const std::string where = "level " + (number ? std::to_string(*number) : std::string("?"));
        Level l{static_cast<int>(number.value_or(0)),
                ck.text(*row, "stars", where).value_or(""),
                ck.localized(*row, "name", where),
                ck.localized(*row, "summary", where),
                {}};
        l.self_declared = ck.boolean(*row, "self_declared", where).value_or(true);
        // Only a level the declarant picks on the form needs the words it picks it by.
        if (l.self_declared) l.choice = ck.localized(*row, "choice", where);
        if (l.number != static_cast<int>(rc.levels.size()) + 1)
            ck.problem(*row, "levels must be numbered 1, 2, 3, ... in order");
        // A declarant climbs one level at a time, so the levels it may give itself come first.
        if (l.self_declared && !rc.levels.empty() && !rc.levels.back().self_declared)
            ck.problem(*row, "a self-declared level cannot follow one that is not");
        rc.levels.push_back(std::move(l));
    }
    if (!rc.levels.empty() && !rc.levels.front().self_declared)
        ck.problem(*root.get("level"), "level 1 must be self-declared");
}

void load_principles(Checker& ck, const toml::table& root, RegistryContent& rc) {
    ck.only_keys(root, {"edition", "principle"}, "principles file");
    rc.principles_edition = ck.text(root, "edition", "principles file").value_or("");
    auto rows = ck.nonempty_tables(root, "principle");
    for (const auto* row : rows) {
        ck.only_keys(*row, {"number", "title", "commitment"}, "principle");
        auto number = ck.integer(*row, "number", "principle");
        const std::string where = "principle " + (number ? std::to_string(*number) : std::string("?"));
        Principle p{static_cast<int>(number.value_or(0)), ck.localized(*row, "title", where),
                    ck.localized(*row, "commitment", where)};
        if (p.number != static_cast<int>(rc.principles.size()) + 1)
            ck.problem(*row, "principles must be numbered 1, 2, 3, ... in order");
        rc.principles.push_back(std::move(p));
    }
    if (!rows.empty() && rc.principles.size() != 5)
        ck.problem(*root.get("principle"), "there must be exactly five principles");
}

void load_choices(Checker& ck, const toml::table& root, RegistryContent& rc) {
    ck.only_keys(root, {"entity_type", "industry", "employees", "purpose", "prefecture"}, "choices file");
    rc.entity_types = choices(ck, root, "entity_type");
    rc.industries = choices(ck, root, "industry");
    rc.employees = choices(ck, root, "employees");
    rc.purposes = choices(ck, root, "purpose");
    rc.prefectures = choices(ck, root, "prefecture");
    if (const auto* at = root.get("prefecture"); at && rc.prefectures.size() != 47)
        ck.problem(*at, "there must be 47 prefectures");
    if (const auto* at = root.get("entity_type"))
        for (const char* code : {"corporation", "sole_proprietor", "other"})
            if (!RegistryContent::find(rc.entity_types, code))
                ck.problem(*at, std::string("entity_type '") + code + "' is required");
}

Terms load_terms(Checker& ck, const toml::table& root) {
    Terms terms;
    ck.only_keys(root, {"version", "effective", "title", "changes", "section"}, "terms file");
    terms.version = ck.text(root, "version", "terms file").value_or("");
    terms.effective = ck.date(root, "effective", "terms file", "2026-04-01").value_or("");
    terms.title = ck.localized(root, "title", "terms file");
    terms.changes = ck.optional_localized(root, "changes", "terms file");
    for (const auto* row : ck.nonempty_tables(root, "section")) {
        ck.only_keys(*row, {"heading", "body"}, "section");
        terms.sections.push_back({ck.localized(*row, "heading", "section"), ck.localized(*row, "body", "section")});
    }
    return terms;
}

}  // namespace

Result<RegistryContent> load_registry_content(const std::map<std::string, std::string_view>& files,
                                              std::string_view profile) {
    RegistryContent rc;
    std::string problems;
    // Parses one file and hands its table to `load` with a checker for that file.
    auto read = [&](const std::string& path, std::string_view text, auto load) {
        auto parsed = parse_file(text, path);
        if (!parsed) {
            problems += parsed.error().detail;
            return;
        }
        Checker ck(path);
        load(ck, *parsed);
        problems += ck.report();
    };
    auto need = [&](const std::string& path, auto load) {
        auto it = files.find(path);
        if (it == files.end())
            problems += path + ": missing\n";
        else
            read(path, it->second, load);
    };

    need("content/levels.toml", [&](Checker& ck, const toml::table& t) { load_levels(ck, t, rc); });
    need("content/principles.toml", [&](Checker& ck, const toml::table& t) { load_principles(ck, t, rc); });
    need("content/choices.toml", [&](Checker& ck, const toml::table& t) { load_choices(ck, t, rc); });
    for (const auto& [path, text] : files)
        if (path.starts_with("content/terms/"))
            read(path, text, [&](Checker& ck, const toml::table& t) { rc.terms.push_back(load_terms(ck, t)); });
    if (rc.terms.empty()) problems += "content/terms/: no terms of badge use\n";
    std::vector<OtherRegistry> other_registries;
    if (auto it = files.find(std::string(kOtherRegistriesFile)); it == files.end())
        problems += std::string(kOtherRegistriesFile) + ": missing\n";
    else if (auto others = load_other_registries(it->second, kOtherRegistriesFile); !others)
        problems += others.error().detail;
    else
        other_registries = std::move(*others);
    if (auto it = files.find(std::string(profile)); it == files.end()) {
        problems += std::string(profile) + ": missing (the setting operator-profile names no profile there)\n";
    } else if (auto op = load_operator_profile(it->second, profile, other_registries); !op) {
        problems += op.error().detail;
    } else {
        rc.operator_profile = std::move(*op);
    }
    std::sort(rc.terms.begin(), rc.terms.end(), [](const auto& a, const auto& b) { return a.effective < b.effective; });

    if (!problems.empty()) return fail(content_invalid(problems));
    return rc;
}

Result<RegistryContent> load_embedded_registry_content(std::string_view profile,
                                                       std::optional<std::string_view> profile_text) {
    std::map<std::string, std::string_view> files;
    for (const auto& f : embedded::all_files())
        if (f.path.starts_with("content/")) files.emplace(std::string(f.path), f.bytes);
    if (profile_text) files[std::string(profile)] = *profile_text;
    return load_registry_content(files, profile);
}

}  // namespace sengen::content
