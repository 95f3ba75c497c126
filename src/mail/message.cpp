// RFC 5322 message text with MIME (RFC 2045, 2046, 2047) for UTF-8 plain-text mail.
#include "mail/message.hpp"

#include <sodium.h>

#include <array>
#include <ctime>
#include <vector>

#include "domain/text.hpp"

namespace sengen::mail {

namespace {

// RFC 2047 §2: "... a line containing an 'encoded-word' ... must be no more than 76 characters".
// We hold every header line to that, which also meets RFC 5322 §2.1.1's 78.
constexpr std::size_t kMaxHeaderLine = 76;
// RFC 2045 §6.8: "The encoded output stream must be represented in lines of no more than 76 characters".
constexpr std::size_t kBase64LineChars = 76;
// RFC 2047 §2: "An 'encoded-word' may not be more than 75 characters long".
constexpr std::size_t kMaxEncodedWord = 75;
constexpr std::string_view kWordPrefix = "=?UTF-8?B?";
constexpr std::string_view kWordSuffix = "?=";
constexpr std::size_t kMaxSubjectBytes = 900;
constexpr std::size_t kMaxNameBytes = 300;

// RFC 4648 §4 base64 with padding, the alphabet MIME uses (RFC 2045 §6.8), by libsodium, which the
// tokens already use. Lines are wrapped by the callers.
std::string base64(std::string_view in) {
    // The length libsodium gives counts the terminating NUL, which the string does not keep.
    std::string out(sodium_base64_ENCODED_LEN(in.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(in.data()), in.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.pop_back();
    return out;
}

// Decodes one UTF-8 sequence at `i`; nullopt when malformed (overlong, surrogate, > U+10FFFF).
std::optional<char32_t> next_code_point(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    std::size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || i + len > s.size()) return std::nullopt;
    char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) return std::nullopt;
        cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr std::array<char32_t, 5> min_for_len = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    i += len;
    return cp;
}

// C0 controls, DEL, C1 controls and the Unicode line and paragraph separators: anything a mail
// reader might take as the end of a line or a terminal might act on.
bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

// Checks text bound for a header. Adds a field error and returns false when it is unusable.
bool check_header_text(std::string_view s, const std::string& field, std::size_t max_bytes,
                       std::vector<FieldError>& errors) {
    if (s.size() > max_bytes) {
        errors.push_back({field, "too_long"});
        return false;
    }
    for (std::size_t i = 0; i < s.size();) {
        auto cp = next_code_point(s, i);
        if (!cp) {
            errors.push_back({field, "invalid_utf8"});
            return false;
        }
        if (is_control(*cp)) {
            errors.push_back({field, "control_character"});
            return false;
        }
    }
    return true;
}

bool is_ascii_printable(std::string_view s) {
    for (char c : s)
        if (c < 0x20 || c > 0x7E) return false;
    return true;
}

// RFC 5322 §3.2.3 atext.
bool is_atext(char c) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return true;
    return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

bool is_ldh(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; }

// One header field being written, folded (RFC 5322 §2.2.3) before a token that would make the
// line longer than kMaxHeaderLine.
class HeaderWriter {
public:
    explicit HeaderWriter(std::string_view name) : out_(std::string(name) + ":"), col_(name.size() + 1) {}

    // Room for a token after one space on the current line.
    std::size_t room() const { return col_ + 1 < kMaxHeaderLine ? kMaxHeaderLine - col_ - 1 : 0; }

    void token(std::string_view t) {
        if (t.size() > room() && !at_line_start_) fold();
        out_ += ' ';
        out_.append(t);
        col_ += 1 + t.size();
        at_line_start_ = false;
    }

    void fold() {
        out_ += "\r\n";
        col_ = 0;
        at_line_start_ = true;
    }

