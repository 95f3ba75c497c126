// The operator's mail commands (`sengen mail list|retry|test`) as use cases on the ports.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/clock.hpp"
#include "domain/ports.hpp"
#include "i18n/catalogue.hpp"
#include "mail/composer.hpp"

namespace sengen::app {

// Queues the test mail ("mail.test.*") to `to`, and records who asked for it in the audit log,
// in one transaction. Invalid when `to` is not an address. Returns the outbox id.
Result<std::int64_t> queue_test_mail(Store& store, const mail::MailComposer& composer, const Clock& clock,
                                     const std::string& to, i18n::Lang lang, const std::string& actor);

// Newest first; every state when `state` is empty.
Result<std::vector<OutboxEntry>> list_mail(Store& store, std::optional<OutboxEntry::State> state, std::size_t limit);

// A failed mail back to pending with a fresh set of attempts, audited (with the console operator's
// address, "" from the command line). NotFound unless failed.
Status retry_failed_mail(Store& store, const Clock& clock, std::int64_t id, const std::string& actor,
                         const std::string& ip = {});

}  // namespace sengen::app
