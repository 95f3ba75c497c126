// The composition root: reads settings, builds the adapters and runs one subcommand.
// Only this file knows which adapters are wired together.
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "app/applications.hpp"
#include "app/assessment.hpp"
#include "app/audit_export.hpp"
#include "app/console.hpp"
#include "app/declarant_codes.hpp"
#include "app/declaration_export.hpp"
#include "app/declaration_import.hpp"
#include "app/declarations.hpp"
#include "app/housekeeping.hpp"
#include "app/log_audit.hpp"
#include "app/lookup.hpp"
#include "app/mail_operations.hpp"
#include "app/operators.hpp"
#include "app/policy.hpp"
#include "app/preparing.hpp"
#include "app/readiness.hpp"
#include "app/registry_context.hpp"
#include "app/reminders.hpp"
#include "app/seed.hpp"
#include "app/sessions.hpp"
#include "app/sign_in.hpp"
#include "app/subsidy_catalogue.hpp"
#include "app/supporters.hpp"
#include "app/transparency_log.hpp"
#include "app/verifications.hpp"
#include "app/verifier_accounts.hpp"
#include "app/verifier_keys.hpp"
#include "app/witness_submission.hpp"
#include "config/config.hpp"
#include "content/edition_loader.hpp"
#include "content/registry_content.hpp"
#include "content/subsidy_source.hpp"
#include "content/template_loader.hpp"
#include "domain/dates.hpp"
#include "domain/identifiers.hpp"
#include "embedded/embedded.hpp"
#include "i18n/catalogue.hpp"
#include "mail/composer.hpp"
#include "mail/outbox_worker.hpp"
#include "mail/transport.hpp"
#include "net/http_client.hpp"
#include "render/assessment_report.hpp"
#include "render/badge.hpp"
#include "render/fonts.hpp"
#include "storage/postgres/pg_store.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "storage/witness_state.hpp"
#include "tlog/cosignature.hpp"
#include "tlog/monitor.hpp"
#include "tlog/note.hpp"
#include "tlog/statement.hpp"
#include "web/app.hpp"
#include "web/catalogue_loader.hpp"
#include "web/render.hpp"
#include "web/server.hpp"
#include "web/static_assets.hpp"
#include "web/witness_service.hpp"

extern char** environ;

namespace {

using namespace sengen;

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

void setup_logging(const std::string& level) {
    // Times in UTC marked Z (ASVS V16.2.2), so lines from nodes in different zones compare directly.
    auto main_log = spdlog::stderr_color_mt("sengen");
    main_log->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(main_log);
    auto access = spdlog::stderr_color_mt("access");
    access->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ access %v", spdlog::pattern_time_type::utc);
    spdlog::set_level(spdlog::level::from_str(level));
}

std::map<std::string, std::string> environment() {
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string_view kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
    }
    return env;
}

// The database adapter chosen by the settings: a Store that can also apply migrations.
// The operators' settings (sessions, set-up links) from the configuration.
app::OperatorSettings operator_settings(const config::Config& c) {
    app::OperatorSettings s;
    s.idle = c.operator_session_idle;
    s.absolute = c.operator_session_absolute;
    s.base_url = c.base_url;
    s.rate_limit_factor = c.rate_limit_factor;
    return s;
}

// The verifier accounts' settings (issue 12 point 7): their sessions last as operators' do.
app::VerifierAccountSettings verifier_account_settings(const config::Config& c) {
    app::VerifierAccountSettings s;
    s.idle = c.operator_session_idle;
    s.absolute = c.operator_session_absolute;
    s.rate_limit_factor = c.rate_limit_factor;
    return s;
}

Result<std::unique_ptr<storage::Database>> open_store(const config::Config& c) {
    if (c.db.engine == config::DatabaseTarget::Engine::Postgres) {
        auto pg = storage::postgres::PgStore::open(c.db.location, c.pg_pool_size);
        if (!pg) return fail(pg.error());
        return std::unique_ptr<storage::Database>(std::move(*pg));
    }
    auto lite = storage::sqlite::SqliteStore::open(c.db.location);
    if (!lite) return fail(lite.error());
    return std::unique_ptr<storage::Database>(std::move(*lite));
}

// The whole of an opened file, read in one call of its size: copying through istreambuf_iterator
// goes a character at a time and regrows the string as it goes, which was a visible part of
// importing a large file. A stream that cannot tell its size (a pipe) is read through its buffer.
std::string read_all(std::ifstream& in) {
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    if (size < 0) {
        in.clear();
        std::ostringstream out;
        out << in.rdbuf();
        return std::move(out).str();
    }
    in.seekg(0, std::ios::beg);
    std::string text(static_cast<std::size_t>(size), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    return text;
}

// The registry's content with the operator profile the settings name: one shipped in the binary,
// or the operator's own file, read here and checked like every content file ("file:line: what").
Result<content::RegistryContent> load_content(const config::Config& c) {
    const auto& source = c.operator_profile;
    if (source.kind == config::OperatorProfileSource::Kind::Embedded)
        return content::load_embedded_registry_content(content::embedded_profile_path(source.name));
    std::ifstream in(source.path);
    if (!in) {
        Error e = Error::invalid({{"operator-profile", "value"}}, "content.invalid");
        e.detail = source.path + ": cannot read the operator profile (setting operator-profile)\n";
        return fail(std::move(e));
    }
    const std::string text = read_all(in);
    return content::load_embedded_registry_content(source.path, text);
}

// Where the subsidy catalogue is read from: the operator's file named by subsidy-catalogue, or the
// one shipped in the binary.
std::unique_ptr<subsidy::CatalogueSource> subsidy_source(const std::string& path) {
    if (path.empty()) return std::make_unique<content::EmbeddedCatalogueSource>();
    return std::make_unique<content::FileCatalogueSource>(path);
}

// "edition 2026-12-1, 11 programmes (2 open)": what the log says of a catalogue in force.
std::string describe(const subsidy::Catalogue& c) {
    return "edition " + c.edition() + ", " + std::to_string(c.programmes().size()) + " programmes (" +
           std::to_string(c.count(subsidy::Status::Open)) + " open)";
}

// Sends the reminders of the rounds open in `catalogue` that no node has sent yet (issue 13 point 5):
// after each reload and once at start, since a round may have opened while no node ran.
void send_reminders(app::Reminders& reminders, const subsidy::Catalogue& catalogue) {
    auto sent = reminders.send_due(catalogue);
    if (!sent) {
        spdlog::error("subsidy reminders: {} {}", sent.error().code, sent.error().detail);
        return;
    }
    spdlog::info(
        "subsidy reminders for edition {}: {} queued, {} held back by the mail limits, {} not sent "
        "(the declaration changed hands)",
        catalogue.edition(), sent->queued, sent->limited, sent->not_owner);
}

// SIGHUP (and, later, the console's button): read the catalogue again; a file that does not load is
// refused and the one in force stays. The reminders of rounds it opens go out.
void reload_subsidies(app::SubsidyCatalogue& subsidies, app::Reminders& reminders) {
    auto r = subsidies.reload();
    if (!r) {
        const auto kept = subsidies.current();
        auto detail = r.error().detail;
        if (detail.ends_with('\n')) detail.pop_back();
        spdlog::error("subsidy catalogue {} refused; {} stays in force:\n{}", kept->file(), describe(*kept), detail);
        return;
    }
    spdlog::info("subsidy catalogue reloaded from {}: {}", r->after->file(), describe(*r->after));
    send_reminders(reminders, *r->after);
}

// `sengen catalogue check FILE`: exit 0 and one line when the file loads, 1 and one line per
// problem ("FILE:LINE: what") when it does not, 2 when it cannot be read.
int run_catalogue_check(const std::string& path) {
    auto content = content::load_embedded_registry_content();
    if (!content) {
        std::cerr << "sengen: content: " << content.error().detail;
        return kExitFailure;
    }
    content::FileCatalogueSource source(path);
    auto text = source.read();
    if (!text) {
        std::cerr << "sengen: catalogue check: " << text.error().detail;
        return kExitUsage;
    }
    auto catalogue = content::load_subsidy_catalogue(*text, path, content::catalogue_references(*content));
    if (!catalogue) {
        std::cerr << catalogue.error().detail;
        return kExitFailure;
    }
    std::cout << path << ": good: " << describe(*catalogue) << "\n";
    return 0;
}

// The signing key in the file `sengen log keygen` or `sengen witness keygen` wrote.
Result<tlog::NoteSigner> read_signer(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return fail(Error{Error::Kind::Invalid, "log.key_unreadable", "cannot read '" + path + "'", {}});
    std::string text = read_all(in);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    auto signer = tlog::NoteSigner::parse(text);
    if (!signer)
        return fail(
            Error{Error::Kind::Invalid, "log.key_malformed", "'" + path + "' is not a signing key of sengen", {}});
    return signer;
}

// The log verifier keys given on the command line (as `where`, e.g. "log monitor: --key"), or
// nullopt after saying on stderr which one is not a log's verifier key.
std::optional<std::vector<tlog::VerifierKey>> log_keys_from(const std::vector<std::string>& texts,
                                                            std::string_view where) {
    std::vector<tlog::VerifierKey> keys;
    for (const std::string& text : texts) {
        auto key = tlog::parse_verifier_key(text);
        if (!key || key->type != tlog::KeyType::Note) {
            std::cerr << "sengen: " << where << ": " << (key ? "not a log's verifier key" : key.error().detail) << "\n";
            return std::nullopt;
        }
        keys.push_back(std::move(*key));
    }
    return keys;
}

// `sengen log keygen --name ORIGIN [--out FILE]`: a new Ed25519 key for the transparency log.
// The signer key goes to FILE, created owner-only and never over an existing file (a key that
// signed checkpoints must not be lost by a slip); the verifier key, which is public, is printed
// alone on the last line for scripts.
int run_log_keygen(const std::string& name, const std::string& out, bool cosigner = false) {
    auto signer = tlog::NoteSigner::generate(name);
    if (!signer) {
        std::cerr << "sengen: log keygen: --name: " << signer.error().detail
                  << " (a schema-less URL such as registry.example.jp/log)\n";
        return kExitUsage;
    }
    const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        std::cerr << "sengen: log keygen: cannot create '" << out << "': " << std::strerror(errno)
                  << (errno == EEXIST ? " (an existing key is never overwritten)" : "") << "\n";
        return kExitFailure;
    }
    const std::string line = signer->format() + "\n";
    std::size_t written = 0;
    while (written < line.size()) {
        const ssize_t n = ::write(fd, line.data() + written, line.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        written += static_cast<std::size_t>(n);
    }
    const bool durable = written == line.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!durable) {
        std::cerr << "sengen: log keygen: could not write '" << out << "'\n";
        std::filesystem::remove(out);
        return kExitFailure;
    }
    std::cout << "signing key written to " << out << " (owner-only; keep it secret and back it up)\n"
              << (cosigner ? "cosigner key (give it to the logs' verifiers):\n" : "verifier key:\n")
              << tlog::format_verifier_key(cosigner ? signer->cosigner() : signer->verifier()) << "\n";
    return 0;
}

