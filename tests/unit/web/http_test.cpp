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

TEST(UrlDecode, a_plus_is_a_space_only_in_a_query_or_form) {
    EXPECT_EQ(url_decode("/a+b%20c", Plus::Literal), "/a+b c");
    EXPECT_EQ(url_decode("a+b%20c", Plus::Space), "a b c");
    EXPECT_EQ(url_decode("%zz%4", Plus::Space), "%zz%4");  // invalid escapes are kept
}

TEST(Methods, every_name_reads_back_as_its_method) {
    for (auto m :
         {Method::Get, Method::Head, Method::Post, Method::Put, Method::Patch, Method::Delete, Method::Options})
        EXPECT_EQ(parse_method(method_name(m)), m) << method_name(m);
    EXPECT_EQ(parse_method("get"), Method::Other);
    EXPECT_EQ(parse_method("BREW"), Method::Other);
    EXPECT_EQ(method_name(Method::Other), "OTHER");
}

TEST(SignInFirst, sends_the_visitor_back_to_the_path_afterwards) {
    auto r = sign_in_first("/mypage/assessments/3");
    EXPECT_EQ(r.status, 303);
    EXPECT_EQ(r.header("Location").value_or(""), "/signin?next=%2Fmypage%2Fassessments%2F3");
}
