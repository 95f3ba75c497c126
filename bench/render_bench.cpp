// In-process cost of a request through App::handle, with no socket: the home page (session lookup,
// template rendering, security headers, metrics) and /healthz (the pipeline alone); and the home
// page's template rendered alone, as pages are and as they were before ADR 60. Wired like
// src/cli/main.cpp, on a temporary SQLite database, so the figures are those of the real pipeline.
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include <benchmark/benchmark.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>

#include "config/config.hpp"
#include "content/registry_content.hpp"
#include "domain/clock.hpp"
#include "i18n/catalogue.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "web/app.hpp"
#include "web/catalogue_loader.hpp"
#include "web/metrics.hpp"
#include "web/render.hpp"
#include "web/static_assets.hpp"

#include "test_app.hpp"

namespace {

using namespace sengen;

// Everything main.cpp builds for `serve` (the tests' in-process App), on a database in a fresh
// temporary directory removed when the benchmark binary exits.
using Harness = test_support::TestApp;

Harness& harness() {
    static Harness h;
    return h;
}

// A GET as a browser sends it.
web::Request get(std::string path, std::string accept_language) {
    auto r = test_support::TestApp::make_request(
        web::Method::Get, std::move(path), {},
        {{"host", "127.0.0.1:8080"}, {"user-agent", "sengen-bench"}, {"accept", "*/*"}});
    if (!accept_language.empty()) r.headers.emplace_back("accept-language", std::move(accept_language));
    return r;
}

void run(benchmark::State& state, const web::Request& req) {
    auto& app = harness().app();
    std::size_t bytes = 0;
    for (auto _ : state) {
        web::Response res = app.handle(req);
        if (res.status != 200) {
            state.SkipWithError(("status " + std::to_string(res.status)).c_str());
            break;
        }
        bytes += res.body.size();
        benchmark::DoNotOptimize(res);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_home_page_ja(benchmark::State& state) { run(state, get("/", "ja,en;q=0.8")); }
void BM_home_page_en(benchmark::State& state) { run(state, get("/", "en-GB,en;q=0.9")); }
void BM_healthz(benchmark::State& state) { run(state, get("/healthz", "")); }

// The same /healthz with the access log on, flushed per line to /dev/null like the unbuffered stderr
// the server writes it to: the difference from BM_healthz is the in-process cost of one log line.
void BM_healthz_with_access_log(benchmark::State& state) {
    auto access = spdlog::basic_logger_mt("access", "/dev/null");
    access->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ access %v", spdlog::pattern_time_type::utc);
    access->set_level(spdlog::level::info);
    access->flush_on(spdlog::level::info);
    run(state, get("/healthz", ""));
    spdlog::drop("access");
}

// The home page's template alone, with the data its handler and the layout give it: rendered as
// pages are (the messages written into the template, ADR 60) and, for comparison, with kainjow
// looking every message up as it renders, as sengen did before.
void render_home(benchmark::State& state, web::Renderer::Messages how) {
    static const auto catalogue = test_support::embedded_catalogue();
    static const auto content = content::load_embedded_registry_content().value();
    static const auto renderer = web::Renderer::load(catalogue).value();
    const auto lang = i18n::Lang::Ja;
    web::mustache::data d{web::mustache::data::type::object};
    d.set("page_title", catalogue.text(lang, "home.page_title"));
    web::mustache::data principles{web::mustache::data::type::list};
    for (const auto& principle : content.principles) {
        web::mustache::data p{web::mustache::data::type::object};
        p.set("number", std::to_string(principle.number));
        p.set("title", principle.title.in(lang));
        p.set("body", principle.commitment.in(lang));
        principles.push_back(p);
    }
    d.set("principles", principles);
    d.set("lang", std::string("ja"));
    d.set("other_lang", std::string("en"));
    d.set("other_lang_name", catalogue.text(i18n::Lang::En, "lang.self_name"));
    d.set("switch_url", std::string("/lang/en?next=%2F"));
    d.set("asset_version", std::string(web::StaticAssets::version()));
    std::size_t bytes = 0;
    for (auto _ : state) {
        auto page = renderer->render(web::Renderer::Wrap::InLayout, "home", lang, d, how);
        bytes += page.size();
        benchmark::DoNotOptimize(page);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_render_home_ja(benchmark::State& state) { render_home(state, web::Renderer::Messages::Inlined); }
void BM_render_home_ja_looked_up(benchmark::State& state) { render_home(state, web::Renderer::Messages::LookedUp); }

}  // namespace

BENCHMARK(BM_home_page_ja);
BENCHMARK(BM_home_page_en);
BENCHMARK(BM_healthz);
BENCHMARK(BM_healthz_with_access_log);
BENCHMARK(BM_render_home_ja);
BENCHMARK(BM_render_home_ja_looked_up);