// `sengen witness serve --key FILE --state DIR --log VKEY... [--listen HOST:PORT]`: a witness of
// the logs whose verifier keys are given (C2SP tlog-witness), cosigning with the key in FILE
// (made by `sengen witness keygen`) and keeping its record of each log in DIR.
int run_witness_serve(const std::string& key_file, const std::string& state_dir, const std::vector<std::string>& logs,
                      const std::string& listen, const std::string& tls_cert, const std::string& tls_key) {
    auto signer = read_signer(key_file);
    if (!signer) {
        std::cerr << "sengen: witness serve: --key: " << signer.error().detail << "\n";
        return kExitUsage;
    }
    const auto keys = log_keys_from(logs, "witness serve: --log");
    if (!keys) return kExitUsage;
    config::Config config;
    if (!config::split_host_port(listen, config.listen_host, config.listen_port)) {
        std::cerr << "sengen: witness serve: --listen: expected HOST:PORT\n";
        return kExitUsage;
    }
    config.max_body_bytes = std::size_t{64} * 1024;
    if (tls_cert.empty() != tls_key.empty()) {
        std::cerr << "sengen: witness serve: --tls-cert and --tls-key go together\n";
        return kExitUsage;
    }
    config.tls_cert = tls_cert;
    config.tls_key = tls_key;
    auto state = storage::WitnessState::open(state_dir);
    if (!state) {
        std::cerr << "sengen: witness serve: --state: " << state.error().detail << "\n";
        return kExitUsage;
    }
    setup_logging("info");
    SystemClock clock;
    web::WitnessService service(*signer, *keys, **state, clock);
    spdlog::info("witness {} for {} log(s); cosigner key {}", signer->verifier().name, keys->size(),
                 tlog::format_verifier_key(signer->cosigner()));
    return web::serve_handler(config, [&](const web::Request& req) { return service.handle(req); });
}

// A verifier's witness policy from --witness VKEY... (cosigner keys, as `sengen witness keygen`
// prints them) and --witnesses-required K (default: every witness given; none given: none).
struct WitnessPolicy {
    std::vector<tlog::VerifierKey> witnesses;
    int required = 0;
};
std::optional<WitnessPolicy> witness_policy_from(const std::vector<std::string>& texts, int required,
                                                 std::string_view command) {
    WitnessPolicy policy;
    for (const std::string& text : texts) {
        auto key = tlog::parse_verifier_key(text);
        if (!key || key->type != tlog::KeyType::Cosignature) {
            std::cerr << "sengen: " << command
                      << ": --witness: " << (key ? "not a witness's cosigner key" : key.error().detail) << "\n";
            return std::nullopt;
        }
        policy.witnesses.push_back(std::move(*key));
    }
    const int given = static_cast<int>(policy.witnesses.size());
    policy.required = required < 0 ? given : required;
    if (policy.required > given) {
        std::cerr << "sengen: " << command << ": --witnesses-required " << policy.required << " but " << given
                  << " --witness given\n";
        return std::nullopt;
    }
    return policy;
}

// Whether the signed checkpoint `note_text` meets `policy`.
Status check_witnesses(const std::string& note_text, const WitnessPolicy& policy) {
    if (policy.required == 0) return {};
    auto note = tlog::parse_note(note_text);
    if (!note) return fail(note.error());
    return tlog::require_cosignatures(*note, policy.witnesses, policy.required);
}

// Writes `text` to `path` through a temporary file renamed over it, so that a crash leaves the old
// file or the new one, never half of one.
bool replace_file(const std::string& path, const std::string& text) {
    const std::string temporary = path + ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) return false;
    }
    std::error_code ec;
    std::filesystem::rename(temporary, path, ec);
    return !ec;
}

// `sengen log monitor --url BASE --state FILE --key VKEY...`: fetches the log's checkpoint and
// tiles from BASE (the log's prefix, e.g. https://registry.example.jp/log), checks them against
// the checkpoint kept in FILE from the last run (tlog/monitor.hpp), prints each new entry and a
// summary, and keeps the new checkpoint. Exit 0 when all holds; 1 and the reason when the log
// misbehaves (FILE is then left as it was, so every later run fails too until someone looks);
// 2 when it cannot be checked (no answer, an unreadable FILE, a bad key).
int run_log_monitor(std::string base, const std::string& state_file, const std::vector<std::string>& key_texts,
                    const std::vector<std::string>& witness_texts, int witnesses_required) {
    const auto keys = log_keys_from(key_texts, "log monitor: --key");
    if (!keys) return kExitUsage;
    const auto policy = witness_policy_from(witness_texts, witnesses_required, "log monitor");
    if (!policy) return kExitUsage;
    while (!base.empty() && base.back() == '/') base.pop_back();
    std::optional<std::string> previous;
    if (std::filesystem::exists(state_file)) {
        std::ifstream in(state_file, std::ios::binary);
        if (!in) {
            std::cerr << "sengen: log monitor: cannot read '" << state_file << "'\n";
            return kExitUsage;
        }
        previous = read_all(in);
    }
    auto latest = net::http_get(base + "/checkpoint", {.max_bytes = 1 << 16});
    if (!latest) {
        std::cerr << "sengen: log monitor: " << latest.error().detail << "\n";
        return kExitUsage;
    }
    const tlog::TileFetcher fetch = [&](const std::string& path) { return net::http_get(base + "/" + path); };
    auto r = tlog::monitor_log(previous, *latest, *keys, fetch);
    if (r) {
        if (auto witnessed = check_witnesses(*latest, *policy); !witnessed) {
            std::cout << base << ": the checkpoint is not witnessed as required: " << witnessed.error().detail << "\n";
            return kExitFailure;
        }
    }
    if (!r) {
        if (r.error().code.starts_with("tlog.monitor.")) {
            std::cout << base << ": the log is not consistent: " << r.error().detail << "\n";
            return kExitFailure;
        }
        std::cerr << "sengen: log monitor: " << r.error().detail << "\n";
        return kExitUsage;
    }
    std::int64_t index = r->previous_size;
    for (const tlog::LogEntry& e : r->entries)
        std::cout << index++ << " " << e.id << " " << tlog::log_event_code(e.event) << " level " << e.level << " "
                  << lifecycle::to_string(e.status) << " " << dates::rfc3339_utc(e.time) << "\n";
    if (!replace_file(state_file, r->note)) {
        std::cerr << "sengen: log monitor: cannot write '" << state_file << "'\n";
        return kExitUsage;
    }
    std::cout << r->checkpoint.origin << ": consistent; " << r->checkpoint.size << " entries (" << r->entries.size()
              << " new since the last run)\n";
    return 0;
}

// The transparency log's signing key from the file the log-key setting names: the key
// `sengen log keygen` wrote, whose name must be this registry's log origin.
Result<tlog::NoteSigner> load_log_signer(const config::Config& c) {
    auto signer = read_signer(c.log_key);
    if (!signer) return fail(signer.error());
    const std::string origin = app::log_origin_of(c.base_url);
    if (signer->verifier().name != origin)
        return fail(Error{Error::Kind::Invalid,
                          "log.key_name",
                          "the key is named '" + signer->verifier().name + "' but this registry's log is '" + origin +
                              "' (from base-url); make the key with --name " + origin,
                          {}});
    return signer;
}

