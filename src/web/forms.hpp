// Form fields for HTML pages: one description per field, rendered by the "_field" partial with
// its label, hint, value and error message in the user's language.
#pragma once
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "web/app.hpp"
#include "web/form_values.hpp"

namespace sengen::web {

// The view of one field for the "_field" partial. Texts come from the catalogue:
// "field.<name>.label", optional "field.<name>.hint", and "field_error.<code>".
mustache::data field_view(const Context& ctx, const FieldSpec& f, const FormValues& values,
                          const std::vector<FieldError>& errors);

// The error summary's list ("_errors" partial): a link to each field with its message.
mustache::data error_list(const Context& ctx, const std::vector<FieldError>& errors);

// Only the errors of the named fields (a step's), in the fields' order.
std::vector<FieldError> errors_for(const std::vector<FieldError>& all, const std::vector<FieldSpec>& fields);

}  // namespace sengen::web
