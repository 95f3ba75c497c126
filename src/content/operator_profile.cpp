// Reads and checks an operator profile: every field the pages, mails and the privacy policy need,
// so that a registry never starts with a page that has a hole in it.
#include "content/operator_profile.hpp"

#include <toml++/toml.h>

#include "content/toml_checker.hpp"
#include "domain/email.hpp"

namespace sengen::content {

namespace {

bool web_address(std::string_view s) {
    return (s.starts_with("https://") || s.starts_with("http://")) &&
           s.find_first_of(" \t\r\n\"<>") == std::string_view::npos && s.size() > 8;
}

void load_contact(Checker& ck, const toml::table& root, OperatorProfile& p) {
    const auto* n = root.get("contact");
    const auto* t = n ? n->as_table() : nullptr;
    if (!t) {
        ck.problem(n ? *n : static_cast<const toml::node&>(root), "'contact' is missing (a [contact] section)");
        return;
    }
    ck.only_keys(*t, {"email", "form_url", "phone"}, "contact");
    if (const auto* e = t->get("email")) {
        auto v = e->value<std::string>();
        if (!v || !valid_email(*v))
            ck.problem(*e, "contact: 'email' must be an e-mail address");
        else
            p.contact_email = *v;
    }
    if (const auto* f = t->get("form_url")) {
        auto v = f->value<std::string>();
        if (!v || !web_address(*v))
            ck.problem(*f, "contact: 'form_url' must be an http:// or https:// address");
        else
            p.contact_form_url = *v;
    }
    if (const auto* ph = t->get("phone")) {
        if (auto v = ph->value<std::string>(); v && !Checker::blank(*v))
            p.contact_phone = *v;
        else
            ck.problem(*ph, "contact: 'phone' must be a telephone number as text");
    }
    if (p.contact_email.empty() && p.contact_form_url.empty() && !t->get("email") && !t->get("form_url"))
        ck.problem(*t, "contact: give an 'email', a 'form_url', or both");
}

std::vector<OtherRegistry> read_other_registries(Checker& ck, const toml::table& root) {
    std::vector<OtherRegistry> out;
    for (const auto* row : ck.tables(root, "other_registry")) {
        ck.only_keys(*row, {"name", "lookup_url", "leading_digits"}, "other_registry");
        OtherRegistry r;
        r.name = ck.localized(*row, "name", "other_registry");
        if (auto url = ck.text(*row, "lookup_url", "other_registry")) {
            if (!web_address(*url))
                ck.problem(*row->get("lookup_url"),
                           "other_registry: 'lookup_url' must be an http:// or https:// address");
            r.lookup_url = *url;
        }
        const auto* d = row->get("leading_digits");
        const auto* arr = d ? d->as_array() : nullptr;
        if (!arr || arr->empty()) {
            ck.problem(d ? *d : static_cast<const toml::node&>(*row),
                       "other_registry: 'leading_digits' must be a list of digits 1 to 9, such as [4, 5]");
        } else {
            for (const auto& item : *arr) {
                auto v = item.value<std::int64_t>();
                if (!item.is_integer() || !v || *v < 1 || *v > 9)
                    ck.problem(item, "other_registry: 'leading_digits' must hold digits 1 to 9");
                else
                    r.leading_digits.push_back(static_cast<int>(*v));
            }
        }
        out.push_back(std::move(r));
    }
    return out;
}

void load_privacy(Checker& ck, const toml::table& root, OperatorProfile& p) {
    const auto* n = root.get("privacy");
    const auto* t = n ? n->as_table() : nullptr;
    if (!t) {
        ck.problem(n ? *n : static_cast<const toml::node&>(root), "'privacy' is missing (a [privacy] section)");
        return;
    }
    ck.only_keys(*t, {"updated", "purposes", "sharing", "retention", "safeguards", "requests", "foreign_transfer"},
                 "privacy");
    auto& pp = p.privacy;
    pp.updated = ck.date(*t, "updated", "privacy", "2026-04-01").value_or("");
    pp.purposes = ck.localized_list(*t, "purposes", "privacy");
    pp.sharing = ck.localized(*t, "sharing", "privacy");
    pp.retention = ck.localized(*t, "retention", "privacy");
    pp.safeguards = ck.localized(*t, "safeguards", "privacy");
    pp.requests = ck.localized(*t, "requests", "privacy");
    pp.foreign_transfer = ck.optional_localized(*t, "foreign_transfer", "privacy");
}

}  // namespace

std::string embedded_profile_path(std::string_view name) { return "content/operator/" + std::string(name) + ".toml"; }

Result<std::vector<OtherRegistry>> load_other_registries(std::string_view text, std::string_view file_name) {
    auto parsed = parse_file(text, file_name);
    if (!parsed) return fail(parsed.error());
    Checker ck(file_name);
    ck.only_keys(*parsed, {"other_registry"}, "other registries");
    auto out = read_other_registries(ck, *parsed);
    if (ck.ok() && out.empty()) ck.problem(1, "'other_registry' needs at least one [[other_registry]] section");
    if (!ck.ok()) return fail(content_invalid(ck.report()));
    return out;
}

Result<OperatorProfile> load_operator_profile(std::string_view text, std::string_view file_name,
                                              const std::vector<OtherRegistry>& by_default) {
    auto parsed = parse_file(text, file_name);
    if (!parsed) return fail(parsed.error());
    const toml::table& root = *parsed;
    Checker ck(file_name);
    ck.only_keys(root,
                 {"demo", "programme_name", "operator_name", "postal_address", "representative", "contact",
                  "accepted_for", "other_registry", "privacy"},
                 "operator profile");
    OperatorProfile p;
    if (root.get("demo"))
        p.kind = ck.boolean(root, "demo", "operator profile").value_or(false) ? ProfileKind::Demonstration
                                                                              : ProfileKind::Operator;
    p.programme_name = ck.localized(root, "programme_name", "operator profile");
    p.operator_name = ck.localized(root, "operator_name", "operator profile");
    p.postal_address = ck.localized(root, "postal_address", "operator profile");
    p.representative = ck.optional_localized(root, "representative", "operator profile");
    load_contact(ck, root, p);
    p.accepted_for = ck.optional_localized(root, "accepted_for", "operator profile");
    // Left out, the shipped list (IPA's); an empty list (`other_registry = []`) means none.
    p.other_registries = root.get("other_registry") ? read_other_registries(ck, root) : by_default;
    load_privacy(ck, root, p);
    if (!ck.ok()) return fail(content_invalid(ck.report()));
    return p;
}

}  // namespace sengen::content