// The verifier keys of log-previous-keys: each a log key of the same name as the current one,
// and none the current one itself.
Result<std::vector<tlog::VerifierKey>> load_previous_log_keys(const config::Config& c,
                                                              const tlog::NoteSigner& current) {
    std::vector<tlog::VerifierKey> keys;
    for (const std::string& text : c.log_previous_keys) {
        auto key = tlog::parse_verifier_key(text);
        if (!key || key->type != tlog::KeyType::Note)
            return fail(
                Error{Error::Kind::Invalid, "log.previous_key", "'" + text + "' is not a log's verifier key", {}});
        if (key->name != current.verifier().name)
            return fail(Error{Error::Kind::Invalid,
                              "log.previous_key",
                              "'" + text + "' is named '" + key->name + "', not '" + current.verifier().name + "'",
                              {}});
        if (key->key_id == current.verifier().key_id && key->public_key == current.verifier().public_key)
            return fail(Error{Error::Kind::Invalid, "log.previous_key", "the current key is not a previous one", {}});
        keys.push_back(std::move(*key));
    }
    return keys;
}

// A witness slow to answer holds up only its own cosignature: the next checkpoint tries again.
constexpr std::chrono::seconds kWitnessTimeout{5};

// The witnesses of log-witnesses, each with its cosigner key.
Result<std::vector<app::Witness>> load_log_witnesses(const config::Config& c) {
    std::vector<app::Witness> witnesses;
    for (const auto& w : c.log_witnesses) {
        auto key = tlog::parse_verifier_key(w.key);
        if (!key || key->type != tlog::KeyType::Cosignature)
            return fail(Error{Error::Kind::Invalid,
                              "log.witness_key",
                              "'" + w.key + "' is not a witness's cosigner key (as `sengen witness keygen` prints it)",
                              {}});
        std::string url = w.url;
        while (url.ends_with('/')) url.pop_back();
        witnesses.push_back({std::move(url), std::move(*key)});
    }
    return witnesses;
}

// `sengen verify-statement FILE --key VKEY...`: checks a saved statement bundle with no network
// (docs/trust.md). Exit 0 and one line saying what the statement says; 1 and the reason when it
// does not verify; 2 when the file or a key cannot be read.
int run_verify_statement(const std::string& path, const std::vector<std::string>& key_texts,
                         const std::vector<std::string>& witness_texts, int witnesses_required) {
    const auto keys = log_keys_from(key_texts, "verify-statement: --key");
    if (!keys) return kExitUsage;
    const auto policy = witness_policy_from(witness_texts, witnesses_required, "verify-statement");
    if (!policy) return kExitUsage;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "sengen: verify-statement: cannot read '" << path << "'\n";
        return kExitUsage;
    }
    auto bundle = tlog::parse_bundle_json(read_all(in));
    if (!bundle) {
        std::cerr << "sengen: verify-statement: " << path << ": " << bundle.error().detail << "\n";
        return kExitFailure;
    }
    auto verified = tlog::verify_statement(*bundle, *keys);
    if (!verified) {
        std::cout << path << ": does not verify: " << verified.error().detail << "\n";
        return kExitFailure;
    }
    if (auto witnessed = check_witnesses(bundle->checkpoint, *policy); !witnessed) {
        std::cout << path
                  << ": does not verify: the checkpoint is not witnessed as required: " << witnessed.error().detail
                  << "\n";
        return kExitFailure;
    }
    const tlog::LogEntry& e = verified->entry;
    std::cout << path << ": verified: " << e.id << " " << tlog::log_event_code(e.event) << " at "
              << dates::rfc3339_utc(e.time) << ", level " << e.level << ", " << lifecycle::to_string(e.status)
              << "; entry " << verified->leaf_index << " of " << verified->checkpoint.size << " in "
              << verified->checkpoint.origin << "\n";
    return 0;
}

int migrate(storage::Database& store) {
    auto applied = store.migrate();
    if (!applied) {
        spdlog::error("migration failed: {}", applied.error().detail);
        return kExitFailure;
    }
    for (const auto& name : *applied) spdlog::info("applied migration {}", name);
    if (applied->empty()) spdlog::info("database is up to date");
    return 0;
}

// The database of `c`, migrated; nullptr (the reason logged) when it cannot be opened or migrated.
std::unique_ptr<storage::Database> open_migrated_store(const config::Config& c) {
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return nullptr;
    }
    if (migrate(**store) != 0) return nullptr;
    return std::move(*store);
}

// A use case's refusal on stderr: its code and each field's code, for scripts to read.
int refused(const Error& e) {
    std::cerr << "sengen: " << e.code;
    for (const auto& f : e.fields) std::cerr << " " << f.field << ":" << f.code;
    std::cerr << "\n";
    return kExitFailure;
}

// `backup --to FILE`: SQLite's online backup, consistent while serve runs and writes.
int run_backup(const config::Config& c, const std::string& to) {
    if (c.db.engine != config::DatabaseTarget::Engine::Sqlite) {
        std::cerr << "sengen backup: the database is PostgreSQL; back it up with pg_dump (docs/operations.md)\n";
        return kExitUsage;
    }
    if (!std::filesystem::is_regular_file(c.db.location)) {
        spdlog::error("backup: there is no database at {}", c.db.location);
        return kExitFailure;
    }
    auto store = storage::sqlite::SqliteStore::open(c.db.location);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitFailure;
    }
    if (auto ok = (*store)->backup_to(to); !ok) {
        spdlog::error("backup failed: {}", ok.error().detail);
        return kExitFailure;
    }
    spdlog::info("backed up {} to {} (integrity check: ok)", c.db.location, to);
    return 0;
}

// `restore --from FILE`: replaces the SQLite database with a checked backup. Stop serve first.
int run_restore(const config::Config& c, const std::string& from) {
    if (c.db.engine != config::DatabaseTarget::Engine::Sqlite) {
        std::cerr << "sengen restore: the database is PostgreSQL; restore it with pg_restore (docs/operations.md)\n";
        return kExitUsage;
    }
    if (auto ok = storage::sqlite::SqliteStore::restore(from, c.db.location); !ok) {
        if (ok.error().kind == Error::Kind::Invalid)
            spdlog::error("refusing to restore from {}: {}", from, ok.error().detail);
        else
            spdlog::error("restore failed: {}", ok.error().detail);
        return kExitFailure;
    }
    spdlog::info("restored {} from {}", c.db.location, from);
    return 0;
}

