// The one checker of content files (TOML): every problem collected and located as "file:line:
// what is wrong", so that a content editor fixes them all in one pass. Every loader in
// src/content/ reads its file through it; a text in both languages is a {ja = ..., en = ...} table.
#pragma once
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "domain/assessment/edition.hpp"
#include "domain/error.hpp"
#include "domain/localized.hpp"

namespace sengen::content {

using assessment::LocalizedList;

// The error of a content file that does not load, with every problem in its detail.
inline Error content_invalid(std::string detail) {
    Error e = Error::invalid({{"content", "invalid"}}, "content.invalid");
    e.detail = std::move(detail);
    return e;
}

// One problem as one line of the report. A problem may quote a value of the file, and a quoted
// TOML string can hold a line break: written as it is, it would split the problem in two, and the
// second half would read as a line with no file and no line number (or as a forged one). Control
// characters are therefore written as \n, \r, \t or \xHH.
inline std::string one_line(std::string_view s) {
    static constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(s.size());
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 0xf];
        } else {
            out += ch;
        }
    }
    return out;
}

// The file's TOML, or its syntax error as "file:line: what is wrong".
inline Result<toml::table> parse_file(std::string_view text, std::string_view file_name) {
    try {
        return toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        return fail(content_invalid(one_line(std::string(file_name) + ":" + std::to_string(e.source().begin.line) +
                                             ": " + std::string(e.description())) +
                                    "\n"));
    }
}

class Checker {
public:
    explicit Checker(std::string_view file) : file_(file) {}

    void problem(const toml::node& at, const std::string& what) { problem(at.source().begin.line, what); }
    void problem(std::uint32_t line, const std::string& what) {
        problems_.push_back(one_line(file_ + ":" + std::to_string(line) + ": " + what));
    }
    bool ok() const { return problems_.empty(); }
    std::string report() const {
        std::string out;
        for (const auto& p : problems_) out += p + "\n";
        return out;
    }

    // Reports keys of `t` that are not in `allowed`.
    void only_keys(const toml::table& t, std::initializer_list<std::string_view> allowed, const std::string& where) {
        for (const auto& [k, v] : t)
            if (std::find(allowed.begin(), allowed.end(), k.str()) == allowed.end())
                problem(v, where + ": unknown key '" + std::string(k.str()) + "'");
    }

    std::optional<std::string> string(const toml::table& t, std::string_view key, const std::string& where) {
        const auto* n = t.get(key);
        if (!n) {
            problem(t, where + ": '" + std::string(key) + "' is missing");
            return std::nullopt;
        }
        auto v = n->value<std::string>();
        if (!v) {
            problem(*n, where + ": '" + std::string(key) + "' must be a string");
            return std::nullopt;
        }
        return v;
    }

    // A string that is not blank.
    std::optional<std::string> text(const toml::table& t, std::string_view key, const std::string& where) {
        auto v = string(t, key, where);
        if (v && blank(*v)) {
            problem(*t.get(key), where + ": '" + std::string(key) + "' is empty");
            return std::nullopt;
        }
        return v;
    }

    std::optional<std::int64_t> integer(const toml::table& t, std::string_view key, const std::string& where) {
        const auto* n = t.get(key);
        if (!n) {
            problem(t, where + ": '" + std::string(key) + "' is missing");
            return std::nullopt;
        }
        if (!n->is_integer()) {
            problem(*n, where + ": '" + std::string(key) + "' must be a whole number");
            return std::nullopt;
        }
        return n->value<std::int64_t>();
    }

    std::optional<bool> boolean(const toml::table& t, std::string_view key, const std::string& where) {
        const auto* n = t.get(key);
        if (!n) {
            problem(t, where + ": '" + std::string(key) + "' is missing");
            return std::nullopt;
        }
        if (!n->is_boolean()) {
            problem(*n, where + ": '" + std::string(key) + "' must be true or false");
            return std::nullopt;
        }
        return n->value<bool>();
    }

    // A TOML date as YYYY-MM-DD. A missing key is reported at line 1 as "<where>: '<key>' is
    // missing"; a value of another type as "'<key>' must be a date such as <example>".
    std::optional<std::string> date(const toml::table& t, std::string_view key, const std::string& where,
                                    std::string_view example) {
        const auto* n = t.get(key);
        if (!n) {
            problem(1, where + ": '" + std::string(key) + "' is missing");
            return std::nullopt;
        }
        auto d = n->value<toml::date>();
        if (!d) {
            problem(*n, "'" + std::string(key) + "' must be a date such as " + std::string(example));
            return std::nullopt;
        }
        auto two = [](unsigned v) { return (v < 10 ? "0" : "") + std::to_string(v); };
        return std::to_string(d->year) + "-" + two(d->month) + "-" + two(d->day);
    }

