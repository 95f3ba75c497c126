// The values of a form as its pages keep them (in the session, between the steps of a form) and
// the fields they come from: reading posted fields into them and reading them back. No page
// rendering here, so that the fuzz target of the form's state links without the web layer.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "content/registry_content.hpp"
#include "domain/application.hpp"
#include "domain/lang.hpp"
#include "web/http.hpp"

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
    // When whether the field is needed depends on another answer: the catalogue id of the words
    // shown in place of 必須 or 任意 ("required for corporations").
    std::string requirement = {};
};

// The business details of a declaration, as asked when applying and when changing them.
std::vector<FieldSpec> business_field_specs(const content::RegistryContent& c);

// The values a form keeps between pages: a JSON object of strings and string arrays.
using FormValues = nlohmann::json;

// What was typed, fit to put back on the page: a form body is not checked for UTF-8 as a whole
// (the field's own check reports it), so each invalid byte is shown as U+FFFD.
std::string displayable(const std::string& typed);

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
void read_business_details(const FormValues& v, Lang lang, ApplicationInput& in);

}  // namespace sengen::web
