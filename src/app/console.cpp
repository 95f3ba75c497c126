// The console's reads.
#include "app/console.hpp"

#include "domain/application.hpp"
#include "domain/dates.hpp"
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

Result<Console::Record> Console::record(const DeclarationId& id) {
    return store_.query<Record>(TxMode::Read, [&](Transaction& tx) -> Result<Record> {
        auto d = tx.declarations().find_by_public_id(id);
        if (!d) return fail(d.error());
        if (!*d) return fail(Error::not_found("declaration.not_found"));
        Record r{std::move(**d), {}, {}};
        auto changes = tx.declarations().history(r.declaration.id, 500);
        if (!changes) return fail(changes.error());
        r.changes = std::move(*changes);
        auto events = tx.audit().for_subject("declaration:" + std::to_string(r.declaration.id), 500);
        if (!events) return fail(events.error());
        r.events = std::move(*events);
        return r;
    });
}

Result<std::vector<AuditEvent>> Console::audit(const AuditQuery& q) {
    return store_.query<std::vector<AuditEvent>>(TxMode::Read, [&](Transaction& tx) { return tx.console().audit(q); });
}

}  // namespace sengen::app
