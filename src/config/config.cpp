// Settings: one table, layered sources, and validation that names the setting and the bad value.
#include "config/config.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <thread>

#include <toml++/toml.h>

#include "mail/message.hpp"

namespace sengen::config {

const std::vector<SettingSpec>& setting_specs() {
    static const std::vector<SettingSpec> specs = {
        {"listen", "SENGEN_LISTEN", "127.0.0.1:8080", "address and port to serve HTTP on (HOST:PORT)"},
        {"tls-cert", "SENGEN_TLS_CERT", "",
         "PEM file of the certificate (and its chain) to serve HTTPS with on listen; needs tls-key (default: plain "
         "HTTP)"},
        {"tls-key", "SENGEN_TLS_KEY", "", "PEM file of the private key of tls-cert (unencrypted)"},
        {"db", "SENGEN_DB", "sqlite:var/sengen.db", "database: sqlite:PATH or a postgresql:// URL", true},
        {"db-allow-unverified-tls", "SENGEN_DB_ALLOW_UNVERIFIED_TLS", "false",
         "allow a PostgreSQL host beyond loopback without sslmode=verify-full or verify-ca (private networks only; "
         "logged as a warning at start)"},
        {"mail", "SENGEN_MAIL", "file:var/mail", "mail transport: file:DIR, smtp://HOST:PORT or smtps://HOST:PORT"},
        {"base-url", "SENGEN_BASE_URL", "",
         "absolute URL used in mail links (default: http://LISTEN, or https://LISTEN with tls-cert)"},
        {"threads", "SENGEN_THREADS", "",
         "worker threads for HTTP requests, one event loop each (default: twice the number of cores, at least 4)"},
        {"max-body-bytes", "SENGEN_MAX_BODY_BYTES", "1048576", "largest request body accepted; larger gets 413"},
        {"pdf-queue", "SENGEN_PDF_QUEUE", "16",
         "PDF requests that may wait for the render pool besides those being made; more get 503 at once"},
        {"policy-cache-bytes", "SENGEN_POLICY_CACHE_BYTES", "33554432",
         "memory each node may use to keep rendered public policy PDFs and texts (0: no cache)"},
        {"statistics-cache-seconds", "SENGEN_STATISTICS_CACHE_SECONDS", "300",
         "seconds each node keeps the public statistics before counting again"},
        {"read-timeout", "SENGEN_READ_TIMEOUT", "30", "seconds a client may take to send one request"},
        {"write-timeout", "SENGEN_WRITE_TIMEOUT", "30", "seconds a client may take to read one response"},
        {"shutdown-grace", "SENGEN_SHUTDOWN_GRACE", "10", "seconds requests in flight may take to finish on SIGTERM"},
        {"log-level", "SENGEN_LOG_LEVEL", "info", "trace, debug, info, warn, error or off"},
        {"auto-migrate", "SENGEN_AUTO_MIGRATE", "",
         "apply migrations when serving: true/false (default: true on SQLite, false on PostgreSQL)"},
        {"mail-from", "SENGEN_MAIL_FROM", "sengen <no-reply@localhost>", "From: of every mail"},
        {"smtp-user", "SENGEN_SMTP_USER", "", "SMTP AUTH user (optional)"},
        {"smtp-password", "SENGEN_SMTP_PASSWORD", "", "SMTP AUTH password (optional)", true},
        {"smtp-ca-file", "SENGEN_SMTP_CA_FILE", "", "PEM file of CAs to trust for SMTP TLS (a private CA)"},
        {"smtp-starttls", "SENGEN_SMTP_STARTTLS", "true",
         "require STARTTLS on smtp:// (false only allowed for a loopback host)"},
        {"mail-max-attempts", "SENGEN_MAIL_MAX_ATTEMPTS", "8",
         "attempts to send a mail before it is marked failed (`sengen mail retry` queues it again)"},
        {"mail-retry-base-seconds", "SENGEN_MAIL_RETRY_BASE_SECONDS", "30",
         "wait after the first failed attempt; doubled after each further one, at most 6 hours"},
        {"mail-poll-ms", "SENGEN_MAIL_POLL_MS", "1000", "how often each node looks for mail to send"},
        {"id-leading-digit", "SENGEN_ID_LEADING_DIGIT", "1",
         "first digit of every declaration ID this registry issues (1-9; 4 and 5, the first digits of IPA's "
         "SECURITY ACTION IDs, only with allow-ipa-leading-digit)"},
        {"allow-ipa-leading-digit", "SENGEN_ALLOW_IPA_LEADING_DIGIT", "false",
         "true lets id-leading-digit be 4 or 5, so that this registry's IDs look like IPA's SECURITY ACTION IDs"},
        {"operator-profile", "SENGEN_OPERATOR_PROFILE", "demo",
         "who runs this registry: the name of a profile shipped in content/operator/ (demo) or the path of the "
         "operator's own profile file (.toml)"},
        {"subsidy-catalogue", "SENGEN_SUBSIDY_CATALOGUE", "",
         "the subsidy catalogue's file (.toml), reloaded on SIGHUP (default: the shipped content/subsidies.toml)"},
        {"log-key", "SENGEN_LOG_KEY", "",
         "the transparency log's signing key file written by `sengen log keygen`; when set, serve signs "
         "checkpoints and serves /log/* (default: none, /log/* answers 404)"},
        {"log-previous-keys", "SENGEN_LOG_PREVIOUS_KEYS", "",
         "after a key rotation, the verifier keys of the log's earlier signing keys, separated by spaces or "
         "commas; /log/key lists them after the current one (default: none)"},
        {"log-witnesses", "SENGEN_LOG_WITNESSES", "",
         "the witnesses (C2SP tlog-witness) each new checkpoint is submitted to, as URL=VKEY pairs separated by "
         "spaces or commas: the witness's address and its cosigner key, as `sengen witness keygen` prints it "
         "(default: none)"},
        {"log-witnesses-required", "SENGEN_LOG_WITNESSES_REQUIRED", "0",
         "how many witnesses' cosignatures a checkpoint needs before /log/checkpoint serves it; 0 serves the "
         "latest at once, with the cosignatures it has so far"},
        {"mail-limit-per-address", "SENGEN_MAIL_LIMIT_PER_ADDRESS", "30",
         "mails a day to one recipient address, whatever causes them (counted by all nodes together)"},
        {"mail-limit-per-declaration", "SENGEN_MAIL_LIMIT_PER_DECLARATION", "20",
         "mails a day about one declaration or application"},
        {"mail-limit-unproven", "SENGEN_MAIL_LIMIT_UNPROVEN", "5",
         "mails a day to one address that anyone can cause by typing it (applying, resending, changing contact, "
         "signing in to an address no account holds)"},
        {"rate-limit-factor", "SENGEN_RATE_LIMIT_FACTOR", "1",
         "multiplies every rate limit (for load tests; keep 1 in production)"},
        {"trusted-proxies", "SENGEN_TRUSTED_PROXIES", "",
         "reverse proxies (addresses or CIDR networks, comma-separated) whose X-Forwarded-For gives the client's "
         "address"},
        {"metrics-token", "SENGEN_METRICS_TOKEN", "",
         "the bearer token that /metrics asks for (at least 32 characters); none: /metrics answers only loopback "
         "clients whose request no proxy forwarded",
         true},
        {"review-applications", "SENGEN_REVIEW_APPLICATIONS", "false",
         "hold confirmed applications for the operator's review before issuing IDs"},
        {"declarant-second-factor", "SENGEN_DECLARANT_SECOND_FACTOR", "optional",
         "a code from an authenticator app after the mailed sign-in link: optional (each declarant chooses on My "
         "Page) or required (every account sets one up before My Page opens)"},
        // Operators' console (issue 12).
        {"operator-session-idle-minutes", "SENGEN_OPERATOR_SESSION_IDLE_MINUTES", "30",
         "an operator's console session ends after this many minutes without use"},
        {"operator-session-absolute-hours", "SENGEN_OPERATOR_SESSION_ABSOLUTE_HOURS", "12",
         "an operator's console session ends this many hours after signing in, however busy"},
        {"operator-password-hashes", "SENGEN_OPERATOR_PASSWORD_HASHES", "2",
         "operator password hashes (Argon2id, 64 MiB each) one node computes at once"},
        {"pg-pool-size", "SENGEN_PG_POOL_SIZE", "",
         "PostgreSQL connections per node (default: threads + 1, at least 8)"},
    };
    return specs;
}

RawSettings merge(const std::vector<RawSettings>& layers) {
    RawSettings out;
    for (const auto& layer : layers)
        for (const auto& [k, v] : layer) out[k] = v;
    return out;
}

RawSettings from_environment(const std::map<std::string, std::string>& env) {
    RawSettings out;
    for (const auto& s : setting_specs()) {
        auto it = env.find(s.env);
        if (it != env.end()) out[s.name] = {it->second, "environment " + s.env};
    }
    return out;
}

Result<RawSettings> from_toml(std::string_view text, std::string_view file_name) {
    toml::table tbl;
    try {
        tbl = toml::parse(text, file_name);
    } catch (const toml::parse_error& e) {
        std::ostringstream m;
        m << file_name << ":" << e.source().begin.line << ": " << e.description();
        Error err = Error::invalid({{"config", "syntax"}}, "config.syntax");
        err.detail = m.str();
        return fail(std::move(err));
    }
    RawSettings out;
    std::vector<std::string> problems;
    for (const auto& [key, node] : tbl) {
        std::string k{key.str()};
        bool known = false;
        for (const auto& s : setting_specs()) known = known || s.name == k;
        auto line = node.source().begin.line;
        auto where = std::string(file_name) + ":" + std::to_string(line);
        if (!known) {
            problems.push_back(where + ": unknown setting '" + k + "'");
            continue;
        }
        std::string value;
        if (auto s = node.value<std::string>())
            value = *s;
        else if (auto i = node.value<int64_t>())
            value = std::to_string(*i);
        else if (auto b = node.value<bool>())
            value = *b ? "true" : "false";
        else {
            problems.push_back(where + ": setting '" + k + "' must be a string, number or boolean");
            continue;
        }
        out[k] = {value, "file " + where};
    }
    if (!problems.empty()) {
        Error e = Error::invalid({{"config", "file"}}, "config.file");
        for (const auto& p : problems) e.detail += p + "\n";
        return fail(std::move(e));
    }
    return out;
}

namespace {

constexpr std::size_t kMinMetricsTokenChars = 32;

std::optional<long long> parse_int(std::string_view s) {
    long long v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<bool> parse_bool(std::string_view s) {
    if (s == "true" || s == "1" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "0" || s == "no" || s == "off") return false;
    return std::nullopt;
}

// The items of a list setting: separated by commas, spaces or tabs; empty items are skipped.
std::vector<std::string_view> words_of(std::string_view text) {
    std::vector<std::string_view> out;
    while (!text.empty()) {
        const auto end = text.find_first_of(", \t");
        if (end != 0) out.push_back(text.substr(0, end));
        if (end == std::string_view::npos) break;
        text.remove_prefix(end + 1);
    }
    return out;
}

}  // namespace

bool split_host_port(std::string_view s, std::string& host, std::uint16_t& port) {
    auto colon = s.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return false;
    host = std::string(s.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    auto p = parse_int(s.substr(colon + 1));
    if (!p || *p < 0 || *p > 65535) return false;
    port = static_cast<std::uint16_t>(*p);
    return !host.empty() && host.find_first_of(" /?#") == std::string::npos;
}

bool is_loopback_host(std::string_view h) {
    return h == "localhost" || h == "::1" || h == "[::1]" || h.rfind("127.", 0) == 0;
}

namespace {

// The value of `name` in the URL's query (the last one wins, as in libpq), percent-decoded as far
// as a host or an sslmode needs: "%2F" is a slash.
std::optional<std::string> url_parameter(std::string_view url, std::string_view name) {
    const auto q = url.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::optional<std::string> found;
    std::string_view rest = url.substr(q + 1);
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const auto pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) found = std::string(pair.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    if (found)
        for (auto at = found->find("%2"); at != std::string::npos; at = found->find("%2", at + 1))
            if (at + 2 < found->size() && (found->at(at + 2) == 'F' || found->at(at + 2) == 'f'))
                found->replace(at, 3, "/");
    return found;
}

// Whether one host of a PostgreSQL URL is this machine: empty (the default socket), a socket
// directory (a path, "%2F..." in the authority), or a loopback address or name.
bool local_postgres_host(std::string_view host) {
    if (host.empty() || host.front() == '/' || host.rfind("%2F", 0) == 0 || host.rfind("%2f", 0) == 0) return true;
    return is_loopback_host(host);
}

}  // namespace

bool postgres_url_is_local(std::string_view url) {
    const auto scheme = url.find("://");
    if (scheme == std::string_view::npos) return false;
    // hostaddr= is where libpq connects, and host= in the query overrides the authority's hosts.
    const auto all_local = [](std::string_view list) {
        while (true) {
            const auto comma = list.find(',');
            if (!local_postgres_host(list.substr(0, comma))) return false;
            if (comma == std::string_view::npos) return true;
            list.remove_prefix(comma + 1);
        }
    };
    if (auto addr = url_parameter(url, "hostaddr"); addr && !all_local(*addr)) return false;
    if (auto hosts = url_parameter(url, "host")) return all_local(*hosts);
    std::string_view authority = url.substr(scheme + 3);
    authority = authority.substr(0, authority.find_first_of("/?"));
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    while (true) {  // host[:port] or [v6]:port, comma-separated
        const auto comma = authority.find(',');
        std::string_view one = authority.substr(0, comma);
        if (!one.empty() && one.front() == '[')
            one = one.substr(0, one.find(']') + 1);
        else
            one = one.substr(0, one.find(':'));
        if (!local_postgres_host(one)) return false;
        if (comma == std::string_view::npos) break;
        authority.remove_prefix(comma + 1);
    }
    return true;
}

bool postgres_url_verifies_tls(std::string_view url) {
    const auto mode = url_parameter(url, "sslmode");
    return mode && (*mode == "verify-full" || *mode == "verify-ca");
}

Result<Config> build(const RawSettings& raw) {
    Config c;
    std::vector<std::string> problems;
    std::vector<FieldError> fields;
    auto value_of = [&](const std::string& name) -> std::optional<RawValue> {
        auto it = raw.find(name);
        if (it == raw.end() || it->second.text.empty()) return std::nullopt;
        return it->second;
    };
    auto bad = [&](const std::string& name, const RawValue& v, const std::string& why) {
        bool secret = false;
        for (const auto& s : setting_specs())
            if (s.name == name) secret = s.secret;
        std::string shown = secret ? "(hidden)" : "'" + v.text + "'";
        problems.push_back("setting " + name + ": bad value " + shown + " from " + v.source + " (" + why + ")");
        fields.push_back({name, "value"});
    };

    if (auto v = value_of("listen")) {
        if (!split_host_port(v->text, c.listen_host, c.listen_port)) bad("listen", *v, "expected HOST:PORT");
    }
    {
        // Both or neither: half a TLS setup must not fall back to plain HTTP.
        const auto cert = value_of("tls-cert");
        const auto key = value_of("tls-key");
        auto path_setting = [&](const std::string& name, const RawValue& v, std::string& into) {
            if (v.text.find_first_of("\r\n") != std::string::npos)
                bad(name, v, "expected the path of a PEM file");
            else
                into = v.text;
        };
        if (cert) path_setting("tls-cert", *cert, c.tls_cert);
        if (key) path_setting("tls-key", *key, c.tls_key);
        if (cert && !key) bad("tls-cert", *cert, "tls-key must be set too: the private key of this certificate");
        if (key && !cert) bad("tls-key", *key, "tls-cert must be set too: the certificate of this key");
    }
    std::string db = "sqlite:var/sengen.db";
    RawValue db_raw{db, "default"};
    if (auto v = value_of("db")) db_raw = *v;
    db = db_raw.text;
    if (db.rfind("sqlite:", 0) == 0 && db.size() > 7) {
        c.db = {DatabaseTarget::Engine::Sqlite, db.substr(7)};
    } else if (db.rfind("postgresql://", 0) == 0 || db.rfind("postgres://", 0) == 0) {
        c.db = {DatabaseTarget::Engine::Postgres, db};
        // Across a network the database's traffic (every declaration, every session token's hash)
        // must be encrypted to a server whose certificate is checked, unless the operator says the
        // network is private.
        if (!postgres_url_is_local(db) && !postgres_url_verifies_tls(db)) {
            bool allowed = false;
            if (auto v = value_of("db-allow-unverified-tls")) {
                auto b = parse_bool(v->text);
                if (!b) bad("db-allow-unverified-tls", *v, "expected true or false");
                allowed = b.value_or(false);
            }
            if (allowed)
                c.db.unverified_remote = true;
            else
                bad("db", db_raw,
                    "a PostgreSQL host beyond loopback needs sslmode=verify-full (or verify-ca) in the URL; on a "
                    "private network, set db-allow-unverified-tls = true to connect without it");
        }
    } else {
        bad("db", db_raw, "expected sqlite:PATH or postgresql://...");
    }

    RawValue mail_raw{"file:var/mail", "default"};
    if (auto v = value_of("mail")) mail_raw = *v;
    const auto& m = mail_raw.text;
    if (m.rfind("file:", 0) == 0 && m.size() > 5) {
        c.mail.kind = MailTarget::Kind::File;
        c.mail.directory = m.substr(5);
    } else if (m.rfind("smtp://", 0) == 0 || m.rfind("smtps://", 0) == 0) {
        bool tls = m[4] == 's';
        c.mail.kind = tls ? MailTarget::Kind::Smtps : MailTarget::Kind::Smtp;
        auto rest = std::string_view(m).substr(tls ? 8 : 7);
        if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
        if (!split_host_port(rest, c.mail.host, c.mail.port)) bad("mail", mail_raw, "expected smtp://HOST:PORT");
    } else {
        bad("mail", mail_raw, "expected file:DIR, smtp://HOST:PORT or smtps://HOST:PORT");
    }

    if (auto v = value_of("base-url")) {
        std::string u = v->text;
        while (!u.empty() && u.back() == '/') u.pop_back();
        bool scheme = u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0;
        if (!scheme || u.size() <= (u[4] == 's' ? 8u : 7u) || u.find_first_of(" \r\n\t?#") != std::string::npos)
            bad("base-url", *v, "expected an absolute http:// or https:// URL");
        c.base_url = u;
    } else {
        std::string host = c.listen_host.find(':') != std::string::npos ? "[" + c.listen_host + "]" : c.listen_host;
        if (host == "0.0.0.0" || host == "[::]") host = "localhost";
        c.base_url = (c.tls_cert.empty() ? "http://" : "https://") + host + ":" + std::to_string(c.listen_port);
    }

    auto int_setting = [&](const std::string& name, long long lo, long long hi, auto apply) {
        if (auto v = value_of(name)) {
            auto n = parse_int(v->text);
            if (!n || *n < lo || *n > hi)
                bad(name, *v, "expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
            else
                apply(*n);
        }
    };
    // Twice the cores: a request holds its thread's event loop while it waits on the database (a
    // PostgreSQL round trip, an SQLite lock), and the other loops keep the cores busy meanwhile.
    c.threads = std::max(4u, 2 * std::thread::hardware_concurrency());
    int_setting("threads", 1, 256, [&](long long n) { c.threads = static_cast<unsigned>(n); });
    int_setting("max-body-bytes", 1024, 64LL * 1024 * 1024,
                [&](long long n) { c.max_body_bytes = static_cast<std::size_t>(n); });
    int_setting("pdf-queue", 0, 10000, [&](long long n) { c.pdf_queue = static_cast<unsigned>(n); });
    int_setting("policy-cache-bytes", 0, 4LL * 1024 * 1024 * 1024,
                [&](long long n) { c.policy_cache_bytes = static_cast<std::size_t>(n); });
    int_setting("statistics-cache-seconds", 1, 86400,
                [&](long long n) { c.statistics_cache = std::chrono::seconds(n); });
    int_setting("read-timeout", 1, 3600, [&](long long n) { c.read_timeout = std::chrono::seconds(n); });
    int_setting("write-timeout", 1, 3600, [&](long long n) { c.write_timeout = std::chrono::seconds(n); });
    int_setting("shutdown-grace", 0, 3600, [&](long long n) { c.shutdown_grace = std::chrono::seconds(n); });
    int_setting("mail-max-attempts", 1, 100, [&](long long n) { c.mail_max_attempts = static_cast<int>(n); });
    int_setting("mail-retry-base-seconds", 1, 86400, [&](long long n) { c.mail_retry_base = std::chrono::seconds(n); });
    int_setting("operator-session-idle-minutes", 1, 24LL * 60,
                [&](long long n) { c.operator_session_idle = std::chrono::minutes(n); });
    int_setting("operator-session-absolute-hours", 1, 24LL * 7,
                [&](long long n) { c.operator_session_absolute = std::chrono::hours(n); });
    int_setting("operator-password-hashes", 1, 64,
                [&](long long n) { c.operator_password_hashes = static_cast<int>(n); });
    int_setting("mail-poll-ms", 10, 60000, [&](long long n) { c.mail_poll = std::chrono::milliseconds(n); });
    int_setting("mail-limit-per-address", 1, 100000,
                [&](long long n) { c.mail_limit_per_address = static_cast<int>(n); });
    int_setting("mail-limit-per-declaration", 1, 100000,
                [&](long long n) { c.mail_limit_per_declaration = static_cast<int>(n); });
    int_setting("mail-limit-unproven", 1, 100000, [&](long long n) { c.mail_limit_unproven = static_cast<int>(n); });
    int_setting("rate-limit-factor", 1, 100000, [&](long long n) { c.rate_limit_factor = static_cast<int>(n); });
    int_setting("id-leading-digit", 1, 9, [&](long long n) { c.id_leading_digit = static_cast<int>(n); });
    bool allow_ipa_digit = false;
    if (auto v = value_of("allow-ipa-leading-digit")) {
        if (auto b = parse_bool(v->text))
            allow_ipa_digit = *b;
        else
            bad("allow-ipa-leading-digit", *v, "expected true or false");
    }
    if (auto v = value_of("id-leading-digit"); v && !allow_ipa_digit)
        for (int d : kIpaLeadingDigits)
            if (c.id_leading_digit == d)
                bad("id-leading-digit", *v,
                    "IDs starting with 4 or 5 look like IPA's SECURITY ACTION IDs; choose another digit, or set "
                    "allow-ipa-leading-digit = true if this registry must issue them");
    if (auto v = value_of("operator-profile")) {
        const auto& t = v->text;
        const bool name = t.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") == std::string::npos;
        if (name) {
            c.operator_profile = {OperatorProfileSource::Kind::Embedded, t, ""};
        } else if (t.ends_with(".toml") && t.find_first_of("\r\n") == std::string::npos) {
            c.operator_profile = {OperatorProfileSource::Kind::File, "", t};
        } else {
            bad("operator-profile", *v,
                "expected the name of a shipped profile (such as demo) or a path ending in .toml");
        }
    }
    if (auto v = value_of("subsidy-catalogue"); v && !v->text.empty()) {
        if (v->text.ends_with(".toml") && v->text.find_first_of("\r\n") == std::string::npos)
            c.subsidy_catalogue = v->text;
        else
            bad("subsidy-catalogue", *v, "expected the path of a catalogue file ending in .toml");
    }
    if (auto v = value_of("log-key"); v && !v->text.empty()) {
        if (v->text.find_first_of("\r\n") == std::string::npos)
            c.log_key = v->text;
        else
            bad("log-key", *v, "expected the path of the key file `sengen log keygen` wrote");
    }
    // A verifier key as given: NAME+ID+KEY on one line (parsed when serve starts).
    auto looks_like_key = [](std::string_view key) {
        return std::count(key.begin(), key.end(), '+') >= 2 && key.find_first_of("\r\n") == std::string_view::npos;
    };
    if (auto v = value_of("log-previous-keys")) {
        for (std::string_view key : words_of(v->text)) {
            if (looks_like_key(key))
                c.log_previous_keys.emplace_back(key);
            else
                bad("log-previous-keys", *v, "expected verifier keys (NAME+ID+KEY), as `sengen log keygen` prints");
        }
    }
    if (auto v = value_of("log-witnesses")) {
        for (std::string_view pair : words_of(v->text)) {
            // The key's base64 has no '=' (33 bytes), so the last '=' ends the URL, which may hold one.
            const auto eq = pair.rfind('=');
            const std::string_view url = pair.substr(0, eq == std::string_view::npos ? 0 : eq);
            const std::string_view key = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
            const bool web = url.starts_with("https://") || url.starts_with("http://");
            if (web && url.find_first_of("\r\n") == std::string_view::npos && looks_like_key(key))
                c.log_witnesses.push_back({std::string(url), std::string(key)});
            else
                bad("log-witnesses", *v,
                    "expected URL=VKEY pairs: the witness's http(s) address, '=', and its key as `sengen witness "
                    "keygen` prints it");
        }
    }
    int_setting("log-witnesses-required", 0, 100, [&](long long n) { c.log_witnesses_required = static_cast<int>(n); });
    if (auto v = value_of("log-witnesses-required");
        v && c.log_witnesses_required > static_cast<int>(c.log_witnesses.size()))
        bad("log-witnesses-required", *v, "more cosignatures than there are witnesses in log-witnesses");
    if (auto v = value_of("trusted-proxies")) {
        std::string_view rest = v->text;
        while (!rest.empty()) {
            const auto comma = rest.find(',');
            auto item = rest.substr(0, comma);
            while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
            while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
            if (!item.empty()) {
                if (auto n = IpNetwork::parse(item))
                    c.trusted_proxies.push_back(*n);
                else
                    bad("trusted-proxies", *v, "'" + std::string(item) + "' is not an IP address or a CIDR network");
            }
            if (comma == std::string_view::npos) break;
            rest.remove_prefix(comma + 1);
        }
    }
    if (auto v = value_of("review-applications")) {
        if (auto b = parse_bool(v->text))
            c.review_applications = *b;
        else
            bad("review-applications", *v, "expected true or false");
    }
    if (auto v = value_of("declarant-second-factor")) {
        if (v->text == "optional")
            c.declarant_second_factor = DeclarantSecondFactor::Optional;
        else if (v->text == "required")
            c.declarant_second_factor = DeclarantSecondFactor::Required;
        else
            bad("declarant-second-factor", *v, "expected optional or required");
    }
    // One connection for each HTTP thread and one for the mail thread, and never fewer than 8.
    c.pg_pool_size = std::max(8u, c.threads + 1);
    int_setting("pg-pool-size", 1, 512, [&](long long n) { c.pg_pool_size = static_cast<unsigned>(n); });

    if (auto v = value_of("log-level")) {
        static const std::vector<std::string> levels = {"trace", "debug", "info", "warn", "error", "off"};
        if (std::find(levels.begin(), levels.end(), v->text) == levels.end())
            bad("log-level", *v, "expected trace, debug, info, warn, error or off");
        else
            c.log_level = v->text;
    }
    c.auto_migrate = c.db.engine == DatabaseTarget::Engine::Sqlite;
    if (auto v = value_of("auto-migrate")) {
        if (auto b = parse_bool(v->text))
            c.auto_migrate = *b;
        else
            bad("auto-migrate", *v, "expected true or false");
    }
    if (auto v = value_of("smtp-starttls")) {
        if (auto b = parse_bool(v->text))
            c.smtp_starttls = *b;
        else
            bad("smtp-starttls", *v, "expected true or false");
        if (!c.smtp_starttls && c.mail.kind == MailTarget::Kind::Smtp && !is_loopback_host(c.mail.host))
            bad("smtp-starttls", *v, "plain SMTP without STARTTLS is allowed only to a loopback host");
    }
    if (auto v = value_of("mail-from")) {
        if (!mail::parse_mailbox(v->text, "mail-from"))
            bad("mail-from", *v, "expected an address such as 'sengen <no-reply@example.jp>'");
        else
            c.mail_from = v->text;
    }
    if (auto v = value_of("smtp-user")) c.smtp_user = v->text;
    if (auto v = value_of("smtp-password")) c.smtp_password = v->text;
    if (auto v = value_of("smtp-ca-file")) c.smtp_ca_file = v->text;
    if (auto v = value_of("metrics-token")) {
        // Long enough not to be guessed by trying: it is compared in constant time, but not limited.
        if (v->text.size() < kMinMetricsTokenChars || v->text.find_first_of(" \t\r\n") != std::string::npos)
            bad("metrics-token", *v, "expected at least 32 characters without spaces");
        else
            c.metrics_token = v->text;
    }

    if (!problems.empty()) {
        Error e = Error::invalid(std::move(fields), "config.invalid");
        for (const auto& p : problems) e.detail += p + "\n";
        return fail(std::move(e));
    }
    return c;
}

}  // namespace sengen::config
