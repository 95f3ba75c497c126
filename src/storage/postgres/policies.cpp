// PostgreSQL repository of the basic security policies. libpqxx exceptions propagate to
// PgStore::transact, which rolls back and turns them into errors.
#include "storage/postgres/policies.hpp"

namespace sengen::storage::postgres {

const sql::Statement* const kPolicyStatements[] = {
    &sql::kInsertPolicy,    &sql::kGetPolicy,         &sql::kFindPolicyBySlug,    &sql::kPoliciesForAccount,
    &sql::kSavePolicyDraft, &sql::kNextPolicyVersion, &sql::kInsertPolicyVersion, &sql::kUnpublishPolicy,
    &sql::kPolicyVersions,  &sql::kPolicyVersion};
const std::size_t kPolicyStatementCount = std::size(kPolicyStatements);

namespace {

// Columns: SENGEN_POLICY_COLUMNS
Result<SavedPolicy> read_policy(const pqxx::row& r) {
    SavedPolicy p;
    p.id = r[0].as<std::int64_t>();
    p.account_id = r[1].as<std::int64_t>();
    p.slug = r[2].as<std::string>();
    p.template_edition = r[3].as<std::string>();
    auto draft = policy::decode_draft(r[4].as<std::string>());
    if (!draft) return fail(Error::unavailable("storage.corrupt", draft.error().detail));
    p.draft = std::move(*draft);
    auto status = parse_policy_status(r[5].as<std::string>());
    if (!status) return fail(Error::unavailable("storage.corrupt", "unknown policy status"));
    p.status = *status;
    p.versions = r[6].as<int>();
    p.created_at = from_unix_seconds(r[7].as<std::int64_t>());
    p.updated_at = from_unix_seconds(r[8].as<std::int64_t>());
    return p;
}

// Columns: policy_id, number, published_at, document
Result<PolicyVersion> read_version(const pqxx::row& r) {
    PolicyVersion v;
    v.policy_id = r[0].as<std::int64_t>();
    v.number = r[1].as<int>();
    v.published_at = from_unix_seconds(r[2].as<std::int64_t>());
    auto doc = policy::decode_document(r[3].as<std::string>());
    if (!doc) return fail(Error::unavailable("storage.corrupt", doc.error().detail));
    v.document = std::move(*doc);
    return v;
}

Result<std::optional<SavedPolicy>> one(const pqxx::result& r) {
    if (r.empty()) return std::optional<SavedPolicy>{};
    auto p = read_policy(r[0]);
    if (!p) return fail(p.error());
    return std::optional<SavedPolicy>{std::move(*p)};
}

}  // namespace

Result<std::int64_t> PgPolicies::create(std::int64_t account_id, const std::string& slug,
                                        const std::string& template_edition, const policy::Draft& draft,
                                        TimePoint now) {
    auto r =
        exec(sql::kInsertPolicy, account_id, slug, template_edition, policy::encode_draft(draft), unix_seconds(now));
    if (r.empty()) return fail(Error::conflict("policy.slug_taken", "a policy with this slug exists"));
    return r[0][0].as<std::int64_t>();
}

Result<std::optional<SavedPolicy>> PgPolicies::get(std::int64_t account_id, std::int64_t id) {
    return one(exec(sql::kGetPolicy, account_id, id));
}

Result<std::optional<SavedPolicy>> PgPolicies::find_by_slug(const std::string& slug) {
    return one(exec(sql::kFindPolicyBySlug, slug));
}

Result<std::vector<SavedPolicy>> PgPolicies::for_account(std::int64_t account_id) {
    std::vector<SavedPolicy> out;
    for (const auto& row : exec(sql::kPoliciesForAccount, account_id)) {
        auto p = read_policy(row);
        if (!p) return fail(p.error());
        out.push_back(std::move(*p));
    }
    return out;
}

Status PgPolicies::save_draft(std::int64_t account_id, std::int64_t id, const policy::Draft& draft, TimePoint now) {
    if (exec(sql::kSavePolicyDraft, account_id, id, policy::encode_draft(draft), unix_seconds(now)).affected_rows() ==
        0)
        return fail(Error::not_found("policy.not_found"));
    return {};
}

Result<PolicyVersion> PgPolicies::publish(std::int64_t account_id, std::int64_t id, const policy::Document& document,
                                          TimePoint now) {
    auto next = exec(sql::kNextPolicyVersion, account_id, id, unix_seconds(now));
    if (next.empty()) return fail(Error::not_found("policy.not_found"));
    const int number = next[0][0].as<int>();
    exec(sql::kInsertPolicyVersion, id, number, unix_seconds(now), policy::encode_document(document));
    return PolicyVersion{id, number, from_unix_seconds(unix_seconds(now)), document};
}

Status PgPolicies::unpublish(std::int64_t account_id, std::int64_t id, TimePoint now) {
    if (exec(sql::kUnpublishPolicy, account_id, id, unix_seconds(now)).affected_rows() == 0)
        return fail(Error::not_found("policy.not_published"));
    return {};
}

Result<std::vector<PolicyVersion>> PgPolicies::versions(std::int64_t policy_id) {
    std::vector<PolicyVersion> out;
    for (const auto& row : exec(sql::kPolicyVersions, policy_id)) {
        auto v = read_version(row);
        if (!v) return fail(v.error());
        out.push_back(std::move(*v));
    }
    return out;
}

Result<std::optional<PolicyVersion>> PgPolicies::version(std::int64_t policy_id, int number) {
    auto r = exec(sql::kPolicyVersion, policy_id, number);
    if (r.empty()) return std::optional<PolicyVersion>{};
    auto v = read_version(r[0]);
    if (!v) return fail(v.error());
    return std::optional<PolicyVersion>{std::move(*v)};
}

}  // namespace sengen::storage::postgres
