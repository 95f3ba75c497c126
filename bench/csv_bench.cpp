// The CSV reader (domain/csv_reader.hpp) on an import-sized file: 100,000 rows of the export's
// 30 columns, as bench/import_csv.py writes them (a BOM, CRLF, a quoted cell with a comma and one
// with a line break now and then). The import reads every row before checking any, so the
// reader's speed is part of the import's rows per second; the check of each row
// (import::check_record) is the other part that needs no database (issue 12).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "content/registry_content.hpp"
#include "domain/csv_reader.hpp"
#include "domain/declaration_import.hpp"
#include "domain/identifiers.hpp"

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

// A valid file of `rows` declarations as bench/import_csv.py writes it for the shipped content
// (the same columns and cell shapes, plus end_reason), each row as the reader hands it over.
std::vector<sengen::csv::Record> checkable_rows(const sengen::RegistryContent& content, int rows) {
    std::mt19937 rng(1);  // NOLINT(cert-msc51-cpp): the same rows every run
    auto pick = [&](const std::vector<sengen::Choice>& list) -> const std::string& {
        return list[std::uniform_int_distribution<std::size_t>(0, list.size() - 1)(rng)].code;
    };
    auto below = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    auto two = [](int n) { return (n < 10 ? "0" : "") + std::to_string(n); };
    std::string text = "\xEF\xBB\xBF";
    for (std::size_t c = 0; c < sengen::import::kColumns.size(); ++c)
        text += (c ? "," : "") + std::string(sengen::import::kColumns[c]);
    text += "\r\n";
    for (int i = 1; i <= rows; ++i) {
        const auto n = std::to_string(i);
        const bool corporation = i % 4 != 0;
        const int level = below(5) == 0 ? 2 : 1;
        const int year = 2018 + below(7);
        const auto declared = std::to_string(year) + "-" + two(1 + below(12)) + "-" + two(1 + below(28));
        const auto since = level == 2 ? std::to_string(year + 1) + declared.substr(4) : declared;
        const int r = below(1000);
        const std::string status = r < 20 ? "stopped" : r < 25 ? "revoked" : "declared";
        const std::string ended = r < 20 ? "2026-01-15" : r < 25 ? "2026-02-16" : "";
        std::string base(12, '0');
        base.replace(12 - n.size(), n.size(), n);
        const std::vector<std::string> cells = {
            n,
            sengen::DeclarationId::make(1, i).digits(),
            status,
            std::to_string(level),
            corporation ? "corporation" : "sole_proprietor",
            corporation ? std::to_string(sengen::corporate_number_check_digit(base)) + base : "",
            (corporation ? "株式会社見本" : "見本商店") + n,
            "ミホン",
            std::to_string(100 + i % 900) + "-" + std::to_string(1000 + i % 9000),
            pick(content.prefectures),
            "中央" + std::to_string(1 + i % 9) + "-" + std::to_string(1 + i % 30),
            pick(content.industries),
            pick(content.employees),
            "代表",
            "見本 太郎",
            "見本 花子",
            "import" + n + "@example.invalid",
            "03-1234-5678",
            "",
            pick(content.purposes),
            content.principles_edition,
            level == 2 ? "2024-04-01" : "",
            level == 2 ? "https://example.invalid/policy/" + n : "",
            "ja",
            content.current_terms().version,
            declared,
            declared,
            since,
            ended,
            r < 25 ? "ご本人の申し出により停止しました。" : "",
        };
        for (std::size_t c = 0; c < cells.size(); ++c) text += (c ? "," : "") + cells[c];
        text += "\r\n";
    }
    return sengen::csv::read_records(text, {}).records;
}

// Checking rows alone, as `sengen import` does for each row it read (no database).
void BM_check_import_rows(benchmark::State& state) {
    static const auto content = sengen::content::load_embedded_registry_content().value();
    const auto records = checkable_rows(content, static_cast<int>(state.range(0)));
    std::vector<sengen::import::Problem> problems;
    const auto header = sengen::import::read_header(records.front(), problems).value();
    const sengen::import::Rules rules{&content, 1, "2026-12-06"};
    std::size_t good = 0;
    for (auto _ : state) {
        good = 0;
        for (std::size_t r = 1; r < records.size(); ++r) {
            auto row = sengen::import::check_record(records[r], header, rules, problems);
            good += row.has_value();
            benchmark::DoNotOptimize(row);
        }
    }
    // Every row is valid: a row refused here would measure the wrong path.
    if (good != records.size() - 1 || !problems.empty()) state.SkipWithError("a generated row was refused");
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_check_import_rows)->Arg(10000)->Unit(benchmark::kMillisecond);

}  // namespace
