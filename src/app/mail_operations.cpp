#include "app/mail_operations.hpp"

namespace sengen::app {

Result<std::int64_t> queue_test_mail(Store& store, const mail::MailComposer& composer, const Clock& clock,
                                     const std::string& to, i18n::Lang lang, const std::string& actor) {
    if (auto ok = mail::validate_address(to, "to"); !ok) return fail(ok.error());
    return store.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::int64_t> {
        auto id = composer.enqueue(tx, "mail.test", lang, mail::Mailbox{"", to}, {{"to", to}});
        if (!id) return id;
        auto audited = tx.audit().record(
            AuditEvent{0, clock.now(), actor, "mail.test_queued", "mail:" + std::to_string(*id), "", "{}"});
        if (!audited) return fail(audited.error());
        return id;
    });
}

Result<std::vector<OutboxEntry>> list_mail(Store& store, std::optional<OutboxEntry::State> state, std::size_t limit) {
    return store.query<std::vector<OutboxEntry>>(TxMode::Read,
                                                 [&](Transaction& tx) { return tx.outbox().list(state, limit); });
}

Status retry_failed_mail(Store& store, const Clock& clock, std::int64_t id, const std::string& actor,
                         const std::string& ip) {
    return store.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        const auto now = clock.now();
        if (auto ok = tx.outbox().retry(id, now); !ok) return ok;
        auto audited = tx.audit().record(AuditEvent{0, now, actor, "mail.retried", "mail:" + std::to_string(id), ip,
                                                    R"({"from_state":"failed","to_state":"pending"})"});
        if (!audited) return fail(audited.error());
        return {};
    });
}

}  // namespace sengen::app
