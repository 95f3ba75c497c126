// What one engine's adapter does beyond the shared contract: PostgreSQL's connection pool and
// its care with the password in the URL; SQLite's backup and restore.
#include <gtest/gtest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <set>
#include <stdexcept>
#include <thread>

#include <pqxx/pqxx>

#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage_fixture.hpp"

namespace sengen::testing {
namespace {

using std::chrono::seconds;
using storage::postgres::PgStore;
using storage::sqlite::SqliteStore;

// A loopback port nothing listens on (bound, read, released).
int closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    ::close(fd);
    return ntohs(a.sin_port);
}

// --- PostgreSQL: no server needed ------------------------------------------------------------

TEST(PostgresAdapter, unreachable_server_is_unavailable_and_the_password_is_not_shown) {
    const std::string url =
        "postgresql://sengen:Pa55-w0rd-x@127.0.0.1:" + std::to_string(closed_port()) + "/sengen?connect_timeout=5";
    auto s = PgStore::open(url, 2);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, Error::Kind::Unavailable);
    EXPECT_EQ(s.error().detail.find("Pa55-w0rd-x"), std::string::npos) << s.error().detail;
    EXPECT_NE(s.error().detail.find("postgresql://sengen:***@127.0.0.1"), std::string::npos) << s.error().detail;
}

TEST(PostgresAdapter, a_malformed_url_is_unavailable_and_the_password_is_not_shown) {
    // libpq quotes the bad token, here inside the password, in its message.
    auto s = PgStore::open("postgresql://sengen:se%zzcret@127.0.0.1:1/sengen", 2);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().kind, Error::Kind::Unavailable);
    EXPECT_EQ(s.error().detail.find("zzcret"), std::string::npos) << s.error().detail;
}

// --- PostgreSQL: serials -------------------------------------------------------------------------

class PostgresSerials : public StorageTest {};
INSTANTIATE_TEST_SUITE_P(Engines, PostgresSerials, ::testing::Values("postgres"), engine_name);

// A sequence is not transactional: a serial taken by a transaction that rolled back is skipped.
TEST_P(PostgresSerials, a_serial_taken_in_a_rolled_back_transaction_is_never_handed_out) {
    std::int64_t lost = 0;
    auto refused = write([&](Transaction& tx) -> Status {
        auto s = tx.declarations().next_serial(T0);
        if (!s) return fail(s.error());
        lost = *s;
        return fail(Error::conflict("test.refused"));
    });
    ASSERT_FALSE(refused);
    std::int64_t thrown = 0;
    auto crashed = write([&](Transaction& tx) -> Status {
        auto s = tx.declarations().next_serial(T0);
        if (!s) return fail(s.error());
        thrown = *s;
        throw std::runtime_error("boom");
    });
    ASSERT_FALSE(crashed);
    EXPECT_GT(thrown, lost);
    auto next = write_value<std::int64_t>([&](Transaction& tx) { return tx.declarations().next_serial(T0); });
    ASSERT_OK(next);
    EXPECT_GT(*next, thrown);
}

// --- PostgreSQL: the pool ----------------------------------------------------------------------

class PostgresPool : public StorageTest {};
INSTANTIATE_TEST_SUITE_P(Engines, PostgresPool, ::testing::Values("postgres"), engine_name);

TEST_P(PostgresPool, a_broken_connection_is_dropped_and_replaced) {
    auto store = PgStore::open(target_, 1);
    ASSERT_OK(store);
    auto count_sessions = [&]() {
        return (*store)->query<std::optional<Session>>(TxMode::Read,
                                                       [](Transaction& tx) { return tx.sessions().find("x", T0); });
    };
    ASSERT_OK(count_sessions());
    // Kill every server process serving this test's database, as a restart or failover would.
    {
        pqxx::connection admin(pg_cluster().url("postgres"));
        pqxx::nontransaction n(admin);
        auto db = target_.substr(target_.rfind('/') + 1);
        n.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " + n.quote(db));
    }
    // The one pooled connection is dead: the next call may find out (Unavailable) or libpqxx may
    // reconnect it; either way the call after that works on a live connection.
    auto first = count_sessions();
    if (!first) {
        EXPECT_EQ(first.error().kind, Error::Kind::Unavailable) << first.error().detail;
    }
    ASSERT_OK(count_sessions());
    ASSERT_OK((*store)->ping());
}

