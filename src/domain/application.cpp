// Checking an application. Every rule reports a stable code; texts for the codes live in the
// message catalogues as "field_error.<code>".
#include "domain/application.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

#include "domain/email.hpp"
#include "domain/field_checker.hpp"
#include "domain/identifiers.hpp"
#include "domain/text.hpp"

namespace sengen {

namespace {

class Checker : public FieldChecker {
public:
    std::string choice(const std::string& field, const std::string& raw, const std::vector<Choice>& list) {
        std::string v = text::squeeze_spaces(raw);
        if (v.empty()) {
            add(field, "required");
            return {};
        }
        if (!RegistryContent::find(list, v)) add(field, "invalid_choice");
        return v;
    }
};

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

std::optional<std::string> parse_date(std::string_view raw) {
    std::string s = text::fold_for_numbers(raw);
    std::replace(s.begin(), s.end(), '/', '-');
    std::replace(s.begin(), s.end(), '.', '-');
    // Year, month and day: 1-4, 1-2 and 1-2 ASCII digits joined by '-', and nothing else (no sign,
    // no space: sscanf's %d would have let both through without saying so).
    int y = 0, m = 0, d = 0;
    std::string_view rest = s;
    auto number = [&rest](int& out, std::size_t max_digits, bool last) {
        auto end = rest.find('-');
        if (last) end = rest.size();
        if (end == std::string_view::npos || end == 0 || end > max_digits) return false;
        auto digits = rest.substr(0, end);
        if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
        std::from_chars(digits.data(), digits.data() + digits.size(), out);
        rest.remove_prefix(last ? end : end + 1);
        return true;
    };
    if (!number(y, 4, false) || !number(m, 2, false) || !number(d, 2, true)) return std::nullopt;
    static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1) return std::nullopt;
    if (d > days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0)) return std::nullopt;
    // "%04d-%02d-%02d", without printf's cost: y is 1900..9999, m and d have at most two digits.
    std::string out = "0000-00-00";
    auto put = [&out](std::size_t at, int value, std::size_t width) {
        for (std::size_t i = width; i-- > 0; value /= 10) out[at + i] = static_cast<char>('0' + value % 10);
    };
    put(0, y, 4);
    put(5, m, 2);
    put(8, d, 2);
    return out;
}

bool valid_web_url(std::string_view s) {
    std::string_view rest;
    if (s.rfind("https://", 0) == 0)
        rest = s.substr(8);
    else if (s.rfind("http://", 0) == 0)
        rest = s.substr(7);
    else
        return false;
    auto end = rest.find_first_of("/?#");
    auto host = rest.substr(0, end);
    if (host.empty() || host.find('@') != std::string_view::npos) return false;
    for (unsigned char c : s)
        if (c <= 0x20 || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '\\') return false;
    auto colon = host.rfind(':');
    auto name = host.substr(0, colon);
    if (name.empty() || name.front() == '.' || name.front() == '-') return false;
    return true;
}

