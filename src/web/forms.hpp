// Form fields for HTML pages: one description per field, rendered by the "_field" partial with
// its label, hint, value and error message in the user's language.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/registry_content.hpp"
#include "domain/application.hpp"
#include "domain/error.hpp"
#include "web/app.hpp"

namespace sengen::web {

struct FieldSpec {
    enum class Kind { Text, Email, Tel, Url, Date, Select, Radio, Checkboxes, Checkbox, Textarea };
    std::string name;
    Kind kind = Kind::Text;
    bool required = true;
    std::string autocomplete;  // HTML autocomplete token
    std::string inputmode;     // "numeric", "email", ...
    int maxlength = 0;
    const std::vector<content::Choice>* options = nullptr;  // Select, Radio, Checkboxes
    std::string width;                                      // CSS class suffix: "short", "medium"
};

// The business details of a declaration, as asked when applying and when changing them.
std::vector<FieldSpec> business_field_specs(const content::RegistryContent& c);

// The values a form keeps between pages: a JSON object of strings and string arrays.
using FormValues = nlohmann::json;

// Reads the fields' values from a posted form into `values` (arrays for Checkboxes).
void read_fields(const Params& posted, const std::vector<FieldSpec>& fields, FormValues& values);

// The fields whose values are over the form's own limits: text longer than the field's maxlength
// (in characters) is "too_long"; a choice longer than any code, or more boxes ticked than offered,
// is "invalid_choice". A form keeps nothing (an application in progress in the session) until this
// is empty; the full checks run after.
std::vector<FieldError> over_limits(const FormValues& values, const std::vector<FieldSpec>& fields);

std::string value_of(const FormValues& v, const std::string& name);
std::vector<std::string> values_of(const FormValues& v, const std::string& name);

// The business details (the fields of business_field_specs) of `in` from a form's values, and
// the language the declarant uses; the rest of `in` is left as it is.
void read_business_details(const FormValues& v, i18n::Lang lang, ApplicationInput& in);

// The view of one field for the "_field" partial. Texts come from the catalogue:
// "field.<name>.label", optional "field.<name>.hint", and "field_error.<code>".
mustache::data field_view(const Context& ctx, const FieldSpec& f, const FormValues& values,
                          const std::vector<FieldError>& errors);

// The error summary's list ("_errors" partial): a link to each field with its message.
mustache::data error_list(const Context& ctx, const std::vector<FieldError>& errors);

// Only the errors of the named fields (a step's), in the fields' order.
std::vector<FieldError> errors_for(const std::vector<FieldError>& all, const std::vector<FieldSpec>& fields);

}  // namespace sengen::web
