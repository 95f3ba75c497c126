#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "config/config.hpp"

using namespace sengen::config;

namespace {
RawSettings raw(std::initializer_list<std::pair<std::string, std::string>> kv) {
    RawSettings r;
    for (const auto& [k, v] : kv) r[k] = {v, "test"};
    return r;
}
}  // namespace

TEST(Config, defaults_serve_sqlite_on_loopback_8080_with_file_mail) {
    auto c = build({});
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_EQ(c->listen_host, "127.0.0.1");
    EXPECT_EQ(c->listen_port, 8080);
    EXPECT_EQ(c->db.engine, DatabaseTarget::Engine::Sqlite);
    EXPECT_EQ(c->db.location, "var/sengen.db");
    EXPECT_EQ(c->mail.kind, MailTarget::Kind::File);
    EXPECT_EQ(c->mail.directory, "var/mail");
    EXPECT_EQ(c->base_url, "http://127.0.0.1:8080");
    EXPECT_TRUE(c->auto_migrate);
    EXPECT_FALSE(c->https());
}

TEST(Config, threads_default_to_twice_the_cores_and_the_pool_follows_them) {
    auto c = build({});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->threads, std::max(4u, 2 * std::thread::hardware_concurrency()));
    EXPECT_EQ(c->pg_pool_size, std::max(8u, c->threads + 1));

    auto many = build(raw({{"threads", "20"}}));
    ASSERT_TRUE(many);
    EXPECT_EQ(many->threads, 20u);
    EXPECT_EQ(many->pg_pool_size, 21u);

    auto set = build(raw({{"threads", "20"}, {"pg-pool-size", "3"}}));
    ASSERT_TRUE(set);
    EXPECT_EQ(set->pg_pool_size, 3u);
}

TEST(Config, the_pdf_queue_and_the_policy_cache_are_bounded_and_can_be_set) {
    auto c = build({});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->pdf_queue, 16u);
    EXPECT_EQ(c->policy_cache_bytes, std::size_t{32} * 1024 * 1024);

    auto set = build(raw({{"pdf-queue", "0"}, {"policy-cache-bytes", "0"}}));
    ASSERT_TRUE(set);
    EXPECT_EQ(set->pdf_queue, 0u);
    EXPECT_EQ(set->policy_cache_bytes, 0u);

    auto bad = build(raw({{"pdf-queue", "-1"}, {"policy-cache-bytes", "lots"}}));
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().fields.size(), 2u);
}

TEST(Config, the_statistics_are_kept_five_minutes_unless_set_between_a_second_and_a_day) {
    auto c = build({});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->statistics_cache, std::chrono::seconds(300));
    auto set = build(raw({{"statistics-cache-seconds", "60"}}));
    ASSERT_TRUE(set);
    EXPECT_EQ(set->statistics_cache, std::chrono::seconds(60));
    for (const char* bad : {"0", "86401", "soon"}) EXPECT_FALSE(build(raw({{"statistics-cache-seconds", bad}}))) << bad;
}

TEST(Config, later_layers_win) {
    auto merged = merge({raw({{"listen", "127.0.0.1:1"}}), raw({{"listen", "127.0.0.1:2"}}), raw({})});
    EXPECT_EQ(merged.at("listen").text, "127.0.0.1:2");
}

TEST(Config, environment_names_map_to_settings) {
    auto r = from_environment({{"SENGEN_LISTEN", "0.0.0.0:9000"}, {"OTHER", "x"}});
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r.at("listen").text, "0.0.0.0:9000");
}

