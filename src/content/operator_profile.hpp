// Reads the operator profile (content/operator/<name>.toml, or an operator's own file named by
// the setting operator-profile) through the content checker: problems as "file:line: what".
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/operator_profile.hpp"

namespace sengen::content {

// The embedded profile shipped for demonstrations and tests, used when no other is set.
inline constexpr std::string_view kDemoProfile = "content/operator/demo.toml";

// The embedded path of the profile called `name` ("demo" -> "content/operator/demo.toml").
std::string embedded_profile_path(std::string_view name);

// The registries whose IDs look like ours that a profile gets when it lists none itself: IPA's
// SECURITY ACTION, so that an ID of IPA's is never called a typo on a registry whose operator did
// not think of it. A profile says `other_registry = []` to list none.
inline constexpr std::string_view kOtherRegistriesFile = "content/other_registries.toml";

Result<std::vector<OtherRegistry>> load_other_registries(std::string_view text, std::string_view file_name);

// `by_default`: the other registries of a profile that has no `other_registry` key.
Result<OperatorProfile> load_operator_profile(std::string_view text, std::string_view file_name,
                                              const std::vector<OtherRegistry>& by_default = {});

}  // namespace sengen::content
