// Fuzz target: the state the application form keeps between its steps. The pages keep what was
// typed as JSON in the session (web/handlers_apply.cpp: the "apply" member of the session's data),
// read back on every step, filled from each posted form and checked by the one validation of an
// application. The input is "stored session data NUL posted form body". Whatever was stored and
// posted, the state written back re-reads as a JSON object holding what was posted (valid UTF-8
// as typed), every part validates without a crash, and an application that passes re-validates,
// from its own normalised values, to the same values.
#include <string>

#include <nlohmann/json.hpp>

#include "content/registry_content.hpp"
#include "domain/application.hpp"
#include "domain/email.hpp"
#include "domain/identifiers.hpp"
#include "fuzz_check.hpp"
#include "web/form_values.hpp"

namespace {

using namespace sengen;
using web::FieldSpec;
using web::FormValues;
using K = FieldSpec::Kind;

const RegistryContent& registry() {
    static const auto loaded = content::load_embedded_registry_content();
    FUZZ_CHECK(loaded.has_value());
    return *loaded;
}

// The declaration step's fields as the page posts them (their choices do not matter to reading).
const std::vector<FieldSpec>& declaration_fields() {
    static const std::vector<FieldSpec> fields = {
        {"level", K::Radio, true, "", "", 0, nullptr, ""},
        {"commitment", K::Checkboxes, true, "", "", 0, nullptr, ""},
        {"assessment_date", K::Date, false, "", "numeric", 20, nullptr, "medium"},
        {"policy_url", K::Url, false, "url", "url", 300, nullptr, ""},
        {"purposes", K::Checkboxes, true, "", "", 0, nullptr, ""},
    };
    return fields;
}

// As the application pages turn the kept values into an input to validate.
ApplicationInput input_from(const FormValues& v) {
    ApplicationInput in;
    in.terms_agreed = web::value_of(v, "terms_agreed") == "yes";
    in.terms_version = web::value_of(v, "terms_version");
    if (in.terms_version.empty()) in.terms_version = registry().current_terms().version;
    web::read_business_details(v, Lang::Ja, in);
    in.level = web::value_of(v, "level");
    in.commitments = web::values_of(v, "commitment");
    in.assessment_date = web::value_of(v, "assessment_date");
    in.policy_url = web::value_of(v, "policy_url");
    return in;
}

void check_valid(const Application& a, const std::string& today) {
    FUZZ_CHECK(valid_email(a.contact_email));
    FUZZ_CHECK(a.corporate_number.empty() || !CorporateNumber::check(a.corporate_number));
    FUZZ_CHECK(!a.business_name.empty());
    // Normalising is idempotent: the checked values, typed again, check to themselves.
    ApplicationInput again;
    again.terms_agreed = true;
    again.terms_version = a.terms_version;
    for (const auto& f : kBusinessFields) again.*f.typed = a.*f.checked;
    again.purposes = a.purposes;
    again.level = std::to_string(a.level);
    for (const auto& p : registry().principles) again.commitments.push_back(std::to_string(p.number));
    again.assessment_date = a.assessment_date;
    again.policy_url = a.policy_url;
    again.lang = a.lang;
    auto b = validate(again, registry(), today, ApplicationPart::All);
    FUZZ_CHECK(b.has_value());
    for (const auto& f : kBusinessFields) FUZZ_CHECK((*b).*f.checked == a.*f.checked);
    FUZZ_CHECK(b->purposes == a.purposes && b->level == a.level);
    FUZZ_CHECK(b->assessment_date == a.assessment_date && b->policy_url == a.policy_url);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto [stored, posted_body] = fuzz::split_at_nul(fuzz::as_text(data, size));

    // Context::session_data and draft_of: anything but an object reads as an empty one.
    auto session = nlohmann::json::parse(stored, nullptr, false);
    if (!session.is_object()) session = nlohmann::json::object();
    auto it = session.find("apply");
    FormValues draft = it != session.end() && it->is_object() ? *it : FormValues::object();

    const web::Params posted = web::parse_urlencoded(posted_body);
    const auto business = web::business_field_specs(registry());
    web::read_fields(posted, business, draft);
    web::read_fields(posted, declaration_fields(), draft);
    if (auto agreed = web::first(posted, "terms_agreed")) draft["terms_agreed"] = *agreed;

    // Context::save_session_data, then the next page's read.
    session["apply"] = draft;
    const std::string saved = session.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const auto reread = nlohmann::json::parse(saved, nullptr, false);
    FUZZ_CHECK(reread.is_object() && reread.contains("apply") && reread["apply"].is_object());
    const FormValues& kept = reread["apply"];
    for (const auto& f : business) {
        if (f.kind == K::Checkboxes) continue;
        const std::string typed = web::value_of(draft, f.name);
        if (web::valid_utf8(typed)) FUZZ_CHECK(web::value_of(kept, f.name) == typed);
    }

    const std::string today = "2026-12-06";
    const auto in = input_from(kept);
    for (auto part : {ApplicationPart::Terms, ApplicationPart::Business, ApplicationPart::Declaration}) {
        auto r = validate(in, registry(), today, part);
        if (!r) FUZZ_CHECK(!r.error().fields.empty());
    }
    if (auto a = validate(in, registry(), today, ApplicationPart::All)) check_valid(*a, today);
    return 0;
}
