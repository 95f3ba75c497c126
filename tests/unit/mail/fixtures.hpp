// Shared by the mail unit tests: a real SQLite database in a fresh directory, and a clock the
// test moves by hand.
#pragma once
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "domain/clock.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace sengen::mail::testing {

class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint t) : t_(t) {}
    TimePoint now() const override { return t_; }
    void advance(std::chrono::seconds d) { t_ += d; }

private:
    TimePoint t_;
};

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        std::random_device rd;
        path = std::filesystem::temp_directory_path() /
               ("sengen-mail-test-" + std::to_string(rd()) + std::to_string(rd()));
        std::filesystem::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

inline std::unique_ptr<storage::sqlite::SqliteStore> open_migrated(const TempDir& dir) {
    auto store = storage::sqlite::SqliteStore::open((dir.path / "test.db").string());
    if (!store) throw std::runtime_error(store.error().detail);
    auto applied = (*store)->migrate();
    if (!applied) throw std::runtime_error(applied.error().detail);
    return std::move(*store);
}

inline std::vector<OutboxEntry> all_mail(Store& store) {
    auto r = store.query<std::vector<OutboxEntry>>(
        TxMode::Read, [](Transaction& tx) { return tx.outbox().list(std::nullopt, 1000); });
    if (!r) throw std::runtime_error(r.error().detail);
    return *r;
}

}  // namespace sengen::mail::testing
