// Fuzz target: the choice of language from the language cookie and the Accept-Language header
// (i18n::negotiate). The input is "cookie value NUL header value". An exact language code in the
// cookie always wins; otherwise the answer is a language the header names with the highest
// weight, or Japanese.
#include <string>

#include "fuzz_check.hpp"
#include "i18n/catalogue.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sengen;
    const auto [cookie, header] = fuzz::split_at_nul(fuzz::as_text(data, size));
    const Lang from_header = i18n::negotiate(std::nullopt, header);
    const Lang chosen = i18n::negotiate(cookie, header);
    if (auto l = i18n::from_code(cookie))
        FUZZ_CHECK(chosen == *l);
    else
        FUZZ_CHECK(chosen == from_header);
    // English only when the header names it: the primary subtag "en" in any case.
    if (from_header == Lang::En) {
        std::string lower(header);
        for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        FUZZ_CHECK(lower.find("en") != std::string::npos);
    }
    // The header alone, and the header behind a lower-weighted Japanese, choose the same.
    FUZZ_CHECK(i18n::negotiate(std::nullopt, std::string(header) + ",ja;q=0") == from_header);
    return 0;
}
