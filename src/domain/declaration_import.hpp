// Reading declarations from another registry (`sengen import`): the CSV columns that the export
// writes and the import reads (read with domain/csv_reader.hpp), and the check of every row, which collects
// every problem of the file (line, column, code) instead of stopping at the first. Pure: the
// use case (app/declaration_import.hpp) reads the file and asks storage about collisions.
#pragma once
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/csv_reader.hpp"
#include "domain/declaration.hpp"
#include "domain/error.hpp"
#include "domain/registry_content.hpp"

namespace sengen::import {

// The columns of `sengen export --format csv`, in its order: the one list both sides use, so a
// file exported by one sengen is read by another (docs/operations.md describes each column).
inline constexpr std::array<std::string_view, 30> kColumns = {
    "application_no",
    "declaration_id",
    "status",
    "level",
    "entity_type",
    "corporate_number",
    "business_name",
    "business_name_kana",
    "postal_code",
    "prefecture",
    "address",
    "industry",
    "employees",
    "representative_title",
    "representative_name",
    "contact_name",
    "contact_email",
    "phone",
    "website",
    "purposes",
    "principles_edition",
    "assessment_date",
    "policy_url",
    "lang",
    "terms_version",
    "created_at",
    "declared_at",
    "level_since",
    "ended_at",
    "end_reason",  // added for the import: a revocation's reason is public and must move with it
};

// A problem of the file: the line (0 for the file as a whole), the column named as in the header
// ("" when none), and a stable code that the report explains.
struct Problem {
    std::size_t line = 0;
    std::string column;
    std::string code;
    std::size_t other_line = 0;  // a duplicate: the line it repeats
    bool operator==(const Problem&) const = default;
};

// What a checked row becomes: a declaration ready to be stored as it stood in the other registry
// (state, ID, details and dates; no account, no confirmation token).
struct Row {
    std::size_t line = 0;
    Declaration declaration;
};

// What the rules of this registry need to know about it.
struct Rules {
    const RegistryContent* content = nullptr;
    int own_leading_digit = 1;  // the first digit of IDs this registry issues (id-leading-digit)
    std::string today;          // YYYY-MM-DD in Japan: no date may be later
};

// The header row: which column of the file holds each of kColumns (nullopt when absent). Every
// column but application_no and end_reason (which older exports lack) is required; a column the import does not know is
// an error, so that a file of another shape is refused instead of half read.
struct Header {
    std::array<std::optional<std::size_t>, kColumns.size()> position;
};
Result<Header> read_header(const csv::Record& header, std::vector<Problem>& problems);

// Checks one record against every rule that needs no database: each field as the application
// form checks it (the same normalisers and checkers), the ID's scheme, the status (declared,
// stopped or revoked: only issued declarations move between registries), the level and its ★★
// evidence, and the dates (declared_at <= level_since <= ended_at, none after today, ended_at
// exactly when stopped or revoked). Adds one problem per bad field; nullopt when there was any.
std::optional<Row> check_record(const csv::Record& record, const Header& header, const Rules& rules,
                                std::vector<Problem>& problems);

// What the checks across the whole file need of a good row, kept after its declaration is written
// and let go (an import writes as it reads): its ID, its corporate number when the row would be
// live (empty otherwise), and its line. Both texts fit inside the strings themselves, so keeping
// a million of them costs no allocation each.
struct RowKeys {
    std::string id;
    std::string live_number;
    std::size_t line = 0;
};
RowKeys keys_of(const Declaration& d, std::size_t line);

// Problems between rows of one file: a declaration ID twice, or one corporate number in two
// declared rows (a registry has one live declaration per number). Each repeat is reported on its
// own line, with the line it repeats as `other_line`. Rows are added in the file's order; it keeps
// views of their text, so keys added must neither move nor change while the check is in use.
class DuplicateCheck {
public:
    explicit DuplicateCheck(std::size_t expected_rows = 0);
    void add(const RowKeys& keys, std::vector<Problem>& problems);

private:
    // The first line of each key, in an open-addressing table: a slot holds the key's hash, its
    // view and its line side by side, where std::unordered_map reached a node of its own for each
    // lookup (a tenth of the import's time on a file of 300,000 rows).
    class FirstLines {
    public:
        explicit FirstLines(std::size_t expected);
        // The line `key` was first added on, and whether that is now (`line` is then recorded).
        std::pair<std::size_t, bool> add(std::string_view key, std::size_t line);

    private:
        struct Slot {
            std::size_t hash = 0;
            std::string_view key;
            std::size_t line = 0;
            bool used = false;
        };
        void grow();
        std::vector<Slot> slots_;
        std::size_t used_ = 0;
    };
    FirstLines ids_, numbers_;
};

// Strips the guard the export puts in front of a cell that a spreadsheet would read as a formula
// (render::csv_cell): a single quote followed by = + - @ (or their full-width forms), a tab or a
// carriage return.
std::string_view without_formula_guard(std::string_view cell);

}  // namespace sengen::import
