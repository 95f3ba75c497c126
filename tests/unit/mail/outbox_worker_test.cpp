#include "mail/outbox_worker.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "mail/transport_file.hpp"

using namespace sengen;
using namespace sengen::mail;
using namespace sengen::mail::testing;
using namespace std::chrono_literals;

namespace {

const TimePoint kStart = from_unix_seconds(1751338445);

struct Harness {
    TempDir dir;
    std::unique_ptr<storage::sqlite::SqliteStore> store = open_migrated(dir);
    ManualClock clock{kStart};
    std::filesystem::path mail_dir = dir.path / "mail";
    std::unique_ptr<FileTransport> transport = std::move(*FileTransport::open(mail_dir.string()));

    WorkerSettings settings(const std::string& id = "worker-a") const {
        WorkerSettings s;
        s.worker_id = id;
        s.max_attempts = 3;
        s.retry_base = 30s;
        s.lease = 60s;
        return s;
    }

    std::int64_t enqueue(const std::string& to = "owner@example.jp") {
        OutgoingMail m{to, "subject", "Message-ID: <m" + to + ">\r\nSubject: subject\r\n\r\nbody\r\n"};
        auto id = store->query<std::int64_t>(TxMode::Write,
                                             [&](Transaction& tx) { return tx.outbox().enqueue(m, clock.now()); });
        if (!id) throw std::runtime_error(id.error().detail);
        return *id;
    }

    OutboxEntry mail(std::int64_t id) {
        for (const auto& e : all_mail(*store))
            if (e.id == id) return e;
        throw std::runtime_error("no mail " + std::to_string(id));
    }

    // A real failure of the real transport: its directory becomes a plain file.
    void break_transport() {
        std::filesystem::remove_all(mail_dir);
        std::ofstream(mail_dir) << "not a directory";
    }
    void repair_transport() {
        std::filesystem::remove(mail_dir);
        std::filesystem::create_directories(mail_dir);
    }

    std::vector<std::string> files() const {
        std::vector<std::string> out;
        for (const auto& f : std::filesystem::directory_iterator(mail_dir)) out.push_back(f.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    }
};

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

TEST(MailRetryDelay, doubles_from_the_base_and_stops_at_the_cap) {
    EXPECT_EQ(retry_delay(1, 30s, 6h), 30s);
    EXPECT_EQ(retry_delay(2, 30s, 6h), 60s);
    EXPECT_EQ(retry_delay(3, 30s, 6h), 120s);
    EXPECT_EQ(retry_delay(8, 30s, 6h), 3840s);
    EXPECT_EQ(retry_delay(20, 30s, 6h), std::chrono::seconds(6h));
    EXPECT_EQ(retry_delay(1000, 30s, 6h), std::chrono::seconds(6h));
    EXPECT_EQ(retry_delay(3, 1s, 2s), 2s);
}

TEST(OutboxWorker, sends_due_mail_and_marks_it_sent) {
    Harness h;
    auto id = h.enqueue();
    OutboxWorker w(*h.store, *h.transport, h.clock, h.settings());
    auto tried = w.run_once();
    ASSERT_TRUE(tried);
    EXPECT_EQ(*tried, 1u);
    auto m = h.mail(id);
    EXPECT_EQ(m.state, OutboxEntry::State::Sent);
    EXPECT_EQ(m.attempts, 1);
    EXPECT_EQ(m.sent_at, kStart);
    auto files = h.files();
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(read_file(h.mail_dir / files[0]), m.message);
    EXPECT_EQ(*w.run_once(), 0u) << "a sent mail is not sent again";
}

TEST(OutboxWorker, a_failed_attempt_is_retried_after_an_exponential_backoff) {
    Harness h;
    auto id = h.enqueue();
    OutboxWorker w(*h.store, *h.transport, h.clock, h.settings());
    h.break_transport();
    EXPECT_EQ(*w.run_once(), 1u);
    auto m = h.mail(id);
    EXPECT_EQ(m.state, OutboxEntry::State::Pending);
    EXPECT_EQ(m.attempts, 1);
    EXPECT_EQ(m.next_attempt_at, kStart + 30s);
    EXPECT_NE(m.last_error.find("cannot create"), std::string::npos) << m.last_error;

    h.clock.advance(29s);
    EXPECT_EQ(*w.run_once(), 0u) << "not due yet";
    h.clock.advance(1s);
    EXPECT_EQ(*w.run_once(), 1u);
    m = h.mail(id);
    EXPECT_EQ(m.attempts, 2);
    EXPECT_EQ(m.next_attempt_at, kStart + 30s + 60s);

    h.repair_transport();
    h.clock.advance(60s);
    EXPECT_EQ(*w.run_once(), 1u);
    m = h.mail(id);
    EXPECT_EQ(m.state, OutboxEntry::State::Sent);
    EXPECT_EQ(m.attempts, 3);
    EXPECT_EQ(m.last_error, "");
    EXPECT_EQ(h.files().size(), 1u);
}

TEST(OutboxWorker, mail_fails_after_the_last_attempt_until_an_operator_retries_it) {
    Harness h;
    auto id = h.enqueue();
    OutboxWorker w(*h.store, *h.transport, h.clock, h.settings());
    h.break_transport();
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(*w.run_once(), 1u);
        h.clock.advance(1h);
    }
    auto m = h.mail(id);
    EXPECT_EQ(m.state, OutboxEntry::State::Failed);
    EXPECT_EQ(m.attempts, 3);
    EXPECT_FALSE(m.last_error.empty());
    h.clock.advance(24h);
    EXPECT_EQ(*w.run_once(), 0u) << "failed mail stays failed";

