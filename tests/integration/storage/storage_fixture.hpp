// The fixture of the storage tests: a fresh, migrated database per test on the engine named by
// the test parameter ("sqlite": a file in a temp dir; "postgres": a new database in the
// throwaway cluster that PgEnvironment starts on first use and stops when the run ends).
#pragma once
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

#include "domain/ports.hpp"
#include "pg_cluster.hpp"
#include "storage/database.hpp"

#define ASSERT_OK(r) ASSERT_TRUE(r) << (r).error().code << ": " << (r).error().detail

namespace sengen::testing {

inline const TimePoint T0 = from_unix_seconds(1'700'000'000);

// Test names end in the engine: Engines/StorageContract.some_behaviour/sqlite.
inline std::string engine_name(const ::testing::TestParamInfo<std::string>& p) { return p.param; }

// The cluster shared by every PostgreSQL case of this process.
PgCluster& pg_cluster();

// Creates database `name` in the cluster; "" on success, else the problem.
std::string create_database(const std::string& name);

class StorageTest : public ::testing::TestWithParam<std::string> {
protected:
    void SetUp() override;
    void TearDown() override;

    bool postgres() const { return GetParam() == "postgres"; }
    std::string migration_set() const { return postgres() ? "postgres" : "sqlite"; }

    // A new empty database of this engine: an SQLite file path or a PostgreSQL URL.
    Result<std::string> fresh_target();
    Result<std::unique_ptr<storage::Database>> open(const std::string& target);
    // Another store on this test's database, as a second node would have.
    Result<std::unique_ptr<storage::Database>> open_other_node() { return open(target_); }

    template <typename T, typename F>
    Result<T> read(F&& f) {
        return store_->query<T>(TxMode::Read, std::forward<F>(f));
    }
    template <typename T, typename F>
    Result<T> write_value(F&& f) {
        return store_->query<T>(TxMode::Write, std::forward<F>(f));
    }
    template <typename F>
    Status write(F&& f) {
        return store_->transact(TxMode::Write, std::forward<F>(f));
    }

    // Shorthands that fail the test on an error.
    std::int64_t enqueue(const OutgoingMail& m, TimePoint now);
    std::vector<OutboxEntry> lease(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                   const std::string& worker);
    std::vector<OutboxEntry> list_mail(std::optional<OutboxEntry::State> state = std::nullopt, std::size_t limit = 100);
    OutboxEntry mail_by_id(std::int64_t id);
    std::vector<AuditEvent> audit_of(const std::string& subject);
    std::int64_t hit(const std::string& key, TimePoint window_start, TimePoint expires_at);

    std::unique_ptr<storage::Database> store_;
    std::string target_;
    std::vector<std::string> first_migration_run_;
    std::filesystem::path temp_dir_;
};

}  // namespace sengen::testing
