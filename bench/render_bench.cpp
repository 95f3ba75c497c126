// In-process cost of a request through App::handle, with no socket: the home page (session lookup,
// template rendering, security headers, metrics) and /healthz (the pipeline alone). Wired like
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
#include "domain/clock.hpp"
#include "i18n/catalogue.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "web/app.hpp"
#include "web/catalogue_loader.hpp"
#include "web/metrics.hpp"
#include "web/render.hpp"
#include "web/static_assets.hpp"

namespace {

using namespace sengen;

template <typename T>
T must(Result<T> r, const char* what) {
    if (!r) throw std::runtime_error(std::string(what) + ": " + r.error().detail);
    return std::move(*r);
}

// Everything main.cpp builds for `serve`, on a database in a fresh temporary directory that is
// removed when the benchmark binary exits.
class Harness {
public:
    Harness() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "sengen-bench-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
        dir_ = tmpl;
        config::RawSettings raw;
        raw["db"] = {"sqlite:" + (dir_ / "bench.db").string(), "bench"};
        raw["mail"] = {"file:" + (dir_ / "mail").string(), "bench"};
        config_ = must(config::build(raw), "settings");
        store_ = must(storage::sqlite::SqliteStore::open(config_.db.location), "database");
        must(store_->migrate(), "migrations");
        catalogue_ = std::make_unique<i18n::Catalogue>(must(web::load_embedded_catalogue(), "catalogue"));
        renderer_ = must(web::Renderer::load(*catalogue_), "templates");
        app_ = std::make_unique<web::App>(web::Services{config_, *store_, clock_, *catalogue_, *renderer_, metrics_},
                                          assets_);
    }
    ~Harness() {
        app_.reset();
        store_.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    web::App& app() { return *app_; }

private:
    std::filesystem::path dir_;
    config::Config config_;
    std::unique_ptr<storage::sqlite::SqliteStore> store_;
    std::unique_ptr<i18n::Catalogue> catalogue_;
    std::shared_ptr<const web::Renderer> renderer_;
    SystemClock clock_;
    web::Metrics metrics_;
    web::StaticAssets assets_;
    std::unique_ptr<web::App> app_;
};

Harness& harness() {
    static Harness h;
    return h;
}

web::Request get(std::string path, std::string accept_language) {
    web::Request r;
    r.method = web::Method::Get;
    r.method_text = "GET";
    r.path = std::move(path);
    r.remote_ip = "127.0.0.1";
    r.headers = {{"host", "127.0.0.1:8080"}, {"user-agent", "sengen-bench"}, {"accept", "*/*"}};
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
    access->set_pattern("%Y-%m-%dT%H:%M:%S.%e access %v");
    access->set_level(spdlog::level::info);
    access->flush_on(spdlog::level::info);
    run(state, get("/healthz", ""));
    spdlog::drop("access");
}

}  // namespace

BENCHMARK(BM_home_page_ja);
BENCHMARK(BM_home_page_en);
BENCHMARK(BM_healthz);
BENCHMARK(BM_healthz_with_access_log);