int run_serve(const config::Config& c) {
    // SIGHUP asks for the subsidy catalogue to be read again; until the server listens and handles
    // it, it is ignored rather than ending the process (the catalogue is read during start anyway).
    std::signal(SIGHUP, SIG_IGN);
    // Before the database: a certificate or key that cannot be used stops the start here, named.
    if (auto tls = web::check_tls(c); !tls) {
        spdlog::error("{}", tls.error().detail);
        return kExitFailure;
    }
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitFailure;
    }
    if (c.auto_migrate)
        if (int rc = migrate(**store); rc != 0) return rc;
    auto catalogue = web::load_embedded_catalogue();
    if (!catalogue) {
        spdlog::error("message catalogue: {}", catalogue.error().detail);
        return kExitFailure;
    }
    auto content = load_content(c);
    if (!content) {
        spdlog::error("content: {}", content.error().detail);
        return kExitFailure;
    }
    if (c.db.unverified_remote)
        spdlog::warn(
            "the PostgreSQL server is beyond loopback and its TLS certificate is not verified "
            "(db-allow-unverified-tls): "
            "use this only on a private network you trust, or add sslmode=verify-full to the db URL");
    const auto& profile = content->operator_profile;
    // A demonstration reachable from other machines may be taken for a real registry.
    if (profile.demo() && !config::is_loopback_host(c.listen_host))
        spdlog::warn(
            "serving the demonstration operator profile on {}: every page says it is a demonstration and its IDs mean "
            "nothing; set operator-profile to the operator's own profile before real declarants use it",
            c.listen_host);
    auto subsidy_text = subsidy_source(c.subsidy_catalogue);
    auto subsidies = app::SubsidyCatalogue::open(*subsidy_text, content::catalogue_references(*content));
    if (!subsidies) {
        spdlog::error("subsidy catalogue (setting subsidy-catalogue):\n{}", subsidies.error().detail);
        return kExitFailure;
    }
    spdlog::info("subsidy catalogue {}: {}", (*subsidies)->current()->file(), describe(*(*subsidies)->current()));
    auto renderer = web::Renderer::load(*catalogue, &profile);
    if (!renderer) {
        spdlog::error("templates: {}", renderer.error().detail);
        return kExitFailure;
    }
    auto assessments = content::load_embedded_editions();
    if (!assessments) {
        spdlog::error("self-assessment content:\n{}", assessments.error().detail);
        return kExitFailure;
    }
    auto policy_templates = content::load_embedded_policy_templates();
    if (!policy_templates) {
        spdlog::error("policy template content:\n{}", policy_templates.error().detail);
        return kExitFailure;
    }
    render::warm_up();  // fontconfig and the CJK fonts, before the first PDF is asked for
    if (auto family = render::document_font_in_use(); family != render::kDocumentFont)
        spdlog::warn(
            "font: {} is not installed, so PDFs and badges use {} and come out larger and slower "
            "(Debian: apt-get install fonts-morisawa-bizud-gothic)",
            render::kDocumentFont, family.empty() ? "no font" : family);
    SystemClock clock;
    auto transport = mail::make_transport(c);
    if (!transport) {
        spdlog::error("mail transport: {}", transport.error().detail);
        return kExitFailure;
    }
    mail::WorkerSettings mail_settings;
    mail_settings.poll = c.mail_poll;
    mail_settings.max_attempts = c.mail_max_attempts;
    mail_settings.retry_base = c.mail_retry_base;
    mail::OutboxWorker mail_worker(**store, **transport, clock, mail_settings);
    auto from = mail::parse_mailbox(c.mail_from, "mail-from");
    if (!from) return kExitUsage;  // config::build has already checked it
    mail::MailComposer composer(*catalogue, clock, *from, c.base_url, &profile);
    app::RegistrySettings registry_settings;
    registry_settings.id_leading_digit = c.id_leading_digit;
    registry_settings.hold_for_review = c.review_applications;
    registry_settings.base_url = c.base_url;
    registry_settings.rate_limit_factor = c.rate_limit_factor;
    registry_settings.mail_limits = {c.mail_limit_per_address, c.mail_limit_per_declaration, c.mail_limit_unproven};
    registry_settings.log_origin = app::log_origin_of(c.base_url);
    app::RegistryContext registry(**store, clock, composer, *content, registry_settings);
    app::Applications applications(registry);
    app::SignIn signin(registry);
    app::Declarations declarations(registry);
    app::Lookup lookup(registry);
    render::warm_up_badges();
    web::Metrics metrics;
    web::StaticAssets assets;
    render::BadgeArtwork artwork;
    app::Policies policies(**store, clock, *policy_templates, c.base_url);
    app::Sessions sessions(**store, clock);
    app::SavedAssessments saved_assessments(**store, clock);
    app::Readiness readiness(**store);
    web::DownloadCache policy_downloads(c.policy_cache_bytes);
    // The operators' console (issue 12).
    app::PasswordHasher password_hasher(c.operator_password_hashes);
    const auto password_policy = app::PasswordPolicy::embedded();
    app::Operators operators(**store, clock, password_hasher, password_policy, operator_settings(c));
    app::Console console(**store, clock);
    app::Verifications verifications(registry);
    app::StatisticsCache statistics(**store, clock, c.statistics_cache);
    // The verifiers' bulk verification page (issue 12 point 7): accounts bound to verifier keys.
    app::VerifierAccounts verifier_accounts(registry, password_hasher, password_policy, verifications,
                                            verifier_account_settings(c));
    app::Reminders reminders(registry, **subsidies);
    app::Supporters supporters(registry);
    app::Preparing preparing(registry, policies);
    app::DeclarantCodes declarant_codes(
        registry, {.rule = c.declarant_second_factor, .rate_limit_factor = static_cast<double>(c.rate_limit_factor)});
    web::Services services{.config = c,
                           .clock = clock,
                           .catalogue = *catalogue,
                           .renderer = **renderer,
                           .metrics = metrics,
                           .registry = registry,
                           .applications = applications,
                           .signin = signin,
                           .declarations = declarations,
                           .lookup = lookup,
                           .artwork = artwork,
                           .assessments = *assessments,
                           .policies = &policies,
                           .policy_downloads = &policy_downloads,
                           .sessions = sessions,
                           .saved_assessments = saved_assessments,
                           .readiness = readiness,
                           .operators = &operators,
                           .console = &console,
                           .verifications = &verifications,
                           .statistics = &statistics,
                           .verifier_accounts = &verifier_accounts,
                           .subsidies = subsidies->get(),
                           .reminders = &reminders,
                           .supporters = &supporters,
                           .preparing = &preparing,
                           .declarant_codes = &declarant_codes};
    // The transparency log (issue 14, ADR 46): with a signing key, this node signs checkpoints and
    // serves /log/*; entries are appended either way.
    auto witnesses = load_log_witnesses(c);
    if (!witnesses) {
        spdlog::error("log-witnesses: {}", witnesses.error().detail);
        return kExitFailure;
    }
    app::TransparencyLog transparency_log(**store, clock, {!witnesses->empty(), c.log_witnesses_required});
    std::optional<tlog::NoteSigner> log_signer;
    std::vector<tlog::VerifierKey> log_previous_keys;
    if (!c.log_key.empty()) {
        auto signer = load_log_signer(c);
        if (!signer) {
            spdlog::error("log-key: {}", signer.error().detail);
            return kExitFailure;
        }
        auto previous = load_previous_log_keys(c, *signer);
        if (!previous) {
            spdlog::error("log-previous-keys: {}", previous.error().detail);
            return kExitFailure;
        }
        log_previous_keys = std::move(*previous);
        log_signer.emplace(std::move(*signer));
        services.transparency_log = &transparency_log;
        services.log_signer = &*log_signer;
        services.log_previous_keys = &log_previous_keys;
    } else if (!c.log_previous_keys.empty() || !witnesses->empty()) {
        spdlog::error("{}: set without log-key", c.log_previous_keys.empty() ? "log-witnesses" : "log-previous-keys");
        return kExitFailure;
    }
    // The tiles most asked for (a monitor or a mirror reads the newest, a verifier its own
    // declaration's), kept in memory by path: 16 MB holds about 2,000 hash tiles or 350 bundles.
    web::DownloadCache log_tiles(std::size_t{16} << 20);
    services.log_tiles = &log_tiles;
    std::vector<tlog::VerifierKey> witness_keys;
    for (const auto& w : *witnesses) witness_keys.push_back(w.key);
    services.log_witnesses = &witness_keys;
    services.log_witnesses_required = c.log_witnesses_required;
    // The only HTTP requests serve makes: to the witnesses' addresses of its settings.
    std::optional<app::WitnessSubmitter> witness_submitter;
    if (!witnesses->empty())
        witness_submitter.emplace(transparency_log, std::move(*witnesses),
                                  [](const std::string& url, const std::string& body) -> Result<app::WitnessReply> {
                                      auto answer = net::http_post(url, body, "text/plain; charset=utf-8",
                                                                   {.max_bytes = 1 << 16, .timeout = kWitnessTimeout});
                                      if (!answer) return fail(answer.error());
                                      return app::WitnessReply{answer->status, std::move(answer->body)};
                                  });
    std::optional<app::Checkpointer> checkpointer;
    if (log_signer)
        checkpointer.emplace(transparency_log, *log_signer, witness_submitter ? &*witness_submitter : nullptr);
    web::App app(services, assets);
    if (witness_submitter) witness_submitter->start();
    if (checkpointer) checkpointer->start();
    mail_worker.start();
    app::Housekeeper housekeeper(**store, clock);
    housekeeper.start();
    web::ServeHooks hooks;
    hooks.on_hangup = [&subsidies, &reminders] { reload_subsidies(**subsidies, reminders); };
    // The rounds open at start: beside serving, so a long pass does not hold up the node's start.
    std::thread start_reminders([&subsidies, &reminders] { send_reminders(reminders, *(*subsidies)->current()); });
    const int rc = web::serve(c, app, hooks);
    start_reminders.join();
    housekeeper.stop();
    if (checkpointer) checkpointer->stop();
    if (witness_submitter) witness_submitter->stop();
    mail_worker.stop();
    return rc;
}

// `sengen declaration show|revoke|reinstate ID`: the operator's actions on one declaration (the
// console comes later). Each is recorded in the audit log as operator:cli.
struct DeclarationCommand {
    CLI::App* show = nullptr;
    CLI::App* revoke = nullptr;
    CLI::App* reinstate = nullptr;
    CLI::App* pending = nullptr;
    CLI::App* approve = nullptr;
    CLI::App* reject = nullptr;
    std::string id;
    std::int64_t application = 0;
    std::string reason;
};

// The registry with the adapters of `c`, for the CLI's one-shot commands.
struct CliRegistry {
    std::unique_ptr<storage::Database> store;
    SystemClock clock;
    std::optional<i18n::Catalogue> catalogue;
    std::optional<content::RegistryContent> content;
    std::optional<mail::MailComposer> composer;
    std::optional<app::RegistryContext> registry;
    std::optional<app::Declarations> declarations;
    std::optional<app::Lookup> lookup;
};

Result<std::unique_ptr<CliRegistry>> open_registry(const config::Config& c) {
    auto r = std::make_unique<CliRegistry>();
    auto store = open_store(c);
    if (!store) return fail(store.error());
    r->store = std::move(*store);
    auto catalogue = web::load_embedded_catalogue();
    if (!catalogue) return fail(catalogue.error());
    r->catalogue = std::move(*catalogue);
    auto content = load_content(c);
    if (!content) return fail(content.error());
    r->content = std::move(*content);
    auto from = mail::parse_mailbox(c.mail_from, "mail-from");
    if (!from) return fail(from.error());
    r->composer.emplace(*r->catalogue, r->clock, *from, c.base_url, &r->content->operator_profile);
    app::RegistrySettings settings;
    settings.id_leading_digit = c.id_leading_digit;
    settings.base_url = c.base_url;
    settings.mail_limits = {c.mail_limit_per_address, c.mail_limit_per_declaration, c.mail_limit_unproven};
    settings.log_origin = app::log_origin_of(c.base_url);
    r->registry.emplace(*r->store, r->clock, *r->composer, *r->content, settings);
    r->declarations.emplace(*r->registry);
    r->lookup.emplace(*r->registry);
    return r;
}

