// Synthetic declarations for benchmarks and demonstrations (`sengen seed --declarations N`):
// realistic names, readings, prefectures and levels, with serials drawn from the registry's own
// counter and written by the bulk writer that `sengen import` uses (ImportRepository::insert_all).
// Never for a production registry.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

#include "content/registry_content.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

struct SeedResult {
    std::int64_t created = 0;
    std::optional<DeclarationId> first_id, last_id;  // the first and last made, if any
};

// Makes `count` declared declarations (about 1 in 5 at two stars, 1 in 50 stopped), committing
// every `batch`. `progress` is called after each batch with the number made so far.
Result<SeedResult> seed_declarations(Store& store, const content::RegistryContent& content, const Clock& clock,
                                     std::int64_t count, int id_leading_digit, std::uint64_t random_seed,
                                     const std::function<void(std::int64_t)>& progress = {}, std::int64_t batch = 5000);

}  // namespace sengen::app
