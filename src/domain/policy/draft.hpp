// A basic security policy being written (the draft, private to its account) and the document a
// published version freezes. Pure: checking what was typed, filling the template in, and the
// commitments a self-assessment suggests.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/assessment/answer.hpp"
#include "domain/error.hpp"
#include "domain/lang.hpp"
#include "domain/policy/template.hpp"

namespace sengen::policy {

// Limits, in characters.
struct Limits {
    static constexpr std::size_t business_name = 100;
    static constexpr std::size_t person = 60;
    static constexpr std::size_t preamble = 1000;
    static constexpr std::size_t section = 2000;
};

// What the editor keeps. A text that is nullopt follows the template (and so the business name
// and the choice of assets as they change); a value is the business's own wording.
struct Draft {
    Lang lang = Lang::Ja;  // the language the policy is written in
    std::string business_name;
    std::string assets;       // an AssetChoice id, "" before one is chosen
    std::string established;  // YYYY-MM-DD, "" before it is set
    std::string representative_title;
    std::string representative_name;
    std::optional<std::string> preamble;
    std::vector<std::optional<std::string>> sections;  // kSectionCount entries

    Draft() : sections(kSectionCount) {}
};

// The language as chosen in the editor. The form's code is read where the form is; a code that
// names no language is kept as Unknown, so that it is refused together with every other field.
struct LangChoice {
    enum class Kind { Keep, Chosen, Unknown };  // Keep: nothing chosen, the draft keeps its language
    Kind kind = Kind::Keep;
    Lang lang = Lang::Ja;  // the choice, when Chosen

    static LangChoice chosen(Lang l) { return {Kind::Chosen, l}; }
    static LangChoice unknown() { return {Kind::Unknown, Lang::Ja}; }
};

// The fields as typed in the editor (field names are the form's: "policy_lang", ...).
struct DraftInput {
    LangChoice lang;
    std::string business_name;
    std::string assets;
    std::string established;
    std::string representative_title;
    std::string representative_name;
    std::string preamble;
    std::vector<std::string> sections;  // kSectionCount entries (missing ones are empty)
};

// Form field names, also the `field` of every FieldError below.
std::string field_of_section(int number);  // "policy_section_3"

// Checks what was typed and returns the draft to keep. One-line fields are trimmed and may not
// hold line breaks; texts keep their line breaks (CR LF and CR become LF) and are trimmed at both
// ends. Control characters, bidirectional overrides and invisible formatting are refused
// ("invalid_characters"), as are texts over their limit ("too_long"), a language or choice of
// assets that is not offered ("invalid_choice") and a date that is not one ("invalid_date").
// Empty fields are fine in a draft. A text equal to the template's, filled in with either the
// typed or the stored business name and assets, goes back to following the template.
Result<Draft> read_draft(const Template& t, const DraftInput& in, const Draft& stored);

// What stops a draft from being published: every required field that is empty ("required"),
// and every empty text ("required": write it, or go back to the template's).
std::vector<FieldError> publish_problems(const Draft& d);

// The text shown for a part of the draft: its own wording, or the template's filled in.
std::string preamble_text(const Template& t, const Draft& d);
std::string section_text(const Template& t, const Draft& d, int number);

// A policy as published: every text resolved, in the policy's language. A published version
// keeps one of these and it never changes.
struct Document {
    std::string template_edition;
    Lang lang = Lang::Ja;
    std::string title;
    std::string business_name;
    std::string preamble;
    struct Part {
        std::string heading;
        std::string body;
        bool operator==(const Part&) const = default;
    };
    std::vector<Part> sections;
    std::string established;  // YYYY-MM-DD
    std::string representative_title;
    std::string representative_name;
    std::string established_label;  // "制定日" / "Established", in the policy's language
    std::string revised_label;      // "改定日" / "Revised"
};

Document resolve(const Template& t, const Draft& d);

// Whether two documents read the same: every text and date alike (the template edition they were
// made from does not matter).
bool same_text(const Document& a, const Document& b);

// The template's suggestions for a set of answers: those with a question answered other than
// "done" (or not answered), in the template's order.
std::vector<const Suggestion*> suggestions_for(const Template& t, const assessment::Answers& answers);

// Whether `text` already holds the suggestion's sentence (in `lang`), ignoring white space.
bool already_has(const std::string& text, const Suggestion& s, Lang lang);

// `text` with the sentence added as a paragraph of its own at the end.
std::string with_sentence(const std::string& text, const std::string& sentence);

}  // namespace sengen::policy
