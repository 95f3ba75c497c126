// Fuzz target: e-mail addresses as typed into the forms (domain/email.hpp). An accepted address
// is plain printable ASCII with one '@', within the RFC 5321 lengths, and survives normalising
// unchanged but for its domain's case; normalising and the account key are idempotent, so one
// address never becomes two accounts.
#include <string>

#include "domain/email.hpp"
#include "domain/text.hpp"
#include "fuzz_check.hpp"

namespace {

void check_accepted(std::string_view s) {
    FUZZ_CHECK(!s.empty() && s.size() <= 254);
    std::size_t ats = 0;
    for (unsigned char c : s) {
        FUZZ_CHECK(c > 0x20 && c < 0x7F);
        ats += c == '@';
    }
    FUZZ_CHECK(ats == 1);
    const auto at = s.find('@');
    FUZZ_CHECK(at >= 1 && at <= 64);
    FUZZ_CHECK(s.size() - at - 1 <= 253);
    const std::string n = sengen::normalise_email(s);
    FUZZ_CHECK(n.size() == s.size());
    FUZZ_CHECK(n.substr(0, at) == s.substr(0, at));
    FUZZ_CHECK(sengen::valid_email(n));
    FUZZ_CHECK(sengen::email_key(n) == sengen::email_key(s));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto typed = sengen::fuzz::as_text(data, size);
    if (sengen::valid_email(typed)) check_accepted(typed);

    // As the forms do: normalise what was typed, then check it.
    const std::string n = sengen::normalise_email(typed);
    if (sengen::text::valid_utf8(typed)) FUZZ_CHECK(sengen::normalise_email(n) == n);
    if (sengen::valid_email(n)) check_accepted(n);
    const std::string key = sengen::email_key(n);
    FUZZ_CHECK(sengen::email_key(key) == key);
    FUZZ_CHECK(key.size() == n.size());
    return 0;
}
