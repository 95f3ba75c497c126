// The console's reads, and the few operations of its further pages.
#include "app/console.hpp"

#include <iterator>
#include <map>

#include "app/mail_operations.hpp"
#include "app/registry_context.hpp"

#include "domain/application.hpp"
#include "domain/dates.hpp"
#include "domain/declaration_history.hpp"
#include "domain/email.hpp"
#include "domain/identifiers.hpp"
#include "domain/text.hpp"

namespace sengen::app {

Result<Console::Dashboard> Console::dashboard() {
    const auto now = clock_.now();
    auto today = dates::japan_date(now);
    auto month_start = today;
    month_start.day = 1;
    return store_.query<Dashboard>(TxMode::Read, [&](Transaction& tx) -> Result<Dashboard> {
        Dashboard d;
        auto counts = tx.console().counts_by_level_and_status();
        if (!counts) return fail(counts.error());
        d.counts = std::move(*counts);
        auto day = tx.console().created_since(dates::japan_midnight(today));
        if (!day) return fail(day.error());
        d.today = *day;
        auto month = tx.console().created_since(dates::japan_midnight(month_start));
        if (!month) return fail(month.error());
        d.this_month = *month;
        auto failed = tx.console().failed_mail();
        if (!failed) return fail(failed.error());
        d.failed_mail = *failed;
        return d;
    });
}

Result<std::vector<Declaration>> Console::find(std::string_view typed, std::size_t limit) {
    const auto q = text::squeeze_spaces(text::nfkc(typed));
    if (q.empty()) return std::vector<Declaration>{};
    return store_.query<std::vector<Declaration>>(TxMode::Read,
                                                  [&](Transaction& tx) -> Result<std::vector<Declaration>> {
                                                      std::vector<Declaration> out;
                                                      auto id = DeclarationId::parse(q);
                                                      if (id.id) {
                                                          auto d = tx.declarations().find_by_public_id(*id.id);
                                                          if (!d) return fail(d.error());
                                                          if (*d) out.push_back(std::move(**d));
                                                          return out;
                                                      }
                                                      std::string name_key, exact;
                                                      auto digits = text::digits_only(q);
                                                      if (digits && digits->size() == 13)
                                                          exact = *digits;
                                                      else if (q.find('@') != std::string::npos)
                                                          exact = email_key(normalise_email(q));
                                                      else
                                                          name_key = search_key(q);
                                                      auto ids = tx.console().find_declarations(name_key, exact, limit);
                                                      if (!ids) return fail(ids.error());
                                                      for (auto i : *ids) {
                                                          auto d = tx.declarations().find(i);
                                                          if (!d) return fail(d.error());
                                                          if (*d) out.push_back(std::move(**d));
                                                      }
                                                      return out;
                                                  });
}

namespace {

// The audit lines an imported declaration's row stands for (ADR 0064), as the import used to record
// them: `declaration.imported` on its declared_at, and `declaration.step_up` on its level_since when
// its level rose later, by the import's actor.
std::vector<AuditEvent> import_events(const ImportOrigin& o, TimePoint declared_at, const std::string& subject) {
    static const std::string declared(lifecycle::to_string(lifecycle::Status::Declared));
    std::vector<AuditEvent> out;
    for (const auto& e : history::imported_events(declared_at, o.as)) {
        const auto level = std::to_string(e.level);
        if (e.action == history::Action::Imported)
            out.push_back({0, e.at, o.actor, "declaration.imported", subject, "",
                           R"({"level":)" + level + R"(,"status":")" + declared + R"("})"});
        else
            out.push_back({0, e.at, o.actor, "declaration.step_up", subject, "",
                           json_of({{"from_level", "1"}, {"to_level", level}, {"status", declared}})});
    }
    return out;
}

}  // namespace

Result<Console::Record> Console::record(const DeclarationId& id) {
    return store_.query<Record>(TxMode::Read, [&](Transaction& tx) -> Result<Record> {
        auto d = tx.declarations().find_by_public_id(id);
        if (!d) return fail(d.error());
        if (!*d) return fail(Error::not_found("declaration.not_found"));
        Record r{std::move(**d), {}, {}};
        auto changes = tx.declarations().history(r.declaration.id, 500);
        if (!changes) return fail(changes.error());
        r.changes = std::move(*changes);
        const auto subject = "declaration:" + std::to_string(r.declaration.id);
        auto origin = tx.imports().origin_of(r.declaration.id);
        if (!origin) return fail(origin.error());
        if (*origin && r.declaration.declared_at)
            r.events = import_events(**origin, *r.declaration.declared_at, subject);
        auto events = tx.audit().for_subject(subject, 500);
        if (!events) return fail(events.error());
        r.events.insert(r.events.end(), std::make_move_iterator(events->begin()),
                        std::make_move_iterator(events->end()));
        return r;
    });
}

Result<std::vector<AuditEvent>> Console::audit(const AuditQuery& q) {
    return store_.query<std::vector<AuditEvent>>(TxMode::Read, [&](Transaction& tx) { return tx.console().audit(q); });
}

Result<std::vector<OutboxEntry>> Console::mail_to_look_at(PendingMail pending, std::size_t limit) {
    auto failed = list_mail(store_, OutboxEntry::State::Failed, limit);
    if (!failed || pending == PendingMail::Omit) return failed;
    auto waiting = list_mail(store_, OutboxEntry::State::Pending, limit);
    if (!waiting) return fail(waiting.error());
    failed->insert(failed->end(), waiting->begin(), waiting->end());
    return failed;
}

Status Console::retry_mail(std::int64_t id, const std::string& actor, const std::string& ip) {
    return retry_failed_mail(store_, clock_, id, actor, ip);
}

Result<std::vector<Console::TermsUse>> Console::terms_in_use(const std::vector<Terms>& terms) {
    auto counts = store_.query<std::vector<std::pair<std::string, std::int64_t>>>(
        TxMode::Read, [](Transaction& tx) { return tx.console().agreements_by_terms(); });
    if (!counts) return fail(counts.error());
    std::map<std::string, std::int64_t> by_version(counts->begin(), counts->end());
    std::vector<TermsUse> out;
    for (std::size_t i = 0; i < terms.size(); ++i)
        out.push_back({&terms[i], i + 1 == terms.size(), by_version[terms[i].version]});
    return out;
}

Result<std::vector<Console::KeyUse>> Console::verifier_keys() {
    return store_.query<std::vector<KeyUse>>(TxMode::Read, [](Transaction& tx) -> Result<std::vector<KeyUse>> {
        auto keys = tx.verifier_keys().list();
        if (!keys) return fail(keys.error());
        auto used = tx.console().verifier_keys_last_used();
        if (!used) return fail(used.error());
        std::map<std::int64_t, TimePoint> last(used->begin(), used->end());
        std::vector<KeyUse> out;
        for (auto& k : *keys) {
            auto at = last.find(k.id);
            out.push_back({std::move(k), at == last.end() ? std::nullopt : std::optional(at->second)});
        }
        return out;
    });
}

Result<std::size_t> Console::export_declarations(ExportFormat format, std::ostream& out, const std::string& path,
                                                 const std::string& actor, const std::string& ip) {
    auto n =
        format == ExportFormat::Csv ? export_declarations_csv(store_, out) : export_declarations_xlsx(store_, path);
    if (!n) return n;
    // Recorded once the file exists: an export that failed handed nothing out.
    auto audited = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto r = tx.audit().record(AuditEvent{
            0, clock_.now(), actor, "declarations.exported", "", ip,
            json_of({{"format", format == ExportFormat::Csv ? "csv" : "xlsx"}, {"rows", std::to_string(*n)}})});
        if (!r) return fail(r.error());
        return {};
    });
    if (!audited) return fail(audited.error());
    return n;
}