    std::string finish() && { return std::move(out_) + "\r\n"; }

private:
    std::string out_;
    std::size_t col_;
    bool at_line_start_ = false;
};

// RFC 2047 §4.1 "B" encoded-words for UTF-8 text, as many as needed, each filling the room on its
// line. §5(3): "Each 'encoded-word' MUST represent an integral number of characters", so a
// chunk never ends inside a UTF-8 sequence. Readers join adjacent encoded-words without the
// white space between them (§6.2), so the text comes back exactly.
void put_encoded_words(HeaderWriter& w, std::string_view text) {
    constexpr std::size_t overhead = kWordPrefix.size() + kWordSuffix.size();
    std::size_t i = 0;
    while (i < text.size()) {
        const std::size_t chars = std::min(w.room(), kMaxEncodedWord);
        const std::size_t max_bytes = chars > overhead ? (chars - overhead) / 4 * 3 : 0;
        std::size_t take = std::min(max_bytes, text.size() - i);
        while (take > 0 && i + take < text.size() && (static_cast<unsigned char>(text[i + take]) & 0xC0) == 0x80)
            --take;
        if (take == 0) {
            w.fold();  // a fresh line always has room for a 4-byte character
            continue;
        }
        std::string word(kWordPrefix);
        word += base64(text.substr(i, take));
        word += kWordSuffix;
        w.token(word);
        i += take;
    }
}

// Plain ASCII words separated by single spaces can be written as they are, folded at the spaces
// (unfolding gives back the same text). Anything else is encoded.
bool can_write_as_is(std::string_view s) {
    if (s.empty() || !is_ascii_printable(s) || s.find("=?") != std::string_view::npos) return false;
    if (s.front() == ' ' || s.back() == ' ' || s.find("  ") != std::string_view::npos) return false;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto sp = s.find(' ', start);
        auto word_len = (sp == std::string_view::npos ? s.size() : sp) - start;
        if (word_len > kMaxHeaderLine - 10) return false;
        if (sp == std::string_view::npos) break;
        start = sp + 1;
    }
    return true;
}

void put_text(HeaderWriter& w, std::string_view text) {
    if (!can_write_as_is(text)) return put_encoded_words(w, text);
    std::size_t start = 0;
    while (true) {
        auto sp = text.find(' ', start);
        w.token(text.substr(start, sp == std::string_view::npos ? std::string_view::npos : sp - start));
        if (sp == std::string_view::npos) break;
        start = sp + 1;
    }
}

// RFC 5322 §3.4 mailbox: [display-name] "<" addr-spec ">". A display name of plain ASCII is a
// quoted-string (§3.2.4); any other is encoded-words (RFC 2047 §5(3) allows them in a phrase).
std::string mailbox_header(std::string_view name, const Mailbox& mb) {
    HeaderWriter w(name);
    if (mb.display_name.empty()) {
        w.token(mb.address);
        return std::move(w).finish();
    }
    if (is_ascii_printable(mb.display_name) && mb.display_name.find("=?") == std::string::npos &&
        mb.display_name.size() + 2 <= kMaxHeaderLine - 10) {
        std::string quoted = "\"";
        for (char c : mb.display_name) {
            if (c == '"' || c == '\\') quoted += '\\';
            quoted += c;
        }
        quoted += '"';
        w.token(quoted);
    } else {
        put_encoded_words(w, mb.display_name);
    }
    w.token("<" + mb.address + ">");
    return std::move(w).finish();
}

// RFC 2046 §4.1.1: text in canonical form has CRLF line breaks; the body ends with one.
std::string canonical_text(std::string_view body) {
    std::string out;
    out.reserve(body.size() + body.size() / 32 + 2);
    for (std::size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
        if (body[i] == '\n') {
            out += "\r\n";
            continue;
        }
        out += body[i];
    }
    if (out.size() < 2 || out.compare(out.size() - 2, 2, "\r\n") != 0) out += "\r\n";
    return out;
}

bool check_body(std::string_view s, std::vector<FieldError>& errors) {
    for (std::size_t i = 0; i < s.size();) {
        const auto at = i;
        auto cp = next_code_point(s, i);
        if (!cp) {
            errors.push_back({"body", "invalid_utf8"});
            return false;
        }
        const bool line_end = *cp == '\n' || (*cp == '\r' && at + 1 < s.size() && s[at + 1] == '\n');
        if (is_control(*cp) && *cp != '\t' && !line_end) {
            errors.push_back({"body", "control_character"});
            return false;
        }
    }
    return true;
}

// An address for List-Unsubscribe: http or https, printable ASCII without space, angle brackets or
// commas (which would end the URL in the header, RFC 2369 §2), and short enough that the header
// line stays within RFC 5322 §2.1.1's hard limit of 998 characters.
bool usable_unsubscribe_url(std::string_view url) {
    if (!(url.starts_with("https://") || url.starts_with("http://")) || url.size() > 900) return false;
    for (char c : url)
        if (c <= 0x20 || c > 0x7E || c == '<' || c == '>' || c == ',' || c == '"') return false;
    return true;
}

std::string domain_of(std::string_view address) { return std::string(address.substr(address.rfind('@') + 1)); }

}  // namespace

