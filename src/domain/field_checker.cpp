#include "domain/field_checker.hpp"

#include "domain/text.hpp"

namespace sengen {

void FieldChecker::add(const std::string& field, const std::string& code) {
    for (const auto& e : errors)
        if (e.field == field) return;  // one message per field: the first problem found
    errors.push_back({field, code});
}

std::string FieldChecker::line(const std::string& field, const std::string& raw, std::size_t max, bool required) {
    // Ill-formed UTF-8 is one of the things has_forbidden_characters refuses.
    if (text::has_forbidden_characters(raw)) {
        add(field, "invalid_characters");
        return {};
    }
    std::string v = text::squeeze_spaces(raw);
    if (v.empty()) {
        if (required) add(field, "required");
        return {};
    }
    if (text::length(v) > max) add(field, "too_long");
    return v;
}

}  // namespace sengen