TEST_P(PostgresPool, never_opens_more_connections_than_the_pool_size) {
    auto target = fresh_target();
    ASSERT_OK(target);
    auto store = PgStore::open(*target, 2);
    ASSERT_OK(store);
    ASSERT_OK((*store)->migrate());
    const auto db = target->substr(target->rfind('/') + 1);
    std::atomic<int> most{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            pqxx::connection admin(pg_cluster().url("postgres"));
            for (int i = 0; i < 8; ++i) {
                auto st = (*store)->transact(TxMode::Write, [&](Transaction& tx) -> Status {
                    auto r = tx.rate_limits().hit("k" + std::to_string(t), T0, T0 + seconds(60));
                    if (!r) return fail(r.error());
                    pqxx::nontransaction n(admin);
                    int now =
                        n.exec1("SELECT count(*) FROM pg_stat_activity WHERE datname = " + n.quote(db))[0].as<int>();
                    for (int m = most.load(); now > m && !most.compare_exchange_weak(m, now);) {
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                    return {};
                });
                if (!st) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_GE(most.load(), 1);
    EXPECT_LE(most.load(), 2);
}

// --- SQLite: writes committed in groups (ADR 62) -------------------------------------------------

class SqliteGroupCommit : public StorageTest {
protected:
    SqliteStore& sqlite() { return static_cast<SqliteStore&>(*store_); }
    std::set<std::string> addresses() {
        std::set<std::string> out;
        for (const auto& m : list_mail(std::nullopt, 10000)) out.insert(m.recipient);
        return out;
    }
};
INSTANTIATE_TEST_SUITE_P(Engines, SqliteGroupCommit, ::testing::Values("sqlite"), engine_name);

// Writes that arrive while a group commits wait and then commit together, in one transaction of
// their own group: three writers queued behind a slow one make two groups, not four.
TEST_P(SqliteGroupCommit, writes_that_arrive_during_a_commit_are_committed_together_after_it) {
    const auto before = sqlite().group_commits();
    std::atomic<bool> first_running{false};
    std::thread first([&] {
        auto st = write([&](Transaction& tx) -> Status {
            first_running = true;
            // Hold this group open until the other three wait behind it (a guard, not a timing:
            // the test fails if they never do).
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (sqlite().group_commits().waiting < 3 && std::chrono::steady_clock::now() < deadline)
                std::this_thread::sleep_for(std::chrono::milliseconds(2));
            auto id = tx.outbox().enqueue({"first@example.jp", "s", "m"}, T0);
            return id ? Status{} : fail(id.error());
        });
        EXPECT_TRUE(st);
    });
    while (!first_running) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::vector<std::thread> others;
    others.reserve(3);
    for (int i = 0; i < 3; ++i)
        others.emplace_back([&, i] { enqueue({"other" + std::to_string(i) + "@example.jp", "s", "m"}, T0); });
    first.join();
    for (auto& t : others) t.join();
    const auto after = sqlite().group_commits();
    EXPECT_EQ(after.groups - before.groups, 2u);
    EXPECT_EQ(after.writes - before.writes, 4u);
    EXPECT_EQ(addresses(), (std::set<std::string>{"first@example.jp", "other0@example.jp", "other1@example.jp",
                                                  "other2@example.jp"}));
}

// Each write of a group is its own transaction as far as its caller sees: one that fails or throws
// leaves nothing behind, and the writes around it commit.
TEST_P(SqliteGroupCommit, a_failed_or_throwing_write_is_undone_alone_and_the_others_commit) {
    std::vector<std::thread> threads;
    threads.reserve(6);
    std::atomic<int> refused{0};
    for (int t = 0; t < 6; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 30; ++i) {
                const std::string to = "w" + std::to_string(t) + "-" + std::to_string(i) + "@example.jp";
                const int kind = (t + i) % 3;  // 0 commits, 1 fails, 2 throws
                auto st = write([&](Transaction& tx) -> Status {
                    auto id = tx.outbox().enqueue({to, "s", "m"}, T0);
                    if (!id) return fail(id.error());
                    if (kind == 1) return fail(Error::invalid({{"to", "refused"}}, "test.refused"));
                    if (kind == 2) throw std::runtime_error("a write that throws");
                    return {};
                });
                EXPECT_EQ(static_cast<bool>(st), kind == 0) << to;
                if (!st) ++refused;
            }
        });
    for (auto& t : threads) t.join();
    std::set<std::string> expected;
    for (int t = 0; t < 6; ++t)
        for (int i = 0; i < 30; ++i)
            if ((t + i) % 3 == 0) expected.insert("w" + std::to_string(t) + "-" + std::to_string(i) + "@example.jp");
    EXPECT_EQ(addresses(), expected);
    EXPECT_EQ(refused.load(), 120);
}

// A write transaction begun from inside a write is refused: it would otherwise wait for the group
// it belongs to, forever.
TEST_P(SqliteGroupCommit, a_write_inside_a_write_is_refused_instead_of_waiting_for_itself) {
    Status inner;
    auto outer = write([&](Transaction& tx) -> Status {
        inner = store_->transact(TxMode::Write, [](Transaction&) -> Status { return {}; });
        auto id = tx.outbox().enqueue({"outer@example.jp", "s", "m"}, T0);
        return id ? Status{} : fail(id.error());
    });
    EXPECT_TRUE(outer);
    ASSERT_FALSE(inner);
    EXPECT_EQ(inner.error().kind, Error::Kind::Unavailable);
    EXPECT_EQ(addresses(), std::set<std::string>{"outer@example.jp"});
}

// --- SQLite: backup and restore ------------------------------------------------------------------

class SqliteFiles : public StorageTest {
protected:
    std::string path(const std::string& name) const { return (temp_dir_ / name).string(); }
    void write_file(const std::string& p, const std::string& bytes) {
        std::ofstream out(p, std::ios::binary);
        out << bytes;
    }
    std::size_t mail_count(const std::string& db) {
        auto s = SqliteStore::open(db);
        EXPECT_TRUE(s);
        if (!s) return 0;
        auto got = (*s)->query<std::vector<OutboxEntry>>(
            TxMode::Read, [](Transaction& tx) { return tx.outbox().list(std::nullopt, 1000); });
        EXPECT_TRUE(got);
        return got ? got->size() : 0;
    }
    SqliteStore& sqlite() { return static_cast<SqliteStore&>(*store_); }
};
INSTANTIATE_TEST_SUITE_P(Engines, SqliteFiles, ::testing::Values("sqlite"), engine_name);

TEST_P(SqliteFiles, backup_is_a_checked_copy_of_the_committed_data) {
    enqueue({"a@example.jp", "s", "m"}, T0);
    enqueue({"b@example.jp", "s", "m"}, T0);
    const auto backup = path("backup.db");
    ASSERT_OK(sqlite().backup_to(backup));
    auto check = SqliteStore::integrity_check(backup);
    ASSERT_OK(check);
    EXPECT_EQ(*check, "ok");
    EXPECT_EQ(mail_count(backup), 2u);
    EXPECT_FALSE(std::filesystem::exists(backup + ".partial"));
}

TEST_P(SqliteFiles, restore_refuses_a_file_that_is_not_an_sqlite_database) {
    enqueue({"a@example.jp", "s", "m"}, T0);
    const auto junk = path("junk.db");
    write_file(junk, std::string(8192, 'x'));
    auto st = SqliteStore::restore(junk, target_);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "storage.restore_refused");
    EXPECT_NE(st.error().detail.find("not a readable SQLite database"), std::string::npos) << st.error().detail;
    EXPECT_EQ(mail_count(target_), 1u);
}

