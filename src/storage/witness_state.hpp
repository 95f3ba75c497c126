// What `sengen witness serve` keeps: for each log it witnesses, the text of the latest checkpoint
// it cosigned, one file per log in a directory of its own. C2SP tlog-witness requires the check of
// a request against that record and the record's update to be one step, and the update to be
// durable before the cosignature is sent: `update` holds a lock across both (a mutex within the
// process and flock on the directory's lock file, so that two witness processes sharing the
// directory cannot roll a log back either) and writes through a synced temporary file renamed
// over the old one.
#pragma once
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "domain/error.hpp"
#include "tlog/witness.hpp"

namespace sengen::storage {

class WitnessState {
public:
    // Creates the directory (owner-only) when it does not exist.
    static Result<std::unique_ptr<WitnessState>> open(const std::string& directory);
    ~WitnessState();
    WitnessState(const WitnessState&) = delete;
    WitnessState& operator=(const WitnessState&) = delete;

    // Runs `step` on the kept checkpoint of `origin` (nullopt: none yet) under the lock, and keeps
    // the answer's `keep` when it has one before returning the answer.
    Result<tlog::WitnessAnswer> update(
        const std::string& origin, const std::function<tlog::WitnessAnswer(const std::optional<std::string>&)>& step);

    // The kept checkpoint of `origin`, read under the lock.
    Result<std::optional<std::string>> read(const std::string& origin);

private:
    WitnessState(std::string directory, int lock_fd) : directory_(std::move(directory)), lock_fd_(lock_fd) {}
    std::string path_of(const std::string& origin) const;
    std::string directory_;
    int lock_fd_;
    std::mutex mutex_;
};

}  // namespace sengen::storage
