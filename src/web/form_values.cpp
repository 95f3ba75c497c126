// Reading posted fields into a form's kept values, and reading them back.
#include "web/form_values.hpp"

#include <algorithm>

namespace sengen::web {

std::string displayable(const std::string& typed) {
    if (valid_utf8(typed)) return typed;
    std::string out;
    for (std::size_t i = 0; i < typed.size();) {
        const auto lead = static_cast<unsigned char>(typed[i]);
        const std::size_t len = lead < 0x80         ? 1
                                : lead >> 5 == 0x6  ? 2
                                : lead >> 4 == 0xE  ? 3
                                : lead >> 3 == 0x1E ? 4
                                                    : 0;
        if (len > 0 && i + len <= typed.size() && valid_utf8(std::string_view(typed).substr(i, len))) {
            out.append(typed, i, len);
            i += len;
        } else {
            out += "\xEF\xBF\xBD";
            ++i;
        }
    }
    return out;
}

void read_fields(const Params& posted, const std::vector<FieldSpec>& fields, FormValues& values) {
    for (const auto& f : fields) {
        if (f.kind == FieldSpec::Kind::Checkboxes) {
            auto arr = nlohmann::json::array();
            for (const auto& [k, v] : posted)
                if (k == f.name) arr.push_back(v);
            values[f.name] = arr;
        } else if (f.kind == FieldSpec::Kind::Checkbox) {
            values[f.name] = first(posted, f.name).has_value() ? "yes" : "";
        } else {
            values[f.name] = first(posted, f.name).value_or("");
        }
    }
}

std::string value_of(const FormValues& v, const std::string& name) {
    if (!v.is_object()) return {};
    auto it = v.find(name);
    return it != v.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> values_of(const FormValues& v, const std::string& name) {
    std::vector<std::string> out;
    if (!v.is_object()) return out;
    auto it = v.find(name);
    if (it == v.end() || !it->is_array()) return out;
    for (const auto& x : *it)
        if (x.is_string()) out.push_back(x.get<std::string>());
    return out;
}

void read_business_details(const FormValues& v, Lang lang, ApplicationInput& in) {
    for (const auto& f : kBusinessFields) in.*f.typed = value_of(v, std::string(f.name));
    in.purposes = values_of(v, "purposes");
    in.lang = lang;
}

std::vector<FieldSpec> business_field_specs(const content::RegistryContent& c) {
    using K = FieldSpec::Kind;
    return {
        {"entity_type", K::Radio, true, "", "", 0, &c.entity_types, ""},
        {"corporate_number", K::Text, false, "", "numeric", 20, nullptr, "medium", "form.required_for_corporations"},
        {"business_name", K::Text, true, "organization", "", 100, nullptr, ""},
        {"business_name_kana", K::Text, true, "", "", 100, nullptr, ""},
        {"postal_code", K::Text, true, "postal-code", "numeric", 10, nullptr, "short"},
        {"prefecture", K::Select, true, "address-level1", "", 0, &c.prefectures, "medium"},
        {"address", K::Text, true, "street-address", "", 200, nullptr, ""},
        {"industry", K::Select, true, "", "", 0, &c.industries, ""},
        {"employees", K::Select, true, "", "", 0, &c.employees, "medium"},
        {"representative_title", K::Text, true, "organization-title", "", 60, nullptr, "medium"},
        {"representative_name", K::Text, true, "", "", 60, nullptr, "medium"},
        {"contact_name", K::Text, true, "name", "", 60, nullptr, "medium"},
        {"contact_email", K::Email, true, "email", "email", 254, nullptr, ""},
        {"phone", K::Tel, false, "tel", "tel", 30, nullptr, "medium"},
        {"website", K::Url, false, "url", "url", 300, nullptr, ""},
    };
}

namespace {

// The characters of `s`, counted on any bytes (an invalid sequence counts as what it starts), so
// that the count needs no valid UTF-8.
std::size_t characters(std::string_view s) {
    return static_cast<std::size_t>(
        std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// No code of a list of choices (content/*.toml) is anywhere near this long.
constexpr std::size_t kChoiceMaxBytes = 64;

}  // namespace

std::vector<FieldError> over_limits(const FormValues& values, const std::vector<FieldSpec>& fields) {
    using K = FieldSpec::Kind;
    std::vector<FieldError> out;
    for (const auto& f : fields) {
        if (f.kind == K::Checkboxes) {
            const auto ticked = values_of(values, f.name);
            const auto offered = f.options ? f.options->size() : 0;
            if (ticked.size() > offered ||
                std::any_of(ticked.begin(), ticked.end(), [](const auto& v) { return v.size() > kChoiceMaxBytes; }))
                out.push_back({f.name, "invalid_choice"});
        } else if (f.kind == K::Select || f.kind == K::Radio) {
            if (value_of(values, f.name).size() > kChoiceMaxBytes) out.push_back({f.name, "invalid_choice"});
        } else if (f.maxlength > 0 && characters(value_of(values, f.name)) > static_cast<std::size_t>(f.maxlength)) {
            out.push_back({f.name, "too_long"});
        }
    }
    return out;
}

}  // namespace sengen::web
