// Bulk verification for verifiers (POST /api/v1/verifications) and the public history of one
// declaration (its API and the section of /verify). A bulk call authenticates its key, counts its
// IDs against the key's limit on every node, records which IDs it checked, and reads the
// declarations (and, for a past date, their lifecycle events) with a few statements.
#pragma once
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/registry_context.hpp"
#include "domain/declaration_history.hpp"

namespace sengen::app {

// One item of a bulk request: an ID as typed (full-width digits, spaces and hyphens accepted),
// optionally with the corporate number the verifier holds for it.
struct VerificationItem {
    std::string typed_id;
    std::optional<std::string> corporate_number;
    // The date to answer for, when it differs from the call's (a row of an uploaded file).
    std::optional<dates::CivilDate> at = std::nullopt;
};

// Why an item has no answer: its ID is malformed, mistyped (check digit), or another registry's.
enum class ItemError { None, Malformed, CheckDigit, OtherRegistry };
std::string_view error_code(ItemError e);  // "id.malformed", ... as the single lookup's codes

struct VerificationResult {
    std::string id;  // the 11 digits when the item parsed, else the item as typed
    ItemError error = ItemError::None;
    std::optional<std::size_t> found;  // found: its index in Verified::found
    // With a date: the state at the end of it (nullopt: not declared yet on that date).
    std::optional<lifecycle::State> state_at;
    std::optional<bool> corporate_number_matches;  // asked and found
};

// The answer to a bulk call: the declarations read (each once), and the results referring to them.
struct Verified {
    std::vector<VerifiedDeclaration> found;
    std::vector<VerificationResult> results;
};

class Verifications {
public:
    explicit Verifications(const RegistryContext& registry) : r_(registry) {}

    static constexpr std::size_t kMaxItems = 1000;

    // Unauthenticated ("verifier_key.missing" / "verifier_key.unknown", a 401), Forbidden
    // "verifier_key.revoked", TooLarge-as-Invalid "verification.too_many_ids" (413), TooMany
    // "rate.verifier_key" (429), or one result per item in request order.
    Result<Verified> verify(std::string_view bearer_key, std::span<const VerificationItem> items,
                            std::optional<dates::CivilDate> at, const Caller& caller);

    // The same for a verifier account's upload (app/verifier_accounts.hpp): by the key the account
    // is bound to, up to `max_items` items, each with its own date if any. Recorded like an API
    // call; counted against that key's limit as `rows` IDs (the file's rows, bad ones too, so that
    // a file of nothing but bad rows is not free to upload again and again; at least the items).
    Result<Verified> verify_for_key(std::int64_t key_id, std::span<const VerificationItem> items, std::size_t max_items,
                                    std::size_t rows);

    // The public events of the declaration with this ID, oldest first; NotFound
    // "declaration.not_found" when no issued declaration has it. One statement for the events
    // (plus the declaration's own lookup when none were recorded).
    struct History {
        PublicDeclaration declaration;
        std::vector<history::PublicEvent> events;
    };
    Result<History> history(const DeclarationId& id);
    // The events alone, for /verify, which has already read the declaration: one statement.
    Result<std::vector<history::PublicEvent>> events_for(const PublicDeclaration& d);

private:
    Result<Verified> run(const std::function<Result<std::optional<VerifierKey>>(Transaction&)>& find_key,
                         std::span<const VerificationItem> items, std::optional<dates::CivilDate> at,
                         std::size_t charged);
    const RegistryContext& r_;
};

}  // namespace sengen::app
