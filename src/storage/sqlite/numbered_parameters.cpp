// Statement texts as SQLite numbers their parameters (see numbered_parameters.hpp).
#include "storage/sqlite/numbered_parameters.hpp"

#include <algorithm>
#include <charconv>

namespace sengen::storage::sqlite {

std::optional<std::pair<std::string, std::size_t>> numbered_parameters(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t highest = 0;
    for (std::size_t i = 0; i < text.size();) {
        const char c = text[i];
        if (c == '\'' || c == '"') {
            const auto end = text.find(c, i + 1);
            const auto stop = end == std::string_view::npos ? text.size() : end + 1;
            out.append(text.substr(i, stop - i));
            i = stop;
        } else if (c == '-' && text.substr(i, 2) == "--") {
            const auto end = text.find('\n', i);
            const auto stop = end == std::string_view::npos ? text.size() : end;
            out.append(text.substr(i, stop - i));
            i = stop;
        } else if (c == '/' && text.substr(i, 2) == "/*") {
            const auto end = text.find("*/", i + 2);
            const auto stop = end == std::string_view::npos ? text.size() : end + 2;
            out.append(text.substr(i, stop - i));
            i = stop;
        } else if (c == '$') {
            std::size_t j = i + 1;
            while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
            std::size_t n = 0;
            const auto* first = text.data() + i + 1;
            if (j == i + 1 || std::from_chars(first, text.data() + j, n).ec != std::errc() || n < 1 ||
                n > kMaxParameter)
                return std::nullopt;
            highest = std::max(highest, n);
            out += '?';
            out.append(text.substr(i + 1, j - i - 1));
            i = j;
        } else {
            out += c;
            ++i;
        }
    }
    return std::pair{std::move(out), highest};
}

}  // namespace sengen::storage::sqlite
