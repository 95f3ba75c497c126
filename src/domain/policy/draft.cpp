// Checking what the policy editor sends, and filling the template in.
#include "domain/policy/draft.hpp"

#include <algorithm>

#include "domain/application.hpp"
#include "domain/field_checker.hpp"
#include "domain/text.hpp"

namespace sengen::policy {

namespace {

class Checker : public FieldChecker {
public:
    // A text: line breaks kept (as LF), the whole trimmed; nullopt when refused.
    std::optional<std::string> block(const std::string& field, const std::string& raw, std::size_t max) {
        if (!text::valid_utf8(raw)) {
            add(field, "invalid_characters");
            return std::nullopt;
        }
        std::string v;
        v.reserve(raw.size());
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '\r') {
                v += '\n';
                if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
            } else {
                v += raw[i];
            }
        }
        if (text::has_forbidden_characters(v, true)) {
            add(field, "invalid_characters");
            return std::nullopt;
        }
        v = trim(v);
        if (text::length(v) > max) {
            add(field, "too_long");
            return std::nullopt;
        }
        return v;
    }

    // Spaces, line breaks and ideographic spaces off both ends; trailing spaces off every line.
    static std::string trim(const std::string& s) {
        auto is_ws = [&](std::size_t i, std::size_t& len) {
            if (s[i] == ' ' || s[i] == '\n') return len = 1, true;
            if (s.compare(i, 3, "\xE3\x80\x80") == 0) return len = 3, true;
            return false;
        };
        std::size_t b = 0, len = 0;
        while (b < s.size() && is_ws(b, len)) b += len;
        std::size_t e = s.size();
        while (e > b) {
            if (s[e - 1] == ' ' || s[e - 1] == '\n')
                --e;
            else if (e - b >= 3 && s.compare(e - 3, 3, "\xE3\x80\x80") == 0)
                e -= 3;
            else
                break;
        }
        std::string out;
        std::string line;
        for (std::size_t i = b; i < e; ++i) {
            if (s[i] == '\n') {
                while (!line.empty() && line.back() == ' ') line.pop_back();
                out += line + '\n';
                line.clear();
            } else {
                line += s[i];
            }
        }
        return out + line;
    }
};

std::string fill(std::string text, const std::string& name, const std::string& value) {
    for (auto p = text.find(name); p != std::string::npos; p = text.find(name, p + value.size()))
        text.replace(p, name.size(), value);
    return text;
}

std::string filled_preamble(const Template& t, Lang lang, const std::string& business_name, const std::string& assets) {
    const auto* a = t.asset(assets);
    std::string s = fill(t.preamble.in(lang), "{assets}", a ? a->text.in(lang) : std::string("…"));
    return fill(std::move(s), "{business_name}", business_name.empty() ? std::string("…") : business_name);
}

// Text without any white space, for comparing wordings.
std::string squashed(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ' || s[i] == '\n') continue;
        if (s.compare(i, 3, "\xE3\x80\x80") == 0) {
            i += 2;
            continue;
        }
        out += s[i];
    }
    return out;
}

}  // namespace

std::string field_of_section(int number) { return "policy_section_" + std::to_string(number); }