// `sengen disputes list`: the claims to corporate numbers that already had a live declaration,
// oldest first, until the operator's console (a later issue) settles them.
int run_disputes(const config::Config& c) {
    auto r = open_registry(c);
    if (!r) {
        spdlog::error("{}", r.error().detail.empty() ? r.error().code : r.error().detail);
        return kExitFailure;
    }
    auto list = (*r)->declarations->open_disputes(1000);
    if (!list) {
        std::cerr << "sengen: " << list.error().code << "\n";
        return kExitFailure;
    }
    std::cout << "dispute\topened\tcorporate_number\tclaim\tclaim_business_name\tclaim_contact\tholder_id\t"
                 "holder_business_name\n";
    for (const auto& d : *list)
        std::cout << d.id << "\t" << dates::japan_iso_date(d.opened_at) << "\t" << d.corporate_number << "\t"
                  << d.claim_id << "\t" << d.claim_business_name << "\t" << d.claim_contact_email << "\t"
                  << (d.holder_public_id ? d.holder_public_id->digits() : std::string()) << "\t"
                  << d.holder_business_name << "\n";
    std::cout << list->size() << " open\n";
    return 0;
}

int run_declaration(const config::Config& c, const DeclarationCommand& cmd) {
    auto r = open_registry(c);
    if (!r) {
        spdlog::error("{}", r.error().detail.empty() ? r.error().code : r.error().detail);
        return kExitFailure;
    }
    auto& declarations = *(*r)->declarations;
    auto print = [](const PublicDeclaration& p) {
        std::cout << "id: " << p.public_id.digits() << "\nbusiness_name: " << p.business_name << "\nlevel: " << p.level
                  << "\nstatus: " << lifecycle::to_string(p.status) << "\n";
        if (!p.end_reason.empty()) std::cout << "reason: " << p.end_reason << "\n";
    };
    if (cmd.pending->parsed()) {
        auto list = declarations.awaiting_review(1000);
        if (!list) {
            std::cerr << "sengen: " << list.error().code << "\n";
            return kExitFailure;
        }
        for (const auto& d : *list)
            std::cout << d.id << "\t" << d.details.business_name << "\t" << d.details.corporate_number << "\t"
                      << d.details.contact_email << "\n";
        std::cout << list->size() << " awaiting review\n";
        return 0;
    }
    if (cmd.approve->parsed() || cmd.reject->parsed()) {
        auto d = cmd.approve->parsed() ? declarations.approve(cmd.application, "operator:cli")
                                       : declarations.reject(cmd.application, cmd.reason, "operator:cli");
        if (!d) {
            std::cerr << "sengen: " << d.error().code << "\n";
            return kExitFailure;
        }
        std::cout << "application " << d->id << ": " << lifecycle::to_string(d->state.status)
                  << (d->public_id ? ", id " + d->public_id->digits() : std::string()) << "\n";
        return 0;
    }
    if (cmd.show->parsed()) {
        app::Caller operator_at_console;
        operator_at_console.ip = "cli";
        auto p = (*r)->lookup->verify(DeclarationId::parse(cmd.id), operator_at_console);
        if (!p) {
            std::cerr << "sengen: " << p.error().code << "\n";
            return kExitFailure;
        }
        print(*p);
        return 0;
    }
    const bool revoking = cmd.revoke->parsed();
    auto parsed = DeclarationId::parse(cmd.id);
    if (!parsed.id) {
        std::cerr << "sengen: not a declaration ID: " << cmd.id << "\n";
        return kExitUsage;
    }
    auto d = revoking ? declarations.revoke(*parsed.id, cmd.reason, "operator:cli")
                      : declarations.reinstate(*parsed.id, cmd.reason, "operator:cli");
    if (!d) {
        std::cerr << "sengen: " << d.error().code << "\n";
        return kExitFailure;
    }
    print(public_view(*d));
    return 0;
}

// `sengen operator create --email E --role admin|staff`: a new operator account; prints the
// one-time set-up link where the operator chooses a password and sets up TOTP (no password is
// ever given on the command line).
struct OperatorCommand {
    CLI::App* create = nullptr;
    std::string email;
    std::string role;
};

int run_operator(const config::Config& c, const OperatorCommand& cmd) {
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitFailure;
    }
    SystemClock clock;
    app::PasswordHasher hasher(1);
    const auto policy = app::PasswordPolicy::embedded();
    app::Operators operators(**store, clock, hasher, policy, operator_settings(c));
    auto role = parse_operator_role(cmd.role);
    if (!role) {
        std::cerr << "sengen: --role must be admin or staff\n";
        return kExitUsage;
    }
    auto made = operators.create(cmd.email, *role, "operator:cli", "cli");
    if (!made) {
        std::cerr << "sengen: " << made.error().code << "\n";
        return made.error().kind == Error::Kind::Invalid ? kExitUsage : kExitFailure;
    }
    std::cout << "operator " << made->id << " created (" << to_string(*role) << "); set-up link, valid until "
              << dates::rfc3339_utc(made->expires_at) << ", usable once:\n"
              << made->setup_link << "\n";
    return 0;
}

// --- `sengen verifier-key create|list|revoke` (issue 12): verifiers' API keys -------------------
struct VerifierKeyCommand {
    CLI::App* create = nullptr;
    CLI::App* list = nullptr;
    CLI::App* revoke = nullptr;
    std::string name;
    int rate = app::VerifierKeys::kDefaultIdsPerMinute;
    std::string key;  // its number or name
};

int run_verifier_key(const config::Config& c, const VerifierKeyCommand& cmd) {
    auto store = open_migrated_store(c);
    if (!store) return kExitFailure;
    SystemClock clock;
    app::VerifierKeys keys(*store, clock);
    if (cmd.create->parsed()) {
        auto made = keys.create(cmd.name, cmd.rate, "operator:cli", "cli");
        if (!made) return refused(made.error());
        // The key alone on the last line, for scripts: `sengen verifier-key create ... | tail -n 1`.
        std::cout << "verifier key " << made->key.id << " (" << made->key.name << "), " << made->key.ids_per_minute
                  << " IDs per minute. Shown once; only its hash is kept:\n"
                  << made->secret << "\n";
        return 0;
    }
    if (cmd.revoke->parsed()) {
        auto k = keys.revoke(cmd.key, "operator:cli", "cli");
        if (!k) return refused(k.error());
        std::cout << "revoked verifier key " << k->id << " (" << k->name << ")\n";
        return 0;
    }
    auto list = keys.list();
    if (!list) return refused(list.error());
    std::cout << "id\tname\tids_per_minute\tcreated\trevoked\n";
    for (const auto& k : *list)
        std::cout << k.id << "\t" << k.name << "\t" << k.ids_per_minute << "\t" << dates::japan_iso_date(k.created_at)
                  << "\t" << (k.revoked_at ? dates::japan_iso_date(*k.revoked_at) : std::string("-")) << "\n";
    return 0;
}

// --- `sengen verifier-account list|disable` (ADR 0037): the accounts key holders made ------------
struct VerifierAccountCommand {
    CLI::App* list = nullptr;
    CLI::App* disable = nullptr;
    std::int64_t key = 0;  // list: only this key's accounts (0: every key's)
    std::string email;     // disable: the account's address
};

int run_verifier_account(const config::Config& c, const VerifierAccountCommand& cmd) {
    auto store = open_migrated_store(c);
    if (!store) return kExitFailure;
    SystemClock clock;
    app::VerifierKeys keys(*store, clock);
    if (cmd.disable->parsed()) {
        auto a = keys.disable_account(cmd.email, "operator:cli", "cli");
        if (!a) return refused(a.error());
        std::cout << "disabled verifier account " << a->id << " (" << a->email << ") of key " << a->key_id
                  << "; its sessions have ended\n";
        return 0;
    }
    auto list = keys.accounts(cmd.key != 0 ? std::optional(cmd.key) : std::nullopt);
    if (!list) return refused(list.error());
    std::cout << "id\temail\tkey\tkey_name\tcreated\tlast_sign_in\tstatus\n";
    for (const auto& a : *list) {
        // "disabled" when an operator stopped it; "key_revoked" when it can sign in but not verify.
        const std::string status = a.disabled_at   ? "disabled " + dates::japan_iso_date(*a.disabled_at)
                                   : a.key_revoked ? std::string("key_revoked")
                                                   : std::string("active");
        std::cout << a.id << "\t" << a.email << "\t" << a.key_id << "\t" << a.key_name << "\t"
                  << dates::japan_iso_date(a.created_at) << "\t"
                  << (a.last_signed_in_at ? dates::rfc3339_utc(*a.last_signed_in_at) : std::string("-")) << "\t"
                  << status << "\n";
    }
    return 0;
}

// --- `sengen sessions end --email E`: sign a declarant out everywhere (ASVS V7.4.5) ---------------
int run_sessions_end(const config::Config& c, const std::string& email, const std::string& reason) {
    auto store = open_migrated_store(c);
    if (!store) return kExitFailure;
    SystemClock clock;
    app::Console console(*store, clock);
    auto ended = console.end_account_sessions(email, reason, "operator:cli", "cli");
    if (!ended) return refused(ended.error());
    std::cout << "ended " << *ended << " session(s) of the account of " << email << "\n";
    return 0;
}

// Whether `sengen seed` may write invented declarations into a registry that is not the demonstration.
enum class SeedForce { No, Yes };

