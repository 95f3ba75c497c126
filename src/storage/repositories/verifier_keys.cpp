// Verifiers' API keys (table verifier_keys): SQL and row mapping. Only the hash of a key is stored.
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

#define SENGEN_KEY_COLUMNS "id, name, key_hash, ids_per_minute, created_at, revoked_at"

constexpr Statement kInsert{"insert_verifier_key",
                            "INSERT INTO verifier_keys (name, key_hash, ids_per_minute, created_at) "
                            "VALUES ($1, $2, $3, $4) RETURNING id"};
constexpr Statement kByHash{"verifier_key_by_hash",
                            "SELECT " SENGEN_KEY_COLUMNS " FROM verifier_keys WHERE key_hash = $1"};
constexpr Statement kById{"verifier_key_by_id", "SELECT " SENGEN_KEY_COLUMNS " FROM verifier_keys WHERE id = $1"};
constexpr Statement kByName{"verifier_key_by_name", "SELECT " SENGEN_KEY_COLUMNS " FROM verifier_keys WHERE name = $1"};
constexpr Statement kList{"verifier_keys", "SELECT " SENGEN_KEY_COLUMNS " FROM verifier_keys ORDER BY id"};
constexpr Statement kRevoke{"revoke_verifier_key",
                            "UPDATE verifier_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL"};

VerifierKey read_key(const Row& r) {
    VerifierKey k;
    k.id = r.int64(0);
    k.name = r.string(1);
    k.key_hash = r.string(2);
    k.ids_per_minute = r.integer(3);
    k.created_at = r.time(4);
    k.revoked_at = r.optional_time(5);
    return k;
}

}  // namespace

Result<std::int64_t> SqlVerifierKeys::create(const VerifierKey& k) {
    auto id = first_int64(c_, kInsert, {k.name, k.key_hash, k.ids_per_minute, k.created_at});
    if (!id) return fail(id.error());
    return id->value_or(0);
}

Result<std::optional<VerifierKey>> SqlVerifierKeys::find_by_hash(const std::string& key_hash) {
    return first(c_, kByHash, {key_hash}, read_key);
}

Result<std::optional<VerifierKey>> SqlVerifierKeys::find(std::int64_t id) { return first(c_, kById, {id}, read_key); }

Result<std::optional<VerifierKey>> SqlVerifierKeys::find_by_name(const std::string& name) {
    return first(c_, kByName, {name}, read_key);
}

Result<std::vector<VerifierKey>> SqlVerifierKeys::list() { return all(c_, kList, {}, read_key); }

Status SqlVerifierKeys::revoke(std::int64_t id, TimePoint now) {
    auto changed = execute(c_, kRevoke, {id, now});
    if (!changed) return fail(changed.error());
    if (*changed != 1) return fail(Error::not_found("verifier_key.not_found"));
    return {};
}

}  // namespace sengen::storage
