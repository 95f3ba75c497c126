// Reads the registry's versioned content (content/*.toml, embedded): levels, the five principles,
// the terms of badge use and the form's option lists. Loaded and checked once at start-up;
// problems are reported with file and line. The types are the domain's (domain/registry_content.hpp).
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/registry_content.hpp"

namespace sengen::content {

// Callers name the content by the loader's namespace; these are the domain's types, not copies.
using sengen::Choice;
using sengen::Level;
using sengen::Localized;
using sengen::Principle;
using sengen::RegistryContent;
using sengen::Terms;
using sengen::TermsSection;

// `files` maps a path (as embedded, e.g. "content/levels.toml") to its text.
Result<RegistryContent> load_registry_content(const std::map<std::string, std::string_view>& files);

// The same from the files embedded in the binary.
Result<RegistryContent> load_embedded_registry_content();

}  // namespace sengen::content
