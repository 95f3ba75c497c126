#include <gtest/gtest.h>

#include "web/http.hpp"

using namespace sengen::web;

TEST(SafeLocalPath, a_path_on_this_site_is_kept) {
    EXPECT_EQ(safe_local_path("/mypage/declarations/10000000016?x=1#a", "/"), "/mypage/declarations/10000000016?x=1#a");
    EXPECT_EQ(safe_local_path("/", "/mypage"), "/");
}

TEST(SafeLocalPath, anything_that_could_leave_the_site_gives_the_fallback) {
    for (const char* bad : {"", "mypage", "https://evil.example/", "//evil.example", "/\\evil.example",
                            "/\t/evil.example", "/\n/evil.example", "/ /x", "/x\x7f", "javascript:alert(1)"})
        EXPECT_EQ(safe_local_path(bad, "/mypage"), "/mypage") << bad;
}

TEST(PathId, only_one_to_eighteen_ascii_digits_are_a_number) {
    EXPECT_EQ(path_id("42"), 42);
    EXPECT_EQ(path_id("999999999999999999"), 999999999999999999LL);
    for (const char* bad : {"", "0x1", "-1", "１２", "1 ", "1234567890123456789"}) EXPECT_EQ(path_id(bad), 0) << bad;
}

TEST(Redirect, see_other_unless_told) {
    EXPECT_EQ(redirect("/a").status, 303);
    EXPECT_EQ(redirect("/a").header("location").value_or(""), "/a");
    EXPECT_EQ(redirect("/b", 301).status, 301);
}