    // A {ja = "...", en = "..."} table whose texts are both present and not blank.
    Localized localized(const toml::table& t, std::string_view key, const std::string& where) {
        Localized out;
        const std::string name = where + ": '" + std::string(key) + "'";
        const auto* n = t.get(key);
        if (!n) {
            problem(t, name + " is missing (it needs ja and en)");
            return out;
        }
        const auto* lt = n->as_table();
        if (!lt) {
            problem(*n, name + " must have a Japanese (ja) and an English (en) text");
            return out;
        }
        only_keys(*lt, {"ja", "en"}, name);
        for (auto [lang, target] : {std::pair{"ja", &out.ja}, std::pair{"en", &out.en}}) {
            const auto* tn = lt->get(lang);
            if (!tn) {
                problem(*lt, name + " has no " + lang + " text");
                continue;
            }
            auto s = tn->value<std::string>();
            if (!s)
                problem(*tn, name + "." + lang + " must be a string");
            else if (blank(*s))
                problem(*tn, name + "." + lang + " is empty");
            else
                *target = *s;
        }
        return out;
    }

    // A {ja, en} table that may be left out, or hold two blank texts (say nothing), but never one
    // language without the other.
    Localized optional_localized(const toml::table& t, std::string_view key, const std::string& where) {
        Localized out;
        const auto* n = t.get(key);
        if (!n) return out;
        const auto* lt = n->as_table();
        if (!lt) {
            problem(*n, where + ": '" + std::string(key) + "' must have a Japanese (ja) and an English (en) text");
            return out;
        }
        only_keys(*lt, {"ja", "en"}, where + ": '" + std::string(key) + "'");
        for (auto [lang, target] : {std::pair{"ja", &out.ja}, std::pair{"en", &out.en}}) {
            if (const auto* tn = lt->get(lang)) {
                if (auto s = tn->value<std::string>())
                    *target = blank(*s) ? std::string() : *s;
                else
                    problem(*tn, where + ": '" + std::string(key) + "." + lang + "' must be a string");
            }
        }
        if (out.ja.empty() != out.en.empty())
            problem(*n, where + ": '" + std::string(key) + "' needs both a Japanese and an English text, or neither");
        return out;
    }

    // A {ja = [...], en = [...]} table of non-empty lists of non-blank strings.
    LocalizedList localized_list(const toml::table& t, std::string_view key, const std::string& where) {
        LocalizedList out;
        const std::string name = where + ": '" + std::string(key) + "'";
        const auto* n = t.get(key);
        if (!n) {
            problem(t, name + " is missing (it needs ja and en lists)");
            return out;
        }
        const auto* lt = n->as_table();
        if (!lt) {
            problem(*n, name + " must have a Japanese (ja) and an English (en) list");
            return out;
        }
        only_keys(*lt, {"ja", "en"}, name);
        for (auto [lang, target] : {std::pair{"ja", &out.ja}, std::pair{"en", &out.en}}) {
            const auto* an = lt->get(lang);
            if (!an) {
                problem(*lt, name + " has no " + lang + " list");
                continue;
            }
            const auto* arr = an->as_array();
            if (!arr) {
                problem(*an, name + "." + lang + " must be a list of strings");
                continue;
            }
            if (arr->empty()) problem(*an, name + "." + lang + " is empty");
            for (const auto& item : *arr) {
                auto s = item.value<std::string>();
                if (!s)
                    problem(item, name + "." + lang + " must hold only strings");
                else if (blank(*s))
                    problem(item, name + "." + lang + " has an empty item");
                else
                    target->push_back(*s);
            }
        }
        if (!out.ja.empty() && !out.en.empty() && out.ja.size() != out.en.size())
            problem(*lt, name + " has " + std::to_string(out.ja.size()) + " Japanese but " +
                             std::to_string(out.en.size()) + " English items");
        return out;
    }

    // The tables of an array of tables (`[[key]]`).
    std::vector<const toml::table*> tables(const toml::table& root, std::string_view key) {
        std::vector<const toml::table*> out;
        const auto* n = root.get(key);
        if (!n) {
            problem(1, "'" + std::string(key) + "' is missing (add [[" + std::string(key) + "]] sections)");
            return out;
        }
        const auto* arr = n->as_array();
        if (!arr) {
            problem(*n, "'" + std::string(key) + "' must be a list of [[" + std::string(key) + "]] sections");
            return out;
        }
        for (const auto& item : *arr) {
            if (const auto* t = item.as_table())
                out.push_back(t);
            else
                problem(item, "'" + std::string(key) + "' must hold only [[" + std::string(key) + "]] sections");
        }
        return out;
    }

    // Like tables(), and at least one section must be there.
    std::vector<const toml::table*> nonempty_tables(const toml::table& root, std::string_view key) {
        auto out = tables(root, key);
        const auto* n = root.get(key);
        if (out.empty() && n && n->as_array() && n->as_array()->empty())
            problem(*n, "'" + std::string(key) + "' needs at least one [[" + std::string(key) + "]] section");
        return out;
    }

    static bool blank(std::string_view s) {
        return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
    }

private:
    std::string file_;
    std::vector<std::string> problems_;
};

}  // namespace sengen::content
