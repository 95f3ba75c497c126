// What a published basic policy looks like on its public page, as plain text and as a PDF, built
// from a version's document. Texts around the policy (dates, the version note) are in the policy's
// own language; every text the business typed is passed on as plain text, never as markup.
#pragma once
#include <string>
#include <vector>

#include "domain/ports.hpp"
#include "i18n/catalogue.hpp"
#include "render/policy_document.hpp"
#include "web/render.hpp"

namespace sengen::web::policy_view {

// A YYYY-MM-DD day in the language's words ("2026年4月1日", "1 April 2026"); as given if malformed.
std::string day_text(i18n::Lang lang, const std::string& ymd);

// "第2版" / "Version 2", in `lang`.
std::string version_label(const i18n::Catalogue& cat, i18n::Lang lang, int number);

// The lines under the policy: the date it was set, the date of this revision (from version 2
// on), the business and its representative.
std::vector<std::string> closing_lines(const i18n::Catalogue& cat, const PolicyVersion& v);

// Page data of the document: doc_lang, title, business_name, preamble, sections (heading, body),
// closing (text).
mustache::data document(const i18n::Catalogue& cat, const PolicyVersion& v);

// The policy as UTF-8 text for pasting into the business's own website (LF line ends).
std::string plain_text(const i18n::Catalogue& cat, const PolicyVersion& v, const std::string& public_url);

// The PDF's view model.
render::PolicyPdf pdf_model(const i18n::Catalogue& cat, const PolicyVersion& v, const std::string& public_url);

}  // namespace sengen::web::policy_view
