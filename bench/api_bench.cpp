// In-process cost of the scoring API through App::handle, with no socket: the request bench/http.sh
// sends (bench/score-request.json), read, checked, scored and answered as JSON. Beside
// BM_score_from_raw_answers (the use case alone), the difference is the web layer's share.
#include <fstream>
#include <sstream>
#include <string>

#include <benchmark/benchmark.h>

#include "test_app.hpp"
#include "web/app.hpp"

namespace {

using namespace sengen;

test_support::TestApp& harness() {
    static test_support::TestApp h;
    return h;
}

std::string score_request() {
    std::ifstream in(std::string(SENGEN_SOURCE_DIR) + "/bench/score-request.json");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void BM_score_api(benchmark::State& state) {
    auto& app = harness().app();
    const auto req = test_support::TestApp::make_request(
        web::Method::Post, "/api/v1/assessments/score", score_request(),
        {{"host", "127.0.0.1:8080"}, {"content-type", "application/json"}, {"accept", "application/json"}});
    std::size_t bytes = 0;
    for (auto _ : state) {
        web::Response res = app.handle(req);
        if (res.status != 200) {
            state.SkipWithError(("status " + std::to_string(res.status) + ": " + res.body.substr(0, 200)).c_str());
            break;
        }
        bytes += res.body.size();
        benchmark::DoNotOptimize(res);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

}  // namespace

BENCHMARK(BM_score_api);
