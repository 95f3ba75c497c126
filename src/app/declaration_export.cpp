// Writes every declaration as CSV or .xlsx (see declaration_export.hpp).
#include "app/declaration_export.hpp"

#include <array>
#include <functional>
#include <string_view>

#include "domain/dates.hpp"
#include "domain/declaration_import.hpp"
#include "domain/lang.hpp"
#include "render/csv.hpp"
#include "render/xlsx_table.hpp"

namespace sengen::app {

namespace {

constexpr std::size_t kPage = 2000;

// The header row (shared with the import, which reads what this writes); row_cells fills the same
// columns in the same order.
using import::kColumns;
// Columns written as numbers in the workbook (the rest are text).
constexpr std::size_t kApplicationNo = 0;
constexpr std::size_t kLevel = 3;

std::string day(const std::optional<TimePoint>& t) { return t ? dates::japan_iso_date(*t) : std::string(); }

std::array<std::string, kColumns.size()> row_cells(const Declaration& d) {
    const Application& a = d.details;
    std::string purposes;
    for (const auto& p : a.purposes) purposes += (purposes.empty() ? "" : ";") + p;
    return {std::to_string(d.id),
            d.public_id ? d.public_id->digits() : std::string(),
            std::string(lifecycle::to_string(d.state.status)),
            std::to_string(d.state.level),
            a.entity_type,
            a.corporate_number,
            a.business_name,
            a.business_name_kana,
            a.postal_code,
            a.prefecture,
            a.address,
            a.industry,
            a.employees,
            a.representative_title,
            a.representative_name,
            a.contact_name,
            a.contact_email,
            a.phone,
            a.website,
            purposes,
            a.principles_edition,
            a.assessment_date,
            a.policy_url,
            std::string(code(a.lang)),
            d.terms_version,
            day(d.created_at),
            day(d.declared_at),
            day(d.level_since),
            day(d.ended_at),
            d.end_reason};
}

// Hands every declaration to `each`, page by page, each page in its own read snapshot.
Result<std::size_t> for_each_declaration(Store& store, const std::function<Status(const Declaration&)>& each) {
    std::size_t n = 0;
    std::int64_t after = 0;
    for (;;) {
        auto page = store.query<std::vector<Declaration>>(
            TxMode::Single, [&](Transaction& tx) { return tx.declarations().page_after(after, kPage); });
        if (!page) return fail(page.error());
        for (const auto& d : *page) {
            if (auto ok = each(d); !ok) return fail(ok.error());
            ++n;
        }
        if (page->size() < kPage) return n;
        after = page->back().id;
    }
}

}  // namespace

Result<std::size_t> export_declarations_csv(Store& store, std::ostream& out) {
    out << "\xEF\xBB\xBF";
    for (std::size_t i = 0; i < kColumns.size(); ++i) out << (i ? "," : "") << kColumns[i];
    out << "\r\n";
    auto n = for_each_declaration(store, [&](const Declaration& d) -> Status {
        const auto cells = row_cells(d);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i) out << ',';
            // Numbers sengen made itself stay numbers; everything typed by a person is text.
            out << (i == kApplicationNo || i == kLevel ? cells[i] : render::csv_cell(cells[i]));
        }
        out << "\r\n";
        if (!out) return fail(Error::unavailable("export.write", "cannot write the CSV output"));
        return {};
    });
    out.flush();
    if (n && !out) return fail(Error::unavailable("export.write", "cannot write the CSV output"));
    return n;
}

Result<std::size_t> export_declarations_xlsx(Store& store, const std::string& path) {
    auto table = render::XlsxTable::create(path, "declarations", kColumns);
    if (!table) return fail(table.error());
    std::vector<render::XlsxCell> row(kColumns.size());
    auto n = for_each_declaration(store, [&](const Declaration& d) -> Status {
        const auto cells = row_cells(d);
        for (std::size_t i = 0; i < cells.size(); ++i) {
            row[i].text = cells[i];
            row[i].number = std::nullopt;
            if (i == kApplicationNo || i == kLevel) row[i].number = static_cast<double>(std::stoll(cells[i]));
        }
        return table->add_row(row);
    });
    auto closed = table->close();
    if (!n) return n;
    if (!closed) return fail(closed.error());
    return n;
}

}  // namespace sengen::app