int run_seed(const config::Config& c, std::int64_t count, std::uint64_t random_seed, SeedForce force) {
    auto r = open_registry(c);
    if (!r) {
        spdlog::error("{}", r.error().detail.empty() ? r.error().code : r.error().detail);
        return kExitFailure;
    }
    // Invented declarations are public at once and cannot be removed: a registry with an operator
    // profile of its own is taken for a real one, and gets them only when asked twice.
    if (!(*r)->content->operator_profile.demo() && force == SeedForce::No) {
        spdlog::error(
            "seed refused: the operator profile is not the demonstration one, so this looks like a real registry; "
            "invented declarations would be public at once and cannot be removed (pass --force to seed anyway)");
        return kExitUsage;
    }
    if (int rc = migrate(*(*r)->store); rc != 0) return rc;
    const auto started = std::chrono::steady_clock::now();
    auto made = app::seed_declarations(*(*r)->store, *(*r)->content, (*r)->clock, count, c.id_leading_digit,
                                       random_seed, [&](std::int64_t n) {
                                           if (n % 100000 == 0 || n == count) spdlog::info("seeded {} declarations", n);
                                       });
    if (!made) {
        spdlog::error("seeding failed: {}", made.error().detail);
        return kExitFailure;
    }
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::cout << "created " << made->created << " declarations in " << secs << " s (first "
              << (made->first_id ? made->first_id->digits() : std::string()) << ", last "
              << (made->last_id ? made->last_id->digits() : std::string()) << ")\n";
    return 0;
}

// `sengen mail list|retry|test`: the operator's view of the outbox.
struct MailCommand {
    CLI::App* list = nullptr;
    CLI::App* retry = nullptr;
    CLI::App* test = nullptr;
    bool only_failed = false;
    std::size_t limit = 50;
    std::int64_t id = 0;
    std::string to;
    Lang lang = Lang::Ja;
};

int run_mail(const config::Config& c, const MailCommand& m) {
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitFailure;
    }
    Store& db = **store;
    SystemClock clock;
    const std::string actor = "operator:cli";
    if (*m.list) {
        auto state = m.only_failed ? std::optional(OutboxEntry::State::Failed) : std::nullopt;
        auto mails = app::list_mail(db, state, m.limit);
        if (!mails) {
            spdlog::error("cannot list mail: {}", mails.error().detail);
            return kExitFailure;
        }
        // One line per mail, tab-separated; an error text from a server cannot break the columns.
        auto cell = [](std::string s) {
            for (auto& ch : s)
                if (ch == '\t' || ch == '\r' || ch == '\n') ch = ' ';
            return s;
        };
        std::cout << "id\tstate\tattempts\trecipient\tsubject\tlast_error\n";
        for (const auto& e : *mails)
            std::cout << e.id << '\t' << to_string(e.state) << '\t' << e.attempts << '\t' << cell(e.recipient) << '\t'
                      << cell(e.subject) << '\t' << cell(e.last_error) << '\n';
        return 0;
    }
    if (*m.retry) {
        auto ok = app::retry_failed_mail(db, clock, m.id, actor);
        if (!ok) {
            std::cerr << "sengen: mail retry: " << ok.error().detail << "\n";
            return ok.error().kind == Error::Kind::NotFound ? kExitUsage : kExitFailure;
        }
        std::cout << "mail " << m.id << " is pending again\n";
        return 0;
    }
    auto catalogue = web::load_embedded_catalogue();
    if (!catalogue) {
        spdlog::error("message catalogue: {}", catalogue.error().detail);
        return kExitFailure;
    }
    auto from = mail::parse_mailbox(c.mail_from, "mail-from");
    if (!from) return kExitUsage;  // config::build has already checked it
    auto content = load_content(c);
    if (!content) {
        spdlog::error("content: {}", content.error().detail);
        return kExitFailure;
    }
    mail::MailComposer composer(*catalogue, clock, *from, c.base_url, &content->operator_profile);
    auto id = app::queue_test_mail(db, composer, clock, m.to, m.lang, actor);
    if (!id) {
        std::cerr << "sengen: mail test: " << (id.error().kind == Error::Kind::Invalid ? "not a usable address: " : "")
                  << id.error().detail << "\n";
        return id.error().kind == Error::Kind::Invalid ? kExitUsage : kExitFailure;
    }
    std::cout << "queued test mail " << *id << "; a running `sengen serve` sends it\n";
    return 0;
}

// --- audit export (issue 12) ----------------------------------------------------------------------

struct AuditCommand {
    CLI::App* exporter = nullptr;
    std::string since;
    std::string until;  // "" for today in Japan
};

// `sengen audit export --since DATE [--until DATE]`: JSON lines on stdout, nothing else there.
int run_audit(const config::Config& c, const AuditCommand& a) {
    auto since = dates::parse_iso_date(a.since);
    if (!since) {
        std::cerr << "sengen: audit export: --since must be a date YYYY-MM-DD, not '" << a.since << "'\n";
        return kExitUsage;
    }
    auto until =
        a.until.empty() ? std::optional(dates::japan_date(SystemClock().now())) : dates::parse_iso_date(a.until);
    if (!until) {
        std::cerr << "sengen: audit export: --until must be a date YYYY-MM-DD, not '" << a.until << "'\n";
        return kExitUsage;
    }
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitFailure;
    }
    auto n = app::export_audit(**store, *since, *until, std::cout);
    if (!n) {
        std::cerr << "sengen: audit export: " << n.error().detail << "\n";
        return kExitFailure;
    }
    spdlog::info("exported {} audit events", *n);
    return 0;
}

// `sengen export --format csv|xlsx --output FILE`: every declaration, for the operator. The file
// is written beside its final name and renamed at the end, so a failed export leaves no half file.
// `sengen log audit`: every declaration's public record against its latest log entry
// (app/log_audit.hpp). Prints one line per finding and a summary; exit 0 when every record
// matches, 1 when any does not, 2 when the database cannot be read.
int run_log_audit(const config::Config& c) {
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitUsage;
    }
    auto report = app::audit_log(**store);
    if (!report) {
        std::cerr << "sengen: log audit: " << report.error().code << " " << report.error().detail << "\n";
        return kExitUsage;
    }
    for (const auto& f : report->findings) {
        static constexpr std::string_view kKinds[] = {"not_logged", "record_changed", "state_changed", "bad_entry",
                                                      "no_salt"};
        std::cout << f.public_id << " " << kKinds[static_cast<int>(f.kind)] << ": " << f.detail << "\n";
    }
    const auto problems = static_cast<std::int64_t>(report->findings.size()) + report->findings_not_listed;
    if (report->findings_not_listed > 0) std::cout << "(" << report->findings_not_listed << " more not listed)\n";
    std::cout << report->declarations << " declarations checked: " << report->matching
              << " match their latest log entry, " << report->before_the_log
              << " were issued before the log began and have not changed since, " << problems
              << (problems == 1 ? " does not match\n" : " do not match\n");
    return problems == 0 ? 0 : kExitFailure;
}

int run_export(const config::Config& c, app::ExportFormat format, const std::string& output) {
    auto store = open_store(c);
    if (!store) {
        spdlog::error("cannot open the database: {}", store.error().detail);
        return kExitFailure;
    }
    const std::string partial = output + ".partial";
    Result<std::size_t> n = 0;
    if (format == app::ExportFormat::Csv) {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) {
            std::cerr << "sengen: export: cannot write '" << output << "'\n";
            return kExitFailure;
        }
        n = app::export_declarations_csv(**store, out);
    } else {
        n = app::export_declarations_xlsx(**store, partial);
    }
    std::error_code ec;
    if (!n) {
        std::filesystem::remove(partial, ec);
        std::cerr << "sengen: export: " << n.error().detail << "\n";
        return kExitFailure;
    }
    std::filesystem::rename(partial, output, ec);
    if (ec) {
        std::cerr << "sengen: export: cannot write '" << output << "': " << ec.message() << "\n";
        return kExitFailure;
    }
    std::cout << "exported " << *n << " declarations to " << output << "\n";
    return 0;
}

// --- `sengen import FILE.csv [--dry-run]` (issue 12, point 9) ---------------------------------------