Status validate_address(std::string_view a, const std::string& field) {
    auto bad = [&] {
        Error e = Error::invalid({{field, "address"}}, "mail.invalid_address");
        e.detail = field + ": not an address of the form name@example.jp";
        return fail(std::move(e));
    };
    // RFC 5321 §4.5.3.1.3: a path is at most 256 octets including "<" and ">".
    if (a.empty() || a.size() > 254) return bad();
    const auto at = a.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == a.size()) return bad();
    const auto local = a.substr(0, at);
    const auto domain = a.substr(at + 1);
    // RFC 5321 §4.5.3.1.1: local-part at most 64 octets. RFC 5322 §3.2.3 dot-atom-text.
    if (local.size() > 64 || local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return bad();
    for (char c : local)
        if (c != '.' && !is_atext(c)) return bad();
    // RFC 5321 §4.1.2 Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str].
    std::size_t start = 0;
    while (true) {
        auto dot = domain.find('.', start);
        auto label = domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return bad();
        for (char c : label)
            if (!is_ldh(c)) return bad();
        if (dot == std::string_view::npos) break;
        start = dot + 1;
    }
    return {};
}

Result<Mailbox> parse_mailbox(std::string_view text, const std::string& field) {
    text = text::trim(text);
    Mailbox mb;
    if (!text.empty() && text.back() == '>') {
        auto lt = text.rfind('<');
        if (lt == std::string_view::npos) return fail(Error::invalid({{field, "address"}}, "mail.invalid_address"));
        mb.address = std::string(text.substr(lt + 1, text.size() - lt - 2));
        auto name = text::trim(text.substr(0, lt));
        if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
            name = name.substr(1, name.size() - 2);
            for (std::size_t i = 0; i < name.size(); ++i) {
                if (name[i] == '\\' && i + 1 < name.size()) ++i;
                mb.display_name += name[i];
            }
        } else {
            mb.display_name = std::string(name);
        }
    } else {
        mb.address = std::string(text);
    }
    if (auto ok = validate_address(mb.address, field); !ok) return fail(ok.error());
    std::vector<FieldError> errors;
    if (!check_header_text(mb.display_name, field, kMaxNameBytes, errors))
        return fail(Error::invalid(std::move(errors), "mail.invalid"));
    return mb;
}

std::string format_date(TimePoint t) {
    static constexpr std::array<const char*, 7> days = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr std::array<const char*, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const std::time_t secs = static_cast<std::time_t>(unix_seconds(t));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    // RFC 5322 §3.3: day-name "," day month year hour ":" minute ":" second zone
    char buf[40];
    std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000",
                  days.at(static_cast<std::size_t>(tm.tm_wday)), tm.tm_mday,
                  months.at(static_cast<std::size_t>(tm.tm_mon)), tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    return buf;
}

