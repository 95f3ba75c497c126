// The subsidy catalogue's values and the checks that span its entries.
#include "domain/subsidy/catalogue.hpp"

#include <algorithm>
#include <map>

namespace sengen::subsidy {

namespace {

template <typename E, std::size_t N>
std::optional<E> from_table(const std::pair<E, std::string_view> (&table)[N], std::string_view s) {
    for (const auto& [e, name] : table)
        if (name == s) return e;
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view to_table(const std::pair<E, std::string_view> (&table)[N], E e) {
    for (const auto& [v, name] : table)
        if (v == e) return name;
    return {};
}

constexpr std::pair<AskKind, std::string_view> kAskKinds[] = {
    {AskKind::Required, "required"},
    {AskKind::BonusPoints, "bonus_points"},
    {AskKind::RequiredAfterAdoption, "required_after_adoption"},
};
constexpr std::pair<Status, std::string_view> kStatuses[] = {
    {Status::Open, "open"},
    {Status::Closed, "closed"},
    {Status::Unknown, "unknown"},
};
constexpr std::pair<Scope, std::string_view> kScopes[] = {
    {Scope::National, "national"},
    {Scope::Prefectural, "prefectural"},
    {Scope::Municipal, "municipal"},
};

bool lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

template <typename T>
bool contains(const std::vector<T>& v, const T& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

std::string_view to_string(AskKind k) { return to_table(kAskKinds, k); }
std::optional<AskKind> ask_kind_from_string(std::string_view s) { return from_table(kAskKinds, s); }
std::string_view to_string(Status s) { return to_table(kStatuses, s); }
std::optional<Status> status_from_string(std::string_view s) { return from_table(kStatuses, s); }
std::string_view to_string(Scope s) { return to_table(kScopes, s); }
std::optional<Scope> scope_from_string(std::string_view s) { return from_table(kScopes, s); }

bool Programme::accepts_registry(std::string_view code) const {
    return std::any_of(accepts.begin(), accepts.end(),
                       [&](const std::string& a) { return a == kAnyRegistry || a == code; });
}

bool Programme::has(AskKind kind) const {
    return std::any_of(asks.begin(), asks.end(), [&](const Ask& a) { return a.kind == kind; });
}

int Programme::minimum_level() const {
    int lowest = 0;
    for (const auto& a : asks)
        if (lowest == 0 || a.minimum_level < lowest) lowest = a.minimum_level;
    return lowest;
}

Result<Catalogue> Catalogue::build(std::string file, std::string edition, std::vector<Registry> registries,
                                   std::vector<Prerequisite> prerequisites, std::vector<Programme> programmes) {
    std::string problems;
    auto problem = [&](std::uint32_t line, const std::string& what) {
        problems += file + ":" + std::to_string(line) + ": " + what + "\n";
    };
    Catalogue c;
    for (const auto& r : registries)
        if (r.code == kThisRegistry || r.code == kAnyRegistry)
            problem(1, "registry '" + r.code + "' is built in and cannot be defined");
    std::map<std::string, std::uint32_t, std::less<>> slugs;
    for (const auto& p : programmes) {
        if (auto [it, fresh] = slugs.emplace(p.slug, p.line); !fresh)
            problem(p.line, "slug '" + p.slug + "' is used twice (first at line " + std::to_string(it->second) + ")");
        for (const auto& a : p.accepts)
            if (a != kThisRegistry && a != kAnyRegistry &&
                std::none_of(registries.begin(), registries.end(), [&](const Registry& r) { return r.code == a; }))
                problem(p.line, "programme '" + p.slug + "': accepts names registry '" + a +
                                    "', which no [[registry]] defines (built in: this_registry, any)");
        for (const auto& q : p.prerequisites)
            if (std::none_of(prerequisites.begin(), prerequisites.end(),
                             [&](const Prerequisite& d) { return d.code == q; }))
                problem(p.line,
                        "programme '" + p.slug + "': prerequisite '" + q + "' is not defined by any [[prerequisite]]");
        std::vector<std::string> frames;
        for (const auto& f : p.frames) frames.push_back(f.code);
        for (const auto& a : p.asks)
            for (const auto& f : a.frames)
                if (!contains(frames, f))
                    problem(a.line, "programme '" + p.slug + "': ask names frame '" + f +
                                        "', which the programme does not define");
    }
    if (!problems.empty()) {
        Error e = Error::invalid({{"content", "invalid"}}, "content.invalid");
        e.detail = problems;
        return fail(std::move(e));
    }
    c.file_ = std::move(file);
    c.edition_ = std::move(edition);
    c.registries_ = std::move(registries);
    c.prerequisites_ = std::move(prerequisites);
    c.programmes_ = std::move(programmes);
    return c;
}

const Programme* Catalogue::find(std::string_view slug) const {
    for (const auto& p : programmes_)
        if (p.slug == slug) return &p;
    return nullptr;
}

const Registry* Catalogue::registry(std::string_view code) const {
    for (const auto& r : registries_)
        if (r.code == code) return &r;
    return nullptr;
}

const Prerequisite* Catalogue::prerequisite(std::string_view code) const {
    for (const auto& q : prerequisites_)
        if (q.code == code) return &q;
    return nullptr;
}

std::size_t Catalogue::count(Status s) const {
    return static_cast<std::size_t>(
        std::count_if(programmes_.begin(), programmes_.end(), [&](const Programme& p) { return p.status == s; }));
}

bool valid_slug(std::string_view s) {
    if (s.empty() || s.size() > 64 || s.front() == '-' || s.back() == '-') return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return lower_or_digit(c) || c == '-'; });
}

bool valid_code(std::string_view s) {
    if (s.empty() || s.size() > 32) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return lower_or_digit(c) || c == '_'; });
}

bool https_url(std::string_view s) {
    constexpr std::string_view scheme = "https://";
    if (!s.starts_with(scheme) || s.size() <= scheme.size()) return false;
    if (s.find_first_of(" \t\r\n\"'<>\\") != std::string_view::npos) return false;
    const auto host = s.substr(scheme.size(), s.find('/', scheme.size()) - scheme.size());
    return !host.empty() && host.find('.') != std::string_view::npos;
}

bool plausible_year(std::int64_t y) { return y >= 2017 && y <= 2100; }

}  // namespace sengen::subsidy
