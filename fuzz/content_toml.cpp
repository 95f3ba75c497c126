// Fuzz target: the content loaders (src/content/): a self-assessment edition, a basic policy
// template, each file of the registry content (levels, principles, choices, terms) and the subsidy
// catalogue and the operator profile, read through the one TOML checker. The first byte chooses
// the loader (0xff: the subsidy catalogue; 0xfe: the operator profile, which an operator may name
// a file of its own for; otherwise its value modulo 6), the rest is the file. A file
// either loads or is refused with every problem located as "file:line: what is wrong"; no input
// escapes as an exception or a crash.
#include <map>
#include <string>

#include "content/edition_loader.hpp"
#include "content/operator_profile.hpp"
#include "content/registry_content.hpp"
#include "content/subsidy_catalogue.hpp"
#include "content/template_loader.hpp"
#include "embedded/embedded.hpp"
#include "fuzz_check.hpp"

namespace {

void check_refusal(const sengen::Error& e, std::string_view file_name) {
    FUZZ_CHECK(!e.detail.empty());
    FUZZ_CHECK(e.detail.back() == '\n');
    // The report starts by naming a file: the fuzzed one, or another embedded file read with it.
    FUZZ_CHECK(e.detail.starts_with(file_name) || e.detail.starts_with("content/"));
}

// The registry content as embedded, with the file at `path` replaced by `text`.
void registry_file(const char* path, std::string_view text) {
    std::map<std::string, std::string_view> files;
    for (const auto& f : sengen::embedded::all_files())
        if (f.path.starts_with("content/")) files.emplace(std::string(f.path), f.bytes);
    files[path] = text;
    auto rc = sengen::content::load_registry_content(files);
    if (!rc) return check_refusal(rc.error(), path);
    FUZZ_CHECK(!rc->terms.empty());
    (void)rc->current_terms();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const auto text = sengen::fuzz::as_text(data + 1, size - 1);
    if (data[0] == 0xff) {
        // A catalogue that loads names each programme once, by a slug it can be found by.
        auto c = sengen::content::load_subsidy_catalogue(text, "content/subsidies.toml", {{1, 2}, {"01", "13"}});
        if (!c) {
            check_refusal(c.error(), "content/subsidies.toml");
            return 0;
        }
        FUZZ_CHECK(!c->programmes().empty());
        for (const auto& p : c->programmes()) FUZZ_CHECK(c->find(p.slug) == &p);
        return 0;
    }
    if (data[0] == 0xfe) {
        // A profile that loads names its operator and a way to reach it, in both languages.
        auto p = sengen::content::load_operator_profile(text, "content/operator/fuzz.toml");
        if (!p) {
            check_refusal(p.error(), "content/operator/fuzz.toml");
            return 0;
        }
        FUZZ_CHECK(!p->operator_name.ja.empty() && !p->operator_name.en.empty());
        FUZZ_CHECK(!p->contact_email.empty() || !p->contact_form_url.empty());
        for (int digit = 0; digit <= 9; ++digit)
            if (const auto* other = p->other_registry_for(digit)) FUZZ_CHECK(!other->lookup_url.empty());
        return 0;
    }
    switch (data[0] % 6) {
        case 0:
            if (auto e = sengen::content::load_edition(text, "content/assessment/fuzz.toml"); !e)
                check_refusal(e.error(), "content/assessment/fuzz.toml");
            else
                FUZZ_CHECK(!e->id.empty());
            break;
        case 1:
            if (auto t = sengen::content::load_template(text, "content/policy/fuzz.toml"); !t)
                check_refusal(t.error(), "content/policy/fuzz.toml");
            break;
        case 2:
            registry_file("content/levels.toml", text);
            break;
        case 3:
            registry_file("content/principles.toml", text);
            break;
        case 4:
            registry_file("content/choices.toml", text);
            break;
        default:
            registry_file("content/terms/2026-1.toml", text);
            break;
    }
    return 0;
}