Result<BuiltMessage> build(const Message& m, TimePoint date, std::string_view unique) {
    std::vector<FieldError> errors;
    if (auto ok = validate_address(m.from.address, "from"); !ok) errors.push_back({"from", "address"});
    if (auto ok = validate_address(m.to.address, "to"); !ok) errors.push_back({"to", "address"});
    check_header_text(m.from.display_name, "from", kMaxNameBytes, errors);
    check_header_text(m.to.display_name, "to", kMaxNameBytes, errors);
    if (m.subject.empty())
        errors.push_back({"subject", "required"});
    else
        check_header_text(m.subject, "subject", kMaxSubjectBytes, errors);
    check_body(m.body, errors);
    if (!m.unsubscribe_url.empty() && !usable_unsubscribe_url(m.unsubscribe_url))
        errors.push_back({"unsubscribe_url", "invalid"});
    if (unique.empty() || unique.size() > 128) errors.push_back({"message_id", "invalid"});
    for (char c : unique)
        if (!is_ldh(c) && c != '.') {
            errors.push_back({"message_id", "invalid"});
            break;
        }
    if (!errors.empty()) {
        Error e = Error::invalid(std::move(errors), "mail.invalid");
        for (const auto& f : e.fields) e.detail += (e.detail.empty() ? "" : ", ") + f.field + ": " + f.code;
        return fail(std::move(e));
    }

    BuiltMessage out;
    out.message_id = std::string(unique) + "@" + domain_of(m.from.address);
    std::string& t = out.text;
    t += "Date: " + format_date(date) + "\r\n";
    t += "Message-ID: <" + out.message_id + ">\r\n";
    t += mailbox_header("From", m.from);
    t += mailbox_header("To", m.to);
    {
        HeaderWriter w("Subject");
        put_text(w, m.subject);
        t += std::move(w).finish();
    }
    t += "MIME-Version: 1.0\r\n";
    t += "Content-Type: text/plain; charset=UTF-8\r\n";
    t += "Content-Transfer-Encoding: base64\r\n";
    t += "Content-Language: " + std::string(i18n::code(m.lang)) + "\r\n";
    // RFC 3834 §5: mail sent by a program, so that responders do not answer it.
    t += "Auto-Submitted: auto-generated\r\n";
    if (!m.unsubscribe_url.empty()) {
        // RFC 2369 §3.2: the URL in angle brackets. It is one token and is not folded (a reader
        // would have to take the folding white space out of the URL). RFC 8058 §3.1: the POST
        // body a mail program sends to it for a one-click unsubscription.
        t += "List-Unsubscribe: <" + m.unsubscribe_url + ">\r\n";
        t += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
    }
    t += "\r\n";
    const std::string encoded = base64(canonical_text(m.body));
    for (std::size_t i = 0; i < encoded.size(); i += kBase64LineChars) {
        t.append(encoded, i, kBase64LineChars);
        t += "\r\n";
    }
    return out;
}

std::optional<std::string> header_value(std::string_view message, std::string_view name) {
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    std::size_t pos = 0;
    while (pos < message.size()) {
        auto eol = message.find("\r\n", pos);
        if (eol == std::string_view::npos) eol = message.size();
        auto line = message.substr(pos, eol - pos);
        if (line.empty()) return std::nullopt;  // end of the header section
        auto colon = line.find(':');
        bool match = colon == name.size();
        for (std::size_t i = 0; match && i < name.size(); ++i) match = lower(line[i]) == lower(name[i]);
        if (match) {
            std::string value(text::trim(line.substr(colon + 1)));
            // Unfold: continuation lines start with white space (RFC 5322 §2.2.3).
            auto next = eol + 2;
            while (next < message.size() && (message[next] == ' ' || message[next] == '\t')) {
                auto e2 = message.find("\r\n", next);
                if (e2 == std::string_view::npos) e2 = message.size();
                value += message.substr(next, e2 - next);
                next = e2 + 2;
            }
            return value;
        }
        pos = eol + 2;
    }
    return std::nullopt;
}

}  // namespace sengen::mail
