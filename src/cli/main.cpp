// The composition root: reads settings, builds the adapters and runs one subcommand.
// Only this file knows which adapters are wired together.
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "config/config.hpp"
#include "i18n/catalogue.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "web/app.hpp"
#include "web/catalogue_loader.hpp"
#include "web/render.hpp"
#include "web/server.hpp"
#include "web/static_assets.hpp"

extern char** environ;

namespace {

using namespace sengen;

constexpr int kExitUsage = 2;
constexpr int kExitFailure = 1;

void setup_logging(const std::string& level) {
    auto main_log = spdlog::stderr_color_mt("sengen");
    main_log->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
    spdlog::set_default_logger(main_log);
    auto access = spdlog::stderr_color_mt("access");
    access->set_pattern("%Y-%m-%dT%H:%M:%S.%e access %v");
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

// The database adapter chosen by the settings.
Result<std::unique_ptr<storage::sqlite::SqliteStore>> open_store(const config::Config& c) {
    if (c.db.engine != config::DatabaseTarget::Engine::Sqlite)
        return fail(Error::unavailable("storage.engine", "PostgreSQL is not available in this build yet"));
    return storage::sqlite::SqliteStore::open(c.db.location);
}

int migrate(storage::sqlite::SqliteStore& store) {
    auto applied = store.migrate();
    if (!applied) {
        spdlog::error("migration failed: {}", applied.error().detail);
        return kExitFailure;
    }
    for (const auto& name : *applied) spdlog::info("applied migration {}", name);
    if (applied->empty()) spdlog::info("database is up to date");
    return 0;
}

int run_serve(const config::Config& c) {
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
    auto renderer = web::Renderer::load(*catalogue);
    if (!renderer) {
        spdlog::error("templates: {}", renderer.error().detail);
        return kExitFailure;
    }
    SystemClock clock;
    web::Metrics metrics;
    web::StaticAssets assets;
    web::Services services{c, **store, clock, *catalogue, **renderer, metrics};
    web::App app(services, assets);
    return web::serve(c, app);
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

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e) == 0 ? 0 : kExitUsage;
    }

    if (*version_cmd) {
        std::cout << "sengen " << SENGEN_VERSION << "\n";
        return 0;
    }

    // Settings: defaults < file < environment < flags.
    std::vector<config::RawSettings> layers;
    if (!config_file.empty()) {
        std::ifstream in(config_file);
        if (!in) {
            std::cerr << "sengen: setting config: cannot read file '" << config_file << "'\n";
            return kExitUsage;
        }
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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
    if (*serve_cmd) return run_serve(*cfg);
    return kExitUsage;
}
