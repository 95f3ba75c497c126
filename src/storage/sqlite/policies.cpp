// SQLite repository of the basic security policies. Exceptions propagate to
// SqliteStore::transact, which rolls back and turns them into Unavailable errors.
#include "storage/sqlite/policies.hpp"

#include "storage/policy_sql.hpp"

namespace sengen::storage::sqlite {

namespace {

// Columns: SENGEN_POLICY_COLUMNS
Result<SavedPolicy> read_policy(SQLite::Statement& st) {
    SavedPolicy p;
    p.id = st.getColumn(0).getInt64();
    p.account_id = st.getColumn(1).getInt64();
    p.slug = st.getColumn(2).getString();
    p.template_edition = st.getColumn(3).getString();
    auto draft = policy::decode_draft(st.getColumn(4).getString());
    if (!draft) return fail(Error::unavailable("storage.corrupt", draft.error().detail));
    p.draft = std::move(*draft);
    auto status = parse_policy_status(st.getColumn(5).getString());
    if (!status) return fail(Error::unavailable("storage.corrupt", "unknown policy status"));
    p.status = *status;
    p.versions = st.getColumn(6).getInt();
    p.created_at = from_unix_seconds(st.getColumn(7).getInt64());
    p.updated_at = from_unix_seconds(st.getColumn(8).getInt64());
    return p;
}

// Columns: policy_id, number, published_at, document
Result<PolicyVersion> read_version(SQLite::Statement& st) {
    PolicyVersion v;
    v.policy_id = st.getColumn(0).getInt64();
    v.number = st.getColumn(1).getInt();
    v.published_at = from_unix_seconds(st.getColumn(2).getInt64());
    auto doc = policy::decode_document(st.getColumn(3).getString());
    if (!doc) return fail(Error::unavailable("storage.corrupt", doc.error().detail));
    v.document = std::move(*doc);
    return v;
}

Result<std::optional<SavedPolicy>> one(SQLite::Statement& st) {
    if (!st.executeStep()) return std::optional<SavedPolicy>{};
    auto p = read_policy(st);
    if (!p) return fail(p.error());
    return std::optional<SavedPolicy>{std::move(*p)};
}

}  // namespace

Result<std::int64_t> SqlitePolicies::create(std::int64_t account_id, const std::string& slug,
                                            const std::string& template_edition, const policy::Draft& draft,
                                            TimePoint now) {
    auto& st = c_.statement(sql::kInsertPolicy);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, slug);
    bind_at(st, 3, template_edition);
    bind_at(st, 4, policy::encode_draft(draft));
    bind_time(st, 5, now);
    if (!st.executeStep()) return fail(Error::conflict("policy.slug_taken", "a policy with this slug exists"));
    return st.getColumn(0).getInt64();
}

Result<std::optional<SavedPolicy>> SqlitePolicies::get(std::int64_t account_id, std::int64_t id) {
    auto& st = c_.statement(sql::kGetPolicy);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, static_cast<int64_t>(id));
    return one(st);
}

Result<std::optional<SavedPolicy>> SqlitePolicies::find_by_slug(const std::string& slug) {
    auto& st = c_.statement(sql::kFindPolicyBySlug);
    bind_at(st, 1, slug);
    return one(st);
}

Result<std::vector<SavedPolicy>> SqlitePolicies::for_account(std::int64_t account_id) {
    auto& st = c_.statement(sql::kPoliciesForAccount);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    std::vector<SavedPolicy> out;
    while (st.executeStep()) {
        auto p = read_policy(st);
        if (!p) return fail(p.error());
        out.push_back(std::move(*p));
    }
    return out;
}

Status SqlitePolicies::save_draft(std::int64_t account_id, std::int64_t id, const policy::Draft& draft, TimePoint now) {
    auto& st = c_.statement(sql::kSavePolicyDraft);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, static_cast<int64_t>(id));
    bind_at(st, 3, policy::encode_draft(draft));
    bind_time(st, 4, now);
    if (st.exec() == 0) return fail(Error::not_found("policy.not_found"));
    return {};
}

Result<PolicyVersion> SqlitePolicies::publish(std::int64_t account_id, std::int64_t id,
                                              const policy::Document& document, TimePoint now) {
    int number = 0;
    {
        auto& st = c_.statement(sql::kNextPolicyVersion);
        bind_at(st, 1, static_cast<int64_t>(account_id));
        bind_at(st, 2, static_cast<int64_t>(id));
        bind_time(st, 3, now);
        if (!st.executeStep()) return fail(Error::not_found("policy.not_found"));
        number = st.getColumn(0).getInt();
        st.reset();
    }
    auto& st = c_.statement(sql::kInsertPolicyVersion);
    bind_at(st, 1, static_cast<int64_t>(id));
    bind_at(st, 2, number);
    bind_time(st, 3, now);
    bind_at(st, 4, policy::encode_document(document));
    st.exec();
    return PolicyVersion{id, number, from_unix_seconds(unix_seconds(now)), document};
}

Status SqlitePolicies::unpublish(std::int64_t account_id, std::int64_t id, TimePoint now) {
    auto& st = c_.statement(sql::kUnpublishPolicy);
    bind_at(st, 1, static_cast<int64_t>(account_id));
    bind_at(st, 2, static_cast<int64_t>(id));
    bind_time(st, 3, now);
    if (st.exec() == 0) return fail(Error::not_found("policy.not_published"));
    return {};
}

Result<std::vector<PolicyVersion>> SqlitePolicies::versions(std::int64_t policy_id) {
    auto& st = c_.statement(sql::kPolicyVersions);
    bind_at(st, 1, static_cast<int64_t>(policy_id));
    std::vector<PolicyVersion> out;
    while (st.executeStep()) {
        auto v = read_version(st);
        if (!v) return fail(v.error());
        out.push_back(std::move(*v));
    }
    return out;
}

Result<std::optional<PolicyVersion>> SqlitePolicies::version(std::int64_t policy_id, int number) {
    auto& st = c_.statement(sql::kPolicyVersion);
    bind_at(st, 1, static_cast<int64_t>(policy_id));
    bind_at(st, 2, number);
    if (!st.executeStep()) return std::optional<PolicyVersion>{};
    auto v = read_version(st);
    if (!v) return fail(v.error());
    return std::optional<PolicyVersion>{std::move(*v)};
}

}  // namespace sengen::storage::sqlite
