// The basic security policy template as plain data: versioned content, read and checked from
// content/policy/<edition>.toml by src/content/template_loader.hpp.
#pragma once
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/edition.hpp"
#include "domain/error.hpp"
#include "domain/versions.hpp"

namespace sengen::policy {

using assessment::Localized;

// Whose information assets the policy protects (docs/domain.md §3.2: the sample's choice between
// assets entrusted by customers and the company's own).
struct AssetChoice {
    std::string id;
    Localized label;  // for the editor's choice
    Localized text;   // what goes into the preamble's {assets}
};

struct Section {
    int number = 0;
    Localized heading;
    Localized body;
};

// A commitment the latest self-assessment suggests adding: offered when any of `questions` was
// answered other than "done"; added to section `section`.
struct Suggestion {
    std::string id;
    std::vector<int> questions;
    int section = 0;
    Localized text;
};

struct Template {
    std::string id;    // the edition, e.g. "2026-1"
    std::string date;  // YYYY-MM-DD
    Localized title;
    Localized source;
    Localized preamble;  // holds {business_name} and {assets}
    std::vector<AssetChoice> assets;
    std::vector<Section> sections;  // by number, 1..kSectionCount
    Localized established_label;
    Localized revised_label;
    std::vector<Suggestion> suggestions;

    const AssetChoice* asset(std::string_view wanted) const;
    const Suggestion* suggestion(std::string_view wanted) const;
};

// The five sections of the basic policy (docs/domain.md §3.2): management's responsibility, internal
// structure, employees' efforts, compliance with laws and contracts, violations and incidents.
inline constexpr int kSectionCount = 5;

// Every template the server knows, by edition; `current()` is the one with the latest date.
using TemplateLibrary = Versions<Template>;

}  // namespace sengen::policy
