// Field views and reading posted values.
#include "web/forms.hpp"

#include "web/errors.hpp"

#include <algorithm>

namespace sengen::web {

namespace {

bool owns(const FieldSpec& f, const std::string& error_field) {
    // A group of checkboxes reports errors per item as "<name>_<n>" (e.g. commitment_3).
    return error_field == f.name || (f.kind == FieldSpec::Kind::Checkboxes && error_field.rfind(f.name + "_", 0) == 0);
}

// What was typed, fit to put back on the page: a form body is not checked for UTF-8 as a whole
// (the field's own check reports it), so each invalid byte is shown as U+FFFD.
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

const std::string* optional_text(const Context& ctx, const std::string& id) {
    const auto& t = ctx.text(id);
    return &t == &id || t == id ? nullptr : &t;
}

}  // namespace

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

void read_business_details(const FormValues& v, i18n::Lang lang, ApplicationInput& in) {
    for (const auto& f : kBusinessFields) in.*f.typed = value_of(v, std::string(f.name));
    in.purposes = values_of(v, "purposes");
    in.lang = std::string(i18n::code(lang));
}

mustache::data field_view(const Context& ctx, const FieldSpec& f, const FormValues& values,
                          const std::vector<FieldError>& errors) {
    using K = FieldSpec::Kind;
    mustache::data d{mustache::data::type::object};
    d.set("name", f.name);
    d.set("id", "f-" + f.name);
    d.set("label", ctx.text("field." + f.name + ".label"));
    if (auto* hint = optional_text(ctx, "field." + f.name + ".hint")) d.set("hint", *hint);
    if (f.required) d.set("required", true);
    if (!f.autocomplete.empty()) d.set("autocomplete", f.autocomplete);
    if (!f.inputmode.empty()) d.set("inputmode", f.inputmode);
    if (f.maxlength > 0) d.set("maxlength", std::to_string(f.maxlength));
    d.set("width", f.width.empty() ? std::string("full") : f.width);
    for (const auto& e : errors) {
        if (!owns(f, e.field)) continue;
        d.set("error", field_message(ctx, e));
        break;
    }
    const char* type = "text";
    switch (f.kind) {
        case K::Email:
            type = "email";
            break;
        case K::Tel:
            type = "tel";
            break;
        case K::Url:
            type = "url";
            break;
        case K::Date:
            type = "text";
            break;  // typed as YYYY-MM-DD; full-width digits accepted
        default:
            break;
    }
    if (f.kind == K::Text || f.kind == K::Email || f.kind == K::Tel || f.kind == K::Url || f.kind == K::Date) {
        d.set("is_input", true);
        d.set("type", type);
        d.set("value", displayable(value_of(values, f.name)));
    } else if (f.kind == K::Textarea) {
        // Several lines of text: what was typed goes back as it was, line breaks included.
        d.set("is_textarea", true);
        d.set("value", displayable(value_of(values, f.name)));
    } else if (f.kind == K::Checkbox) {
        d.set("is_checkbox", true);
        if (value_of(values, f.name) == "yes") d.set("checked", true);
    } else {
        d.set(f.kind == K::Select ? "is_select" : f.kind == K::Radio ? "is_radio" : "is_checkboxes", true);
        const auto chosen =
            f.kind == K::Checkboxes ? values_of(values, f.name) : std::vector<std::string>{value_of(values, f.name)};
        mustache::data opts{mustache::data::type::list};
        int i = 0;
        for (const auto& o : *f.options) {
            mustache::data od{mustache::data::type::object};
            od.set("value", o.code);
            od.set("label", o.label.in(ctx.lang));
            od.set("option_id", "f-" + f.name + "_" + o.code);
            ++i;
            if (std::find(chosen.begin(), chosen.end(), o.code) != chosen.end()) od.set("selected", true);
            opts.push_back(od);
        }
        d.set("options", opts);
    }
    return d;
}

mustache::data error_list(const Context& ctx, const std::vector<FieldError>& errors) {
    mustache::data list{mustache::data::type::list};
    for (const auto& e : errors) {
        mustache::data d{mustache::data::type::object};
        // Per-item errors of a checkbox group link to the group's first box.
        auto underscore = e.field.rfind('_');
        bool item = underscore != std::string::npos &&
                    std::all_of(e.field.begin() + static_cast<long>(underscore) + 1, e.field.end(), ::isdigit);
        std::string label_id = "field." + e.field + ".label";
        d.set("href", "#f-" + e.field);
        d.set("label", item ? ctx.text("field." + e.field.substr(0, underscore) + ".label") + " " +
                                  e.field.substr(underscore + 1)
                            : ctx.text(label_id));
        d.set("message", field_message(ctx, e));
        list.push_back(d);
    }
    return list;
}

std::vector<FieldError> errors_for(const std::vector<FieldError>& all, const std::vector<FieldSpec>& fields) {
    std::vector<FieldError> out;
    for (const auto& f : fields)
        for (const auto& e : all)
            if (owns(f, e.field)) out.push_back(e);
    return out;
}

std::vector<FieldSpec> business_field_specs(const content::RegistryContent& c) {
    using K = FieldSpec::Kind;
    return {
        {"entity_type", K::Radio, true, "", "", 0, &c.entity_types, ""},
        {"corporate_number", K::Text, false, "", "numeric", 20, nullptr, "medium"},
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

}  // namespace sengen::web