Result<Draft> read_draft(const Template& t, const DraftInput& in, const Draft& stored) {
    Checker c;
    Draft d;
    d.lang = stored.lang;
    if (in.lang.kind == LangChoice::Kind::Chosen)
        d.lang = in.lang.lang;
    else if (in.lang.kind == LangChoice::Kind::Unknown)
        c.add("policy_lang", "invalid_choice");
    d.business_name = c.line("policy_business_name", in.business_name, Limits::business_name);
    d.assets = text::squeeze_spaces(in.assets);
    if (!d.assets.empty() && !t.asset(d.assets)) c.add("policy_assets", "invalid_choice");
    {
        std::string typed = c.line("policy_established", in.established, 20);
        if (!typed.empty()) {
            auto date = parse_date(typed);
            if (!date)
                c.add("policy_established", "invalid_date");
            else
                d.established = *date;
        }
    }
    d.representative_title = c.line("policy_representative_title", in.representative_title, Limits::person);
    d.representative_name = c.line("policy_representative_name", in.representative_name, Limits::person);
    const Lang lang = d.lang;

    // A text equal to the template's (with the typed or the stored name and assets) follows it.
    if (auto p = c.block("policy_preamble", in.preamble, Limits::preamble)) {
        const auto now = squashed(*p);
        if (now == squashed(filled_preamble(t, lang, d.business_name, d.assets)) ||
            now == squashed(filled_preamble(t, stored.lang, stored.business_name, stored.assets)))
            d.preamble.reset();
        else
            d.preamble = *p;
    }
    for (int n = 1; n <= kSectionCount; ++n) {
        const auto idx = static_cast<std::size_t>(n - 1);
        const std::string typed = idx < in.sections.size() ? in.sections[idx] : std::string();
        auto s = c.block(field_of_section(n), typed, Limits::section);
        if (!s) continue;
        const auto& tpl = t.sections.at(idx).body;
        if (squashed(*s) == squashed(tpl.in(lang)) || squashed(*s) == squashed(tpl.in(stored.lang)))
            d.sections[idx].reset();
        else
            d.sections[idx] = *s;
    }
    if (!c.errors.empty()) return fail(Error::invalid(std::move(c.errors), "policy.invalid"));
    return d;
}

std::vector<FieldError> publish_problems(const Draft& d) {
    std::vector<FieldError> out;
    auto need = [&](const std::string& field, const std::string& v) {
        if (v.empty()) out.push_back({field, "required"});
    };
    need("policy_business_name", d.business_name);
    need("policy_assets", d.assets);
    need("policy_established", d.established);
    need("policy_representative_title", d.representative_title);
    need("policy_representative_name", d.representative_name);
    if (d.preamble && d.preamble->empty()) out.push_back({"policy_preamble", "required"});
    for (int n = 1; n <= kSectionCount; ++n) {
        const auto& s = d.sections.at(static_cast<std::size_t>(n - 1));
        if (s && s->empty()) out.push_back({field_of_section(n), "required"});
    }
    return out;
}

std::string preamble_text(const Template& t, const Draft& d) {
    return d.preamble ? *d.preamble : filled_preamble(t, d.lang, d.business_name, d.assets);
}

std::string section_text(const Template& t, const Draft& d, int number) {
    const auto idx = static_cast<std::size_t>(number - 1);
    const auto& own = d.sections.at(idx);
    return own ? *own : t.sections.at(idx).body.in(d.lang);
}

Document resolve(const Template& t, const Draft& d) {
    Document doc;
    doc.template_edition = t.id;
    doc.lang = d.lang;
    doc.title = t.title.in(d.lang);
    doc.business_name = d.business_name;
    doc.preamble = preamble_text(t, d);
    for (const auto& s : t.sections) doc.sections.push_back({s.heading.in(d.lang), section_text(t, d, s.number)});
    doc.established = d.established;
    doc.representative_title = d.representative_title;
    doc.representative_name = d.representative_name;
    doc.established_label = t.established_label.in(d.lang);
    doc.revised_label = t.revised_label.in(d.lang);
    return doc;
}

std::vector<const Suggestion*> suggestions_for(const Template& t, const assessment::Answers& answers) {
    std::vector<const Suggestion*> out;
    for (const auto& s : t.suggestions) {
        const bool weak = std::any_of(s.questions.begin(), s.questions.end(), [&](int q) {
            auto it = answers.find(q);
            return it == answers.end() || it->second != assessment::Answer::Done;
        });
        if (weak) out.push_back(&s);
    }
    return out;
}

bool already_has(const std::string& text, const Suggestion& s, Lang lang) {
    return squashed(text).find(squashed(s.text.in(lang))) != std::string::npos;
}

std::string with_sentence(const std::string& text, const std::string& sentence) {
    if (text.empty()) return sentence;
    return text + "\n" + sentence;
}

bool same_text(const Document& a, const Document& b) {
    return a.lang == b.lang && a.title == b.title && a.business_name == b.business_name && a.preamble == b.preamble &&
           a.sections == b.sections && a.established == b.established &&
           a.representative_title == b.representative_title && a.representative_name == b.representative_name &&
           a.established_label == b.established_label && a.revised_label == b.revised_label;
}

}  // namespace sengen::policy
