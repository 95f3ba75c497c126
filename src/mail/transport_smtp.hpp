// The SMTP transport (libcurl): smtp:// with STARTTLS required (CURLUSESSL_ALL) unless turned
// off for a loopback host, or smtps:// with implicit TLS. Certificates are always verified,
// against the system's CAs or the PEM file in smtp-ca-file.
#pragma once
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "mail/transport.hpp"

namespace sengen::mail {

struct SmtpSettings {
    bool implicit_tls = false;     // smtps://
    bool require_starttls = true;  // smtp:// only; config allows false for loopback hosts only
    std::string host;
    std::uint16_t port = 25;
    std::string sender;  // envelope sender (MAIL FROM), an addr-spec
    std::string user;    // AUTH when not empty
    std::string password;
    std::string ca_file;  // PEM; empty: the system's CAs
    // Whole-exchange limit; must stay well below the outbox lease so that no other worker can
    // take a mail while it is being sent.
    std::chrono::seconds timeout{30};
    std::chrono::seconds connect_timeout{10};
};

class SmtpTransport final : public Transport {
public:
    explicit SmtpTransport(SmtpSettings s);
    Status send(const Envelope& e) override;
    std::string describe() const override;

private:
    SmtpSettings s_;
    std::string url_;
};

}  // namespace sengen::mail
