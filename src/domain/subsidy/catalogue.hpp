// The subsidy catalogue as plain data: the programmes that ask businesses for a declaration, what
// each one asks (required, bonus points, required after adoption; from which level; from which
// registry), and the rules on those values that need no file. src/content/subsidy_catalogue.cpp
// reads content/subsidies.toml into these types; app/subsidy_catalogue.hpp keeps the one in force.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/error.hpp"
#include "domain/localized.hpp"

namespace sengen::subsidy {

// What a programme asks of a declaration.
enum class AskKind {
    Required,               // no application without it
    BonusPoints,            // 加点: it scores points when applications are ranked
    RequiredAfterAdoption,  // not needed to apply, but must be made once the application is adopted
};
std::string_view to_string(AskKind k);
std::optional<AskKind> ask_kind_from_string(std::string_view s);

// Whether a programme, or one of its rounds, takes applications. Unknown: nobody has confirmed it.
enum class Status { Open, Closed, Unknown };
std::string_view to_string(Status s);
std::optional<Status> status_from_string(std::string_view s);

// Who runs a programme: the state, a prefecture, or a city (which also names its prefecture).
enum class Scope { National, Prefectural, Municipal };
std::string_view to_string(Scope s);
std::optional<Scope> scope_from_string(std::string_view s);

// Registry codes in `accepts`. Besides the registries a catalogue defines ([[registry]], such as
// IPA's SECURITY ACTION), two are built in: this registry (whoever runs this sengen), and any
// registry at all.
inline constexpr std::string_view kThisRegistry = "this_registry";
inline constexpr std::string_view kAnyRegistry = "any";

// Another registry a programme may check, such as IPA's SECURITY ACTION.
struct Registry {
    std::string code;  // "ipa"
    Localized name;
    std::string url;  // where a business declares or looks itself up (https)
};

// Something a programme needs besides the declaration (gBizID Prime, a named self-check). sengen
// cannot see any of them: readiness lists them for the business to confirm itself.
struct Prerequisite {
    std::string code;  // "gbizid_prime"
    Localized name;
    Localized description;
};

// A part of a programme with rules of its own (通常枠, セキュリティ対策推進枠, ...).
struct Frame {
    std::string code;
    Localized name;
};

struct Ask {
    AskKind kind = AskKind::Required;
    int minimum_level = 1;            // an ordinal of content/levels.toml: 1 = ★, 2 = ★★
    std::vector<std::string> frames;  // the frames it applies to; empty: the whole programme
    Localized note;                   // empty in both languages: nothing to add
    std::uint32_t line = 0;
};

// One call for applications (公募回), when the programme has them.
struct Round {
    std::string id;  // "2026-2"
    Localized name;
    Status status = Status::Unknown;
    std::string opens, closes;  // YYYY-MM-DD, or empty when not known
};

struct Programme {
    std::string slug;  // the programme's id in URLs and subscriptions: a-z, 0-9 and '-'
    Localized name;
    Localized body;     // who runs it
    Localized summary;  // what it pays for, in a sentence or two
    Scope scope = Scope::National;
    std::string prefecture;  // JIS X 0401 code ("13"); empty for a national programme
    Localized city;          // Scope::Municipal only
    std::vector<Frame> frames;
    std::vector<Ask> asks;                   // at least one
    std::vector<std::string> accepts;        // registry codes; at least one
    std::vector<std::string> prerequisites;  // codes of the catalogue's prerequisites
    std::vector<int> years;                  // the fiscal years (年度) it is known to apply to
    std::vector<Round> rounds;
    Status status = Status::Unknown;
    std::vector<std::string> sources;  // https addresses of the public pages the entry rests on
    std::string checked;               // YYYY-MM-DD: when someone last compared the entry with its sources
    Localized note;                    // what is uncertain; empty in both languages: nothing
    std::uint32_t line = 0;            // where its [[programme]] section starts in the file

    // Whether a declaration of the registry `code` counts ("any" in accepts takes every one).
    bool accepts_registry(std::string_view code) const;
    bool has(AskKind kind) const;
    // The lowest level any of its asks needs.
    int minimum_level() const;
};

class Catalogue {
public:
    // Checks what spans entries: a slug used twice, a registry, prerequisite or frame named but
    // not defined. Problems come back as "file:line: what" lines in the error's detail.
    static Result<Catalogue> build(std::string file, std::string edition, std::vector<Registry> registries,
                                   std::vector<Prerequisite> prerequisites, std::vector<Programme> programmes);

    const std::string& file() const { return file_; }        // where it was read from
    const std::string& edition() const { return edition_; }  // the file's own version
    const std::vector<Programme>& programmes() const { return programmes_; }
    const std::vector<Registry>& registries() const { return registries_; }
    const std::vector<Prerequisite>& prerequisites() const { return prerequisites_; }
    const Programme* find(std::string_view slug) const;
    const Registry* registry(std::string_view code) const;
    const Prerequisite* prerequisite(std::string_view code) const;
    std::size_t count(Status s) const;

private:
    std::string file_, edition_;
    std::vector<Registry> registries_;
    std::vector<Prerequisite> prerequisites_;
    std::vector<Programme> programmes_;
};

// Rules on single values, used by the reader with the line of each value.

// a-z, 0-9 and '-', 1 to 64 characters, not starting or ending with '-': it appears in URLs.
bool valid_slug(std::string_view s);
// A code of a registry, prerequisite or frame: a-z, 0-9 and '_', 1 to 32 characters.
bool valid_code(std::string_view s);
// An https:// address with a host and no space, quote or angle bracket.
bool https_url(std::string_view s);
// A fiscal year a programme could apply to (2017, when SECURITY ACTION began, to 2100).
bool plausible_year(std::int64_t y);

}  // namespace sengen::subsidy
