// Reading and checking the rows of an import file (see declaration_import.hpp).
#include "domain/declaration_import.hpp"

#include <algorithm>
#include <functional>

#include "domain/application.hpp"
#include "domain/dates.hpp"
#include "domain/field_checker.hpp"
#include "domain/text.hpp"

namespace sengen::import {

namespace {

enum Col : std::size_t {
    ApplicationNo,
    DeclarationIdCol,
    StatusCol,
    LevelCol,
    EntityType,
    CorporateNumberCol,
    BusinessName,
    BusinessNameKana,
    PostalCode,
    Prefecture,
    Address,
    Industry,
    Employees,
    RepresentativeTitle,
    RepresentativeName,
    ContactName,
    ContactEmail,
    Phone,
    Website,
    Purposes,
    PrinciplesEdition,
    AssessmentDate,
    PolicyUrl,
    LangCol,
    TermsVersion,
    CreatedAt,
    DeclaredAt,
    LevelSince,
    EndedAt,
    EndReason,
};

constexpr std::size_t kMaxReason = 1000;

}  // namespace

std::string_view without_formula_guard(std::string_view cell) {
    if (cell.size() < 2 || cell[0] != '\'') return cell;
    const auto rest = cell.substr(1);
    switch (rest[0]) {
        case '=':
        case '+':
        case '-':
        case '@':
        case '\t':
        case '\r':
            return rest;
        default:
            break;
    }
    for (std::string_view wide : {"\xEF\xBC\x9D", "\xEF\xBC\x8B", "\xEF\xBC\x8D", "\xEF\xBC\xA0"})
        if (rest.starts_with(wide)) return rest;
    return cell;
}

Result<Header> read_header(const csv::Record& header, std::vector<Problem>& problems) {
    Header h;
    bool ok = true;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const auto name = text::trim(header.fields[i]);
        std::size_t k = 0;
        while (k < kColumns.size() && kColumns[k] != name) ++k;
        if (k == kColumns.size()) {
            problems.push_back({header.line, std::string(name), "unknown_column"});
            ok = false;
        } else if (h.position[k]) {
            problems.push_back({header.line, std::string(name), "duplicate_column"});
            ok = false;
        } else {
            h.position[k] = i;
        }
    }
    for (std::size_t k = 0; k < kColumns.size(); ++k) {
        if (k == ApplicationNo || k == EndReason || h.position[k]) continue;
        problems.push_back({header.line, std::string(kColumns[k]), "missing_column"});
        ok = false;
    }
    if (!ok) return fail(Error::invalid({}, "import.header"));
    return h;
}

namespace {

// A date of the file ("YYYY-MM-DD", full-width digits and "/" accepted) as the first instant of
// that day in Japan: the export writes days in Japan, so the round trip gives the same days.
std::optional<TimePoint> day_start(std::string_view typed) {
    auto iso = parse_date(typed);
    if (!iso) return std::nullopt;
    auto civil = dates::parse_iso_date(*iso);
    if (!civil) return std::nullopt;
    return dates::japan_midnight(*civil);
}

}  // namespace

