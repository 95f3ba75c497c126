// E-mail addresses as people type them into forms.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace sengen {

// A practical subset of RFC 5321/5322 addr-spec: local@domain, ASCII only, no quoting, no
// comments, no white space or control characters, local part at most 64 octets, domain at most
// 253 with at least one dot and labels of letters, digits and hyphens, whole at most 254.
bool valid_email(std::string_view s);

// Folds full-width characters (NFKC) and trims; lower-cases the domain. The local part keeps
// its case (RFC 5321 §2.4), but accounts compare addresses case-insensitively.
std::string normalise_email(std::string_view typed);

// The key accounts are found by: the whole address lower-cased.
std::string email_key(std::string_view normalised);

}  // namespace sengen
