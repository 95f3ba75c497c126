// The registry's versioned content as plain data: the declaration levels, the five principles,
// the terms of badge use, the option lists of the application form and the operator profile.
// Validating an application needs the option lists, so the types live here; src/content/ reads
// them from content/*.toml.
#pragma once
#include <string>
#include <vector>

#include "domain/lifecycle.hpp"
#include "domain/localized.hpp"
#include "domain/operator_profile.hpp"

namespace sengen {

// One option of a form list: the stored code and the label shown.
struct Choice {
    std::string code;
    Localized label;
};

struct Level {
    int number = 0;
    std::string stars;
    Localized name, summary;    // summary: what the public reads about a declaration at this level
    Localized choice;           // what the declarant promises when it picks this level on the form
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
    // What differs from the version before, in a few sentences (empty for the first version): shown
    // on the terms page, where My Page sends declarants who agreed to an earlier version.
    Localized changes;
};

struct RegistryContent {
    std::vector<Level> levels;  // numbered 1..n without gaps
    std::string principles_edition;
    std::vector<Principle> principles;
    std::vector<Terms> terms;  // oldest first; the last is current
    std::vector<Choice> entity_types, industries, employees, purposes, prefectures;
    OperatorProfile operator_profile;  // who runs the registry (content/operator/<name>.toml)

    int max_level() const { return static_cast<int>(levels.size()); }
    // The highest level a declarant may give itself (self-declared levels run 1..n without gaps).
    int highest_self_declared_level() const {
        int n = 0;
        for (const auto& l : levels)
            if (l.self_declared) n = l.number;
        return n;
    }
    lifecycle::Levels level_rules() const { return {max_level(), highest_self_declared_level()}; }
    const Level& level(int n) const { return levels.at(static_cast<std::size_t>(n - 1)); }
    const Terms& current_terms() const { return terms.back(); }
    const Terms* terms_version(const std::string& v) const {
        for (const auto& t : terms)
            if (t.version == v) return &t;
        return nullptr;
    }
    static const Choice* find(const std::vector<Choice>& list, const std::string& code) {
        for (const auto& c : list)
            if (c.code == code) return &c;
        return nullptr;
    }
};

}  // namespace sengen
