// The self-assessment's pure work: scoring a set of answers, and producing the PDF report and the
// CSV for one result (with the fonts already warm, as in the server after render::warm_up()).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <random>

#include "app/assessment.hpp"
#include "content/edition_loader.hpp"
#include "embedded/embedded.hpp"
#include "i18n/catalogue.hpp"
#include "render/assessment_report.hpp"
#include "web/assessment_view.hpp"
#include "web/catalogue_loader.hpp"

namespace {

using namespace sengen;

const assessment::Library& library() {
    static const assessment::Library lib = content::load_embedded_editions().value();
    return lib;
}

const i18n::Catalogue& catalogue() {
    static const i18n::Catalogue cat = web::load_embedded_catalogue().value();
    return cat;
}

std::vector<assessment::Answers> answer_sets(std::size_t n) {
    std::mt19937 rng(2023);
    std::uniform_int_distribution<int> pick(0, 3);
    std::vector<assessment::Answers> out(n);
    for (auto& a : out)
        for (int q = 1; q <= 25; ++q) a[q] = assessment::all_answers[static_cast<std::size_t>(pick(rng))];
    return out;
}

void BM_score(benchmark::State& state) {
    const auto& e = library().current();
    auto sets = answer_sets(256);
    std::size_t i = 0;
    for (auto _ : state) {
        auto s = assessment::score(e, sets[i++ % sets.size()]);
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(BM_score);

// What a request does: read the posted answers, check them and score them.
void BM_score_from_raw_answers(benchmark::State& state) {
    const auto& e = library().current();
    std::vector<std::vector<assessment::RawAnswer>> raws;
    for (const auto& a : answer_sets(256)) {
        std::vector<assessment::RawAnswer> r;
        for (const auto& [n, x] : a) r.push_back({std::to_string(n), std::string(assessment::choice_id(x))});
        raws.push_back(std::move(r));
    }
    std::size_t i = 0;
    for (auto _ : state) {
        auto s = app::score_assessment(e, raws[i++ % raws.size()]);
        benchmark::DoNotOptimize(s);
    }
}
BENCHMARK(BM_score_from_raw_answers);

render::AssessmentReport sample_report(i18n::Lang lang) {
    const auto& e = library().current();
    auto card = assessment::score(e, answer_sets(1)[0]).value();
    return web::assessment_view::report(catalogue(), lang, e, card, "有限会社サンプル商店", "2025-01-31");
}

void BM_pdf_report(benchmark::State& state, i18n::Lang lang) {
    auto report = sample_report(lang);
    render::warm_up();
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto pdf = render::assessment_pdf(report);
        bytes = pdf->size();
        benchmark::DoNotOptimize(pdf);
    }
    state.counters["pdf_bytes"] = static_cast<double>(bytes);
    if (const char* dir = std::getenv("SENGEN_BENCH_PDF_DIR")) {
        std::ofstream(std::string(dir) + (lang == i18n::Lang::Ja ? "/report-ja.pdf" : "/report-en.pdf"),
                      std::ios::binary)
            << render::assessment_pdf(report).value();
    }
}
BENCHMARK_CAPTURE(BM_pdf_report, ja, i18n::Lang::Ja)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_pdf_report, en, i18n::Lang::En)->Unit(benchmark::kMillisecond);

void BM_csv(benchmark::State& state) {
    auto report = sample_report(i18n::Lang::Ja);
    for (auto _ : state) {
        auto csv = render::assessment_csv(report);
        benchmark::DoNotOptimize(csv);
    }
}
BENCHMARK(BM_csv);

}  // namespace