std::optional<Row> check_record(const csv::Record& record, const Header& header, const Rules& rules,
                                std::vector<Problem>& problems) {
    const RegistryContent& content = *rules.content;
    const std::size_t before = problems.size();
    auto add = [&](std::string_view column, std::string code) {
        problems.push_back({record.line, std::string(column), std::move(code)});
    };
    std::size_t width = 0;
    for (const auto& p : header.position)
        if (p) width = std::max(width, *p + 1);
    if (record.fields.size() != width) {
        add("", "cell_count");
        return std::nullopt;
    }
    // A cell as it stands in the record, and a copy of it for what keeps the text.
    auto view = [&](Col c) -> std::string_view {
        const auto& p = header.position[c];
        return p ? without_formula_guard(record.fields[*p]) : std::string_view();
    };
    auto cell = [&](Col c) { return std::string(view(c)); };

    Row row;
    row.line = record.line;
    Declaration& d = row.declaration;

    // The business's details: exactly the application form's checks, field by field.
    ApplicationInput in;
    in.entity_type = cell(EntityType);
    in.corporate_number = cell(CorporateNumberCol);
    in.business_name = cell(BusinessName);
    in.business_name_kana = cell(BusinessNameKana);
    in.postal_code = cell(PostalCode);
    in.prefecture = cell(Prefecture);
    in.address = cell(Address);
    in.industry = cell(Industry);
    in.employees = cell(Employees);
    in.representative_title = cell(RepresentativeTitle);
    in.representative_name = cell(RepresentativeName);
    in.contact_name = cell(ContactName);
    in.contact_email = cell(ContactEmail);
    in.phone = cell(Phone);
    in.website = cell(Website);
    auto business = validate(in, content, rules.today, ApplicationPart::Business);
    if (!business) {
        for (const auto& e : business.error().fields) add(e.field, e.code);
    } else {
        d.details = std::move(*business);
    }
    Application& a = d.details;

    // The declaration ID: kept as it is, so only IDs of sengen's scheme (ADR 36).
    {
        const auto typed = text::squeeze_spaces(view(DeclarationIdCol));
        if (typed.empty()) {
            add("declaration_id", "required");
        } else {
            auto parsed = DeclarationId::parse(typed);
            if (parsed.id && parsed.id->leading_digit() != rules.own_leading_digit &&
                content.operator_profile.other_registry_for(parsed.id->leading_digit()))
                add("declaration_id", "other_registry");
            else if (parsed.id)
                d.public_id = parsed.id;
            else if (parsed.failure == DeclarationId::ParseFailure::CheckDigit)
                add("declaration_id", "id_scheme");
            else
                add("declaration_id", "id_format");
        }
    }

    // The status: only issued declarations move between registries.
    {
        const auto typed = text::squeeze_spaces(view(StatusCol));
        const auto status = lifecycle::status_from_string(typed);
        if (typed.empty())
            add("status", "required");
        else if (!status || (*status != lifecycle::Status::Declared && *status != lifecycle::Status::Stopped &&
                             *status != lifecycle::Status::Revoked))
            add("status", "import_status");
        else
            d.state.status = *status;
    }

    // The level, up to the highest this registry's content defines (a level granted by someone
    // else moves with the declaration).
    {
        const auto typed = view(LevelCol);
        auto digits = text::digits_only(typed);
        if (text::squeeze_spaces(typed).empty())
            add("level", "required");
        else if (!digits || digits->empty() || digits->size() > 1 || (*digits)[0] < '1' ||
                 (*digits)[0] - '0' > content.max_level())
            add("level", "invalid_choice");
        else
            d.state.level = a.level = (*digits)[0] - '0';
    }
    if (d.state.level >= 2) {
        for (auto& e : validate_two_star_evidence(cell(AssessmentDate), cell(PolicyUrl), rules.today, a.assessment_date,
                                                  a.policy_url))
            add(e.field, e.code);
    }

    // Purposes: the codes this registry offers, ";"-separated as the export writes them.
    {
        const auto typed = view(Purposes);
        bool unknown = false;
        for (auto piece : text::split(typed, ';')) {
            const std::string p(text::trim(piece));
            if (p.empty()) continue;
            if (!RegistryContent::find(content.purposes, p))
                unknown = true;
            else if (std::find(a.purposes.begin(), a.purposes.end(), p) == a.purposes.end())
                a.purposes.push_back(p);
        }
        if (unknown)
            add("purposes", "invalid_choice");
        else if (a.purposes.empty())
            add("purposes", "required");
    }

    // The language of mails, and the editions it agreed to there (kept as the other registry
    // named them: they are its documents).
    {
        const auto typed = text::squeeze_spaces(view(LangCol));
        auto lang = typed.empty() ? std::optional(Lang::Ja) : lang_from_code(typed);
        if (!lang)
            add("lang", "invalid_choice");
        else
            a.lang = *lang;
    }
    FieldChecker lines;
    a.principles_edition = lines.line("principles_edition", cell(PrinciplesEdition), 40, true);
    a.terms_version = lines.line("terms_version", cell(TermsVersion), 40, true);
    for (const auto& e : lines.errors) add(e.field, e.code);
    d.terms_version = a.terms_version;

    // The dates, days in Japan: declared_at <= level_since <= ended_at, none after today.
    auto date = [&](Col c, std::string_view column, bool required) -> std::optional<TimePoint> {
        const auto typed = text::squeeze_spaces(view(c));
        if (typed.empty()) {
            if (required) add(column, "required");
            return std::nullopt;
        }
        auto t = day_start(typed);
        if (!t) {
            add(column, "invalid_date");
            return std::nullopt;
        }
        if (dates::japan_iso_date(*t) > rules.today) {
            add(column, "future_date");
            return std::nullopt;
        }
        return t;
    };
    const auto declared = date(DeclaredAt, "declared_at", true);
    const auto since = date(LevelSince, "level_since", true);
    const auto ended = date(EndedAt, "ended_at", false);
    const auto created = date(CreatedAt, "created_at", false);
    const bool ends = d.state.status == lifecycle::Status::Stopped || d.state.status == lifecycle::Status::Revoked;
    if (declared && since && *since < *declared) add("level_since", "date_order");
    if (ended && ((declared && *ended < *declared) || (since && *ended < *since))) add("ended_at", "date_order");
    if (created && declared && *created > *declared) add("created_at", "date_order");
    if (ends && !ended && text::squeeze_spaces(view(EndedAt)).empty()) add("ended_at", "required");
    if (!ends && ended && problems.size() == before) add("ended_at", "not_for_status");
    // The reason of a revocation (public) or of a stop, as the other registry recorded it.
    // It may hold line breaks (the console's reason is a text area).
    {
        const std::string typed(text::trim_wide(view(EndReason)));
        if (text::has_forbidden_characters(typed, /*allow_newlines=*/true))
            add("end_reason", "invalid_characters");
        else if (text::length(typed) > kMaxReason)
            add("end_reason", "too_long");
        else if (!ends && !typed.empty())
            add("end_reason", "not_for_status");
        else
            d.end_reason = typed;
    }

    if (problems.size() != before) return std::nullopt;
    d.declared_at = declared;
    d.level_since = since;
    d.ended_at = ends ? ended : std::nullopt;
    d.created_at = created.value_or(*declared);
    d.terms_agreed_at = d.created_at;
    d.confirm_expires_at = d.created_at;
    return row;
}

