#include <gtest/gtest.h>

#include "storage/postgres/pg_store.hpp"

using sengen::storage::postgres::redact_url;
using sengen::storage::postgres::scrub_secrets;

TEST(PgUrl, password_in_the_user_part_is_replaced) {
    EXPECT_EQ(redact_url("postgresql://sengen:s3cret@db1:5432/sengen"), "postgresql://sengen:***@db1:5432/sengen");
}

TEST(PgUrl, password_parameter_is_replaced) {
    EXPECT_EQ(redact_url("postgresql://db1/sengen?sslmode=require&password=s3cret&application_name=x"),
              "postgresql://db1/sengen?sslmode=require&password=***&application_name=x");
}

TEST(PgUrl, url_without_password_is_unchanged) {
    EXPECT_EQ(redact_url("postgresql://sengen@db1/sengen"), "postgresql://sengen@db1/sengen");
    EXPECT_EQ(redact_url("postgres://db1:5432/sengen?user=me"), "postgres://db1:5432/sengen?user=me");
}

TEST(PgUrl, a_colon_after_the_host_is_not_taken_for_a_password) {
    EXPECT_EQ(redact_url("postgresql://db1:5432/sengen?x=a@b"), "postgresql://db1:5432/sengen?x=a@b");
}

TEST(PgUrl, scrubbing_removes_the_password_as_written_and_decoded) {
    const std::string url = "postgresql://u:p%40ss-w0rd@db1/sengen";
    auto out = scrub_secrets("failed for 'p%40ss-w0rd' and 'p@ss-w0rd' via " + url, url);
    EXPECT_EQ(out.find("ss-w0rd"), std::string::npos) << out;
    EXPECT_NE(out.find("postgresql://u:***@db1/sengen"), std::string::npos) << out;
}
