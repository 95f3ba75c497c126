// The public lookup. `verify` is the benchmarked path: one statement, no transaction, the rate
// limit counted in memory. The search's limit is counted in memory too: counting it in the
// database cost each search a write transaction (ADR 0065).
#include "app/lookup.hpp"

#include "domain/error_codes.hpp"

namespace sengen::app {

Status Lookup::count_here(const RateRule& rule, const Caller& caller) {
    RateRule scaled = rule;
    scaled.limit *= std::max(1, r_.settings().rate_limit_factor);
    return counters_->hit(scaled, caller.ip, r_.clock().now());
}

Result<PublicDeclaration> Lookup::verify(const DeclarationId::Parsed& parsed, const Caller& caller) {
    if (auto ok = count_here(limits::kLookupPerIp, caller); !ok) return fail(ok.error());
    if (!parsed.id) {
        // Only after a check-digit failure: a valid ID never pays for this. Our own leading digit
        // stays a typo, even where the operator has chosen one that another registry uses too.
        if (parsed.failure == DeclarationId::ParseFailure::CheckDigit &&
            parsed.leading_digit != r_.settings().id_leading_digit &&
            r_.content().operator_profile.other_registry_for(parsed.leading_digit))
            return fail(Error::not_found(codes::kIdOtherRegistry));
        const bool mistyped = parsed.failure == DeclarationId::ParseFailure::CheckDigit;
        return fail(Error::invalid({{"id", mistyped ? "check_digit" : "id_format"}},
                                   mistyped ? codes::kIdCheckDigit : codes::kIdMalformed));
    }
    auto d = r_.store().query<std::optional<PublicDeclaration>>(
        TxMode::Single, [&](Transaction& tx) { return tx.declarations().find_public(*parsed.id); });
    if (!d) return fail(d.error());
    if (!*d) return fail(Error::not_found(codes::kDeclarationNotFound));
    return std::move(**d);
}

Result<Lookup::SearchPage> Lookup::search(const std::string& name, const std::string& prefecture, int level,
                                          std::size_t page, const Caller& caller) {
    if (auto ok = count_here(limits::kSearchPerIp, caller); !ok) return fail(ok.error());
    const auto& content = r_.content();
    DeclarationRepository::SearchQuery q;
    q.name_key = search_key(name);
    q.prefecture = content::RegistryContent::find(content.prefectures, prefecture) ? prefecture : "";
    q.level = (level >= 1 && level <= content.max_level()) ? level : 0;
    page = std::max<std::size_t>(1, std::min<std::size_t>(page, 1000));
    q.offset = (page - 1) * kPageSize;
    q.limit = kPageSize;
    auto r = r_.store().query<std::pair<std::vector<PublicDeclaration>, std::size_t>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().search(q); });
    if (!r) return fail(r.error());
    SearchPage out;
    out.rows = std::move(r->first);
    out.total = r->second;
    out.page = page;
    out.pages = std::max<std::size_t>(1, (out.total + kPageSize - 1) / kPageSize);
    return out;
}

}  // namespace sengen::app
