// The ★★ toolkit's parts of other pages: My Page's lists of saved self-assessments and basic
// policies, and the choice, when applying for ★★ or stepping up, to use the assessment and the
// policy made here instead of typing a date and an address.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "app/policy.hpp"
#include "web/app.hpp"
#include "web/forms.hpp"

namespace sengen::web::toolkit {

// Adds My Page's sections (saved self-assessments, basic policies) to the page's data.
Status add_to_mypage(Context& ctx, std::int64_t account_id, mustache::data& page);

// The ★★ evidence the signed-in account can use (empty when not signed in, or when it has no
// saved assessment or no published policy).
Result<std::vector<app::TwoStarEvidence>> evidence_options(Context& ctx);

// The form field "evidence" offering them: one radio per option ("sengen-<policy id>"), and
// "typed" to type the date and the address. Its options live until the next call on this thread.
FieldSpec evidence_field(Context& ctx, const std::vector<app::TwoStarEvidence>& options);

// What the posted "evidence" value chooses: an option, nullopt for typing (or no choice), or
// Invalid {"evidence", "invalid_choice"} for a value that names no option.
Result<std::optional<app::TwoStarEvidence>> chosen_evidence(const std::vector<app::TwoStarEvidence>& options,
                                                            const std::string& value);

}  // namespace sengen::web::toolkit
