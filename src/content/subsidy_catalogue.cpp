// Reads and checks the subsidy catalogue: each value against the domain's rules with the line it
// sits on, then the whole through subsidy::Catalogue::build, so one run reports every problem.
#include "content/subsidy_catalogue.hpp"

#include <algorithm>
#include <cstdlib>

#include <toml++/toml.h>

#include "content/toml_checker.hpp"
#include "domain/versions.hpp"

namespace sengen::content {

namespace {

using subsidy::Ask;
using subsidy::Frame;
using subsidy::Prerequisite;
using subsidy::Programme;
using subsidy::Registry;
using subsidy::Round;

const toml::node& at_or(const toml::node* n, const toml::node& fallback) { return n ? *n : fallback; }

// A list of strings under `key`: each with its node, for problems on the right line. Missing:
// an empty list (the caller decides whether that is allowed).
std::vector<std::pair<std::string, const toml::node*>> strings(Checker& ck, const toml::table& t, std::string_view key,
                                                               const std::string& where) {
    std::vector<std::pair<std::string, const toml::node*>> out;
    const auto* n = t.get(key);
    if (!n) return out;
    const auto* arr = n->as_array();
    if (!arr) {
        ck.problem(*n, where + ": '" + std::string(key) + "' must be a list of strings");
        return out;
    }
    for (const auto& item : *arr) {
        if (auto s = item.value<std::string>())
            out.emplace_back(*s, &item);
        else
            ck.problem(item, where + ": '" + std::string(key) + "' must hold only strings");
    }
    return out;
}

// An optional TOML date as YYYY-MM-DD; empty when left out.
std::string optional_date(Checker& ck, const toml::table& t, std::string_view key, const std::string& where) {
    if (!t.get(key)) return {};
    return ck.date(t, key, where, "2026-04-01").value_or("");
}

template <typename T, typename Enum>
std::optional<Enum> choice(Checker& ck, const toml::table& t, std::string_view key, const std::string& where,
                           std::optional<Enum> (*parse)(std::string_view), std::string_view allowed) {
    auto v = ck.string(t, key, where);
    if (!v) return std::nullopt;
    auto e = parse(*v);
    if (!e)
        ck.problem(*t.get(key), where + ": " + std::string(T::kWhat) + " '" + *v + "' is not known (use " +
                                    std::string(allowed) + ")");
    return e;
}

struct AskKindName {
    static constexpr std::string_view kWhat = "requirement type";
};
struct StatusName {
    static constexpr std::string_view kWhat = "status";
};
struct ScopeName {
    static constexpr std::string_view kWhat = "scope";
};
constexpr std::string_view kStatuses = "open, closed or unknown";

// The `code` of a [[registry]] or [[prerequisite]] table (`what`): its form checked, and a code
// defined twice in `defined` reported.
template <typename T>
std::string defined_code(Checker& ck, const toml::table& t, const std::string& what, const std::vector<T>& defined) {
    auto code = ck.text(t, "code", what);
    if (!code) return {};
    if (!subsidy::valid_code(*code))
        ck.problem(*t.get("code"), what + ": code '" + *code + "' must be a-z, 0-9 and _ (at most 32)");
    else if (std::any_of(defined.begin(), defined.end(), [&](const T& o) { return o.code == *code; }))
        ck.problem(*t.get("code"), what + ": code '" + *code + "' is defined twice");
    return *code;
}

std::vector<Registry> load_registries(Checker& ck, const toml::table& root) {
    std::vector<Registry> out;
    if (!root.get("registry")) return out;
    for (const auto* t : ck.tables(root, "registry")) {
        ck.only_keys(*t, {"code", "name", "url"}, "registry");
        Registry r;
        r.code = defined_code(ck, *t, "registry", out);
        r.name = ck.localized(*t, "name", "registry");
        if (auto url = ck.text(*t, "url", "registry")) {
            if (!subsidy::https_url(*url))
                ck.problem(*t->get("url"), "registry: url '" + *url + "' must be an https:// address");
            r.url = *url;
        }
        out.push_back(std::move(r));
    }
    return out;
}

std::vector<Prerequisite> load_prerequisites(Checker& ck, const toml::table& root) {
    std::vector<Prerequisite> out;
    if (!root.get("prerequisite")) return out;
    for (const auto* t : ck.tables(root, "prerequisite")) {
        ck.only_keys(*t, {"code", "name", "description"}, "prerequisite");
        Prerequisite q;
        q.code = defined_code(ck, *t, "prerequisite", out);
        q.name = ck.localized(*t, "name", "prerequisite");
        q.description = ck.localized(*t, "description", "prerequisite");
        out.push_back(std::move(q));
    }
    return out;
}

void load_frames(Checker& ck, const toml::table& t, Programme& p, const std::string& where) {
    if (!t.get("frame")) return;
    for (const auto* f : ck.tables(t, "frame")) {
        ck.only_keys(*f, {"code", "name"}, where + ": frame");
        Frame fr;
        if (auto code = ck.text(*f, "code", where + ": frame")) {
            if (!subsidy::valid_code(*code))
                ck.problem(*f->get("code"), where + ": frame code '" + *code + "' must be a-z, 0-9 and _");
            else if (std::any_of(p.frames.begin(), p.frames.end(), [&](const Frame& o) { return o.code == *code; }))
                ck.problem(*f->get("code"), where + ": frame '" + *code + "' is defined twice");
            fr.code = *code;
        }
        fr.name = ck.localized(*f, "name", where + ": frame");
        p.frames.push_back(std::move(fr));
    }
}

void load_asks(Checker& ck, const toml::table& t, Programme& p, const std::string& where,
               const CatalogueReferences& refs) {
    const auto* n = t.get("ask");
    if (!n) {
        ck.problem(t, where + ": 'ask' is missing (add at least one [[programme.ask]] section)");
        return;
    }
    for (const auto* a : ck.tables(t, "ask")) {
        const std::string at = where + ": ask";
        ck.only_keys(*a, {"kind", "level", "frames", "note"}, at);
        Ask ask;
        ask.line = a->source().begin.line;
        if (auto k = choice<AskKindName>(ck, *a, "kind", at, &subsidy::ask_kind_from_string,
                                         "required, bonus_points or required_after_adoption"))
            ask.kind = *k;
        if (auto level = ck.integer(*a, "level", at)) {
            if (std::find(refs.levels.begin(), refs.levels.end(), *level) == refs.levels.end()) {
                std::string known;
                for (int l : refs.levels) known += (known.empty() ? "" : ", ") + std::to_string(l);
                ck.problem(*a->get("level"),
                           at + ": level " + std::to_string(*level) + " is not a known level (" + known + ")");
            }
            ask.minimum_level = static_cast<int>(*level);
        }
        for (auto& [f, node] : strings(ck, *a, "frames", at)) ask.frames.push_back(f);
        ask.note = ck.optional_localized(*a, "note", at);
        p.asks.push_back(std::move(ask));
    }
    if (p.asks.empty() && n->as_array() && n->as_array()->empty())
        ck.problem(*n, where + ": needs at least one [[programme.ask]] section");
}

void load_rounds(Checker& ck, const toml::table& t, Programme& p, const std::string& where) {
    if (!t.get("round")) return;
    for (const auto* r : ck.tables(t, "round")) {
        const std::string at = where + ": round";
        ck.only_keys(*r, {"id", "name", "status", "opens", "closes"}, at);
        Round round;
        if (auto id = ck.text(*r, "id", at)) {
            if (!valid_content_id(*id))
                ck.problem(*r->get("id"), at + ": id '" + *id + "' must be letters, digits, '-', '_' or '.'");
            else if (std::any_of(p.rounds.begin(), p.rounds.end(), [&](const Round& o) { return o.id == *id; }))
                ck.problem(*r->get("id"), at + ": id '" + *id + "' is used twice");
            round.id = *id;
        }
        round.name = ck.localized(*r, "name", at);
        if (auto s = choice<StatusName>(ck, *r, "status", at, &subsidy::status_from_string, kStatuses))
            round.status = *s;
        round.opens = optional_date(ck, *r, "opens", at);
        round.closes = optional_date(ck, *r, "closes", at);
        if (!round.opens.empty() && !round.closes.empty() && round.closes < round.opens)
            ck.problem(*r->get("closes"), at + ": closes " + round.closes + " before it opens " + round.opens);
        p.rounds.push_back(std::move(round));
    }
}

Programme load_programme(Checker& ck, const toml::table& t, const CatalogueReferences& refs) {
    Programme p;
    p.line = t.source().begin.line;
    std::string where = "programme";
    if (auto slug = ck.text(t, "slug", where)) {
        if (!subsidy::valid_slug(*slug))
            ck.problem(*t.get("slug"),
                       "programme: slug '" + *slug + "' must be a-z, 0-9 and '-' (at most 64, no '-' at either end)");
        p.slug = *slug;
        where = "programme '" + *slug + "'";
    }
    ck.only_keys(t,
                 {"slug", "name", "body", "summary", "scope", "prefecture", "city", "accepts", "prerequisites", "years",
                  "status", "sources", "checked", "note", "frame", "ask", "round"},
                 where);
    p.name = ck.localized(t, "name", where);
    p.body = ck.localized(t, "body", where);
    p.summary = ck.localized(t, "summary", where);
    if (auto s =
            choice<ScopeName>(ck, t, "scope", where, &subsidy::scope_from_string, "national, prefectural or municipal"))
        p.scope = *s;
    const bool local = p.scope != subsidy::Scope::National;
    if (const auto* pref = t.get("prefecture")) {
        auto code = pref->value<std::string>();
        if (!local)
            ck.problem(*pref, where + ": a national programme has no prefecture");
        else if (!code || std::find(refs.prefectures.begin(), refs.prefectures.end(), *code) == refs.prefectures.end())
            ck.problem(*pref, where + ": prefecture must be a JIS X 0401 code of content/choices.toml, such as \"13\"");
        else
            p.prefecture = *code;
    } else if (local) {
        ck.problem(t, where + ": 'prefecture' is missing (a prefectural or municipal programme names its prefecture)");
    }
    if (p.scope == subsidy::Scope::Municipal)
        p.city = ck.localized(t, "city", where);
    else if (const auto* city = t.get("city"))
        ck.problem(*city, where + ": only a municipal programme names a city");
    auto accepts = strings(ck, t, "accepts", where);
    if (accepts.empty())
        ck.problem(at_or(t.get("accepts"), t), where + ": 'accepts' must name at least one registry (such as \"ipa\")");
    for (auto& [code, node] : accepts) p.accepts.push_back(code);
    for (auto& [code, node] : strings(ck, t, "prerequisites", where)) p.prerequisites.push_back(code);
    if (const auto* years = t.get("years")) {
        const auto* arr = years->as_array();
        if (!arr) {
            ck.problem(*years, where + ": 'years' must be a list of fiscal years, such as [2025, 2026]");
        } else {
            for (const auto& y : *arr) {
                auto v = y.value<std::int64_t>();
                if (!y.is_integer() || !v || !subsidy::plausible_year(*v))
                    ck.problem(y, where + ": 'years' must hold fiscal years from 2017 to 2100");
                else
                    p.years.push_back(static_cast<int>(*v));
            }
        }
    }
    if (auto s = choice<StatusName>(ck, t, "status", where, &subsidy::status_from_string, kStatuses)) p.status = *s;
    auto sources = strings(ck, t, "sources", where);
    if (sources.empty())
        ck.problem(at_or(t.get("sources"), t), where + ": 'sources' must list at least one https:// address");
    for (auto& [url, node] : sources) {
        if (!subsidy::https_url(url)) ck.problem(*node, where + ": source '" + url + "' is not an https:// address");
        p.sources.push_back(url);
    }
    if (const auto* checked = t.get("checked")) {
        if (auto d = checked->value<toml::date>(); !d)
            ck.problem(*checked, where + ": 'checked' must be a date such as 2026-12-06");
        else
            p.checked = ck.date(t, "checked", where, "2026-12-06").value_or("");
    } else {
        ck.problem(t, where + ": 'checked' is missing (the date the entry was last compared with its sources)");
    }
    p.note = ck.optional_localized(t, "note", where);
    load_frames(ck, t, p, where);
    load_asks(ck, t, p, where, refs);
    load_rounds(ck, t, p, where);
    for (const auto& r : p.rounds)
        if (r.status == subsidy::Status::Open && p.status != subsidy::Status::Open)
            ck.problem(at_or(t.get("status"), t),
                       where + ": round '" + r.id + "' is open, so the programme's status must be open too");
    return p;
}

// The "file:line: what" lines of a report in the order of their lines, so that an editor walks
// down the file once.
std::string by_line(const std::string& report) {
    std::vector<std::pair<long, std::string>> lines;
    std::size_t start = 0;
    while (start < report.size()) {
        const auto end = report.find('\n', start);
        std::string line = report.substr(start, end - start);
        start = end == std::string::npos ? report.size() : end + 1;
        long number = 0;
        const auto a = line.find(':');
        const auto b = a == std::string::npos ? std::string::npos : line.find(':', a + 1);
        if (b != std::string::npos) number = std::strtol(line.c_str() + a + 1, nullptr, 10);
        lines.emplace_back(number, std::move(line));
    }
    std::stable_sort(lines.begin(), lines.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
    std::string out;
    for (const auto& [n, l] : lines) out += l + "\n";
    return out;
}

}  // namespace

CatalogueReferences catalogue_references(const RegistryContent& content) {
    CatalogueReferences r;
    for (const auto& l : content.levels) r.levels.push_back(l.number);
    for (const auto& p : content.prefectures) r.prefectures.push_back(p.code);
    return r;
}

Result<subsidy::Catalogue> load_subsidy_catalogue(std::string_view text, std::string_view file_name,
                                                  const CatalogueReferences& refs) {
    auto parsed = parse_file(text, file_name);
    if (!parsed) return fail(parsed.error());
    const toml::table& root = *parsed;
    Checker ck(file_name);
    ck.only_keys(root, {"edition", "registry", "prerequisite", "programme"}, "subsidy catalogue");
    std::string edition;
    if (auto e = ck.text(root, "edition", "subsidy catalogue")) {
        if (!valid_content_id(*e))
            ck.problem(*root.get("edition"),
                       "subsidy catalogue: edition '" + *e + "' must be 1 to 32 letters, digits, '-', '_' or '.'");
        edition = *e;
    }
    auto registries = load_registries(ck, root);
    auto prerequisites = load_prerequisites(ck, root);
    std::vector<Programme> programmes;
    for (const auto* t : ck.nonempty_tables(root, "programme")) programmes.push_back(load_programme(ck, *t, refs));
    // Built even when values are wrong, so that the problems across entries come in the same report.
    auto built = subsidy::Catalogue::build(std::string(file_name), std::move(edition), std::move(registries),
                                           std::move(prerequisites), std::move(programmes));
    if (ck.ok()) return built;
    return fail(content_invalid(by_line(ck.report() + (built ? std::string() : built.error().detail))));
}

}  // namespace sengen::content
