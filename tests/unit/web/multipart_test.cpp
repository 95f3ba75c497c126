// multipart/form-data parsing, as browsers post a form with a file.
#include <gtest/gtest.h>

#include "web/http.hpp"
#include "web/multipart.hpp"

using namespace sengen::web;

namespace {
const std::string kBody =
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"csrf\"\r\n\r\n"
    "tok123\r\n"
    "--XyZ\r\n"
    "Content-Disposition: form-data; name=\"file\"; filename=\"ids;1.csv\"\r\n"
    "Content-Type: text/csv\r\n\r\n"
    "a,b\r\n--X\r\nc\r\n"
    "--XyZ--\r\n";
}  // namespace

TEST(Multipart, boundary_is_read_from_the_content_type) {
    EXPECT_EQ(multipart_boundary("multipart/form-data; boundary=XyZ"), "XyZ");
    EXPECT_EQ(multipart_boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b\""), "a b");
    EXPECT_FALSE(multipart_boundary("application/x-www-form-urlencoded"));
    EXPECT_FALSE(multipart_boundary("multipart/form-data"));
    EXPECT_FALSE(multipart_boundary("multipart/form-data; boundary=" + std::string(71, 'a')));
}

TEST(Multipart, fields_and_files_are_parsed_with_data_kept_byte_for_byte) {
    auto parts = parse_multipart(kBody, "XyZ");
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "csrf");
    EXPECT_FALSE((*parts)[0].filename);
    EXPECT_EQ((*parts)[0].data, "tok123");
    EXPECT_EQ((*parts)[1].name, "file");
    EXPECT_EQ((*parts)[1].filename, "ids;1.csv");
    EXPECT_EQ((*parts)[1].content_type, "text/csv");
    EXPECT_EQ((*parts)[1].data, "a,b\r\n--X\r\nc");  // a line like a shorter delimiter is data
}

TEST(Multipart, malformed_bodies_are_refused) {
    EXPECT_FALSE(parse_multipart("no delimiter", "XyZ"));
    EXPECT_FALSE(parse_multipart(kBody.substr(0, kBody.size() - 9), "XyZ"));  // no closing delimiter
    EXPECT_FALSE(parse_multipart("--XyZ\r\nContent-Type: text/plain\r\n\r\nx\r\n--XyZ--", "XyZ"));  // no name
    EXPECT_FALSE(parse_multipart("--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--XyZ--", "XyZ"));
}

TEST(Multipart, the_number_of_parts_and_header_bytes_are_bounded) {
    std::string body;
    for (int i = 0; i < 3; ++i) body += "--b\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\n";
    body += "--b--";
    EXPECT_TRUE(parse_multipart(body, "b", {.max_parts = 3}));
    EXPECT_FALSE(parse_multipart(body, "b", {.max_parts = 2}));
    EXPECT_FALSE(parse_multipart(body, "b", {.max_parts = 16, .max_header_bytes = 20}));
}

TEST(Multipart, a_request_reads_the_text_fields_as_its_form) {
    Request r;
    r.method = Method::Post;
    r.headers = {{"content-type", "multipart/form-data; boundary=XyZ"}};
    r.body = kBody;
    auto form = r.form_params();
    ASSERT_EQ(form.size(), 1u);
    EXPECT_EQ(form[0].first, "csrf");
    EXPECT_EQ(form[0].second, "tok123");
    ASSERT_TRUE(r.form_parts());
    EXPECT_EQ(r.form_parts()->size(), 2u);
}
