// A declaration as stored: the application's details, its lifecycle state, and the dates the
// public sees. Accounts and sign-in tokens for the passwordless sign-in by mail link.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/application.hpp"
#include "domain/clock.hpp"
#include "domain/identifiers.hpp"
#include "domain/lifecycle.hpp"

namespace sengen {

struct Declaration {
    std::int64_t id = 0;                     // internal
    std::optional<DeclarationId> public_id;  // the 自己宣言ID, once issued
    lifecycle::State state;
    Application details;
    std::optional<std::int64_t> account_id;
    std::string terms_version;
    TimePoint terms_agreed_at;
    TimePoint created_at;
    std::optional<TimePoint> declared_at;
    std::optional<TimePoint> level_since;
    std::optional<TimePoint> ended_at;  // stopped, revoked or rejected
    std::string end_reason;             // revoke / reject reason (public for revoke)
    std::string confirm_token_hash;
    TimePoint confirm_expires_at;
};

// What /verify and the API show: public fields only. An aggregate (built as
// `PublicDeclaration{.public_id = id}`), so that a test can count its members against kPublicFields.
struct PublicDeclaration {
    DeclarationId public_id;
    std::string business_name;
    std::string business_name_kana;
    std::string prefecture;
    int level = 1;
    lifecycle::Status status = lifecycle::Status::Declared;
    TimePoint declared_at;
    TimePoint level_since;
    std::optional<TimePoint> ended_at;
    std::string end_reason;
    std::string policy_url;
};

// The fields anyone can see, one per member of PublicDeclaration, in the order pages list them.
// Every page that tells a declarant what is published (terms, apply, check, confirm, privacy)
// shows this one list; a unit test fails when a member is added to PublicDeclaration and not here.
enum class PublicField {
    DeclarationId,
    BusinessName,
    BusinessNameKana,
    Prefecture,
    Level,
    CurrentStatus,
    DeclaredAt,
    LevelSince,
    EndedAt,
    EndReason,
    PolicyUrl,
};
inline constexpr std::array kPublicFields{
    PublicField::DeclarationId, PublicField::BusinessName,  PublicField::BusinessNameKana, PublicField::Prefecture,
    PublicField::Level,         PublicField::CurrentStatus, PublicField::DeclaredAt,       PublicField::LevelSince,
    PublicField::EndedAt,       PublicField::EndReason,     PublicField::PolicyUrl,
};
// The field's code ("business_name"), which names its labels in the message catalogues
// ("public_field.<code>").
std::string_view public_field_code(PublicField f);

// The disclosure rule: the one place that decides what of a declaration the public sees. The
// rvalue form moves the texts out (storage reads a declaration's public columns into one for it).
// `d` must have been issued its ID.
PublicDeclaration public_view(const Declaration& d);
PublicDeclaration public_view(Declaration&& d);

// Carries a lifecycle plan's state and dates over to `d` (the ID, which needs a fresh serial from
// storage, is given by `issue_id`).
void apply_plan(Declaration& d, const lifecycle::Plan& plan, TimePoint now);
// Gives `d` its public ID and the dates of being declared.
void issue_id(Declaration& d, const DeclarationId& id, TimePoint now);

struct Account {
    std::int64_t id = 0;
    std::string email;  // as first confirmed
    Lang lang = Lang::Ja;
    TimePoint created_at;
};

// A declarant's own code from an authenticator app (ADR 0061), kept as a verifier's is (ADR 0056):
// every part "" / 0 while the declarant has none.
struct AccountSecondFactor {
    std::string secret;   // base32; "" until a code confirms the set-up
    std::string pending;  // shown on the set-up page until a code confirms it
    std::int64_t last_step = 0;
    bool set_up() const { return !secret.empty(); }
};

struct SignInToken {
    std::string token_hash;
    std::string email_key;
    std::string next_path;  // where to go after signing in
    TimePoint expires_at;
};

// A change of a declaration's contact address that waits for the new address to prove itself.
struct ContactChange {
    std::string token_hash;  // of the link mailed to the new address
    std::int64_t declaration_id = 0;
    std::string new_email;     // normalised
    std::string requested_by;  // the audit actor who asked ("account:12")
    TimePoint expires_at;
};

// A second business's claim to a corporate number held by a live declaration.
struct CorporateNumberDispute {
    std::int64_t id = 0;
    std::string corporate_number;
    std::int64_t claim_id = 0;   // the claimant's declaration row (status disputed)
    std::int64_t holder_id = 0;  // the live declaration holding the number when the claim was confirmed
    TimePoint opened_at;
    std::string status = "open";  // "open" or "settled"
    // Filled in by listings, for the operator.
    std::string claim_business_name;
    std::string claim_contact_email;
    std::optional<DeclarationId> holder_public_id;
    std::string holder_business_name;
};

// One changed field of a declaration's details, kept in its history.
struct DetailChange {
    std::string field;
    std::string before;
    std::string after;
    std::string actor = {};  // who changed it, as the audit log names it ("account:12", "supporter:15"); read back only
};

// Every detail whose value differs between `before` and `after`, by field name, for the history:
// the business's details (kBusinessFields), then purposes, the ★★ evidence and the language.
std::vector<DetailChange> diff_details(const Application& before, const Application& after);

}  // namespace sengen
