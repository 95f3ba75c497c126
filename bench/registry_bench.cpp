// In-process cost of the declaration lookups bench/registry.sh measures over HTTP: GET
// /api/v1/declarations/{id} and /verify/{id} through App::handle, and Lookup::verify alone (the
// storage lookup and the mapping to the public view), over a SQLite registry seeded with
// SENGEN_BENCH_DECLARATIONS declarations (default 100,000; seeded once, on first use, taking some
// seconds), asking for 1000 IDs spread over the table in turn.
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "app/seed.hpp"
#include "domain/identifiers.hpp"

#include "test_app.hpp"

namespace {

using namespace sengen;

struct Registry {
    test_support::TestApp app;
    std::vector<std::string> ids;

    Registry() {
        std::int64_t count = 100000;
        if (const char* n = std::getenv("SENGEN_BENCH_DECLARATIONS")) count = std::stoll(n);
        auto made = app::seed_declarations(app.store(), app.content(), app.clock(), count, 1, 1);
        if (!made || made->created != count) throw std::runtime_error("seeding failed");
        // The seed issues serials 1..count in order: IDs spread evenly over them.
        const std::int64_t step = std::max<std::int64_t>(1, count / 1000);
        for (std::int64_t serial = step; serial <= count && ids.size() < 1000; serial += step)
            ids.push_back(DeclarationId::make(1, serial).digits());
    }
};

Registry& registry() {
    static Registry r;
    return r;
}

web::Request get(std::string path) {
    return test_support::TestApp::make_request(
        web::Method::Get, std::move(path), {},
        {{"host", "127.0.0.1:8080"}, {"user-agent", "sengen-bench"}, {"accept", "*/*"}});
}

void lookups(benchmark::State& state, const std::string& prefix) {
    auto& r = registry();
    std::vector<web::Request> requests;
    for (const auto& id : r.ids) requests.push_back(get(prefix + id));
    // One client address per ID, so that the lookup limit (per address, 10,000 an hour) is counted
    // as in production but never reached by the millions of iterations.
    for (std::size_t n = 0; n < requests.size(); ++n)
        requests[n].remote_ip = "10.0." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1);
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        web::Response res = r.app.app().handle(requests[i]);
        if (res.status != 200) {
            state.SkipWithError(("status " + std::to_string(res.status) + " for " + requests[i].path).c_str());
            break;
        }
        bytes += res.body.size();
        benchmark::DoNotOptimize(res);
        i = (i + 1) % requests.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_api_declaration(benchmark::State& state) { lookups(state, "/api/v1/declarations/"); }
void BM_verify_declaration(benchmark::State& state) { lookups(state, "/verify/"); }

// The use case alone: parse the ID, read the row, make the public view.
void BM_registry_verify(benchmark::State& state) {
    auto& r = registry();
    std::size_t i = 0;
    // The lookup limit is counted too, for one client address per ID (see lookups()).
    std::vector<app::Caller> callers(r.ids.size());
    for (std::size_t n = 0; n < callers.size(); ++n)
        callers[n].ip = "10.0." + std::to_string(n / 250) + "." + std::to_string(n % 250 + 1);
    for (auto _ : state) {
        auto found = r.app.lookup().verify(DeclarationId::parse(r.ids[i]), callers[i]);
        if (!found) {
            state.SkipWithError(("verify failed: " + found.error().code).c_str());
            break;
        }
        benchmark::DoNotOptimize(found);
        i = (i + 1) % r.ids.size();
    }
}

}  // namespace

BENCHMARK(BM_api_declaration);
BENCHMARK(BM_verify_declaration);
BENCHMARK(BM_registry_verify);
