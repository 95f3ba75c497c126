// Versioned content of the registry (content/*.toml, embedded): levels, the five principles,
// the terms of badge use and the form's option lists. Loaded and checked once at start-up;
// problems are reported with file and line.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/lifecycle.hpp"
#include "i18n/catalogue.hpp"

namespace sengen::content {

struct Localized {
    std::string ja, en;
    const std::string& in(i18n::Lang l) const { return l == i18n::Lang::Ja ? ja : en; }
};

struct Choice {
    std::string code;
    Localized label;
};

struct Level {
    int number = 0;
    std::string stars;
    Localized name, summary;
    bool self_declared = true;  // a declarant may give itself this level (apply, step up)
};

struct Principle {
    int number = 0;
    Localized title, commitment;
};

struct TermsSection {
    Localized heading, body;
};

struct Terms {
    std::string version;
    std::string effective;  // YYYY-MM-DD
    Localized title;
    std::vector<TermsSection> sections;
};

struct RegistryContent {
    std::vector<Level> levels;  // numbered 1..n without gaps
    std::string principles_edition;
    std::vector<Principle> principles;
    std::vector<Terms> terms;  // oldest first; the last is current
    std::vector<Choice> entity_types, industries, employees, purposes, prefectures;

    int max_level() const { return static_cast<int>(levels.size()); }
    // The highest level a declarant may give itself (self-declared levels run 1..n without gaps).
    int highest_self_declared_level() const;
    lifecycle::Levels level_rules() const { return {max_level(), highest_self_declared_level()}; }
    const Level& level(int n) const { return levels.at(static_cast<std::size_t>(n - 1)); }
    const Terms& current_terms() const { return terms.back(); }
    const Terms* terms_version(const std::string& v) const;
    static const Choice* find(const std::vector<Choice>& list, const std::string& code);
};

// `files` maps a path (as embedded, e.g. "content/levels.toml") to its text.
Result<RegistryContent> load_registry_content(const std::map<std::string, std::string_view>& files);

// The same from the files embedded in the binary.
Result<RegistryContent> load_embedded_registry_content();

}  // namespace sengen::content
