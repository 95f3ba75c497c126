// A published basic security policy as a PDF (cairo + pango, BIZ UDPGothic, A4), from a plain view
// model whose texts are already in the policy's language. Text is drawn with pango from plain
// strings (never markup), so whatever the business typed appears literally, and it can be selected
// and searched in the PDF.
#pragma once
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/lang.hpp"

namespace sengen::render {

struct PolicyPdf {
    Lang lang = Lang::Ja;  // the policy's language, for font shaping
    std::string title;
    std::string preamble;
    struct Section {
        std::string heading;  // already numbered, e.g. "1. 経営者の責任"
        std::string body;     // line breaks start new lines
    };
    std::vector<Section> sections;
    std::vector<std::string> closing;  // right-aligned lines: dates, the business, the representative
    std::string note;                  // small print under the policy: version and public address
    std::string footer;                // small print at the foot of every page
    std::string page;                  // "Page {n}": {n} is replaced
};

// An A4 PDF. Fails (Unavailable) only if cairo cannot produce it.
Result<std::string> policy_pdf(const PolicyPdf& p);

}  // namespace sengen::render