std::string search_key(std::string_view s) {
    std::string folded = text::hiragana_to_katakana(text::nfkc(s));
    std::string out;
    for (char c : folded) {
        if (c == ' ') continue;
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::string Application::search_key() const { return sengen::search_key(business_name); }

std::vector<FieldError> validate_two_star_evidence(const std::string& assessment_date, const std::string& policy_url,
                                                   const std::string& today, std::string& date_out,
                                                   std::string& url_out) {
    Checker c;
    std::string date = c.line("assessment_date", assessment_date, 20, true);
    if (!date.empty()) {
        auto d = parse_date(date);
        if (!d)
            c.add("assessment_date", "invalid_date");
        else if (*d > today)
            c.add("assessment_date", "future_date");
        else if (*d < "2017-01-01")
            c.add("assessment_date", "too_old");
        else
            date_out = *d;
    }
    std::string url = c.line("policy_url", text::nfkc(policy_url), FieldLimits::url, true);
    if (!url.empty()) {
        if (!valid_web_url(url))
            c.add("policy_url", "invalid_url");
        else
            url_out = url;
    }
    return c.errors;
}

const BusinessField* business_field(std::string_view name) {
    for (const auto& f : kBusinessFields)
        if (f.name == name) return &f;
    return nullptr;
}

namespace {

void check_terms(const ApplicationInput& in, const RegistryContent& content, Checker& c, Application& a) {
    if (!in.terms_agreed) c.add("terms_agreed", "terms_required");
    if (in.terms_version != content.current_terms().version) c.add("terms_agreed", "terms_outdated");
    a.terms_version = content.current_terms().version;
}

void check_business(const ApplicationInput& in, const RegistryContent& content, Checker& c, Application& a) {
    a.entity_type = c.choice("entity_type", in.entity_type, content.entity_types);

    // 法人番号: required for corporations, optional for other organisations, absent for sole
    // proprietors (a site of a larger operator declares as a sole proprietor, without one).
    std::string corp = text::squeeze_spaces(in.corporate_number);
    if (!corp.empty()) {
        auto digits = text::digits_only(corp);
        if (a.entity_type == "sole_proprietor")
            c.add("corporate_number", "not_for_sole_proprietor");
        else if (!digits || digits->size() != 13)
            c.add("corporate_number", "corporate_number_format");
        else if (CorporateNumber::check(*digits))
            c.add("corporate_number", "check_digit");
        else
            a.corporate_number = *digits;
    } else if (a.entity_type == "corporation") {
        c.add("corporate_number", "required");
    }

    a.business_name = c.line("business_name", in.business_name, FieldLimits::name, true);
    {
        std::string kana = text::hiragana_to_katakana(text::nfkc(in.business_name_kana));
        kana = c.line("business_name_kana", kana, FieldLimits::name, true);
        if (!kana.empty() && !text::is_katakana_reading(kana)) c.add("business_name_kana", "katakana_only");
        a.business_name_kana = kana;
    }
    {
        std::string raw = text::squeeze_spaces(in.postal_code);
        if (raw.empty()) {
            c.add("postal_code", "required");
        } else {
            auto digits = text::digits_only(raw);
            if (!digits || digits->size() != 7)
                c.add("postal_code", "postal_code_format");
            else
                a.postal_code = digits->substr(0, 3) + "-" + digits->substr(3);
        }
    }
    a.prefecture = c.choice("prefecture", in.prefecture, content.prefectures);
    a.address = c.line("address", in.address, FieldLimits::address, true);
    a.industry = c.choice("industry", in.industry, content.industries);
    a.employees = c.choice("employees", in.employees, content.employees);
    a.representative_title = c.line("representative_title", in.representative_title, FieldLimits::person, true);
    a.representative_name = c.line("representative_name", in.representative_name, FieldLimits::person, true);
    a.contact_name = c.line("contact_name", in.contact_name, FieldLimits::person, true);
    {
        std::string email = c.line("contact_email", normalise_email(in.contact_email), FieldLimits::email, true);
        if (!email.empty() && !valid_email(email)) c.add("contact_email", "invalid_email");
        a.contact_email = email;
    }
    {
        std::string phone = c.line("phone", text::fold_for_numbers(in.phone), 30, false);
        if (!phone.empty()) {
            std::string kept;
            int digits = 0;
            bool ok = true;
            for (std::size_t i = 0; i < phone.size(); ++i) {
                char ch = phone[i];
                if (ch >= '0' && ch <= '9')
                    ++digits, kept += ch;
                else if (ch == '-' || ch == ' ' || ch == '(' || ch == ')')
                    kept += (ch == ' ' ? '-' : ch);
                else if (ch == '+' && i == 0)
                    kept += ch;
                else
                    ok = false;
            }
            if (!ok || digits < 10 || digits > 15)
                c.add("phone", "phone_format");
            else
                a.phone = kept;
        }
    }
    {
        std::string url = c.line("website", text::nfkc(in.website), FieldLimits::url, false);
        if (!url.empty()) {
            if (!valid_web_url(url))
                c.add("website", "invalid_url");
            else
                a.website = url;
        }
    }
}

void check_declaration(const ApplicationInput& in, const RegistryContent& content, const std::string& today, Checker& c,
                       Application& a) {
    {
        std::set<std::string> seen;
        for (const auto& p : in.purposes) {
            if (p.empty()) continue;
            if (!RegistryContent::find(content.purposes, p))
                c.add("purposes", "invalid_choice");
            else if (seen.insert(p).second)
                a.purposes.push_back(p);
        }
        if (a.purposes.empty()) c.add("purposes", "required");
    }
    {
        auto digits = text::digits_only(in.level);
        if (text::squeeze_spaces(in.level).empty())
            c.add("level", "required");
        else if (!digits || digits->empty() || digits->size() > 1 || std::stoi(*digits) < 1 ||
                 std::stoi(*digits) > content.highest_self_declared_level())
            c.add("level", "invalid_choice");
        else
            a.level = std::stoi(*digits);
    }
    // One explicit commitment per principle, at every level.
    a.principles_edition = content.principles_edition;
    for (const auto& p : content.principles) {
        auto n = std::to_string(p.number);
        if (std::find(in.commitments.begin(), in.commitments.end(), n) == in.commitments.end())
            c.add("commitment_" + n, "commitment_required");
    }
    if (a.level >= 2) {
        for (auto& e :
             validate_two_star_evidence(in.assessment_date, in.policy_url, today, a.assessment_date, a.policy_url))
            c.add(e.field, e.code);
    }
}

}  // namespace

Result<Application> validate(const ApplicationInput& in, const RegistryContent& content, const std::string& today,
                             ApplicationPart part) {
    auto asked = [&](ApplicationPart p) { return part == ApplicationPart::All || part == p; };
    Checker c;
    Application a;
    if (asked(ApplicationPart::Terms)) check_terms(in, content, c, a);
    if (asked(ApplicationPart::Business)) check_business(in, content, c, a);
    if (asked(ApplicationPart::Declaration)) check_declaration(in, content, today, c, a);
    a.lang = in.lang;

    if (!c.errors.empty()) return fail(Error::invalid(std::move(c.errors), "application.invalid"));
    return a;
}

}  // namespace sengen
