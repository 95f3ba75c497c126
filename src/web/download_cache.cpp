// The bounded LRU cache of rendered public policy downloads.
#include "web/download_cache.hpp"

#include <sodium.h>

namespace sengen::web {

namespace {

// What an entry costs: its bytes, its key and ETag, and a little for the bookkeeping.
std::size_t cost(std::string_view key, const DownloadCache::Entry& e) {
    return e.bytes.size() + e.etag.size() + 2 * key.size() + 128;
}

std::string etag_of(std::string_view bytes) {
    unsigned char h[16];
    crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
    char hex[sizeof h * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return "\"" + std::string(hex) + "\"";
}

}  // namespace

std::shared_ptr<const DownloadCache::Entry> DownloadCache::find(std::string_view key) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->entry;
}

std::shared_ptr<const DownloadCache::Entry> DownloadCache::put(std::string_view key, std::string bytes) {
    // Hashed outside the lock: other threads keep reading meanwhile.
    Entry made{std::move(bytes), {}};
    made.etag = etag_of(made.bytes);
    auto entry = std::make_shared<const Entry>(std::move(made));
    const std::size_t c = cost(key, *entry);
    if (c > capacity_) return entry;
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) {
        // Another thread rendered the same version meanwhile: keep the first, serve it.
        order_.splice(order_.begin(), order_, it->second);
        return it->second->entry;
    }
    evict_to(capacity_ - c);
    order_.push_front(Slot{std::string(key), entry});
    index_.emplace(order_.front().key, order_.begin());
    bytes_ += c;
    return entry;
}

std::size_t DownloadCache::size_bytes() const {
    std::lock_guard lock(mutex_);
    return bytes_;
}

void DownloadCache::evict_to(std::size_t limit) {
    while (bytes_ > limit && !order_.empty()) {
        auto& last = order_.back();
        bytes_ -= cost(last.key, *last.entry);
        index_.erase(last.key);
        order_.pop_back();
    }
}

}  // namespace sengen::web
