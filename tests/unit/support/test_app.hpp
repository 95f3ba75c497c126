// A whole web App in process, on a real SQLite file in a temp dir, for tests that need requests
// and responses but no socket.
#pragma once
#include <memory>
#include <string>

#include "app/applications.hpp"
#include "app/assessment.hpp"
#include "app/declarations.hpp"
#include "app/lookup.hpp"
#include "app/policy.hpp"
#include "app/registry_context.hpp"
#include "app/sign_in.hpp"
#include "config/config.hpp"
#include "content/edition_loader.hpp"
#include "content/registry_content.hpp"
#include "content/template_loader.hpp"
#include "embedded/embedded.hpp"
#include "mail/composer.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "temp_dir.hpp"
#include "web/app.hpp"
#include "web/static_assets.hpp"

namespace test_support {

inline sengen::i18n::Catalogue embedded_catalogue() {
    std::map<sengen::i18n::Lang, sengen::i18n::Messages> by_lang;
    for (auto l : sengen::i18n::all_langs) {
        const std::string path = "src/web/i18n/" + std::string(sengen::i18n::code(l)) + ".po";
        by_lang[l] = sengen::i18n::parse_po(*sengen::embedded::find(path), path).value();
    }
    return sengen::i18n::Catalogue::build(std::move(by_lang)).value();
}

class TestApp {
public:
    TestApp()
        : store_(sengen::storage::sqlite::SqliteStore::open(dir_.path() + "/sengen.db").value()),
          catalogue_(embedded_catalogue()),
          renderer_(sengen::web::Renderer::load(catalogue_).value()),
          library_(sengen::content::load_embedded_editions().value()),
          content_(sengen::content::load_embedded_registry_content().value()),
          composer_(catalogue_, clock_, sengen::mail::Mailbox{"sengen", "no-reply@example.jp"}, config_.base_url),
          registry_(*store_, clock_, composer_, content_, sengen::app::RegistrySettings{}),
          applications_(registry_),
          signin_(registry_),
          declarations_(registry_),
          lookup_(registry_),
          policy_templates_(sengen::content::load_embedded_policy_templates().value()),
          policies_(*store_, clock_, policy_templates_, config_.base_url),
          sessions_(*store_, clock_),
          saved_assessments_(*store_, clock_),
          readiness_(*store_),
          password_hasher_(1),
          password_policy_(sengen::app::PasswordPolicy::embedded()),
          operators_(*store_, clock_, password_hasher_, password_policy_, sengen::app::OperatorSettings{}),
          console_(*store_, clock_),
          services_{.config = config_,
                    .clock = clock_,
                    .catalogue = catalogue_,
                    .renderer = *renderer_,
                    .metrics = metrics_,
                    .registry = registry_,
                    .applications = applications_,
                    .signin = signin_,
                    .declarations = declarations_,
                    .lookup = lookup_,
                    .artwork = artwork_,
                    .assessments = library_,
                    .policies = &policies_,
                    .sessions = sessions_,
                    .saved_assessments = saved_assessments_,
                    .readiness = readiness_,
                    .operators = &operators_,
                    .console = &console_},
          app_(services_, assets_) {
        if (!store_->migrate()) throw std::runtime_error("migration failed");
    }

    // A request as the HTTP adapter makes it, from 127.0.0.1 (header names in lower case).
    static sengen::web::Request make_request(sengen::web::Method m, std::string path_and_query, std::string body = {},
                                             std::vector<std::pair<std::string, std::string>> headers = {}) {
        sengen::web::Request r;
        r.method = m;
        r.method_text = std::string(sengen::web::method_name(m));
        auto q = path_and_query.find('?');
        r.path = path_and_query.substr(0, q);
        if (q != std::string::npos) r.query = path_and_query.substr(q + 1);
        r.body = std::move(body);
        r.headers = std::move(headers);
        r.remote_ip = "127.0.0.1";
        return r;
    }

    sengen::web::Response request(sengen::web::Method m, std::string path_and_query, std::string body = {},
                                  std::vector<std::pair<std::string, std::string>> headers = {}) {
        return app_.handle(make_request(m, std::move(path_and_query), std::move(body), std::move(headers)));
    }

    const sengen::assessment::Edition& edition() const { return library_.current(); }
    sengen::web::App& app() { return app_; }
    sengen::storage::sqlite::SqliteStore& store() { return *store_; }
    sengen::app::Applications& applications() { return applications_; }
    sengen::app::Declarations& declarations() { return declarations_; }
    sengen::app::Lookup& lookup() { return lookup_; }
    sengen::app::Sessions& sessions() { return sessions_; }
    const sengen::content::RegistryContent& content() const { return content_; }
    const sengen::Clock& clock() const { return clock_; }

private:
    TempDir dir_;
    sengen::config::Config config_;
    std::unique_ptr<sengen::storage::sqlite::SqliteStore> store_;
    sengen::i18n::Catalogue catalogue_;
    std::shared_ptr<const sengen::web::Renderer> renderer_;
    sengen::assessment::Library library_;
    sengen::SystemClock clock_;
    sengen::content::RegistryContent content_;
    sengen::mail::MailComposer composer_;
    sengen::app::RegistryContext registry_;
    sengen::app::Applications applications_;
    sengen::app::SignIn signin_;
    sengen::app::Declarations declarations_;
    sengen::app::Lookup lookup_;
    sengen::policy::TemplateLibrary policy_templates_;
    sengen::app::Policies policies_;
    sengen::app::Sessions sessions_;
    sengen::app::SavedAssessments saved_assessments_;
    sengen::app::Readiness readiness_;
    sengen::app::PasswordHasher password_hasher_;
    sengen::app::PasswordPolicy password_policy_;
    sengen::app::Operators operators_;
    sengen::app::Console console_;
    sengen::render::BadgeArtwork artwork_;
    sengen::web::Metrics metrics_;
    sengen::web::StaticAssets assets_;
    sengen::web::Services services_;
    sengen::web::App app_;
};

}  // namespace test_support
