// Reads the questionnaire editions of content/assessment/ into the domain's Edition.
#pragma once
#include <string_view>

#include "domain/assessment/edition.hpp"
#include "domain/error.hpp"

namespace sengen::content {

// Parses and checks an edition file. On failure the error (Invalid, code "content.invalid") has
// one line per problem in `detail`, each "file:line: what is wrong".
Result<assessment::Edition> load_edition(std::string_view text, std::string_view file_name);

// Every edition embedded in the binary (content/assessment/*.toml).
Result<assessment::Library> load_embedded_editions();

}  // namespace sengen::content
