// SQLite repository of the basic security policies.
#pragma once
#include "domain/ports.hpp"
#include "storage/sqlite/connection.hpp"

namespace sengen::storage::sqlite {

class SqlitePolicies final : public PolicyRepository {
public:
    explicit SqlitePolicies(Connection& c) : c_(c) {}
    Result<std::int64_t> create(std::int64_t account_id, const std::string& slug, const std::string& template_edition,
                                const policy::Draft& draft, TimePoint now) override;
    Result<std::optional<SavedPolicy>> get(std::int64_t account_id, std::int64_t id) override;
    Result<std::optional<SavedPolicy>> find_by_slug(const std::string& slug) override;
    Result<std::vector<SavedPolicy>> for_account(std::int64_t account_id) override;
    Status save_draft(std::int64_t account_id, std::int64_t id, const policy::Draft& draft, TimePoint now) override;
    Result<PolicyVersion> publish(std::int64_t account_id, std::int64_t id, const policy::Document& document,
                                  TimePoint now) override;
    Status unpublish(std::int64_t account_id, std::int64_t id, TimePoint now) override;
    Result<std::vector<PolicyVersion>> versions(std::int64_t policy_id) override;
    Result<std::optional<PolicyVersion>> version(std::int64_t policy_id, int number) override;

private:
    Connection& c_;
};

}  // namespace sengen::storage::sqlite
