// The transparency log's cost to the change it records (issue 14): confirming an application, the
// 受付確認 link's use case (Applications::confirm: it issues the ID, queues the 完了 mail and
// appends the log entry, in one transaction), through the real use case on the real store, with
// the log and without it, on SQLite (a file in a temporary directory, WAL, as `serve` opens it)
// and on PostgreSQL when SENGEN_BENCH_PG gives a connection URL (a database this may fill).
//
// The log cannot be switched off in sengen (every lifecycle change appends, ADR 46), so "without
// the log" runs the same use case on the same store seen through NoLogStore, whose transactions
// hand the use case a transparency log that stores nothing: the head is not locked, no salt, entry
// or hash is written. What the use case computes in memory for the entry (its text, the record and
// leaf hashes, a random salt) is still done, so the ratio is that of the log's storage work.
//
// Each iteration confirms one application made before the timed loop (by the real apply use case,
// whose 受付確認 mail gives the link's token), so an item is one confirmation and, with the log,
// one append. Cases run with several threads too (SENGEN_BENCH_TLOG_THREADS, default "1 4"): on
// PostgreSQL the appenders queue on the log's head row; on SQLite every write is serialised.
// bench/tlog.sh runs them and prints the ratios.
#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "app/applications.hpp"
#include "app/registry_context.hpp"
#include "app/transparency_log.hpp"
#include "content/registry_content.hpp"
#include "domain/clock.hpp"
#include "domain/identifiers.hpp"
#include "mail/composer.hpp"
#include "storage/database.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "web/catalogue_loader.hpp"

#include "temp_dir.hpp"

