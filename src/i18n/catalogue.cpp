// gettext .po reading, catalogue checks and Accept-Language negotiation.
#include "i18n/catalogue.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "domain/text.hpp"

namespace sengen::i18n {

Lang negotiate(std::optional<std::string_view> chosen, std::string_view accept_language) {
    if (chosen)
        if (auto l = from_code(*chosen)) return *l;
    // RFC 9110 §12.5.4: a list of language ranges with optional ";q=" weights; the first of the
    // highest weight that we offer wins. A primary subtag match ("en-GB" -> en) counts.
    std::optional<Lang> best;
    double best_q = 0.0;
    text::for_each_piece(accept_language, ',', [&](std::string_view piece) {
        const auto item = text::trim(piece);
        if (item.empty()) return;
        double q = 1.0;
        auto semi = item.find(';');
        auto range = text::trim(item.substr(0, semi));
        if (semi != std::string_view::npos) {
            auto param = text::trim(item.substr(semi + 1));
            if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
                auto num = std::string(param.substr(2));
                char* end = nullptr;
                q = std::strtod(num.c_str(), &end);
                if (end == num.c_str() || q < 0 || q > 1) q = 0;
            }
        }
        auto dash = range.find('-');
        auto primary = range.substr(0, dash);
        auto lang = from_code(primary);
        if (lang && q > best_q) {
            best = lang;
            best_q = q;
        }
    });
    return best.value_or(Lang::Ja);
}

namespace {

// Reads one "..." literal with C escapes. Returns nullopt if malformed.
std::optional<std::string> read_quoted(std::string_view s) {
    s = text::trim(s);
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::nullopt;
    s = s.substr(1, s.size() - 2);
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '"') return std::nullopt;  // an unescaped quote inside
        if (c != '\\') {
            out += c;
            continue;
        }
        if (++i >= s.size()) return std::nullopt;
        switch (s[i]) {
            case 'n':
                out += '\n';
                break;
            case 't':
                out += '\t';
                break;
            case '"':
                out += '"';
                break;
            case '\\':
                out += '\\';
                break;
            default:
                return std::nullopt;
        }
    }
    return out;
}

}  // namespace

Result<Messages> parse_po(std::string_view text, std::string_view file_name) {
    Messages out;
    std::vector<std::string> problems;
    enum class Part { None, Id, Str } part = Part::None;
    std::string id, str;
    std::size_t id_line = 0, line_no = 0;
    bool have_entry = false;

    auto where = [&](std::size_t n) { return std::string(file_name) + ":" + std::to_string(n) + ": "; };
    auto finish = [&] {
        if (!have_entry) return;
        if (!id.empty()) {  // the empty msgid is the .po header
            if (out.count(id))
                problems.push_back(where(id_line) + "duplicate msgid \"" + id + "\"");
            else if (str.empty())
                problems.push_back(where(id_line) + "empty msgstr for \"" + id + "\"");
            else
                out[id] = str;
        }
        id.clear();
        str.clear();
        have_entry = false;
        part = Part::None;
    };

    std::size_t pos = 0;
    while (pos < text.size()) {
        auto nl = text.find('\n', pos);
        auto line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        if (line.ends_with('\r')) line.remove_suffix(1);  // a file saved with CR LF
        line = text::trim(line);
        pos = nl == std::string_view::npos ? text.size() : nl + 1;
        ++line_no;
        if (line.empty()) {
            finish();
            continue;
        }
        if (line.front() == '#') continue;
        if (line.rfind("msgctxt", 0) == 0 || line.rfind("msgid_plural", 0) == 0 || line.rfind("msgstr[", 0) == 0) {
            problems.push_back(where(line_no) + "contexts and plural forms are not used by sengen");
            continue;
        }
        if (line.rfind("msgid", 0) == 0) {
            finish();
            auto q = read_quoted(line.substr(5));
            if (!q) problems.push_back(where(line_no) + "malformed msgid");
            id = q.value_or("");
            id_line = line_no;
            part = Part::Id;
            have_entry = true;
        } else if (line.rfind("msgstr", 0) == 0) {
            if (part != Part::Id) problems.push_back(where(line_no) + "msgstr without msgid");
            auto q = read_quoted(line.substr(6));
            if (!q) problems.push_back(where(line_no) + "malformed msgstr");
            str = q.value_or("");
            part = Part::Str;
        } else if (line.front() == '"') {
            auto q = read_quoted(line);
            if (!q)
                problems.push_back(where(line_no) + "malformed string");
            else if (part == Part::Id)
                id += *q;
            else if (part == Part::Str)
                str += *q;
            else
                problems.push_back(where(line_no) + "string outside an entry");
        } else {
            problems.push_back(where(line_no) + "unexpected text");
        }
    }
    finish();
    if (!problems.empty()) {
        Error e = Error::invalid({{"catalogue", "syntax"}}, "i18n.po");
        for (const auto& p : problems) e.detail += p + "\n";
        return fail(std::move(e));
    }
    return out;
}

Result<Catalogue> Catalogue::build(std::map<Lang, Messages> by_lang) {
    std::set<std::string> ids;
    for (auto l : all_langs) {
        if (!by_lang.count(l)) by_lang[l] = {};
        for (const auto& [k, v] : by_lang[l]) ids.insert(k);
    }
    std::vector<std::string> problems;
    for (const auto& id : ids)
        for (auto l : all_langs)
            if (!by_lang[l].count(id)) problems.push_back(std::string(code(l)) + ".po lacks \"" + id + "\"");
    // A dotted id must not also be the prefix of another ("a.b" and "a.b.c"): templates reach
    // messages as nested names.
    for (const auto& id : ids) {
        auto next = ids.upper_bound(id);
        if (next != ids.end() && next->rfind(id + ".", 0) == 0)
            problems.push_back("\"" + id + "\" is both a message and a prefix of \"" + *next + "\"");
    }
    if (!problems.empty()) {
        Error e = Error::invalid({{"catalogue", "incomplete"}}, "i18n.incomplete");
        for (const auto& p : problems) e.detail += p + "\n";
        return fail(std::move(e));
    }
    Catalogue c;
    c.by_lang_ = std::move(by_lang);
    return c;
}

const std::string& Catalogue::text(Lang l, const std::string& id) const {
    const auto& m = by_lang_.at(l);
    auto it = m.find(id);
    return it == m.end() ? id : it->second;
}

std::string Catalogue::format(Lang l, const std::string& id,
                              const std::vector<std::pair<std::string, std::string>>& args) const {
    std::string s = text(l, id);
    for (const auto& [name, value] : args) {
        const std::string token = "{" + name + "}";
        for (auto p = s.find(token); p != std::string::npos; p = s.find(token, p + value.size()))
            s.replace(p, token.size(), value);
    }
    return s;
}

}  // namespace sengen::i18n
