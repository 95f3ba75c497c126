// Mail from the message catalogues: a use case names a mail ("mail.test") and gives values; the
// composer fills in "<kind>.subject" and "<kind>.body" in the reader's language, builds the
// message and queues it in the outbox of the use case's own transaction, so that the mail is
// sent if and only if the change that caused it commits.
//
//     auto id = composer.enqueue(tx, "mail.declaration_received", lang, {"", email},
//                                {{"declaration_id", id_text}, {"business_name", name}});
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/clock.hpp"
#include "domain/operator_profile.hpp"
#include "domain/ports.hpp"
#include "i18n/catalogue.hpp"
#include "mail/message.hpp"

namespace sengen::mail {

// Values for the {name} placeholders of a mail's messages.
using Values = std::vector<std::pair<std::string, std::string>>;

class MailComposer final : public MailQueue {
public:
    // `from` is the sender of every mail (config: mail-from); `base_url` fills {base_url}. With an
    // operator profile, every mail ends with a footer naming the operator and linking its pages
    // (the catalogue's "profile.mail_footer").
    MailComposer(const i18n::Catalogue& catalogue, const Clock& clock, Mailbox from, std::string base_url,
                 const OperatorProfile* profile = nullptr);

    // The complete mail. Every message may also use {site_name}, {base_url}, {programme} and
    // {issuer} (the programme and the operator of the profile; the site's name without one) and
    // {accepted_for} (the profile's text on what the ID is accepted for and a blank line, or nothing). Invalid when the
    // catalogue lacks "<kind>.subject" or "<kind>.body", when a placeholder has no value, or when
    // the message cannot be built safely (see mail::build: a bad address, a control character).
    // With `unsubscribe_url`, the mail carries the List-Unsubscribe headers (see mail::Message).
    Result<OutgoingMail> compose(std::string_view kind, i18n::Lang lang, const Mailbox& to, const Values& values,
                                 const std::string& unsubscribe_url = {}) const;

    // compose(), then OutboxRepository::enqueue in `tx`. Returns the outbox id.
    Result<std::int64_t> enqueue(Transaction& tx, std::string_view kind, i18n::Lang lang, const Mailbox& to,
                                 const Values& values, const std::string& unsubscribe_url = {}) const;

    const Mailbox& from() const { return from_; }

    // MailQueue: what use cases call (domain/ports.hpp). Invalid, like compose(), when a message
    // named in one of the request's lists or lines is missing from the catalogue, or a line's
    // message has a placeholder the line gives no value for.
    Status queue(Transaction& tx, const MailRequest& m) override;

private:
    const i18n::Catalogue& catalogue_;
    const Clock& clock_;
    Mailbox from_;
    std::string base_url_;
    const OperatorProfile* profile_;
};

// 128 random bits in hex: the unique part of a Message-ID, also usable in worker ids.
std::string random_hex(std::size_t bytes = 16);

}  // namespace sengen::mail