    h.repair_transport();
    auto retried =
        h.store->transact(TxMode::Write, [&](Transaction& tx) { return tx.outbox().retry(id, h.clock.now()); });
    ASSERT_TRUE(retried);
    EXPECT_EQ(*w.run_once(), 1u);
    m = h.mail(id);
    EXPECT_EQ(m.state, OutboxEntry::State::Sent);
    EXPECT_EQ(m.attempts, 1);
}

TEST(OutboxWorker, mail_leased_by_a_node_that_died_is_sent_once_its_lease_expires) {
    Harness h;
    auto id = h.enqueue();
    // Another node leased it, then vanished before recording an outcome.
    auto leased = h.store->query<std::vector<OutboxEntry>>(
        TxMode::Write, [&](Transaction& tx) { return tx.outbox().lease_due(h.clock.now(), 60s, 10, "dead-node"); });
    ASSERT_TRUE(leased);
    ASSERT_EQ(leased->size(), 1u);

    OutboxWorker w(*h.store, *h.transport, h.clock, h.settings("worker-b"));
    EXPECT_EQ(*w.run_once(), 0u) << "the lease keeps other workers off";
    EXPECT_TRUE(h.files().empty());
    h.clock.advance(60s);
    EXPECT_EQ(*w.run_once(), 1u);
    EXPECT_EQ(h.mail(id).state, OutboxEntry::State::Sent);
    EXPECT_EQ(h.files().size(), 1u);
    // The dead node's late outcome is ignored: it no longer holds the lease.
    auto late = h.store->transact(TxMode::Write, [&](Transaction& tx) {
        return tx.outbox().mark_retry(id, "dead-node", h.clock.now() + 30s, "late");
    });
    ASSERT_TRUE(late);
    EXPECT_EQ(h.mail(id).state, OutboxEntry::State::Sent);
}

TEST(OutboxWorker, one_pass_sends_every_due_mail_in_order) {
    Harness h;
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 5; ++i) ids.push_back(h.enqueue("user" + std::to_string(i) + "@example.jp"));
    OutboxWorker w(*h.store, *h.transport, h.clock, h.settings());
    EXPECT_EQ(*w.run_once(), 5u);
    for (auto id : ids) EXPECT_EQ(h.mail(id).state, OutboxEntry::State::Sent);
    EXPECT_EQ(h.files().size(), 5u);
}

TEST(OutboxWorker, thread_delivers_mail_and_stops_promptly) {
    Harness h;
    SystemClock clock;
    auto s = h.settings();
    s.poll = 20ms;
    OutboxWorker w(*h.store, *h.transport, clock, s);
    w.start();
    auto id = h.enqueue();
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (h.mail(id).state != OutboxEntry::State::Sent && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    const auto before = std::chrono::steady_clock::now();
    w.stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, 1s);
    EXPECT_EQ(h.mail(id).state, OutboxEntry::State::Sent);
}

TEST(FileTransport, writes_whole_files_under_the_outbox_id_and_message_id_only) {
    TempDir dir;
    auto t = FileTransport::open((dir.path / "out").string());
    ASSERT_TRUE(t);
    Envelope e{42, "owner@example.jp", "Message-ID: <abc.def@sengen.example.jp>\r\n\r\nbody\r\n"};
    ASSERT_TRUE((*t)->send(e));
    EXPECT_EQ(FileTransport::file_name(e), "00000042-abc.def@sengen.example.jp.eml");
    std::vector<std::string> names;
    for (const auto& f : std::filesystem::directory_iterator(dir.path / "out")) names.push_back(f.path().filename());
    ASSERT_EQ(names, std::vector<std::string>{"00000042-abc.def@sengen.example.jp.eml"}) << "no temporary file left";
    EXPECT_EQ(read_file(dir.path / "out" / names[0]), e.message);
    // A second delivery of the same mail (after a crash before it was marked sent) replaces it.
    ASSERT_TRUE((*t)->send(e));
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path / "out"), {}), 1);
}

TEST(FileTransport, message_id_text_cannot_escape_the_directory) {
    Envelope e{7, "owner@example.jp", "Message-ID: <../../etc/passwd>\r\n\r\nbody\r\n"};
    EXPECT_EQ(FileTransport::file_name(e), "00000007-.._.._etc_passwd.eml");
}
