// Reads the subsidy catalogue (content/subsidies.toml, or the operator's own file named by the
// setting subsidy-catalogue) through the content checker: every problem as "file:line: what".
// Pure: the caller reads the file (content/subsidy_source.hpp).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/registry_content.hpp"
#include "domain/subsidy/catalogue.hpp"

namespace sengen::content {

// The catalogue shipped in the binary, used when the setting subsidy-catalogue is empty.
inline constexpr std::string_view kShippedSubsidyCatalogue = "content/subsidies.toml";

// What the catalogue may refer to that other content defines: the level numbers
// (content/levels.toml) and the prefecture codes (content/choices.toml).
struct CatalogueReferences {
    std::vector<int> levels;
    std::vector<std::string> prefectures;
};
CatalogueReferences catalogue_references(const RegistryContent& content);

Result<subsidy::Catalogue> load_subsidy_catalogue(std::string_view text, std::string_view file_name,
                                                  const CatalogueReferences& refs);

}  // namespace sengen::content
