// Subsidy reminders (issue 13, point 5): a signed-in declarant subscribes one of its declarations
// to a programme of the subsidy catalogue, and when a round of that programme opens (a reload or a
// start puts in force a catalogue where it is open) each subscriber gets one mail saying what the
// declaration still needs for it. Every node runs `send_due` itself; the database's one reminder
// per subscription and round, written in the transaction that queues the mail, makes it go once
// (docs/adr/0041-subsidy-reminders-sent-once-by-a-database-row.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/registry_context.hpp"
#include "app/subsidy_catalogue.hpp"
#include "domain/subsidy/reminders.hpp"

namespace sengen::app {

class Reminders {
public:
    Reminders(const RegistryContext& registry, SubsidyCatalogue& catalogue) : r_(registry), catalogue_(catalogue) {}

    // The slugs the account's declaration is subscribed to; NotFound as Declarations::owned.
    Result<std::vector<std::string>> subscribed(std::int64_t account_id, const DeclarationId& public_id);

    // The account's declarations that have an ID, each with whether it is subscribed to `slug`.
    struct Choice {
        Declaration declaration;
        bool subscribed = false;
    };
    Result<std::vector<Choice>> choices(std::int64_t account_id, const std::string& slug);

    // Subscribes the account's declaration to the programme `slug` of the catalogue in force
    // (NotFound "subsidy.not_found" when it has none such). A round open already counts as told:
    // the first reminder is for the next round that opens. Subscribing twice is one subscription.
    Status subscribe(const Caller& caller, std::int64_t account_id, const DeclarationId& public_id,
                     const std::string& slug);
    Status unsubscribe(const Caller& caller, std::int64_t account_id, const DeclarationId& public_id,
                       const std::string& slug);

    // What the unsubscribe link of a reminder names, for its confirmation page; nullopt when the
    // link is unknown or its subscription has ended.
    struct Subscribed {
        std::string business_name;
        std::string programme;  // the slug
    };
    Result<std::optional<Subscribed>> find_by_token(const std::string& token);
    // Ends the subscription the link names, without signing in. Whether there was one to end.
    Result<bool> unsubscribe_by_token(const std::string& token, const std::string& ip);

    // What one pass did.
    struct Sent {
        std::size_t queued = 0;     // mails put in the outbox
        std::size_t limited = 0;    // held back by the mail limits
        std::size_t not_owner = 0;  // the declaration has changed hands since it was subscribed
    };
    // Sends the reminders of every open round of `catalogue` that have not been sent, by this node
    // or another: after a reload and when a node starts.
    Result<Sent> send_due(const subsidy::Catalogue& catalogue);

    // The unsubscribe link put in a reminder.
    std::string unsubscribe_url(const std::string& token) const;

private:
    enum class Claim { Mine, Taken };
    Result<Claim> send_one(const subsidy::Catalogue& catalogue, const subsidy::Programme& p,
                           const subsidy::OpenRound& round, const SubsidySubscription& s, Sent& sent);
    MailRequest reminder_mail(const subsidy::Catalogue& catalogue, const subsidy::Programme& p,
                              const subsidy::OpenRound& round, const Declaration& d, const std::string& token) const;

    const RegistryContext& r_;
    SubsidyCatalogue& catalogue_;
};

}  // namespace sengen::app
