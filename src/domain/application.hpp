// An application to declare: the raw form (as typed, from HTML or JSON) and its checked,
// normalised form. `validate` returns every field problem at once.
#pragma once
#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/lang.hpp"
#include "domain/registry_content.hpp"

namespace sengen {

// Field names are the form's and the API's (snake_case); errors use the same names.
struct ApplicationInput {
    std::string terms_version;
    bool terms_agreed = false;
    std::string entity_type;
    std::string corporate_number;
    std::string business_name;
    std::string business_name_kana;
    std::string postal_code;
    std::string prefecture;
    std::string address;
    std::string industry;
    std::string employees;
    std::string representative_title;
    std::string representative_name;
    std::string contact_name;
    std::string contact_email;
    std::string phone;
    std::string website;
    std::vector<std::string> purposes;
    std::string level;                     // "1" or "2" (full-width digits accepted)
    std::vector<std::string> commitments;  // principle numbers the applicant committed to
    std::string assessment_date;           // ★★: YYYY-MM-DD
    std::string policy_url;                // ★★: public URL of the basic policy
    Lang lang = Lang::Ja;                  // the language of mails
};

// The checked application, every value normalised.
struct Application {
    std::string terms_version;
    std::string entity_type;
    std::string corporate_number;  // 13 digits or ""
    std::string business_name;
    std::string business_name_kana;  // full-width katakana
    std::string postal_code;         // "123-4567"
    std::string prefecture;          // JIS code "01".."47"
    std::string address;
    std::string industry;
    std::string employees;
    std::string representative_title;
    std::string representative_name;
    std::string contact_name;
    std::string contact_email;
    std::string phone;    // digits and hyphens, or ""
    std::string website;  // http(s) URL or ""
    std::vector<std::string> purposes;
    int level = 1;
    std::string principles_edition;
    std::string assessment_date;  // level ≥ 2
    std::string policy_url;       // level ≥ 2
    Lang lang = Lang::Ja;         // the language of mails

    // The business name folded for search: NFKC, lower case, spaces removed.
    std::string search_key() const;
};

// Limits on lengths (in characters).
struct FieldLimits {
    static constexpr std::size_t name = 100;
    static constexpr std::size_t address = 200;
    static constexpr std::size_t person = 60;
    static constexpr std::size_t url = 300;
    static constexpr std::size_t email = 254;
};

// The parts of an application, as the form's steps ask for them: the terms of badge use, the
// business's details (entity_type to website), and the declaration itself (purposes, level,
// commitments and the ★★ evidence).
enum class ApplicationPart { Terms, Business, Declaration, All };

// The one validation of an application: every problem of the parts asked for at once. A step of
// the form asks for its own part; submitting (Applications::apply) asks for All, once. The
// Application returned holds the checked values of those parts only. `today` is "YYYY-MM-DD" (the
// assessment date may not be later).
Result<Application> validate(const ApplicationInput& in, const RegistryContent& content, const std::string& today,
                             ApplicationPart part = ApplicationPart::All);

// The business's one-line details by field name (the form's, the API's and the history's), in
// the form's order: the one list that reading a form, showing the answers and diffing walk.
struct BusinessField {
    std::string_view name;
    std::string ApplicationInput::*typed;
    std::string Application::*checked;
};
inline constexpr std::array<BusinessField, 15> kBusinessFields{{
    {"entity_type", &ApplicationInput::entity_type, &Application::entity_type},
    {"corporate_number", &ApplicationInput::corporate_number, &Application::corporate_number},
    {"business_name", &ApplicationInput::business_name, &Application::business_name},
    {"business_name_kana", &ApplicationInput::business_name_kana, &Application::business_name_kana},
    {"postal_code", &ApplicationInput::postal_code, &Application::postal_code},
    {"prefecture", &ApplicationInput::prefecture, &Application::prefecture},
    {"address", &ApplicationInput::address, &Application::address},
    {"industry", &ApplicationInput::industry, &Application::industry},
    {"employees", &ApplicationInput::employees, &Application::employees},
    {"representative_title", &ApplicationInput::representative_title, &Application::representative_title},
    {"representative_name", &ApplicationInput::representative_name, &Application::representative_name},
    {"contact_name", &ApplicationInput::contact_name, &Application::contact_name},
    {"contact_email", &ApplicationInput::contact_email, &Application::contact_email},
    {"phone", &ApplicationInput::phone, &Application::phone},
    {"website", &ApplicationInput::website, &Application::website},
}};
// The field of that name, or nullptr.
const BusinessField* business_field(std::string_view name);

// The same checks for the ★★ evidence alone (for stepping up).
std::vector<FieldError> validate_two_star_evidence(const std::string& assessment_date, const std::string& policy_url,
                                                   const std::string& today, std::string& date_out,
                                                   std::string& url_out);

// A typed date as YYYY-MM-DD (full-width digits and separators such as / are folded first);
// nullopt when it is no date of the calendar.
std::optional<std::string> parse_date(std::string_view raw);

// Whether `s` is an absolute http(s) URL with a host and no white space or control characters.
bool valid_web_url(std::string_view s);

// The search key of any typed text (the same folding as Application::search_key).
std::string search_key(std::string_view s);

}  // namespace sengen
