// Reads the registry's versioned content (content/*.toml, embedded): levels, the five principles,
// the terms of badge use, the form's option lists and the operator profile in force. Loaded and
// checked once at start-up; problems are reported with file and line. The types are the domain's
// (domain/registry_content.hpp).
#pragma once
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "content/operator_profile.hpp"
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

// `files` maps a path (as embedded, e.g. "content/levels.toml") to its text; `profile` is the
// path of the operator profile among them.
Result<RegistryContent> load_registry_content(const std::map<std::string, std::string_view>& files,
                                              std::string_view profile = kDemoProfile);

// The same from the files embedded in the binary. An operator's own profile, read from disk by the
// caller, is given as `profile_text` and reported under the path `profile`.
Result<RegistryContent> load_embedded_registry_content(std::string_view profile = kDemoProfile,
                                                       std::optional<std::string_view> profile_text = std::nullopt);

}  // namespace sengen::content