namespace {

using namespace sengen;

// --- without the log ------------------------------------------------------------------------------

// A transparency log that keeps nothing: an empty tree whose head is never locked.
class NoLogRepository final : public TransparencyLogRepository {
public:
    Result<std::int64_t> lock_size() override { return 0; }
    Result<std::int64_t> size() override { return 0; }
    Result<std::vector<LogHash>> hashes(std::span<const std::int64_t> indexes) override {
        return std::vector<LogHash>(indexes.size());
    }
    Status append(std::span<const LogLeaf>, std::int64_t, std::span<const LogHash>) override { return {}; }
    Result<std::vector<std::string>> entries(std::int64_t, std::int64_t) override { return std::vector<std::string>(); }
    Result<std::optional<LogLeaf>> latest_of(std::int64_t) override { return std::optional<LogLeaf>(); }
    Result<std::optional<std::string>> record_salt(std::int64_t) override { return std::optional<std::string>(); }
    Result<std::vector<std::optional<std::string>>> record_salts(std::span<const std::int64_t> ids) override {
        return std::vector<std::optional<std::string>>(ids.size());
    }
    Status set_record_salts(std::span<const std::pair<std::int64_t, std::string>>) override { return {}; }
    Result<std::optional<SignedCheckpoint>> latest_checkpoint() override { return std::optional<SignedCheckpoint>(); }
    Result<bool> add_checkpoint(const SignedCheckpoint&) override { return false; }
    Result<std::optional<SignedCheckpoint>> checkpoint_of(std::int64_t) override {
        return std::optional<SignedCheckpoint>();
    }
    Result<std::optional<std::int64_t>> latest_cosigned_size(int) override { return std::optional<std::int64_t>(); }
    Status add_cosignature(const StoredCosignature&) override { return {}; }
    Result<std::vector<std::string>> cosignatures_of(std::int64_t) override { return std::vector<std::string>(); }
};

// The store's own transaction, but with NoLogRepository as its transparency log.
class NoLogTransaction final : public Transaction {
public:
    explicit NoLogTransaction(Transaction& tx) : tx_(tx) {}
    SessionRepository& sessions() override { return tx_.sessions(); }
    OutboxRepository& outbox() override { return tx_.outbox(); }
    AuditRepository& audit() override { return tx_.audit(); }
    RateLimitRepository& rate_limits() override { return tx_.rate_limits(); }
    DeclarationRepository& declarations() override { return tx_.declarations(); }
    AccountRepository& accounts() override { return tx_.accounts(); }
    SignInTokenRepository& signin_tokens() override { return tx_.signin_tokens(); }
    AssessmentRepository& assessments() override { return tx_.assessments(); }
    PolicyRepository& policies() override { return tx_.policies(); }
    ContactChangeRepository& contact_changes() override { return tx_.contact_changes(); }
    DisputeRepository& disputes() override { return tx_.disputes(); }
    OperatorRepository& operators() override { return tx_.operators(); }
    ConsoleRepository& console() override { return tx_.console(); }
    VerifierKeyRepository& verifier_keys() override { return tx_.verifier_keys(); }
    VerificationRepository& verifications() override { return tx_.verifications(); }
    ImportRepository& imports() override { return tx_.imports(); }
    VerifierAccountRepository& verifier_accounts() override { return tx_.verifier_accounts(); }
    SubsidyReminderRepository& subsidy_reminders() override { return tx_.subsidy_reminders(); }
    SupportRepository& supports() override { return tx_.supports(); }
    TransparencyLogRepository& transparency_log() override { return log_; }

private:
    Transaction& tx_;
    NoLogRepository log_;
};

// The same store, each transaction seen through NoLogTransaction.
class NoLogStore final : public Store {
public:
    explicit NoLogStore(Store& store) : store_(store) {}
    std::string engine() const override { return store_.engine(); }
    Status ping() override { return store_.ping(); }
    Status transact(TxMode mode, const std::function<Status(Transaction&)>& work) override {
        return store_.transact(mode, [&](Transaction& tx) {
            NoLogTransaction without(tx);
            return work(without);
        });
    }

private:
    Store& store_;
};

// --- the registry ---------------------------------------------------------------------------------

// The link of the last 受付確認 mail this thread queued: the application's confirmation token.
thread_local std::string last_confirm_link;

// The mail composer, noting each 受付確認 mail's link on its way to the outbox.
class LinkCatcher final : public MailQueue {
public:
    explicit LinkCatcher(MailQueue& mail) : mail_(mail) {}
    Status queue(Transaction& tx, const MailRequest& m) override {
        if (m.template_id == "mail.receipt")
            for (const auto& [name, value] : m.values)
                if (name == "link") last_confirm_link = value;
        return mail_.queue(tx, m);
    }

private:
    MailQueue& mail_;
};

const std::string kBaseUrl = "https://registry.example.jp";

app::RegistrySettings settings() {
    app::RegistrySettings s;
    s.base_url = kBaseUrl;
    s.log_origin = app::log_origin_of(kBaseUrl);
    // Every confirmation of a thread comes from one address: the limits must never be reached.
    s.rate_limit_factor = 1000000;
    return s;
}

// Everything `serve` wires for applying and confirming (src/cli/main.cpp), on one database, twice:
// with the store itself and through NoLogStore.
struct Registry {
    std::optional<test_support::TempDir> dir;  // SQLite's
    std::unique_ptr<storage::Database> store;
    std::unique_ptr<NoLogStore> without_log;
    SystemClock clock;
    std::optional<i18n::Catalogue> catalogue;
    std::optional<content::RegistryContent> content;
    std::optional<mail::MailComposer> composer;
    std::optional<LinkCatcher> mail;
    std::optional<app::RegistryContext> logged, unlogged;
    std::optional<app::Applications> applications_logged, applications_unlogged;