TEST(Config, postgres_url_selects_postgres_and_turns_auto_migrate_off) {
    auto c = build(raw({{"db", "postgresql://u:p@127.0.0.1:5432/sengen"}}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->db.engine, DatabaseTarget::Engine::Postgres);
    EXPECT_FALSE(c->auto_migrate);
}

TEST(Config, https_base_url_is_detected_and_trailing_slash_dropped) {
    auto c = build(raw({{"base-url", "https://sengen.example.jp/"}}));
    ASSERT_TRUE(c);
    EXPECT_TRUE(c->https());
    EXPECT_EQ(c->base_url, "https://sengen.example.jp");
}

TEST(Config, every_bad_value_is_reported_with_setting_and_value) {
    auto c =
        build(raw({{"listen", "nonsense"}, {"threads", "zero"}, {"mail", "ftp://x"}, {"base-url", "javascript:x"}}));
    ASSERT_FALSE(c);
    const auto& d = c.error().detail;
    for (const char* s : {"listen", "'nonsense'", "threads", "'zero'", "mail", "ftp://x", "base-url"})
        EXPECT_NE(d.find(s), std::string::npos) << s << " missing from: " << d;
    EXPECT_EQ(c.error().fields.size(), 4u);
}

TEST(Config, secret_values_are_never_echoed) {
    auto c = build(raw({{"db", "mysql://user:hunter2@host/db"}}));
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().detail.find("hunter2"), std::string::npos);
    EXPECT_NE(c.error().detail.find("db"), std::string::npos);
}

TEST(Config, plain_smtp_without_starttls_is_refused_for_a_remote_host) {
    EXPECT_FALSE(build(raw({{"mail", "smtp://mail.example.jp:25"}, {"smtp-starttls", "false"}})));
    EXPECT_TRUE(build(raw({{"mail", "smtp://127.0.0.1:2525"}, {"smtp-starttls", "false"}})));
}

TEST(Config, toml_file_values_carry_their_line) {
    auto r = from_toml("listen = \"127.0.0.1:9\"\nthreads = 4\n", "s.toml");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->at("threads").text, "4");
    EXPECT_NE(r->at("threads").source.find("s.toml:2"), std::string::npos);
}

TEST(Config, unknown_toml_key_is_an_error_naming_file_and_line) {
    auto r = from_toml("listen = \"127.0.0.1:9\"\nlisten_port = 4\n", "s.toml");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("s.toml:2"), std::string::npos);
    EXPECT_NE(r.error().detail.find("listen_port"), std::string::npos);
}

TEST(Config, toml_syntax_error_names_file_and_line) {
    auto r = from_toml("listen = \n", "bad.toml");
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("bad.toml:1"), std::string::npos);
}

TEST(Config, postgres_beyond_loopback_needs_a_verified_tls_connection) {
    for (const char* url :
         {"postgresql://u:p@db1.internal:5432/sengen", "postgresql://u@10.0.0.5/sengen?sslmode=require",
          "postgres://db1/sengen?sslmode=prefer", "postgresql://127.0.0.1,db2/sengen",
          "postgresql:///sengen?host=db1.internal", "postgresql://localhost/sengen?hostaddr=10.0.0.5",
          "postgresql://[2001:db8::5]:5432/sengen?sslmode=disable"}) {
        auto c = build(raw({{"db", url}}));
        ASSERT_FALSE(c) << url;
        EXPECT_NE(c.error().detail.find("sslmode=verify-full"), std::string::npos) << c.error().detail;
        EXPECT_NE(c.error().detail.find("db-allow-unverified-tls"), std::string::npos) << c.error().detail;
        EXPECT_EQ(c.error().detail.find("db1"), std::string::npos) << "the URL is a secret: " << c.error().detail;
    }
}

TEST(Config, postgres_on_loopback_or_with_verified_tls_is_accepted) {
    for (const char* url :
         {"postgresql://u:p@127.0.0.1:5432/sengen", "postgresql://localhost/sengen", "postgresql://[::1]:5433/sengen",
          "postgresql:///sengen", "postgresql://%2Fvar%2Frun%2Fpostgresql/sengen",
          "postgresql:///sengen?host=/var/run/postgresql", "postgresql://db1.internal/sengen?sslmode=verify-full",
          "postgresql://u@db1,db2/sengen?application_name=x&sslmode=verify-ca"}) {
        auto c = build(raw({{"db", url}}));
        ASSERT_TRUE(c) << url << ": " << c.error().detail;
        EXPECT_FALSE(c->db.unverified_remote) << url;
    }
}