DuplicateCheck::FirstLines::FirstLines(std::size_t expected) {
    // A power of two at least twice the keys expected: probes stay short, and a slot is found by
    // masking the hash.
    std::size_t size = 16;
    while (size < 2 * expected) size *= 2;
    slots_.resize(size);
}

std::pair<std::size_t, bool> DuplicateCheck::FirstLines::add(std::string_view key, std::size_t line) {
    if (2 * (used_ + 1) > slots_.size()) grow();
    const std::size_t hash = std::hash<std::string_view>{}(key);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        Slot& slot = slots_[i];
        if (!slot.used) {
            slot = {hash, key, line, true};
            ++used_;
            return {line, true};
        }
        if (slot.hash == hash && slot.key == key) return {slot.line, false};
    }
}

void DuplicateCheck::FirstLines::grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
        if (!slot.used) continue;
        std::size_t i = slot.hash & mask;
        while (slots_[i].used) i = (i + 1) & mask;
        slots_[i] = slot;
    }
}

DuplicateCheck::DuplicateCheck(std::size_t expected_rows) : ids_(expected_rows), numbers_(expected_rows) {}

RowKeys keys_of(const Declaration& d, std::size_t line) {
    RowKeys k;
    if (d.public_id) k.id = d.public_id->digits();
    if (lifecycle::is_live(d.state.status)) k.live_number = d.details.corporate_number;
    k.line = line;
    return k;
}

void DuplicateCheck::add(const RowKeys& keys, std::vector<Problem>& problems) {
    if (!keys.id.empty()) {
        auto [first, fresh] = ids_.add(keys.id, keys.line);
        if (!fresh) problems.push_back({keys.line, "declaration_id", "duplicate_in_file", first});
    }
    if (!keys.live_number.empty()) {
        auto [first, fresh] = numbers_.add(keys.live_number, keys.line);
        if (!fresh) problems.push_back({keys.line, "corporate_number", "duplicate_in_file", first});
    }
}

}  // namespace sengen::import
