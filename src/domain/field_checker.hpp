// Reading what a person typed, field by field, collecting one error per field (the first problem
// found): the shared part of the checks of an application and of a policy draft.
#pragma once
#include <string>
#include <vector>

#include "domain/error.hpp"

namespace sengen {

class FieldChecker {
public:
    std::vector<FieldError> errors;

    void add(const std::string& field, const std::string& code);

    // A one-line field: spaces squeezed, control and bidi-override characters refused, at most
    // `max` characters; "" when empty, which is an error ("required") if `required`.
    std::string line(const std::string& field, const std::string& raw, std::size_t max, bool required = false);
};

}  // namespace sengen
