// The transport chosen by the settings.
#include "mail/transport.hpp"

#include <fstream>

#include "mail/message.hpp"
#include "mail/transport_file.hpp"
#include "mail/transport_smtp.hpp"

namespace sengen::mail {

Result<std::unique_ptr<Transport>> make_transport(const config::Config& c) {
    if (c.mail.kind == config::MailTarget::Kind::File) {
        auto t = FileTransport::open(c.mail.directory);
        if (!t) return fail(t.error());
        return std::unique_ptr<Transport>(std::move(*t));
    }
    auto from = parse_mailbox(c.mail_from, "mail-from");
    if (!from) return fail(Error::unavailable("mail.config", "mail-from is not a valid address"));
    if (!c.smtp_ca_file.empty() && !std::ifstream(c.smtp_ca_file))
        return fail(Error::unavailable("mail.config", "cannot read smtp-ca-file " + c.smtp_ca_file));
    SmtpSettings s;
    s.implicit_tls = c.mail.kind == config::MailTarget::Kind::Smtps;
    s.require_starttls = c.smtp_starttls;
    s.host = c.mail.host;
    s.port = c.mail.port;
    s.sender = from->address;
    s.user = c.smtp_user;
    s.password = c.smtp_password;
    s.ca_file = c.smtp_ca_file;
    return std::unique_ptr<Transport>(std::make_unique<SmtpTransport>(std::move(s)));
}

}  // namespace sengen::mail
