// Reads the basic policy templates of content/policy/ into the domain's policy::Template.
#pragma once
#include <string_view>

#include "domain/error.hpp"
#include "domain/policy/template.hpp"

namespace sengen::content {

// Parses and checks a template file. On failure the error (Invalid, code "content.invalid") has
// one line per problem in `detail`, each "file:line: what is wrong".
Result<policy::Template> load_template(std::string_view text, std::string_view file_name);

// Every template embedded in the binary (content/policy/*.toml).
Result<policy::TemplateLibrary> load_embedded_policy_templates();

}  // namespace sengen::content