TEST(Config, the_opt_out_for_a_private_network_is_explicit_and_marked_for_a_warning) {
    auto c = build(raw({{"db", "postgresql://u@10.0.0.5/sengen"}, {"db-allow-unverified-tls", "true"}}));
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_TRUE(c->db.unverified_remote);
    EXPECT_FALSE(build(raw({{"db", "postgresql://u@10.0.0.5/sengen"}, {"db-allow-unverified-tls", "false"}})));
    EXPECT_FALSE(build(raw({{"db", "postgresql://u@10.0.0.5/sengen"}, {"db-allow-unverified-tls", "maybe"}})));
}

TEST(Config, tls_needs_both_the_certificate_and_the_key_and_makes_the_default_base_url_https) {
    auto plain = build({});
    ASSERT_TRUE(plain);
    EXPECT_TRUE(plain->tls_cert.empty());
    EXPECT_TRUE(plain->tls_key.empty());

    auto tls = build(raw({{"tls-cert", "/etc/sengen/cert.pem"}, {"tls-key", "/etc/sengen/key.pem"}}));
    ASSERT_TRUE(tls) << tls.error().detail;
    EXPECT_EQ(tls->tls_cert, "/etc/sengen/cert.pem");
    EXPECT_EQ(tls->tls_key, "/etc/sengen/key.pem");
    EXPECT_EQ(tls->base_url, "https://127.0.0.1:8080");
    EXPECT_TRUE(tls->https());

    auto cert_only = build(raw({{"tls-cert", "/etc/sengen/cert.pem"}}));
    ASSERT_FALSE(cert_only);
    EXPECT_NE(cert_only.error().detail.find("setting tls-cert:"), std::string::npos) << cert_only.error().detail;
    EXPECT_NE(cert_only.error().detail.find("tls-key must be set too"), std::string::npos);

    auto key_only = build(raw({{"tls-key", "/etc/sengen/key.pem"}}));
    ASSERT_FALSE(key_only);
    EXPECT_NE(key_only.error().detail.find("setting tls-key:"), std::string::npos) << key_only.error().detail;
}

TEST(Config, log_keys_and_witnesses_are_lists_of_keys_and_url_key_pairs) {
    const std::string log_a = "registry.example.jp/log+01020304+AQID";
    const std::string log_b = "registry.example.jp/log+05060708+AQIE";
    const std::string witness = "witness.example.org/w1+0a0b0c0d+BAID";
    auto c = build(raw({{"log-previous-keys", log_a + ", " + log_b + "\t"},
                        {"log-witnesses", "https://w.example.org/a?x=1=" + witness + " http://127.0.0.1:9/=" + witness},
                        {"log-witnesses-required", "2"}}));
    ASSERT_TRUE(c) << c.error().detail;
    EXPECT_EQ(c->log_previous_keys, (std::vector<std::string>{log_a, log_b}));
    ASSERT_EQ(c->log_witnesses.size(), 2u);
    // The last '=' ends the address: a key's base64 has none.
    EXPECT_EQ(c->log_witnesses[0].url, "https://w.example.org/a?x=1");
    EXPECT_EQ(c->log_witnesses[0].key, witness);
    EXPECT_EQ(c->log_witnesses[1].url, "http://127.0.0.1:9/");
    EXPECT_EQ(c->log_witnesses_required, 2);
    EXPECT_EQ(build({})->log_witnesses_required, 0);

    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{{"log-previous-keys", "not-a-key"},
                                                          {"log-witnesses", witness},
                                                          {"log-witnesses", "ftp://w.example.org=" + witness},
                                                          {"log-witnesses", "https://w.example.org=no-key"},
                                                          {"log-witnesses-required", "-1"}}) {
        auto bad = build(raw({{name, value}}));
        ASSERT_FALSE(bad) << name << " = " << value;
        EXPECT_NE(bad.error().detail.find(name), std::string::npos) << bad.error().detail;
    }
    auto too_many =
        build(raw({{"log-witnesses", "https://w.example.org=" + witness}, {"log-witnesses-required", "2"}}));
    ASSERT_FALSE(too_many);
    EXPECT_NE(too_many.error().detail.find("more cosignatures than there are witnesses"), std::string::npos);
}
