#include <gtest/gtest.h>

#include "config/config.hpp"

using namespace sengen;
using namespace sengen::config;
using namespace std::chrono_literals;

namespace {

Result<Config> with(std::map<std::string, std::string> values) {
    RawSettings raw;
    for (auto& [k, v] : values) raw[k] = {v, "flag --" + k};
    return build(raw);
}

}  // namespace

TEST(MailSettings, worker_defaults_suit_production) {
    auto c = with({});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->mail_max_attempts, 8);
    EXPECT_EQ(c->mail_retry_base, 30s);
    EXPECT_EQ(c->mail_poll, 1000ms);
    EXPECT_EQ(c->mail.kind, MailTarget::Kind::File);
}

TEST(MailSettings, worker_settings_are_read_and_bounded) {
    auto c = with({{"mail-max-attempts", "2"}, {"mail-retry-base-seconds", "1"}, {"mail-poll-ms", "50"}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->mail_max_attempts, 2);
    EXPECT_EQ(c->mail_retry_base, 1s);
    EXPECT_EQ(c->mail_poll, 50ms);
    for (auto [name, value] : std::vector<std::pair<std::string, std::string>>{
             {"mail-max-attempts", "0"}, {"mail-retry-base-seconds", "-1"}, {"mail-poll-ms", "fast"}}) {
        auto bad = with({{name, value}});
        ASSERT_FALSE(bad) << name;
        EXPECT_NE(bad.error().detail.find(name), std::string::npos);
    }
}

TEST(MailSettings, smtp_urls_name_host_port_and_tls) {
    auto c = with({{"mail", "smtps://mail.example.jp:465"}});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->mail.kind, MailTarget::Kind::Smtps);
    EXPECT_EQ(c->mail.host, "mail.example.jp");
    EXPECT_EQ(c->mail.port, 465);
    EXPECT_FALSE(with({{"mail", "smtp://mail.example.jp"}}));
}

TEST(MailSettings, plain_smtp_without_starttls_only_to_loopback) {
    EXPECT_TRUE(with({{"mail", "smtp://127.0.0.1:2525"}, {"smtp-starttls", "false"}}));
    EXPECT_FALSE(with({{"mail", "smtp://mail.example.jp:587"}, {"smtp-starttls", "false"}}));
}

TEST(MailSettings, mail_from_must_be_a_safe_mailbox) {
    auto ok = with({{"mail-from", "sengen 事務局 <no-reply@sengen.example.jp>"}});
    ASSERT_TRUE(ok);
    EXPECT_FALSE(with({{"mail-from", "sengen <no-reply@sengen.example.jp>\r\nBcc: victim@example.jp"}}));
    EXPECT_FALSE(with({{"mail-from", "sengen\n <no-reply@sengen.example.jp>"}}));
    EXPECT_FALSE(with({{"mail-from", "no-reply at sengen"}}));
}

TEST(MailSettings, smtp_password_is_never_echoed_in_errors) {
    // A password is free text: only the settings around it can be wrong. Make another one wrong
    // and check that the error text does not carry the password.
    auto bad = with({{"smtp-password", "s3cret-pass"}, {"mail", "smtp://nowhere"}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().detail.find("s3cret-pass"), std::string::npos);
}
