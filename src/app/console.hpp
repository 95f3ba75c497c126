// What the operators' console reads: the dashboard's counts, finding a declaration by ID, name,
// corporate number or address, one declaration's full record with its history, and the audit
// log with filters. Changes go through the existing use cases (Declarations).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/clock.hpp"
#include "domain/ports.hpp"

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

private:
    Store& store_;
    const Clock& clock_;
};

}  // namespace sengen::app
