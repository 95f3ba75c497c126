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

const std::string* optional_text(const Context& ctx, const std::string& id) {
    const auto& t = ctx.text(id);
    return &t == &id || t == id ? nullptr : &t;
}

}  // namespace

mustache::data field_view(const Context& ctx, const FieldSpec& f, const FormValues& values,
                          const std::vector<FieldError>& errors) {
    using K = FieldSpec::Kind;
    mustache::data d{mustache::data::type::object};
    d.set("name", f.name);
    d.set("id", "f-" + f.name);
    d.set("label", ctx.text("field." + f.name + ".label"));
    if (auto* hint = optional_text(ctx, "field." + f.name + ".hint")) d.set("hint", *hint);
    if (f.required) d.set("required", true);
    if (!f.requirement.empty()) d.set("requirement", ctx.text(f.requirement));
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
    log_hostile_fields(ctx, errors);
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

}  // namespace sengen::web
