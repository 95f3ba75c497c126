// `sengen import FILE.csv [--dry-run]` (issue 12, point 9): declarations moved in from another
// registry, in the format `sengen export --format csv` writes. Every row is checked (fields,
// repeats within the file, collisions with this registry) and every problem reported; nothing is
// written unless the whole file is good: it is written in one transaction, while it is checked,
// which rolls back at the first problem (ADR 63). Why IDs are kept
// as they are, and which are refused: docs/adr/0036-imported-declarations-keep-their-ids.md.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "content/registry_content.hpp"
#include "domain/clock.hpp"
#include "domain/declaration_import.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

enum class ImportMode { DryRun, Write };

struct ImportSettings {
    int own_leading_digit = 1;                 // id-leading-digit
    std::string actor = "import";              // the audit log's actor of every event the import records
    std::string source;                        // the file's name, for the audit log
    std::string log_origin = "localhost/log";  // the transparency log's (app/transparency_log.hpp)
};

struct ImportReport {
    std::size_t rows = 0;                   // data rows in the file
    std::size_t imported = 0;               // rows written (0 on a dry run and for a refused file)
    std::vector<import::Problem> problems;  // by line; empty when the file is good
};

// Checks `text` (the whole file) and, with ImportMode::Write and no problem, writes it. Each
// declaration keeps its ID, status, level, details and dates, and its row is marked imported with
// the level it had and that level's date, from which its history replays "imported" on its
// declared_at and a step up on its level_since when its level rose later (ADR 0064), so that
// "what level on date X" is answered for dates before the import too. The audit log gets one
// `declarations.import` event for the whole file. The declarant's account (by contact address) is
// found or created, so that signing in shows the declaration. An error is returned only when the
// database fails (or changed under the import: Conflict); a bad file is a report with problems.
Result<ImportReport> import_declarations(Store& store, const content::RegistryContent& content, const Clock& clock,
                                         std::string_view text, ImportMode mode, const ImportSettings& settings);

// The English sentence for a problem's code, for the command's report.
std::string_view describe(const import::Problem& p);

}  // namespace sengen::app
