// A node's memory of rendered public policy downloads (PDF, text). A published version never
// changes, so what was rendered for it once can be served again as it is; each node keeps its own
// cache and nothing is shared or invalidated between nodes. Bounded by bytes: the least recently
// used entries go first. Safe to use from every thread.
#pragma once
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sengen::web {

class DownloadCache {
public:
    // What is kept for one download: the bytes and their strong ETag.
    struct Entry {
        std::string bytes;
        std::string etag;  // quoted, from a hash of the bytes
    };

    // `capacity` bytes at most (0: nothing is kept).
    explicit DownloadCache(std::size_t capacity) : capacity_(capacity) {}

    // The entry under `key`, or null.
    std::shared_ptr<const Entry> find(std::string_view key);
    // Keeps `bytes` under `key` (unless they alone exceed the capacity) and returns the entry to
    // serve, with its ETag, whether it was kept or not.
    std::shared_ptr<const Entry> put(std::string_view key, std::string bytes);

    std::size_t size_bytes() const;

private:
    struct Slot {
        std::string key;
        std::shared_ptr<const Entry> entry;
    };
    void evict_to(std::size_t limit);  // with mutex_ held

    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::list<Slot> order_;                                                  // most recently used first
    std::unordered_map<std::string_view, std::list<Slot>::iterator> index_;  // keys point into order_
    std::size_t bytes_ = 0;
};

}  // namespace sengen::web
