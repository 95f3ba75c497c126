// SQL of the basic security policies, the same text on SQLite and PostgreSQL.
#pragma once
#include "storage/sql.hpp"

namespace sengen::storage::sql {

// Columns read by each adapter's read_policy(), in this order.
#define SENGEN_POLICY_COLUMNS "id, account_id, slug, template_edition, draft, status, versions, created_at, updated_at"

// ON CONFLICT DO NOTHING: a taken slug returns no row (a Conflict the caller can act on) instead
// of failing the statement, which would doom a PostgreSQL transaction.
inline constexpr Statement kInsertPolicy{
    "insert_policy",
    "INSERT INTO policies (account_id, slug, template_edition, draft, status, versions, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, 'draft', 0, $5, $5) ON CONFLICT (slug) DO NOTHING RETURNING id"};
inline constexpr Statement kGetPolicy{
    "get_policy", "SELECT " SENGEN_POLICY_COLUMNS " FROM policies WHERE account_id = $1 AND id = $2"};
inline constexpr Statement kFindPolicyBySlug{"find_policy_by_slug",
                                             "SELECT " SENGEN_POLICY_COLUMNS " FROM policies WHERE slug = $1"};
inline constexpr Statement kPoliciesForAccount{
    "policies_for_account", "SELECT " SENGEN_POLICY_COLUMNS " FROM policies WHERE account_id = $1 ORDER BY id DESC"};
inline constexpr Statement kSavePolicyDraft{
    "save_policy_draft", "UPDATE policies SET draft = $3, updated_at = $4 WHERE account_id = $1 AND id = $2"};
// Taking the next number by updating the policy's row locks that row until commit, so concurrent
// publications of one policy (any node) are numbered one after the other.
inline constexpr Statement kNextPolicyVersion{
    "next_policy_version",
    "UPDATE policies SET versions = versions + 1, status = 'published', updated_at = $3 "
    "WHERE account_id = $1 AND id = $2 RETURNING versions"};
inline constexpr Statement kInsertPolicyVersion{
    "insert_policy_version",
    "INSERT INTO policy_versions (policy_id, number, published_at, document) VALUES ($1, $2, $3, $4)"};
inline constexpr Statement kUnpublishPolicy{"unpublish_policy",
                                            "UPDATE policies SET status = 'unpublished', updated_at = $3 "
                                            "WHERE account_id = $1 AND id = $2 AND status = 'published'"};
inline constexpr Statement kPolicyVersions{
    "policy_versions",
    "SELECT policy_id, number, published_at, document FROM policy_versions WHERE policy_id = $1 "
    "ORDER BY number DESC"};
inline constexpr Statement kPolicyVersion{
    "policy_version",
    "SELECT policy_id, number, published_at, document FROM policy_versions WHERE policy_id = $1 AND number = $2"};

}  // namespace sengen::storage::sql
