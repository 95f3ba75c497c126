// Mail transports: how a queued message leaves sengen. main builds one from Config::mail with
// make_transport; the outbox worker calls send() outside any database transaction.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "domain/error.hpp"

namespace sengen::mail {

// One message to hand over.
struct Envelope {
    std::int64_t outbox_id = 0;
    std::string recipient;  // RCPT TO
    std::string message;    // RFC 5322 text with CRLF line ends, as built by mail::build
};

class Transport {
public:
    virtual ~Transport() = default;
    // Hands one message over; returns once the next hop has accepted it. On failure the error's
    // detail is a short reason without secrets or message text. Kind Invalid means the next hop
    // refused this message for good (an SMTP 5xx reply other than for authentication): retrying
    // cannot help. Any other kind (Unavailable) is worth retrying later.
    virtual Status send(const Envelope& e) = 0;
    // For logs: "file:var/mail", "smtp://mail.example.jp:587 (STARTTLS required)". No secrets.
    virtual std::string describe() const = 0;
};

// The transport named by `c.mail`, with the envelope sender taken from `c.mail_from`.
// Unavailable when it cannot be set up (a directory that cannot be created, an unreadable CA file).
Result<std::unique_ptr<Transport>> make_transport(const config::Config& c);

}  // namespace sengen::mail
