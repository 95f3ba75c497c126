// The public lookup: one declaration by its ID (/verify, the API) and the search.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/local_rate_limit.hpp"
#include "app/registry_context.hpp"

namespace sengen::app {

class Lookup {
public:
    explicit Lookup(const RegistryContext& registry) : r_(registry) {}

    // Public verification of an ID as the edge parsed it (DeclarationId::parse, once per request).
    // Invalid "id.malformed" or "id.check_digit" (probably mistyped), NotFound
    // "declaration.not_found", or NotFound "id.other_registry" for 11 digits that fail the check
    // digit and start as another registry's IDs do (the operator profile's other_registries).
    // Every lookup, of any ID, counts against the caller's address (an IPv6 client by its /64) in
    // this node's memory (limits::kLookupPerIp); TooMany "rate.lookup.ip" beyond it.
    Result<PublicDeclaration> verify(const DeclarationId::Parsed& typed_id, const Caller& caller);

    struct SearchPage {
        std::vector<PublicDeclaration> rows;
        std::size_t total = 0;
        std::size_t page = 1, pages = 1;
    };
    static constexpr std::size_t kPageSize = 20;
    // Declarations listed publicly whose name or reading holds `name` (folded by search_key), in
    // `prefecture` and at `level` when given, newest first. Each search counts against the
    // caller's address in this node's memory (limits::kSearchPerIp); TooMany "rate.search.ip"
    // beyond it.
    Result<SearchPage> search(const std::string& name, const std::string& prefecture, int level, std::size_t page,
                              const Caller& caller);

private:
    // One hit of the caller's address against `rule` (its limit scaled by the rate-limit factor),
    // counted in this node's memory.
    Status count_here(const RateRule& rule, const Caller& caller);

    const RegistryContext& r_;
    std::unique_ptr<LocalRateLimiter> counters_ = std::make_unique<LocalRateLimiter>();
};

}  // namespace sengen::app
