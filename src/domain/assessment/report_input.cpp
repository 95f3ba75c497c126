// Checking the business name typed for the self-assessment report (report_input.hpp).
#include "domain/assessment/report_input.hpp"
#include "domain/text.hpp"

namespace sengen::assessment {

Result<std::string> clean_business_name(std::string_view s) {
    s = text::trim_wide(s);
    // The name is one line printed on a report: what the application's one-line fields refuse
    // (line and paragraph separators, bidi controls, invisible characters) could make it read as
    // another business's name, so it is refused here too.
    if (!text::valid_utf8(s) || text::has_forbidden_characters(s))
        return fail(Error::invalid({{"business_name", "invalid_characters"}}));
    if (text::length(s) > kBusinessNameMaxChars) return fail(Error::invalid({{"business_name", "too_long"}}));
    return std::string(s);
}

}  // namespace sengen::assessment
