// Outbox delivery with leases, retries and backoff. Logs say what happened to which outbox id,
// never the recipient, the message text (it may hold sign-in tokens) or a password.
#include "mail/outbox_worker.hpp"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include "mail/composer.hpp"

namespace sengen::mail {

std::string default_worker_id() {
    char host[256] = "";
    if (gethostname(host, sizeof host - 1) != 0) std::snprintf(host, sizeof host, "unknown");
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + random_hex(4);
}

std::chrono::seconds retry_delay(int attempts, std::chrono::seconds base, std::chrono::seconds cap) {
    const auto limit = std::max(cap, base);
    auto delay = base;
    for (int i = 1; i < attempts && delay < limit; ++i) delay *= 2;
    return std::min(delay, limit);
}

OutboxWorker::OutboxWorker(Store& store, Transport& transport, const Clock& clock, WorkerSettings settings)
    : store_(store), transport_(transport), clock_(clock), settings_(std::move(settings)) {
    if (settings_.worker_id.empty()) settings_.worker_id = default_worker_id();
}

OutboxWorker::~OutboxWorker() { stop(); }

void OutboxWorker::start() {
    if (thread_.joinable()) return;
    stopping_ = false;
    spdlog::info("mail worker {} started: {}, poll {} ms, up to {} attempts", settings_.worker_id,
                 transport_.describe(), settings_.poll.count(), settings_.max_attempts);
    thread_ = std::thread([this] { loop(); });
}

void OutboxWorker::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
        spdlog::info("mail worker {} stopped", settings_.worker_id);
    }
}

void OutboxWorker::loop() {
    while (!stopping_) {
        auto tried = run_once();
        if (!tried) spdlog::warn("mail worker: cannot lease mail: {}", tried.error().detail);
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, settings_.poll, [this] { return stopping_.load(); });
    }
}

Result<std::size_t> OutboxWorker::run_once() {
    std::size_t tried = 0;
    while (!stopping_) {
        auto leased = store_.query<std::vector<OutboxEntry>>(TxMode::Write, [&](Transaction& tx) {
            return tx.outbox().lease_due(clock_.now(), settings_.lease, 1, settings_.worker_id);
        });
        if (!leased) return fail(leased.error());
        if (leased->empty()) break;
        for (const auto& mail : *leased) deliver(mail);
        tried += leased->size();
    }
    return tried;
}

void OutboxWorker::deliver(const OutboxEntry& mail) {
    auto sent = transport_.send(Envelope{mail.id, mail.recipient, mail.message});
    const auto now = clock_.now();
    const auto& id = settings_.worker_id;
    Status recorded;
    if (sent) {
        recorded =
            store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.outbox().mark_sent(mail.id, id, now); });
        spdlog::info("mail {}: sent (attempt {})", mail.id, mail.attempts);
    } else if (sent.error().kind == Error::Kind::Invalid || mail.attempts >= settings_.max_attempts) {
        const auto& reason = sent.error().detail;
        recorded = store_.transact(TxMode::Write,
                                   [&](Transaction& tx) { return tx.outbox().mark_failed(mail.id, id, reason); });
        spdlog::error("mail {}: failed after attempt {}: {} (`sengen mail retry {}` queues it again)", mail.id,
                      mail.attempts, reason, mail.id);
    } else {
        const auto delay = retry_delay(mail.attempts, settings_.retry_base, settings_.retry_cap);
        const auto& reason = sent.error().detail;
        recorded = store_.transact(
            TxMode::Write, [&](Transaction& tx) { return tx.outbox().mark_retry(mail.id, id, now + delay, reason); });
        spdlog::warn("mail {}: attempt {} of {} failed, next in {} s: {}", mail.id, mail.attempts,
                     settings_.max_attempts, delay.count(), reason);
    }
    if (!recorded)
        spdlog::error("mail {}: cannot record the outcome (the lease will expire and it is tried again): {}", mail.id,
                      recorded.error().detail);
}

}  // namespace sengen::mail
