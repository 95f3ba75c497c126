// Reads the operator profile (content/operator/<name>.toml, or an operator's own file named by
// the setting operator-profile) through the content checker: problems as "file:line: what".
#pragma once
#include <string>
#include <string_view>

#include "domain/error.hpp"
#include "domain/operator_profile.hpp"

namespace sengen::content {

// The embedded profile shipped for demonstrations and tests, used when no other is set.
inline constexpr std::string_view kDemoProfile = "content/operator/demo.toml";

// The embedded path of the profile called `name` ("demo" -> "content/operator/demo.toml").
std::string embedded_profile_path(std::string_view name);

Result<OperatorProfile> load_operator_profile(std::string_view text, std::string_view file_name);

}  // namespace sengen::content