// Reads the whole file, checks every row and writes all of it or nothing. Each problem goes to
// stderr as "FILE:LINE: column: what [code]"; one summary line goes to stdout. Exit 0 when the
// file is good (written, or would be on a dry run), 1 when it is refused or the database fails,
// 2 when the file cannot be read.
int run_import(const config::Config& c, const std::string& path, app::ImportMode mode) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::cerr << "sengen: import: cannot read '" << path << "'\n";
        return kExitUsage;
    }
    const std::string text = read_all(in);
    auto r = open_registry(c);
    if (!r) {
        spdlog::error("{}", r.error().detail.empty() ? r.error().code : r.error().detail);
        return kExitFailure;
    }
    if (int rc = migrate(*(*r)->store); rc != 0) return rc;
    app::ImportSettings settings;
    settings.own_leading_digit = c.id_leading_digit;
    const char* user = std::getenv("USER");
    settings.actor = user && *user ? std::string("import:") + user : std::string("import");
    settings.source = std::filesystem::path(path).filename().string();
    settings.log_origin = app::log_origin_of(c.base_url);
    const auto started = std::chrono::steady_clock::now();
    auto report = app::import_declarations(*(*r)->store, *(*r)->content, (*r)->clock, text, mode, settings);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!report) {
        const auto& e = report.error();
        if (e.kind == Error::Kind::Conflict)
            std::cerr << "sengen: import: the registry changed while the file was written (an ID, serial or "
                         "corporate number was taken meanwhile); nothing was written, run it again\n";
        else
            std::cerr << "sengen: import: " << (e.detail.empty() ? e.code : e.detail) << "\n";
        std::cout << "refused " << path << ": the database failed; nothing was written\n";
        return kExitFailure;
    }
    for (const auto& p : report->problems) {
        std::cerr << path << ":" << p.line << ": " << (p.column.empty() ? "" : p.column + ": ") << app::describe(p);
        if (p.other_line) std::cerr << " (line " << p.other_line << ")";
        std::cerr << " [" << p.code << "]\n";
    }
    if (!report->problems.empty()) {
        std::cout << "refused " << path << ": " << report->problems.size() << " problems in " << report->rows
                  << " rows; nothing was written\n";
        return kExitFailure;
    }
    if (mode == app::ImportMode::DryRun) {
        std::cout << "dry run: " << report->rows << " declarations would be imported from " << path
                  << "; nothing was written\n";
        return 0;
    }
    std::cout << "imported " << report->imported << " declarations from " << path << " in " << secs << " s ("
              << static_cast<long long>(secs > 0 ? static_cast<double>(report->imported) / secs : 0.0) << " rows/s)\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"sengen: a registry for security self-declarations by small businesses"};
    cli.set_version_flag("--version", std::string("sengen ") + SENGEN_VERSION);
    cli.require_subcommand(1);
    cli.fallthrough();

    std::string config_file;
    cli.add_option("--config", config_file, "TOML file of settings (same names as the flags)")
        ->envname("SENGEN_CONFIG");
    std::map<std::string, std::string> flag_values;
    for (const auto& spec : config::setting_specs()) {
        std::string help =
            spec.help + " [env " + spec.env + (spec.default_text.empty() ? "" : "; default " + spec.default_text) + "]";
        cli.add_option("--" + spec.name, flag_values[spec.name], help);
    }

    auto* serve_cmd = cli.add_subcommand("serve", "serve the web application and API");
    auto* migrate_cmd = cli.add_subcommand("migrate", "apply database migrations and exit");
    auto* version_cmd = cli.add_subcommand("version", "print the version and exit");
    auto* log_cmd = cli.add_subcommand("log", "the transparency log (keygen, monitor, audit)");
    log_cmd->require_subcommand(1);
    std::string log_name, log_key_file = "sengen-log.key";
    auto* log_keygen = log_cmd->add_subcommand(
        "keygen", "make the log's Ed25519 signing key (owner-only file); prints the verifier key last");
    log_keygen->add_option("--name", log_name, "the log's origin, a schema-less URL (registry.example.jp/log)")
        ->required();
    log_keygen->add_option("--out", log_key_file, "the file to create for the signing key")->capture_default_str();
    auto* witness_cmd = cli.add_subcommand("witness", "a witness of other logs (C2SP tlog-witness)");
    witness_cmd->require_subcommand(1);
    std::string witness_name, witness_key_file = "sengen-witness.key", witness_state = "witness-state",
                              witness_listen = "127.0.0.1:8090";
    std::vector<std::string> witness_logs;
    auto* witness_keygen = witness_cmd->add_subcommand(
        "keygen", "make the witness's Ed25519 key (owner-only file); prints the cosigner key last");
    witness_keygen->add_option("--name", witness_name, "the witness's name, a schema-less URL")->required();
    witness_keygen->add_option("--out", witness_key_file, "the file to create for the key")->capture_default_str();
    auto* witness_serve = witness_cmd->add_subcommand("serve", "cosign the checkpoints of the given logs");
    witness_serve->add_option("--key", witness_key_file, "the key file of witness keygen")->capture_default_str();
    witness_serve->add_option("--state", witness_state, "the directory of the witness's record")->capture_default_str();
    witness_serve->add_option("--log", witness_logs, "a witnessed log's verifier key (repeat for each log)")
        ->required();
    witness_serve->add_option("--listen", witness_listen, "HOST:PORT to serve on")->capture_default_str();
    std::string witness_tls_cert, witness_tls_key;
    witness_serve->add_option("--tls-cert", witness_tls_cert, "PEM certificate file to serve HTTPS with (as tls-cert)");
    witness_serve->add_option("--tls-key", witness_tls_key, "PEM private key file of --tls-cert (as tls-key)");
    auto* log_audit = log_cmd->add_subcommand(
        "audit", "check every declaration's public record against its latest log entry (needs --db)");
    std::string monitor_url, monitor_state;
    std::vector<std::string> monitor_keys;
    auto* log_monitor = log_cmd->add_subcommand(
        "monitor", "check a log from outside: its checkpoint, its tiles, and that nothing seen before changed");
    log_monitor->add_option("--url", monitor_url, "the log's address (https://registry.example.jp/log)")->required();
    log_monitor->add_option("--state", monitor_state, "the file that keeps the last checkpoint seen")->required();
    log_monitor->add_option("--key", monitor_keys, "the log's verifier key (repeat for older keys)")->required();
    std::vector<std::string> monitor_witnesses;
    int monitor_witnesses_required = -1;
    log_monitor->add_option("--witness", monitor_witnesses,
                            "a witness's cosigner key whose cosignature each checkpoint must carry (repeat)");
    log_monitor->add_option("--witnesses-required", monitor_witnesses_required,
                            "how many of the --witness keys must have cosigned (default: all)");
    std::string statement_file;
    std::vector<std::string> statement_keys;
    auto* verify_statement_cmd = cli.add_subcommand(
        "verify-statement", "check a saved signed statement offline: signatures, inclusion proof, checkpoint");
    verify_statement_cmd->add_option("FILE", statement_file, "the statement bundle (JSON)")->required();
    verify_statement_cmd->add_option("--key", statement_keys, "the log's verifier key (repeat for older keys)")
        ->required();
    std::vector<std::string> statement_witnesses;
    int statement_witnesses_required = -1;
    verify_statement_cmd->add_option("--witness", statement_witnesses,
                                     "a witness's cosigner key whose cosignature the checkpoint must carry (repeat)");
    verify_statement_cmd->add_option("--witnesses-required", statement_witnesses_required,
                                     "how many of the --witness keys must have cosigned (default: all)");
    std::string backup_to, restore_from;
    auto* backup_cmd = cli.add_subcommand("backup", "copy the SQLite database while in use (PostgreSQL: pg_dump)");
    backup_cmd->add_option("--to", backup_to, "file to write the checked copy to")->required();
    auto* restore_cmd =
        cli.add_subcommand("restore", "replace the SQLite database with a checked backup (stop serve first)");
    restore_cmd->add_option("--from", restore_from, "backup file to restore")->required();
    auto* decl_cmd = cli.add_subcommand("declaration", "an operator's actions on one declaration");
    decl_cmd->require_subcommand(1);
    DeclarationCommand decl_args;
    decl_args.show = decl_cmd->add_subcommand("show", "print a declaration's public record");
    decl_args.show->add_option("ID", decl_args.id, "the 11-digit declaration ID")->required();
    decl_args.revoke = decl_cmd->add_subcommand("revoke", "revoke a declaration, with a reason shown publicly");
    decl_args.revoke->add_option("ID", decl_args.id, "the 11-digit declaration ID")->required();
    decl_args.revoke->add_option("--reason", decl_args.reason, "why (published)")->required();
    decl_args.reinstate = decl_cmd->add_subcommand("reinstate", "withdraw a revocation, with a reason");
    decl_args.reinstate->add_option("ID", decl_args.id, "the 11-digit declaration ID")->required();
    decl_args.reinstate->add_option("--reason", decl_args.reason, "why")->required();
    decl_args.pending = decl_cmd->add_subcommand("pending", "list applications awaiting review (review-applications)");
    decl_args.approve = decl_cmd->add_subcommand("approve", "approve an application awaiting review: issues the ID");
    decl_args.approve->add_option("APPLICATION", decl_args.application, "the number shown by `pending`")->required();
    decl_args.reject = decl_cmd->add_subcommand("reject", "decline an application awaiting review, with a reason");
    decl_args.reject->add_option("APPLICATION", decl_args.application, "the number shown by `pending`")->required();
    decl_args.reject->add_option("--reason", decl_args.reason, "why (mailed to the applicant)")->required();

    auto* disputes_cmd = cli.add_subcommand("disputes", "claims to corporate numbers that already have a declaration");
    disputes_cmd->require_subcommand(1);
    auto* disputes_list = disputes_cmd->add_subcommand("list", "list open disputes, oldest first");

    std::int64_t seed_count = 0;
    std::uint64_t seed_random = 1;
    auto* seed_cmd = cli.add_subcommand("seed", "add synthetic declarations (benchmarks and demos only)");
    seed_cmd->add_option("--declarations", seed_count, "how many")->required()->check(CLI::Range(1, 50000000));
    seed_cmd->add_option("--random-seed", seed_random, "seed of the generator (default 1)");
    bool seed_force = false;
    seed_cmd->add_flag(
        "--force", seed_force,
        "seed even though the operator profile is not the demonstration one (never for a real registry)");

    auto* vkey_cmd = cli.add_subcommand("verifier-key", "API keys for bulk verification (create, list, revoke)");
    vkey_cmd->require_subcommand(1);
    VerifierKeyCommand vkey_args;
    vkey_args.create = vkey_cmd->add_subcommand("create", "make a key; prints it once, alone on the last line");
    vkey_args.create->add_option("--name", vkey_args.name, "who holds it (unique)")->required();
    vkey_args.create->add_option("--rate", vkey_args.rate, "IDs it may check per minute (default 60000)")
        ->check(CLI::Range(1, app::VerifierKeys::kMaxIdsPerMinute));
    vkey_args.list = vkey_cmd->add_subcommand("list", "list the keys (never the keys themselves)");
    vkey_args.revoke = vkey_cmd->add_subcommand("revoke", "revoke a key at once");
    vkey_args.revoke->add_option("KEY", vkey_args.key, "its number or name, as `list` shows")->required();

    auto* vaccount_cmd =
        cli.add_subcommand("verifier-account", "accounts key holders made for the bulk verification page");
    vaccount_cmd->require_subcommand(1);
    VerifierAccountCommand vaccount_args;
    vaccount_args.list = vaccount_cmd->add_subcommand("list", "list the accounts with their key and status");
    vaccount_args.list->add_option("--key", vaccount_args.key, "only the accounts of this key (its number)")
        ->check(CLI::Range(std::int64_t{1}, std::numeric_limits<std::int64_t>::max()));
    vaccount_args.disable = vaccount_cmd->add_subcommand(
        "disable", "disable an account at once: it is signed out and can no longer sign in");
    vaccount_args.disable->add_option("--email", vaccount_args.email, "the account's e-mail address")->required();

    auto* sessions_cmd = cli.add_subcommand("sessions", "declarants' sign-in sessions");
    sessions_cmd->require_subcommand(1);
    auto* sessions_end =
        sessions_cmd->add_subcommand("end", "sign a declarant's account out on every device at once (audited)");
    std::string sessions_email, sessions_reason;
    sessions_end->add_option("--email", sessions_email, "the account's e-mail address")->required();
    sessions_end->add_option("--reason", sessions_reason, "why, for the audit log");

    auto* mail_cmd = cli.add_subcommand("mail", "look after the mail outbox (list, retry, test)");
    mail_cmd->require_subcommand(1);
    MailCommand mail_args;
    mail_args.list = mail_cmd->add_subcommand("list", "list mail in the outbox, newest first");
    mail_args.list->add_flag("--failed", mail_args.only_failed, "only mail that failed after its last attempt");
    mail_args.list->add_option("--limit", mail_args.limit, "at most N mails (default 50)")
        ->check(CLI::Range(1, 100000));
    mail_args.retry = mail_cmd->add_subcommand("retry", "queue a failed mail again, with a fresh set of attempts");
    mail_args.retry->add_option("ID", mail_args.id, "the outbox id shown by `mail list`")->required();
    mail_args.test = mail_cmd->add_subcommand("test", "queue a test mail; a running `sengen serve` sends it");
    mail_args.test->add_option("--to", mail_args.to, "recipient address")->required();
    // The check runs before the function, so only "ja" or "en" (exactly) reach lang_from_code.
    mail_args.test
        ->add_option_function<std::string>(
            "--lang", [&](const std::string& typed) { mail_args.lang = *lang_from_code(typed); },
            "language of the mail: ja or en (default ja)")
        ->check(CLI::IsMember({"ja", "en"}));

    auto* operator_cmd = cli.add_subcommand("operator", "operator accounts for the console");
    operator_cmd->require_subcommand(1);
    OperatorCommand operator_args;
    operator_args.create =
        operator_cmd->add_subcommand("create", "create an operator account and print its one-time set-up link");
    operator_args.create->add_option("--email", operator_args.email, "the operator's email address")->required();
    operator_args.create->add_option("--role", operator_args.role, "admin or staff")
        ->required()
        ->check(CLI::IsMember({"admin", "staff"}));

    auto* audit_cmd = cli.add_subcommand("audit", "the audit log of operator actions and lifecycle events");
    audit_cmd->require_subcommand(1);
    AuditCommand audit_args;
    audit_args.exporter = audit_cmd->add_subcommand("export", "write audit events as JSON lines to stdout");
    audit_args.exporter->add_option("--since", audit_args.since, "first day, YYYY-MM-DD (Japan time)")->required();
    audit_args.exporter->add_option("--until", audit_args.until, "last day, inclusive (default today in Japan)");

    std::string export_output;
    app::ExportFormat export_format = app::ExportFormat::Csv;
    auto* export_cmd = cli.add_subcommand("export", "write every declaration to a CSV or .xlsx file (personal data)");
    export_cmd
        ->add_option_function<std::string>(
            "--format",
            [&](const std::string& f) {
                export_format = f == "xlsx" ? app::ExportFormat::Xlsx : app::ExportFormat::Csv;
            },
            "csv (UTF-8 with BOM) or xlsx")
        ->required()
        ->check(CLI::IsMember({"csv", "xlsx"}));
    export_cmd->add_option("--output", export_output, "file to write")->required();

    // `sengen import` (issue 12, point 9).
    std::string import_file;
    bool import_dry_run = false;
    auto* import_cmd =
        cli.add_subcommand("import", "load declarations from another registry's export (CSV, all or nothing)");
    import_cmd->add_option("FILE", import_file, "CSV written by `sengen export --format csv`")->required();
    import_cmd->add_flag("--dry-run", import_dry_run, "check every row and report; write nothing");

    // `sengen catalogue check FILE` (issue 13).
    std::string catalogue_file;
    auto* catalogue_cmd = cli.add_subcommand("catalogue", "the subsidy catalogue (check a file before serving it)");
    catalogue_cmd->require_subcommand(1);
    auto* catalogue_check = catalogue_cmd->add_subcommand("check", "check a catalogue file; one line per problem");
    catalogue_check->add_option("FILE", catalogue_file, "the catalogue (.toml), such as content/subsidies.toml")
        ->required();

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : kExitUsage;
    }

    if (*version_cmd) {
        std::cout << "sengen " << SENGEN_VERSION << "\n";
        return 0;
    }
    // Needs no settings and no database: it checks a file against the shipped content.
    if (*catalogue_check) return run_catalogue_check(catalogue_file);
    // Needs no settings either: it makes a key and writes one file.
    if (*log_keygen) return run_log_keygen(log_name, log_key_file);
    if (*verify_statement_cmd)
        return run_verify_statement(statement_file, statement_keys, statement_witnesses, statement_witnesses_required);
    if (*log_monitor)
        return run_log_monitor(monitor_url, monitor_state, monitor_keys, monitor_witnesses, monitor_witnesses_required);
    if (*witness_keygen) return run_log_keygen(witness_name, witness_key_file, /*cosigner=*/true);
    if (*witness_serve)
        return run_witness_serve(witness_key_file, witness_state, witness_logs, witness_listen, witness_tls_cert,
                                 witness_tls_key);

    // Settings: defaults < file < environment < flags.
    std::vector<config::RawSettings> layers;
    if (!config_file.empty()) {
        std::ifstream in(config_file);
        if (!in) {
            std::cerr << "sengen: setting config: cannot read file '" << config_file << "'\n";
            return kExitUsage;
        }
        std::string text = read_all(in);
        auto parsed = config::from_toml(text, config_file);
        if (!parsed) {
            std::cerr << "sengen: " << parsed.error().detail;
            return kExitUsage;
        }
        layers.push_back(*parsed);
    }
    layers.push_back(config::from_environment(environment()));
    config::RawSettings flags;
    for (const auto& [name, value] : flag_values)
        if (cli.count("--" + name)) flags[name] = {value, "flag --" + name};
    layers.push_back(flags);
    auto cfg = config::build(config::merge(layers));
    if (!cfg) {
        std::cerr << "sengen: invalid settings:\n" << cfg.error().detail;
        return kExitUsage;
    }

    setup_logging(cfg->log_level);
    if (*migrate_cmd) {
        auto store = open_store(*cfg);
        if (!store) {
            spdlog::error("cannot open the database: {}", store.error().detail);
            return kExitFailure;
        }
        return migrate(**store);
    }
    if (*backup_cmd) return run_backup(*cfg, backup_to);
    if (*restore_cmd) return run_restore(*cfg, restore_from);
    if (*serve_cmd) return run_serve(*cfg);
    if (*mail_cmd) return run_mail(*cfg, mail_args);
    if (*decl_cmd) return run_declaration(*cfg, decl_args);
    if (*disputes_list) return run_disputes(*cfg);
    if (*operator_cmd) return run_operator(*cfg, operator_args);
    if (*vkey_cmd) return run_verifier_key(*cfg, vkey_args);
    if (*vaccount_cmd) return run_verifier_account(*cfg, vaccount_args);
    if (*sessions_end) return run_sessions_end(*cfg, sessions_email, sessions_reason);
    if (*seed_cmd) return run_seed(*cfg, seed_count, seed_random, seed_force ? SeedForce::Yes : SeedForce::No);
    if (*audit_args.exporter) return run_audit(*cfg, audit_args);
    if (*export_cmd) return run_export(*cfg, export_format, export_output);
    if (*log_audit) return run_log_audit(*cfg);
    if (*import_cmd)
        return run_import(*cfg, import_file, import_dry_run ? app::ImportMode::DryRun : app::ImportMode::Write);
    return kExitUsage;
}
