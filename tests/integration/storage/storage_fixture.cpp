// The storage fixture and the environment that owns the throwaway PostgreSQL cluster.
#include "storage_fixture.hpp"

#include <cstdlib>
#include <iostream>

#include <pqxx/pqxx>

#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace sengen::testing {

namespace {

// Stops the cluster when the run ends (the script's watcher removes it if the process dies).
class PgEnvironment : public ::testing::Environment {
public:
    void TearDown() override { pg_cluster().stop(); }
};

[[maybe_unused]] auto* const pg_environment = ::testing::AddGlobalTestEnvironment(new PgEnvironment);

std::atomic<int> database_counter{0};

}  // namespace

PgCluster& pg_cluster() {
    static PgCluster cluster(SENGEN_PG_CLUSTER_SCRIPT);
    return cluster;
}

std::string create_database(const std::string& name) {
    try {
        pqxx::connection admin(pg_cluster().url("postgres"));
        pqxx::nontransaction n(admin);
        n.exec("CREATE DATABASE " + n.quote_name(name));
        return {};
    } catch (const std::exception& e) {
        return e.what();
    }
}

void StorageTest::SetUp() {
    if (postgres()) {
        const auto state = pg_cluster().ensure_started();
        if (state != PgCluster::State::Running) {
            const std::string why = "PostgreSQL cluster not available: " + pg_cluster().problem();
            if (in_ci()) FAIL() << why << " (CI=true: PostgreSQL is required)";
            std::cerr << "\n*** SKIPPING POSTGRESQL STORAGE TESTS ***\n*** " << why
                      << "\n*** install it with: scripts/install-deps.sh test ***\n\n";
            GTEST_SKIP() << why;
        }
    }
    auto target = fresh_target();
    ASSERT_OK(target);
    target_ = *target;
    auto store = open(target_);
    ASSERT_OK(store);
    store_ = std::move(*store);
    auto applied = store_->migrate();
    ASSERT_OK(applied);
    first_migration_run_ = *applied;
}

void StorageTest::TearDown() {
    store_.reset();
    if (!temp_dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(temp_dir_, ignored);
    }
}

Result<std::string> StorageTest::fresh_target() {
    const int n = ++database_counter;
    if (postgres()) {
        const std::string name = "contract_" + std::to_string(n);
        if (auto problem = create_database(name); !problem.empty())
            return fail(Error::unavailable("test.create_database", problem));
        return pg_cluster().url(name);
    }
    if (temp_dir_.empty()) {
        std::string pattern = (std::filesystem::temp_directory_path() / "sengen-storage-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) return fail(Error::unavailable("test.mkdtemp", pattern));
        temp_dir_ = pattern;
    }
    return (temp_dir_ / ("db" + std::to_string(n) + ".sqlite")).string();
}

Result<std::unique_ptr<storage::Database>> StorageTest::open(const std::string& target) {
    if (postgres()) {
        auto s = storage::postgres::PgStore::open(target, 4);
        if (!s) return fail(s.error());
        return std::unique_ptr<storage::Database>(std::move(*s));
    }
    auto s = storage::sqlite::SqliteStore::open(target);
    if (!s) return fail(s.error());
    return std::unique_ptr<storage::Database>(std::move(*s));
}

std::int64_t StorageTest::enqueue(const OutgoingMail& m, TimePoint now) {
    auto id = write_value<std::int64_t>([&](Transaction& tx) { return tx.outbox().enqueue(m, now); });
    EXPECT_TRUE(id) << id.error().detail;
    return id.value_or(0);
}

std::vector<OutboxEntry> StorageTest::lease(TimePoint now, std::chrono::seconds lease, std::size_t limit,
                                            const std::string& worker) {
    auto got = write_value<std::vector<OutboxEntry>>(
        [&](Transaction& tx) { return tx.outbox().lease_due(now, lease, limit, worker); });
    EXPECT_TRUE(got) << got.error().detail;
    return got.value_or(std::vector<OutboxEntry>{});
}

std::vector<OutboxEntry> StorageTest::list_mail(std::optional<OutboxEntry::State> state, std::size_t limit) {
    auto got = read<std::vector<OutboxEntry>>([&](Transaction& tx) { return tx.outbox().list(state, limit); });
    EXPECT_TRUE(got) << got.error().detail;
    return got.value_or(std::vector<OutboxEntry>{});
}

OutboxEntry StorageTest::mail_by_id(std::int64_t id) {
    for (auto& e : list_mail()) {
        if (e.id == id) return e;
    }
    ADD_FAILURE() << "no mail " << id;
    return {};
}

std::vector<AuditEvent> StorageTest::audit_of(const std::string& subject) {
    auto got = read<std::vector<AuditEvent>>([&](Transaction& tx) { return tx.audit().for_subject(subject, 100); });
    EXPECT_TRUE(got) << got.error().detail;
    return got.value_or(std::vector<AuditEvent>{});
}

std::int64_t StorageTest::hit(const std::string& key, TimePoint window_start, TimePoint expires_at) {
    auto n =
        write_value<std::int64_t>([&](Transaction& tx) { return tx.rate_limits().hit(key, window_start, expires_at); });
    EXPECT_TRUE(n) << n.error().detail;
    return n.value_or(-1);
}

}  // namespace sengen::testing
