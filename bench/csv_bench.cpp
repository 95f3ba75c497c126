// The CSV reader (domain/csv_reader.hpp) on an import-sized file: 100,000 rows of the export's
// 30 columns, as bench/import_csv.py writes them (a BOM, CRLF, a quoted cell with a comma and one
// with a line break now and then). The import reads every row before checking any, so the
// reader's speed is part of the import's rows per second.
#include <benchmark/benchmark.h>

#include <string>

#include "domain/csv_reader.hpp"
#include "domain/declaration_import.hpp"

namespace {

std::string import_file(int rows) {
    std::string text = "\xEF\xBB\xBF";
    for (std::size_t c = 0; c < sengen::import::kColumns.size(); ++c)
        text += (c ? "," : "") + std::string(sengen::import::kColumns[c]);
    text += "\r\n";
    for (int r = 0; r < rows; ++r) {
        const auto n = std::to_string(r);
        text += n + ",1" + std::string(9 - n.size(), '0') + n + "0,declared,1,corporation,7000012050002,";
        text += (r % 10 == 0 ? "\"株式会社 見本, 第" + n + "\"" : "株式会社見本" + n);
        text += ",カブシキガイシャミホン,100-0001,13,";
        text += (r % 50 == 0 ? "\"千代田区千代田1-1\n見本ビル\"" : "千代田区千代田1-1");
        text += ",E,10,代表取締役,見本 太郎,見本 花子,contact" + n +
                "@example.jp,03-1234-5678,https://example.jp/,subsidy,2024,,,ja,1,"
                "2024-04-01T09:00:00+09:00,2024-04-01,2024-04-01,,\r\n";
    }
    return text;
}

void BM_read_import_file(benchmark::State& state) {
    const auto text = import_file(static_cast<int>(state.range(0)));
    std::size_t cells = 0;
    for (auto _ : state) {
        auto read = sengen::csv::for_each_record(text, {}, [&](sengen::csv::Record& r) { cells += r.fields.size(); });
        benchmark::DoNotOptimize(read);
    }
    benchmark::DoNotOptimize(cells);
    state.SetItemsProcessed(state.iterations() * state.range(0));
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_read_import_file)->Arg(100000)->Unit(benchmark::kMillisecond);

// The verifiers' upload collects its records (at most 10,000 of them) instead.
void BM_read_upload_file(benchmark::State& state) {
    const auto text = import_file(static_cast<int>(state.range(0)));
    for (auto _ : state) {
        auto read =
            sengen::csv::read_records(text, {.max_records = 10001, .empty_rows = sengen::csv::EmptyRows::Skipped});
        benchmark::DoNotOptimize(read);
    }
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_read_upload_file)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
