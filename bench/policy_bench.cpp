// The basic security policy's pure work: the PDF of a published version (with the fonts already
// warm, as in the server after render::warm_up()), its plain text, and checking what the editor
// sends.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>

#include "app/policy.hpp"
#include "content/template_loader.hpp"
#include "embedded/embedded.hpp"
#include "i18n/catalogue.hpp"
#include "render/assessment_report.hpp"
#include "render/policy_document.hpp"
#include "web/catalogue_loader.hpp"
#include "web/policy_view.hpp"

namespace {

using namespace sengen;

const policy::TemplateLibrary& templates() {
    static const policy::TemplateLibrary lib = content::load_embedded_policy_templates().value();
    return lib;
}

const i18n::Catalogue& catalogue() {
    static const i18n::Catalogue cat = web::load_embedded_catalogue().value();
    return cat;
}

// A typical policy: the template's wording, three suggested commitments added. `long_sections`
// fills every section to its 2000-character limit instead (about four A4 pages).
PolicyVersion sample(const std::string& lang, bool long_sections) {
    const auto& t = templates().current();
    policy::Draft d;
    d.lang = lang_or_japanese(lang);
    d.business_name = lang == "ja" ? "有限会社サンプル商店" : "Sample Trading Ltd.";
    d.assets = "both";
    d.established = "2026-04-01";
    d.representative_title = lang == "ja" ? "代表取締役社長" : "President";
    d.representative_name = lang == "ja" ? "佐藤 花子" : "Hanako Sato";
    for (const char* id : {"software", "mail", "incidents"}) {
        const auto* s = t.suggestion(id);
        auto& section = d.sections.at(static_cast<std::size_t>(s->section - 1));
        section = policy::with_sentence(policy::section_text(t, d, s->section), s->text.in(d.lang));
    }
    if (long_sections) {
        // Whole lines up to the limit (counted in characters, as the editor counts them).
        const std::string line = lang == "ja" ? "当社は、この約束を守ります。" : "The Company keeps this promise.";
        const std::size_t line_chars = lang == "ja" ? 14 : line.size();
        for (auto& s : d.sections) {
            std::string text;
            std::size_t chars = 0;
            while (chars + line_chars + 1 <= policy::Limits::section) {
                text += (text.empty() ? "" : "\n") + line;
                chars += line_chars + 1;
            }
            s = text;
        }
    }
    return PolicyVersion{1, 2, from_unix_seconds(1'775'000'000), policy::resolve(t, d)};
}

void BM_policy_pdf(benchmark::State& state, const std::string& lang, bool long_sections) {
    const auto v = sample(lang, long_sections);
    const auto model = web::policy_view::pdf_model(catalogue(), v, "https://sengen.example/policy/abcdefgh23");
    render::warm_up();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto pdf = render::policy_pdf(model);
        bytes = pdf->size();
        benchmark::DoNotOptimize(pdf);
    }
    state.counters["pdf_bytes"] = static_cast<double>(bytes);
    if (const char* dir = std::getenv("SENGEN_BENCH_PDF_DIR")) {
        std::ofstream(std::string(dir) + "/policy-" + lang + (long_sections ? "-long.pdf" : ".pdf"), std::ios::binary)
            << render::policy_pdf(model).value();
    }
}
BENCHMARK_CAPTURE(BM_policy_pdf, ja, std::string("ja"), false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_policy_pdf, en, std::string("en"), false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_policy_pdf, ja_longest, std::string("ja"), true)->Unit(benchmark::kMillisecond);

void BM_policy_text(benchmark::State& state) {
    const auto v = sample("ja", false);
    for (auto _ : state) {
        auto text = web::policy_view::plain_text(catalogue(), v, "https://sengen.example/policy/abcdefgh23");
        benchmark::DoNotOptimize(text);
    }
}
BENCHMARK(BM_policy_text);

// What saving the editor costs before the database: every field checked, texts compared with the
// template's.
void BM_read_draft(benchmark::State& state) {
    const auto& t = templates().current();
    policy::Draft stored;
    policy::DraftInput in;
    in.lang = policy::LangChoice::chosen(Lang::Ja);
    in.business_name = "有限会社サンプル商店";
    in.assets = "customers";
    in.established = "２０２６－０４－０１";
    in.representative_title = "代表取締役社長";
    in.representative_name = "佐藤 花子";
    in.preamble = policy::preamble_text(t, stored);
    for (int n = 1; n <= policy::kSectionCount; ++n) in.sections.push_back(policy::section_text(t, stored, n));
    in.sections[2] += "\r\n当社は、毎月一回、全員で情報セキュリティの確認をします。";
    for (auto _ : state) {
        auto d = policy::read_draft(t, in, stored);
        benchmark::DoNotOptimize(d);
    }
}
BENCHMARK(BM_read_draft);

}  // namespace
