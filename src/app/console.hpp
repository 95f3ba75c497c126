// What the operators' console reads: the dashboard's counts, finding a declaration by ID, name,
// corporate number or address, one declaration's full record with its history, and the audit
// log with filters. Changes of declarations go through the existing use cases (Declarations); the
// console's other pages (failed mail, terms versions, verifier keys, exports) through the ones here.
#pragma once
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "app/declaration_export.hpp"
#include "app/verifier_keys.hpp"
#include "domain/clock.hpp"
#include "domain/ports.hpp"
#include "domain/registry_content.hpp"

namespace sengen::app {

class Console {
public:
    Console(Store& store, const Clock& clock) : store_(store), clock_(clock) {}

    struct Dashboard {
        std::vector<DeclarationCount> counts;
        std::int64_t today = 0, this_month = 0;  // applications created, by the day and month in Japan
        std::int64_t failed_mail = 0;
    };
    Result<Dashboard> dashboard();

    // Declarations matching what the operator typed, newest first: an ID finds that one, a
    // 13-digit number the corporate number, an address the contact, anything else the name.
    Result<std::vector<Declaration>> find(std::string_view typed, std::size_t limit = 50);

    struct Record {
        Declaration declaration;
        std::vector<DetailChange> changes;  // newest first
        std::vector<AuditEvent> events;     // oldest first
    };
    // NotFound "declaration.not_found" when no declaration has this ID.
    Result<Record> record(const DeclarationId& id);

    Result<std::vector<AuditEvent>> audit(const AuditQuery& q);

    // --- the console's further pages (issue 12, point 2) ---

    // Failed mail, and with Include::Pending the mail still waiting too, newest first.
    enum class PendingMail { Omit, Include };
    Result<std::vector<OutboxEntry>> mail_to_look_at(PendingMail pending, std::size_t limit = 200);
    // A failed mail queued again (app::retry_failed_mail), audited as mail.retried.
    Status retry_mail(std::int64_t id, const std::string& actor, const std::string& ip);

    struct TermsUse {
        const Terms* terms = nullptr;
        bool current = false;
        std::int64_t agreements = 0;  // declarations and applications that agreed to it
    };
    // Every version of the terms in `terms` (oldest first, the last current) with its agreements.
    Result<std::vector<TermsUse>> terms_in_use(const std::vector<Terms>& terms);

    struct KeyUse {
        VerifierKey key;
        std::optional<TimePoint> last_used;
    };
    Result<std::vector<KeyUse>> verifier_keys();
    // The use cases behind `sengen verifier-key` (created and revoked keys are audited).
    VerifierKeys& keys() { return keys_; }

    // Every declaration as CSV (to `out`) or .xlsx (to the file `path`), recorded in the audit log
    // as declarations.exported by `actor` from `ip` with the format and the number of rows.
    Result<std::size_t> export_declarations(ExportFormat format, std::ostream& out, const std::string& path,
                                            const std::string& actor, const std::string& ip);

    // --- ending a user's sessions on their behalf (ASVS V7.4.5) ---

    // Ends every session of the account that holds the declaration `id`, in every browser and on
    // every node, and records account.sessions_ended on the declaration with the reason; how many
    // ended. NotFound "declaration.not_found"; 0 when no account holds it yet.
    Result<std::size_t> end_declarant_sessions(const DeclarationId& id, const std::string& reason,
                                               const std::string& actor, const std::string& ip);
    // The same for the account of the address `email` (`sengen sessions end`); NotFound
    // "account.not_found" when no account has it.
    Result<std::size_t> end_account_sessions(std::string_view email, const std::string& reason,
                                             const std::string& actor, const std::string& ip);
    // Ends every session of operator `id`, recorded as operator.sessions_ended; NotFound
    // "operator.not_found".
    Result<std::size_t> end_operator_sessions(std::int64_t id, const std::string& reason, const std::string& actor,
                                              const std::string& ip);

private:
    Store& store_;
    const Clock& clock_;
    VerifierKeys keys_{store_, clock_};
};

}  // namespace sengen::app
