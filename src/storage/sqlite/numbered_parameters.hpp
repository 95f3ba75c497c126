// The statements of the storage port write their parameters $1, $2, ... as PostgreSQL does.
// SQLite treats "$n" as a name: it numbers names by first appearance and finds each one by a walk
// along the names seen so far, so preparing a multi-row INSERT of 9,216 parameters
// (storage/batched_insert.hpp) cost tens of millions of string comparisons, and binding by name
// would cost a lookup per parameter. "?n" is parameter n itself. Pure: no SQLite call.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sengen::storage::sqlite {

// SQLite's largest parameter number (SQLITE_MAX_VARIABLE_NUMBER since 3.32).
constexpr std::size_t kMaxParameter = 32766;

// The text with each parameter "$n" written "?n", and the largest n (0 when it has none); nullopt
// for a "$" that is not followed by a number from 1 to kMaxParameter. Quoted text, quoted names
// and comments are copied as they are.
std::optional<std::pair<std::string, std::size_t>> numbered_parameters(std::string_view text);

}  // namespace sengen::storage::sqlite
