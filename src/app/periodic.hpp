// A piece of work a node repeats on a thread of its own: once at start, then again after each
// pause of `every`, until stopped (stop wakes the pause at once, and waits for a run in progress
// to end). Housekeeping and the transparency log's checkpoints run this way.
#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace sengen::app {

class Periodic {
public:
    Periodic(std::chrono::milliseconds every, std::function<void()> work) : every_(every), work_(std::move(work)) {}
    ~Periodic() { stop(); }
    Periodic(const Periodic&) = delete;
    Periodic& operator=(const Periodic&) = delete;

    void start() {
        thread_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            while (!stopping_) {
                lock.unlock();
                work_();
                lock.lock();
                wake_.wait_for(lock, every_, [this] { return stopping_; });
            }
        });
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        if (thread_.joinable()) thread_.join();
    }

private:
    std::chrono::milliseconds every_;
    std::function<void()> work_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sengen::app
