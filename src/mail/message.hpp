// Mail messages: a Message becomes RFC 5322 text (MIME per RFC 2045-2047: UTF-8, base64) with
// CRLF line ends. Pure: the date and the unique part of the Message-ID are passed in.
//
// Nothing that reaches a header is ever repaired: a CR, LF or other control character in a
// name, subject or address makes build() fail with Error::Kind::Invalid, so header injection
// cannot happen by construction.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "domain/clock.hpp"
#include "domain/error.hpp"
#include "i18n/catalogue.hpp"

namespace sengen::mail {

// A display name and an address, as in `山田 太郎 <taro@example.jp>`.
struct Mailbox {
    std::string display_name;  // may be empty; any Unicode text without control characters
    std::string address;       // an addr-spec (see validate_address)
};

struct Message {
    Mailbox from;
    Mailbox to;
    std::string subject;  // UTF-8, one line
    std::string body;     // UTF-8 text with "\n" (or "\r\n") line ends
    i18n::Lang lang = i18n::Lang::Ja;
    // Where the recipient stops this kind of mail without signing in (an http or https address),
    // or empty. When set, the message carries List-Unsubscribe (RFC 2369 §3.2) and
    // List-Unsubscribe-Post (RFC 8058 §3.1), so that mail programs offer the one-click way out.
    std::string unsubscribe_url = {};
};

struct BuiltMessage {
    std::string message_id;  // without angle brackets: "unique@domain-of-from"
    std::string text;        // header and body, CRLF line ends
};

// A practical subset of RFC 5321 §4.1.2 / RFC 5322 §3.4.1 addr-spec: dot-atom local part of at
// most 64 octets, '@', a domain of LDH labels (1-63 octets each), at most 254 octets in all.
// ASCII only (no SMTPUTF8; an internationalised domain must be given in its xn-- form).
// Invalid with one field error naming `field`.
Status validate_address(std::string_view address, const std::string& field = "address");

// "addr@example.jp", "Name <addr@example.jp>" or "\"Name\" <addr@example.jp>".
Result<Mailbox> parse_mailbox(std::string_view text, const std::string& field = "address");

// The whole message. `unique` is the left part of the Message-ID (letters, digits, '.', '-');
// its right part is the domain of the From address.
Result<BuiltMessage> build(const Message& m, TimePoint date, std::string_view unique);

// RFC 5322 §3.3 date-time in UTC, e.g. "Tue, 01 Jul 2025 03:04:05 +0000".
std::string format_date(TimePoint t);

// The value of the first header field `name` (case-insensitive) in `message`, unfolded.
std::optional<std::string> header_value(std::string_view message, std::string_view name);

}  // namespace sengen::mail
