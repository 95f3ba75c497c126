// libxlsxwriter behind XlsxTable (see xlsx_table.hpp).
#include "render/xlsx_table.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <vector>

namespace sengen::render {

struct XlsxTable::State {
    lxw_workbook* book = nullptr;
    lxw_worksheet* sheet = nullptr;
    lxw_row_t row = 0;
    std::string path;
};

namespace {

Error write_error(const std::string& what) { return Error::unavailable("export.write", what); }

// A sheet's columns, A to XFD: cells further right are left out, as Excel could not hold them (a
// verifier's file may have a row of thousands of commas).
constexpr std::size_t kExcelColumns = 16384;

}  // namespace

std::string_view excel_cell_text(std::string_view text) {
    constexpr std::size_t kExcelCellUnits = 32767;
    std::size_t units = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if ((c & 0xC0) == 0x80) continue;            // a continuation byte: part of the character before
        const std::size_t need = c >= 0xF0 ? 2 : 1;  // four-byte characters are a surrogate pair
        if (units + need > kExcelCellUnits) return text.substr(0, i);
        units += need;
    }
    return text;
}

XlsxTable::XlsxTable(std::unique_ptr<State> s) : s_(std::move(s)) {}
XlsxTable::XlsxTable(XlsxTable&&) noexcept = default;
XlsxTable& XlsxTable::operator=(XlsxTable&&) noexcept = default;
XlsxTable::~XlsxTable() {
    if (s_ && s_->book) workbook_close(s_->book);
}

Result<XlsxTable> XlsxTable::create(const std::string& path, const std::string& sheet,
                                    std::span<const std::string_view> header) {
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    auto s = std::make_unique<State>();
    s->path = path;
    s->book = workbook_new_opt(path.c_str(), &options);
    if (!s->book) return fail(write_error("cannot create the workbook " + path));
    s->sheet = workbook_add_worksheet(s->book, sheet.c_str());
    lxw_format* bold = workbook_add_format(s->book);
    format_set_bold(bold);
    for (std::size_t i = 0; i < header.size() && i < kExcelColumns; ++i)
        if (auto e = worksheet_write_string(s->sheet, 0, static_cast<lxw_col_t>(i),
                                            std::string(excel_cell_text(header[i])).c_str(), bold);
            e != LXW_NO_ERROR) {
            workbook_close(s->book);
            return fail(write_error(std::string("xlsx: ") + lxw_strerror(e)));
        }
    return XlsxTable(std::move(s));
}

Status XlsxTable::add_row(std::span<const XlsxCell> cells) {
    ++s_->row;
    std::string text;
    for (std::size_t i = 0; i < cells.size() && i < kExcelColumns; ++i) {
        const auto col = static_cast<lxw_col_t>(i);
        lxw_error e = LXW_NO_ERROR;
        if (cells[i].number) {
            e = worksheet_write_number(s_->sheet, s_->row, col, *cells[i].number, nullptr);
        } else if (!cells[i].text.empty()) {
            // A string cell is never evaluated, so no formula guard is needed here.
            text.assign(excel_cell_text(cells[i].text));
            e = worksheet_write_string(s_->sheet, s_->row, col, text.c_str(), nullptr);
        }
        if (e != LXW_NO_ERROR) return fail(write_error(std::string("xlsx: ") + lxw_strerror(e)));
    }
    return {};
}

Status XlsxTable::close() {
    if (!s_ || !s_->book) return {};
    const lxw_error closed = workbook_close(s_->book);
    s_->book = nullptr;
    if (closed != LXW_NO_ERROR)
        return fail(write_error(std::string("cannot write the workbook: ") + lxw_strerror(closed)));
    return {};
}

Result<std::string> workbook_bytes(const std::function<Status(const std::string& path)>& write) {
    // A private file of our own (mkstemp), removed before we return.
    auto dir = std::filesystem::temp_directory_path().string();
    std::string path = dir + "/sengen-xlsx-XXXXXX";
    const int fd = mkstemp(path.data());
    if (fd < 0) return fail(write_error("cannot create a temporary file"));
    ::close(fd);
    struct Remove {
        std::string p;
        ~Remove() { std::remove(p.c_str()); }
    } remove{path};
    if (auto ok = write(path); !ok) return fail(ok.error());
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) return fail(write_error("cannot read the workbook back"));
    return bytes.str();
}

Result<std::string> xlsx_bytes(const std::string& sheet, std::span<const std::string_view> header,
                               std::span<const std::vector<XlsxCell>> rows) {
    return workbook_bytes([&](const std::string& path) -> Status {
        auto table = XlsxTable::create(path, sheet, header);
        if (!table) return fail(table.error());
        for (const auto& r : rows)
            if (auto ok = table->add_row(r); !ok) return fail(ok.error());
        return table->close();
    });
}

}  // namespace sengen::render