    explicit Registry(const std::string& pg_url) {
        if (pg_url.empty()) {
            dir.emplace();
            auto opened = storage::sqlite::SqliteStore::open(dir->path() + "/sengen.db");
            if (!opened) throw std::runtime_error("cannot open SQLite: " + opened.error().detail);
            store = std::move(*opened);
        } else {
            auto opened = storage::postgres::PgStore::open(pg_url, 32);
            if (!opened) throw std::runtime_error("cannot open PostgreSQL: " + opened.error().detail);
            store = std::move(*opened);
        }
        if (auto migrated = store->migrate(); !migrated)
            throw std::runtime_error("migration failed: " + migrated.error().detail);
        without_log = std::make_unique<NoLogStore>(*store);
        auto cat = web::load_embedded_catalogue();
        if (!cat) throw std::runtime_error("catalogue: " + cat.error().detail);
        catalogue.emplace(std::move(*cat));
        auto c = content::load_embedded_registry_content();
        if (!c) throw std::runtime_error("content: " + c.error().detail);
        content.emplace(std::move(*c));
        composer.emplace(*catalogue, clock, mail::Mailbox{"sengen", "no-reply@registry.example.jp"}, kBaseUrl);
        mail.emplace(*composer);
        logged.emplace(*store, clock, *mail, *content, settings());
        unlogged.emplace(*without_log, clock, *mail, *content, settings());
        applications_logged.emplace(*logged);
        applications_unlogged.emplace(*unlogged);
    }
};

enum class Engine { Sqlite, Postgres };

std::string pg_url() {
    const char* url = std::getenv("SENGEN_BENCH_PG");
    return url ? url : "";
}

void warm_up(Registry& r);

// One registry per engine for the whole run, made and warmed up on first use.
Registry& registry(Engine e) {
    static std::mutex m;
    static std::unique_ptr<Registry> sqlite, postgres;
    std::lock_guard lock(m);
    auto& r = e == Engine::Sqlite ? sqlite : postgres;
    if (!r) {
        auto made = std::make_unique<Registry>(e == Engine::Sqlite ? "" : pg_url());
        warm_up(*made);
        r = std::move(made);
    }
    return *r;
}

// Applications differ in their corporate numbers and addresses: a run prefix (a database given by
// SENGEN_BENCH_PG may hold an earlier run's) and a counter.
std::atomic<std::int64_t> next_application{0};
const std::string run_prefix = [] {
    std::random_device rd;
    return std::to_string(10000 + rd() % 90000);
}();

ApplicationInput application(const content::RegistryContent& content, std::int64_t n) {
    std::string serial = std::to_string(n);
    const std::string base12 = run_prefix + std::string(7 - std::min<std::size_t>(7, serial.size()), '0') + serial;
    ApplicationInput in;
    in.terms_version = content.current_terms().version;
    in.terms_agreed = true;
    in.entity_type = "corporation";
    in.corporate_number = std::to_string(corporate_number_check_digit(base12)) + base12;
    in.business_name = "株式会社ベンチ商事" + serial;
    in.business_name_kana = "ベンチショウジ";
    in.postal_code = "100-0001";
    in.prefecture = "13";
    in.address = "千代田区千代田1-1";
    in.industry = "G";
    in.employees = "1-5";
    in.representative_title = "代表取締役";
    in.representative_name = "山田 太郎";
    in.contact_name = "山田 花子";
    in.contact_email = "bench-" + run_prefix + "-" + serial + "@example.jp";
    in.purposes = {"customer"};
    in.level = "1";
    for (const auto& p : content.principles) in.commitments.push_back(std::to_string(p.number));
    return in;
}

// Applies `count` times through the real use case; the tokens of their 受付確認 links.
std::vector<std::string> applied(app::Applications& applications, const content::RegistryContent& content,
                                 const app::Caller& caller, std::int64_t count, std::string& error) {
    std::vector<std::string> tokens;
    tokens.reserve(static_cast<std::size_t>(count));
    const std::string marker = "/confirm#";  // the token is the link's fragment (ADR 59)
    for (std::int64_t i = 0; i < count; ++i) {
        last_confirm_link.clear();
        auto id = applications.apply(application(content, next_application++), caller);
        if (!id) {
            error = "apply: " + id.error().code;
            return {};
        }
        const auto at = last_confirm_link.find(marker);
        if (at == std::string::npos) {
            error = "no 受付確認 link in the mail queued";
            return {};
        }
        tokens.push_back(last_confirm_link.substr(at + marker.size()));
    }
    return tokens;
}

// A few applications confirmed each way before any case runs, so that the first case measured
// does not also pay for the first statements (preparing them, reading the schema, the caches).
void warm_up(Registry& r) {
    app::Caller caller;
    caller.ip = "10.0.0.1";
    for (auto* applications : {&*r.applications_logged, &*r.applications_unlogged}) {
        std::string error;
        for (const auto& token : applied(*applications, *r.content, caller, 20, error))
            if (auto done = applications->confirm(token, caller); !done)
                throw std::runtime_error("warm-up: confirm: " + done.error().code);
        if (!error.empty()) throw std::runtime_error("warm-up: " + error);
    }
}

// Every thread goes through the loop even after an error (which makes it run no iteration, or do
// nothing in the rest): a thread of a multi-threaded case that left early would never reach the
// barrier the others wait at when their loops end.
void confirm(benchmark::State& state, Engine engine, bool with_log) {
    Registry* r = nullptr;
    std::vector<std::string> tokens;
    app::Caller caller;
    caller.ip = "10.1." + std::to_string(state.thread_index()) + ".1";
    try {
        r = &registry(engine);
    } catch (const std::exception& e) {
        state.SkipWithError(e.what());
    }
    app::Applications* applications = nullptr;
    if (r) {
        applications = with_log ? &*r->applications_logged : &*r->applications_unlogged;
        std::string error;
        // Not timed: one application per iteration this thread will run.
        tokens = applied(*applications, *r->content, caller, static_cast<std::int64_t>(state.max_iterations), error);
        if (!error.empty()) state.SkipWithError(error.c_str());
    }
    std::size_t i = 0;
    bool failed = false;
    for (auto _ : state) {
        if (failed || i >= tokens.size()) continue;
        auto done = applications->confirm(tokens[i++], caller);
        if (!done) {
            state.SkipWithError(("confirm: " + done.error().code + " " + done.error().detail).c_str());
            failed = true;
        } else if (!done->newly_confirmed || !done->declaration.public_id) {
            state.SkipWithError("confirm issued no ID (a disputed corporate number?)");
            failed = true;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(i));
}

// SENGEN_BENCH_TLOG_ITERATIONS: confirmations per thread and run (default: as many as
// --benchmark_min_time takes), so that the cases with and without the log do the same work.
std::int64_t iterations() {
    const char* text = std::getenv("SENGEN_BENCH_TLOG_ITERATIONS");
    if (!text) return 0;
    char* end = nullptr;
    const std::int64_t n = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || n < 1 || n > 10000000)
        throw std::runtime_error("SENGEN_BENCH_TLOG_ITERATIONS: from 1 to 10000000");
    return n;
}

std::vector<int> thread_counts() {
    const char* text = std::getenv("SENGEN_BENCH_TLOG_THREADS");
    std::istringstream in(text ? text : "1 4");
    std::vector<int> out;
    for (int n = 0; in >> n;)
        if (n < 1 || n > 64)
            throw std::runtime_error("SENGEN_BENCH_TLOG_THREADS: each from 1 to 64");
        else
            out.push_back(n);
    return out;
}

// Registered at start, so that the PostgreSQL cases exist only when SENGEN_BENCH_PG is set.
const bool registered = [] {
    std::vector<std::pair<Engine, std::string>> engines{{Engine::Sqlite, "sqlite"}};
    if (!pg_url().empty()) engines.emplace_back(Engine::Postgres, "postgres");
    const auto threads = thread_counts();
    for (const auto& [engine_of, name] : engines)
        for (const bool with_log : {true, false}) {
            const Engine engine = engine_of;
            auto* b =
                benchmark::RegisterBenchmark(("tlog_confirm/" + name + (with_log ? "/log" : "/no_log")).c_str(),
                                             [engine, with_log](benchmark::State& s) { confirm(s, engine, with_log); });
            b->UseRealTime()->Unit(benchmark::kMicrosecond);
            if (const auto n = iterations()) b->Iterations(n);
            for (int n : threads) b->Threads(n);
        }
    return true;
}();

}  // namespace
