// Basic security policies and their published versions (tables policies, policy_versions): SQL
// and row mapping.
#include "codec/stored_json.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

// Read by read_policy, in this order.
#define SENGEN_POLICY_COLUMNS "id, account_id, slug, template_edition, draft, status, versions, created_at, updated_at"

// ON CONFLICT DO NOTHING: a taken slug returns no row (a Conflict the caller can act on) instead
// of failing the statement, which would doom the transaction.
constexpr Statement kInsert{
    "insert_policy",
    "INSERT INTO policies (account_id, slug, template_edition, draft, status, versions, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, 'draft', 0, $5, $5) ON CONFLICT (slug) DO NOTHING RETURNING id"};
constexpr Statement kGet{"get_policy",
                         "SELECT " SENGEN_POLICY_COLUMNS " FROM policies WHERE account_id = $1 AND id = $2"};
constexpr Statement kFindBySlug{"find_policy_by_slug",
                                "SELECT " SENGEN_POLICY_COLUMNS " FROM policies WHERE slug = $1"};
constexpr Statement kForAccount{
    "policies_for_account", "SELECT " SENGEN_POLICY_COLUMNS " FROM policies WHERE account_id = $1 ORDER BY id DESC"};
constexpr Statement kSaveDraft{"save_policy_draft",
                               "UPDATE policies SET draft = $3, updated_at = $4 WHERE account_id = $1 AND id = $2"};
// An update that changes nothing but takes the row's lock: on PostgreSQL (READ COMMITTED) a second
// transaction waits here until the first commits, and its later statements see what it wrote; on
// SQLite every write transaction already runs alone.
constexpr Statement kLock{"lock_policy",
                          "UPDATE policies SET updated_at = updated_at WHERE account_id = $1 AND id = $2"};
// Taking the next number by updating the policy's row locks that row until commit, so concurrent
// publications of one policy (any node) are numbered one after the other.
constexpr Statement kNextVersion{"next_policy_version",
                                 "UPDATE policies SET versions = versions + 1, status = 'published', updated_at = $3 "
                                 "WHERE account_id = $1 AND id = $2 RETURNING versions"};
constexpr Statement kInsertVersion{
    "insert_policy_version",
    "INSERT INTO policy_versions (policy_id, number, published_at, document) VALUES ($1, $2, $3, $4)"};
constexpr Statement kUnpublish{"unpublish_policy",
                               "UPDATE policies SET status = 'unpublished', updated_at = $3 "
                               "WHERE account_id = $1 AND id = $2 AND status = 'published'"};
#define SENGEN_VERSION_COLUMNS "policy_id, number, published_at, document"
// A range of the primary key (policy_id, number): the page costs the same whatever its number.
constexpr Statement kVersionList{"policy_version_list",
                                 "SELECT number, published_at FROM policy_versions "
                                 "WHERE policy_id = $1 AND number <= $2 ORDER BY number DESC LIMIT $3"};
constexpr Statement kVersion{
    "policy_version", "SELECT " SENGEN_VERSION_COLUMNS " FROM policy_versions WHERE policy_id = $1 AND number = $2"};

// Columns: SENGEN_POLICY_COLUMNS
Result<SavedPolicy> read_policy(const Row& r) {
    SavedPolicy p;
    p.id = r.int64(0);
    p.account_id = r.int64(1);
    p.slug = r.string(2);
    p.template_edition = r.string(3);
    auto draft = codec::decode_draft(r.string(4));
    if (!draft) return fail(corrupt(draft.error().detail));
    p.draft = std::move(*draft);
    auto status = parse_policy_status(r.text(5));
    if (!status) return fail(corrupt("unknown policy status '" + r.string(5) + "'"));
    p.status = *status;
    p.versions = r.integer(6);
    p.created_at = r.time(7);
    p.updated_at = r.time(8);
    return p;
}

// Columns: SENGEN_VERSION_COLUMNS
Result<PolicyVersion> read_version(const Row& r) {
    PolicyVersion v;
    v.policy_id = r.int64(0);
    v.number = r.integer(1);
    v.published_at = r.time(2);
    auto doc = codec::decode_document(r.string(3));
    if (!doc) return fail(corrupt(doc.error().detail));
    v.document = std::move(*doc);
    return v;
}

}  // namespace

Result<std::int64_t> SqlPolicies::create(std::int64_t account_id, const std::string& slug,
                                         const std::string& template_edition, const policy::Draft& draft,
                                         TimePoint now) {
    auto id = first_int64(c_, kInsert, {account_id, slug, template_edition, codec::encode_draft(draft), now});
    if (!id) return fail(id.error());
    if (!*id) return fail(Error::conflict("policy.slug_taken", "a policy with this slug exists"));
    return **id;
}

Result<std::optional<SavedPolicy>> SqlPolicies::get(std::int64_t account_id, std::int64_t id) {
    return first(c_, kGet, {account_id, id}, read_policy);
}

Result<std::optional<SavedPolicy>> SqlPolicies::find_by_slug(const std::string& slug) {
    return first(c_, kFindBySlug, {slug}, read_policy);
}

Result<std::vector<SavedPolicy>> SqlPolicies::for_account(std::int64_t account_id) {
    return all(c_, kForAccount, {account_id}, read_policy);
}

Status SqlPolicies::save_draft(std::int64_t account_id, std::int64_t id, const policy::Draft& draft, TimePoint now) {
    auto changed = execute(c_, kSaveDraft, {account_id, id, codec::encode_draft(draft), now});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("policy.not_found"));
    return {};
}

Status SqlPolicies::lock(std::int64_t account_id, std::int64_t id) {
    auto changed = execute(c_, kLock, {account_id, id});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("policy.not_found"));
    return {};
}

Result<PolicyVersion> SqlPolicies::publish(std::int64_t account_id, std::int64_t id, const policy::Document& document,
                                           TimePoint now) {
    auto number = first_int64(c_, kNextVersion, {account_id, id, now});
    if (!number) return fail(number.error());
    if (!*number) return fail(Error::not_found("policy.not_found"));
    const int n = static_cast<int>(**number);
    if (auto ok = perform(c_, kInsertVersion, {id, n, now, codec::encode_document(document)}); !ok)
        return fail(ok.error());
    return PolicyVersion{id, n, from_unix_seconds(unix_seconds(now)), document};
}

Status SqlPolicies::unpublish(std::int64_t account_id, std::int64_t id, TimePoint now) {
    auto changed = execute(c_, kUnpublish, {account_id, id, now});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("policy.not_published"));
    return {};
}

Result<std::vector<PolicyVersionEntry>> SqlPolicies::version_list(std::int64_t policy_id, int at_most, int limit) {
    return all(c_, kVersionList, {policy_id, at_most, limit}, [](const Row& r) -> Result<PolicyVersionEntry> {
        return PolicyVersionEntry{r.integer(0), r.time(1)};
    });
}

Result<std::optional<PolicyVersion>> SqlPolicies::version(std::int64_t policy_id, int number) {
    return first(c_, kVersion, {policy_id, number}, read_version);
}

}  // namespace sengen::storage
