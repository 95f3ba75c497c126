// Catalogue messages to queued mail.
#include "mail/composer.hpp"

#include <sodium.h>

namespace sengen::mail {

namespace {

// The {name} placeholders of a message, in order of appearance.
std::vector<std::string> placeholders(std::string_view text) {
    std::vector<std::string> out;
    for (std::size_t open = text.find('{'); open != std::string_view::npos; open = text.find('{', open + 1)) {
        auto close = text.find('}', open + 1);
        if (close == std::string_view::npos) break;
        auto name = text.substr(open + 1, close - open - 1);
        bool ident = !name.empty();
        for (char c : name) ident = ident && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        if (ident) out.emplace_back(name);
    }
    return out;
}

// Fills each placeholder once, left to right, so that a value containing "{x}" stays as it is.
std::string fill(std::string_view text, const Values& values) {
    std::string out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto open = text.find('{', pos);
        if (open == std::string_view::npos) break;
        auto close = text.find('}', open + 1);
        if (close == std::string_view::npos) break;
        auto name = text.substr(open + 1, close - open - 1);
        const std::string* value = nullptr;
        for (const auto& [k, v] : values)
            if (k == name) value = &v;
        out.append(text.substr(pos, open - pos));
        if (value) {
            out += *value;
            pos = close + 1;
        } else {
            out += '{';
            pos = open + 1;
        }
    }
    out.append(text.substr(std::min(pos, text.size())));
    return out;
}

}  // namespace

std::string random_hex(std::size_t bytes) {
    if (sodium_init() < 0) std::abort();  // cannot happen once libsodium is installed; no safe fallback
    std::vector<unsigned char> buf(bytes);
    randombytes_buf(buf.data(), buf.size());
    std::string out(bytes * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), buf.data(), buf.size());
    out.pop_back();
    return out;
}

MailComposer::MailComposer(const i18n::Catalogue& catalogue, const Clock& clock, Mailbox from, std::string base_url,
                           const OperatorProfile* profile)
    : catalogue_(catalogue), clock_(clock), from_(std::move(from)), base_url_(std::move(base_url)), profile_(profile) {}

Result<OutgoingMail> MailComposer::compose(std::string_view kind, i18n::Lang lang, const Mailbox& to,
                                           const Values& values, const std::string& unsubscribe_url) const {
    Values all = values;
    all.emplace_back("site_name", catalogue_.text(lang, "site.name"));
    all.emplace_back("base_url", base_url_);
    const auto& site = catalogue_.text(lang, "site.name");
    all.emplace_back("programme", profile_ ? profile_->programme_name.in(lang) : site);
    all.emplace_back("issuer", profile_ ? profile_->operator_name.in(lang) : site);
    const std::string accepted = profile_ ? profile_->accepted_for.in(lang) : std::string();
    all.emplace_back("accepted_for", accepted.empty() ? accepted : accepted + "\n\n");

    const auto& messages = catalogue_.all(lang);
    std::vector<FieldError> errors;
    std::string texts[2];
    const char* parts[2] = {".subject", ".body"};
    for (int p = 0; p < 2; ++p) {
        const std::string id = std::string(kind) + parts[p];
        auto it = messages.find(id);
        if (it == messages.end()) {
            errors.push_back({id, "missing_message"});
            continue;
        }
        for (const auto& name : placeholders(it->second)) {
            bool given = false;
            for (const auto& [k, v] : all) given = given || k == name;
            if (!given) errors.push_back({id, "missing_value:" + name});
        }
        texts[p] = fill(it->second, all);
    }
    // Every mail names whose registry sent it and links the operator's pages.
    if (profile_)
        texts[1] += fill(catalogue_.text(lang, "profile.mail_footer"), {{"operator", profile_->operator_name.in(lang)},
                                                                        {"about_url", base_url_ + "/about"},
                                                                        {"privacy_url", base_url_ + "/privacy"},
                                                                        {"terms_url", base_url_ + "/terms"}});
    if (!errors.empty()) {
        Error e = Error::invalid(std::move(errors), "mail.template");
        for (const auto& f : e.fields) e.detail += (e.detail.empty() ? "" : ", ") + f.field + ": " + f.code;
        return fail(std::move(e));
    }

    Message m{from_, to, texts[0], texts[1], lang, unsubscribe_url};
    auto built = build(m, clock_.now(), random_hex());
    if (!built) return fail(built.error());
    return OutgoingMail{to.address, texts[0], std::move(built->text), std::string(kind)};
}

Result<std::int64_t> MailComposer::enqueue(Transaction& tx, std::string_view kind, i18n::Lang lang, const Mailbox& to,
                                           const Values& values, const std::string& unsubscribe_url) const {
    auto mail = compose(kind, lang, to, values, unsubscribe_url);
    if (!mail) return fail(mail.error());
    return tx.outbox().enqueue(*mail, clock_.now());
}

Status MailComposer::queue(Transaction& tx, const MailRequest& m) {
    Values values = m.values;
    const auto& messages = catalogue_.all(m.lang);
    // Japanese lists with the ideographic comma, English with a comma and a space.
    const std::string_view separator = m.lang == i18n::Lang::Ja ? "\u3001" : ", ";
    for (const auto& [name, ids] : m.lists) {
        std::string joined;
        for (const auto& id : ids) {
            auto it = messages.find(id);
            if (it == messages.end()) {
                Error e = Error::invalid({{id, "missing_message"}}, "mail.template");
                e.detail = id + ": missing_message";
                return fail(std::move(e));
            }
            if (!joined.empty()) joined += separator;
            joined += it->second;
        }
        values.emplace_back(name, std::move(joined));
    }
    for (const auto& [name, lines] : m.lines) {
        std::string text;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const auto& line = lines[i];
            if (i > 0) text += '\n';
            if (line.message_id.empty()) continue;  // a blank line
            auto it = messages.find(line.message_id);
            std::vector<FieldError> problems;
            if (it == messages.end())
                problems.push_back({line.message_id, "missing_message"});
            else
                for (const auto& placeholder : placeholders(it->second)) {
                    bool given = false;
                    for (const auto& [k, v] : line.values) given = given || k == placeholder;
                    if (!given) problems.push_back({line.message_id, "missing_value:" + placeholder});
                }
            if (!problems.empty()) {
                Error e = Error::invalid(std::move(problems), "mail.template");
                for (const auto& f : e.fields) e.detail += (e.detail.empty() ? "" : ", ") + f.field + ": " + f.code;
                return fail(std::move(e));
            }
            text += fill(it->second, line.values);
        }
        values.emplace_back(name, std::move(text));
    }
    auto id = enqueue(tx, m.template_id, m.lang, Mailbox{"", m.to}, values, m.unsubscribe_url);
    if (!id) return fail(id.error());
    return {};
}

}  // namespace sengen::mail
