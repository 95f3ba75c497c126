// The cache of rendered policy downloads: bounded by bytes, least recently used out first, one
// entry per key whatever the threads do.
#include "web/download_cache.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

using sengen::web::DownloadCache;

TEST(DownloadCache, keeps_what_was_put_with_a_strong_etag_of_the_bytes) {
    DownloadCache cache(1 << 20);
    EXPECT_EQ(cache.find("1/1/pdf"), nullptr);
    auto put = cache.put("1/1/pdf", "%PDF-1.5 one");
    auto found = cache.find("1/1/pdf");
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->bytes, "%PDF-1.5 one");
    EXPECT_EQ(found->etag, put->etag);
    EXPECT_EQ(found->etag.size(), 34u);  // 32 hex digits in quotes
    EXPECT_EQ(found->etag.front(), '"');
    EXPECT_NE(cache.put("1/2/pdf", "%PDF-1.5 two")->etag, put->etag);
    EXPECT_EQ(cache.find("1/1/txt"), nullptr);
}

TEST(DownloadCache, never_holds_more_than_its_capacity_and_drops_the_least_recently_used) {
    const std::string kb(1000, 'x');
    DownloadCache cache(3500);  // room for three entries of about 1.1 KB
    cache.put("a", kb);
    cache.put("b", kb);
    cache.put("c", kb);
    ASSERT_NE(cache.find("a"), nullptr);  // a is now the most recently used
    cache.put("d", kb);
    EXPECT_LE(cache.size_bytes(), 3500u);
    EXPECT_EQ(cache.find("b"), nullptr);
    EXPECT_NE(cache.find("a"), nullptr);
    EXPECT_NE(cache.find("c"), nullptr);
    EXPECT_NE(cache.find("d"), nullptr);
}

TEST(DownloadCache, an_entry_larger_than_the_whole_cache_is_served_but_not_kept) {
    DownloadCache cache(100);
    auto big = cache.put("big", std::string(1000, 'y'));
    ASSERT_NE(big, nullptr);
    EXPECT_EQ(big->bytes.size(), 1000u);
    EXPECT_FALSE(big->etag.empty());
    EXPECT_EQ(cache.find("big"), nullptr);
    EXPECT_EQ(cache.size_bytes(), 0u);

    DownloadCache off(0);
    EXPECT_FALSE(off.put("x", "text")->etag.empty());
    EXPECT_EQ(off.find("x"), nullptr);
}

TEST(DownloadCache, threads_that_render_the_same_version_at_once_all_get_the_first_kept_entry) {
    DownloadCache cache(1 << 20);
    std::vector<std::thread> threads;
    std::vector<std::shared_ptr<const DownloadCache::Entry>> got(8);
    for (std::size_t i = 0; i < got.size(); ++i)
        threads.emplace_back([&, i] {
            for (int n = 0; n < 200; ++n) {
                const std::string key = std::to_string(n % 20) + "/1/pdf";
                if (auto e = cache.find(key); !e) cache.put(key, "bytes of " + key);
            }
            got[i] = cache.find("7/1/pdf");
        });
    for (auto& t : threads) t.join();
    for (const auto& e : got) {
        ASSERT_NE(e, nullptr);
        EXPECT_EQ(e.get(), got[0].get());
        EXPECT_EQ(e->bytes, "bytes of 7/1/pdf");
    }
}
