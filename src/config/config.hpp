// The one Config struct. Settings come from, in rising precedence: defaults, the TOML file
// (--config), the environment (SENGEN_*), and command-line flags. Loaded and validated once.
#pragma once
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/error.hpp"
#include "domain/ip_network.hpp"
#include "domain/session.hpp"

namespace sengen::config {

struct DatabaseTarget {
    enum class Engine { Sqlite, Postgres };
    Engine engine = Engine::Sqlite;
    std::string location;  // a file path for SQLite, the full URL for PostgreSQL
    // PostgreSQL on a host other than this machine without a verified TLS connection, allowed by
    // db-allow-unverified-tls: main logs a warning at start.
    bool unverified_remote = false;
};

// Whether the PostgreSQL URL `url` names only this machine: no host (the default socket), a socket
// directory, or a loopback address, in its authority and in any host= parameter.
bool postgres_url_is_local(std::string_view url);
// Whether the URL's sslmode verifies the server (verify-full or verify-ca).
bool postgres_url_verifies_tls(std::string_view url);

struct MailTarget {
    enum class Kind { File, Smtp, Smtps };
    Kind kind = Kind::File;
    std::string directory;  // Kind::File
    std::string host;       // Kind::Smtp / Smtps
    std::uint16_t port = 0;
};

struct OperatorProfileSource {
    enum class Kind { Embedded, File };
    Kind kind = Kind::Embedded;
    std::string name = "demo";  // Kind::Embedded: the file content/operator/<name>.toml
    std::string path;           // Kind::File
};

// The first digits of IPA's SECURITY ACTION IDs (4: the system before April 2026; 5: after). A
// registry issuing IDs that start with these would be mistaken for IPA's, so id-leading-digit
// refuses them unless allow-ipa-leading-digit says the operator means it.
inline constexpr int kIpaLeadingDigits[] = {4, 5};

struct Config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    // PEM files of the listener's certificate (chain) and private key: when both are set, serve
    // speaks only TLS on `listen` (ADR 54); when neither is, plain HTTP. web::check_tls reads them.
    std::string tls_cert;
    std::string tls_key;
    DatabaseTarget db;
    MailTarget mail;
    std::string base_url;  // absolute, no trailing slash
    unsigned threads = 2;
    std::size_t max_body_bytes = std::size_t{1024} * 1024;
    // Slow requests (PDFs) that may wait for the render pool beyond those being made; more get 503.
    unsigned pdf_queue = 16;
    // Bytes of rendered public policy downloads (PDF, text) each node keeps in memory.
    std::size_t policy_cache_bytes = std::size_t{32} * 1024 * 1024;
    // How long each node reuses the public statistics before counting again.
    std::chrono::seconds statistics_cache{300};
    std::chrono::seconds read_timeout{30};
    std::chrono::seconds write_timeout{30};
    std::chrono::seconds shutdown_grace{10};
    std::string log_level = "info";
    bool auto_migrate = true;
    std::string mail_from = "sengen <no-reply@localhost>";
    std::string smtp_user;
    std::string smtp_password;
    std::string smtp_ca_file;
    bool smtp_starttls = true;
    // The outbox worker (mail/outbox_worker.hpp).
    int mail_max_attempts = 8;
    std::chrono::seconds mail_retry_base{30};
    std::chrono::milliseconds mail_poll{1000};
    int id_leading_digit = 1;
    // The operator profile in force: an embedded one by name ("demo": content/operator/demo.toml)
    // or the path of the operator's own TOML file, read by main.
    OperatorProfileSource operator_profile;
    // The subsidy catalogue's file, read at start and on SIGHUP; empty: the one shipped in the binary.
    std::string subsidy_catalogue;
    // The transparency log's signing key file (`sengen log keygen`); empty: no checkpoints are
    // signed and /log/* answers 404. Entries are appended either way.
    std::string log_key;
    std::vector<std::string> log_previous_keys;  // verifier keys, as given (checked when serve loads the key)
    // The witnesses each new checkpoint is submitted to (ADR 55): the witness's submission prefix
    // and its cosigner key, as given (the key is checked when serve starts).
    struct LogWitness {
        std::string url;
        std::string key;
    };
    std::vector<LogWitness> log_witnesses;
    // How many cosignatures /log/checkpoint waits for: 0 serves the latest checkpoint at once.
    int log_witnesses_required = 0;
    int rate_limit_factor = 1;
    // Mails a day (app::MailLimits).
    int mail_limit_per_address = 30;
    int mail_limit_per_declaration = 20;
    int mail_limit_unproven = 5;
    // Reverse proxies whose X-Forwarded-For is believed (empty: the header is ignored).
    std::vector<IpNetwork> trusted_proxies;
    // The bearer token /metrics asks for; empty: /metrics answers only a scraper on this machine
    // (a loopback peer, the request not forwarded by a proxy). ADR 43.
    std::string metrics_token;
    bool review_applications = false;
    // Whether declarants must add a code from an authenticator app to the mailed link (ADR 0061).
    DeclarantSecondFactor declarant_second_factor = DeclarantSecondFactor::Optional;
    unsigned pg_pool_size = 8;
    // Operators' console sessions and password hashing (app/operators.hpp).
    std::chrono::seconds operator_session_idle{std::chrono::minutes(30)};
    std::chrono::seconds operator_session_absolute{std::chrono::hours(12)};
    int operator_password_hashes = 2;

    bool https() const { return base_url.rfind("https://", 0) == 0; }
};

// One row per setting: the single source for flags, environment names, TOML keys and the docs.
struct SettingSpec {
    std::string name;          // TOML key and flag name without "--", e.g. "base-url"
    std::string env;           // e.g. "SENGEN_BASE_URL"
    std::string default_text;  // as shown in --help and docs ("" when derived)
    std::string help;
    bool secret = false;  // never printed or logged
};

const std::vector<SettingSpec>& setting_specs();

// A setting's raw text and where it came from ("default", "file", "environment", "flag").
struct RawValue {
    std::string text;
    std::string source;
};
using RawSettings = std::map<std::string, RawValue>;

// Overlay order: each later map wins. Pure: no I/O.
RawSettings merge(const std::vector<RawSettings>& layers);

// Read SENGEN_* variables from the given environment lookup.
RawSettings from_environment(const std::map<std::string, std::string>& env);

// Parse a TOML document's text (the file's contents); errors name the file and line.
Result<RawSettings> from_toml(std::string_view text, std::string_view file_name);

// Whether `host` is a loopback address or name (localhost, 127.x.x.x, ::1).
bool is_loopback_host(std::string_view host);

// Validate every value; the error's fields name each bad setting with code "value" and the
// message text in `Error::detail` lines "setting: bad value 'x' (why)".
Result<Config> build(const RawSettings& raw);

// HOST:PORT with an optional [v6] host, as the listen setting takes it.
bool split_host_port(std::string_view s, std::string& host, std::uint16_t& port);

}  // namespace sengen::config