TEST_P(SqliteFiles, restore_refuses_a_corrupt_database_and_leaves_the_target_alone) {
    for (int i = 0; i < 200; ++i) enqueue({"a@example.jp", "s", std::string(500, 'm')}, T0);
    const auto backup = path("backup.db");
    ASSERT_OK(sqlite().backup_to(backup));
    // Scribble over the middle of the file, past the header and the schema page.
    {
        std::fstream f(backup, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(std::filesystem::file_size(backup) / 2));
        const std::string junk(4096, '\xA5');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    auto st = SqliteStore::restore(backup, target_);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().code, "storage.restore_refused");
    EXPECT_EQ(mail_count(target_), 200u);
}

TEST_P(SqliteFiles, restore_refuses_an_sqlite_database_that_is_not_sengens) {
    const auto other = path("other.db");
    {
        auto s = SqliteStore::open(other);  // an empty database, never migrated
        ASSERT_OK(s);
    }
    auto st = SqliteStore::restore(other, target_);
    ASSERT_FALSE(st);
    EXPECT_NE(st.error().detail.find("not a sengen one"), std::string::npos) << st.error().detail;
}

TEST_P(SqliteFiles, restore_puts_the_backup_in_place_of_the_database) {
    enqueue({"a@example.jp", "s", "m"}, T0);
    const auto backup = path("backup.db");
    ASSERT_OK(sqlite().backup_to(backup));
    enqueue({"b@example.jp", "s", "m"}, T0);
    enqueue({"c@example.jp", "s", "m"}, T0);
    store_.reset();  // serve is stopped before a restore
    ASSERT_OK(SqliteStore::restore(backup, target_));
    EXPECT_EQ(mail_count(target_), 1u);
    EXPECT_FALSE(std::filesystem::exists(target_ + ".restoring"));
    auto check = SqliteStore::integrity_check(target_);
    ASSERT_OK(check);
    EXPECT_EQ(*check, "ok");
}

}  // namespace
}  // namespace sengen::testing