namespace {

// Ends the account's sessions and records it, in the caller's transaction.
Result<std::size_t> end_sessions_recorded(Transaction& tx, std::int64_t account_id, const std::string& subject,
                                          const std::string& reason, const std::string& actor, const std::string& ip,
                                          TimePoint now) {
    auto ended = tx.sessions().remove_all_of(account_id);
    if (!ended) return ended;
    auto r = tx.audit().record(AuditEvent{
        0, now, actor, "account.sessions_ended", subject, ip,
        json_of({{"account", std::to_string(account_id)}, {"sessions", std::to_string(*ended)}, {"reason", reason}})});
    if (!r) return fail(r.error());
    return ended;
}

}  // namespace

Result<std::size_t> Console::end_declarant_sessions(const DeclarationId& id, const std::string& reason,
                                                    const std::string& actor, const std::string& ip) {
    return store_.query<std::size_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::size_t> {
        auto d = tx.declarations().find_by_public_id(id);
        if (!d) return fail(d.error());
        if (!*d) return fail(Error::not_found("declaration.not_found"));
        if (!(*d)->account_id) return std::size_t{0};
        return end_sessions_recorded(tx, *(*d)->account_id, "declaration:" + std::to_string((*d)->id), reason, actor,
                                     ip, clock_.now());
    });
}

Result<std::size_t> Console::end_account_sessions(std::string_view email, const std::string& reason,
                                                  const std::string& actor, const std::string& ip) {
    const auto address = normalise_email(email);
    return store_.query<std::size_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::size_t> {
        auto account = tx.accounts().find_by_email(address);
        if (!account) return fail(account.error());
        if (!*account) return fail(Error::not_found("account.not_found"));
        return end_sessions_recorded(tx, (*account)->id, "account:" + std::to_string((*account)->id), reason, actor, ip,
                                     clock_.now());
    });
}

Result<std::size_t> Console::end_operator_sessions(std::int64_t id, const std::string& reason, const std::string& actor,
                                                   const std::string& ip) {
    return store_.query<std::size_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::size_t> {
        auto found = tx.operators().find(id);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found("operator.not_found"));
        auto ended = tx.operators().remove_sessions_of(id, std::nullopt);
        if (!ended) return ended;
        auto r = tx.audit().record(AuditEvent{0, clock_.now(), actor, "operator.sessions_ended",
                                              "operator:" + std::to_string(id), ip,
                                              json_of({{"sessions", std::to_string(*ended)}, {"reason", reason}})});
        if (!r) return fail(r.error());
        return ended;
    });
}

}  // namespace sengen::app
