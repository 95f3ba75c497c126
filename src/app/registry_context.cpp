// The pieces the registry's use cases share; `carry_out` is the one place that turns a lifecycle
// plan into writes, an audit event and mail.
#include "app/registry_context.hpp"

#include <nlohmann/json.hpp>

#include "app/tokens.hpp"
#include "app/transparency_log.hpp"
#include "domain/dates.hpp"
#include "domain/email.hpp"
#include "domain/lang.hpp"

namespace sengen::app {

std::string json_of(std::initializer_list<std::pair<const char*, std::string>> kv) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : kv) j[k] = v;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string RegistryContext::today() const { return dates::japan_iso_date(clock_.now()); }

std::string RegistryContext::confirm_url(const std::string& token) const {
    return link_url(settings_.base_url, "/confirm", token);
}
std::string RegistryContext::signin_url(const std::string& token) const {
    return link_url(settings_.base_url, "/signin/link", token);
}
std::string RegistryContext::contact_change_url(const std::string& token) const {
    return link_url(settings_.base_url, "/contact-change", token);
}
std::string RegistryContext::verify_url(const DeclarationId& public_id) const {
    return settings_.base_url + "/verify/" + public_id.digits();
}

MailValues RegistryContext::mail_values(const Declaration& d) const {
    const Lang l = d.details.lang;
    const auto level = std::min(std::max(d.state.level, 1), content_.max_level());
    return {{"business_name", d.details.business_name},
            {"contact_name", d.details.contact_name},
            {"id", d.public_id ? d.public_id->digits() : std::string()},
            {"level", content_.level(level).stars + " " + content_.level(level).name.in(l)},
            {"verify_url", d.public_id ? verify_url(*d.public_id) : std::string()},
            {"mypage_url", settings_.base_url + "/mypage"},
            {"signin_page_url", settings_.base_url + "/signin"},
            {"badge_url", d.public_id ? settings_.base_url + "/mypage/declarations/" + d.public_id->digits() + "/badge"
                                      : std::string()}};
}

Status RegistryContext::limit(const RateRule& rule, const std::string& subject, TimePoint now) const {
    RateRule scaled = rule;
    scaled.limit = rule.limit * std::max(1, settings_.rate_limit_factor);
    return enforce(store_, refusals_, scaled, subject, now);
}

Status RegistryContext::limit_mail(const std::string& to, std::optional<std::int64_t> declaration, Proof proof,
                                   TimePoint now) const {
    const auto& m = settings_.mail_limits;
    if (proof == Proof::Unproven)
        if (auto ok = limit_unproven_mail(to, now); !ok) return ok;
    if (auto ok = limit({"mail.address", m.per_address, limits::kMailWindow}, email_key(to), now); !ok) return ok;
    if (declaration)
        if (auto ok =
                limit({"mail.declaration", m.per_declaration, limits::kMailWindow}, std::to_string(*declaration), now);
            !ok)
            return ok;
    return {};
}

Status RegistryContext::limit_mail_in(Transaction& tx, const std::string& to, std::int64_t declaration,
                                      TimePoint now) const {
    const auto& m = settings_.mail_limits;
    const int factor = std::max(1, settings_.rate_limit_factor);
    // The same rules, names and so counters as limit_mail.
    if (auto ok = enforce_in(tx, {"mail.address", m.per_address * factor, limits::kMailWindow}, email_key(to), now);
        !ok)
        return ok;
    return enforce_in(tx, {"mail.declaration", m.per_declaration * factor, limits::kMailWindow},
                      std::to_string(declaration), now);
}

Status RegistryContext::limit_unproven_mail(const std::string& to, TimePoint now) const {
    return limit({"mail.unproven", settings_.mail_limits.unproven, limits::kMailWindow}, email_key(to), now);
}

Status RegistryContext::record(Transaction& tx, const std::string& actor, const std::string& action,
                               const Declaration& d, const std::string& ip, const std::string& details_json) const {
    AuditEvent e;
    e.at = clock_.now();
    e.actor = actor;
    e.action = action;
    e.subject = "declaration:" + std::to_string(d.id);
    e.ip = ip;
    e.details = details_json;
    auto r = tx.audit().record(e);
    if (!r) return fail(r.error());
    return {};
}

namespace {

std::string audit_details(const lifecycle::Plan& plan, const Declaration& d, const lifecycle::State& before) {
    switch (plan.audit_details) {
        case lifecycle::AuditDetails::None:
            return "{}";
        case lifecycle::AuditDetails::Applied:
            return json_of({{"level", std::to_string(d.state.level)}, {"terms", d.terms_version}});
        case lifecycle::AuditDetails::Confirmed:
            return json_of({{"status", std::string(lifecycle::to_string(d.state.status))},
                            {"public_id", d.public_id ? d.public_id->digits() : std::string()}});
        case lifecycle::AuditDetails::Levels:
            return json_of({{"from_level", std::to_string(before.level)},
                            {"to_level", std::to_string(d.state.level)},
                            {"status", std::string(lifecycle::to_string(d.state.status))}});
        case lifecycle::AuditDetails::Reason:
            // Revoke, reinstate, reject: the status before and after, so the log alone shows the change.
            return json_of({{"reason", plan.reason},
                            {"from_status", std::string(lifecycle::to_string(before.status))},
                            {"to_status", std::string(lifecycle::to_string(d.state.status))}});
    }
    return "{}";
}

}  // namespace

Status RegistryContext::record_and_tell(Transaction& tx, const lifecycle::Plan& plan, const Declaration& d,
                                        const lifecycle::State& before, const std::string& actor, const std::string& ip,
                                        MailValues extra_mail, const Involved& involved) const {
    if (auto ok = record(tx, actor, std::string(plan.audit_action), d, ip, audit_details(plan, d, before)); !ok)
        return ok;
    auto values = mail_values(d);
    if (plan.mail_reason == lifecycle::MailReason::Include) values.emplace_back("reason", plan.reason);
    for (auto& v : extra_mail) values.push_back(std::move(v));
    std::string to;
    switch (plan.mail_to) {
        case lifecycle::Recipient::Contact:
            to = d.details.contact_email;
            break;
        case lifecycle::Recipient::NewContact:
            to = involved.new_contact;
            break;
        case lifecycle::Recipient::FormerContact:
            to = involved.former_contact;
            break;
    }
    if (to.empty()) return fail(Error::unavailable("declaration.no_recipient", std::string(plan.mail_kind)));
    return mail_.queue(tx, {std::string(plan.mail_kind), d.details.lang, to, std::move(values), {}});
}

Status RegistryContext::carry_out(Transaction& tx, const lifecycle::Plan& plan, Declaration& d,
                                  const lifecycle::State& before, const std::string& actor, const std::string& ip,
                                  MailValues extra_mail, Involved involved) const {
    const auto now = clock_.now();
    apply_plan(d, plan, now);
    std::optional<std::int64_t> former_owner;
    if (plan.ownership == lifecycle::Ownership::MoveToNewContact) {
        // The new address proved itself by following its link: the declaration and the right to
        // manage it pass to that address's account (made now if it has none).
        auto account = tx.accounts().find_or_create(involved.new_contact, d.details.lang, now);
        if (!account) return fail(account.error());
        former_owner = d.account_id;
        involved.former_contact = d.details.contact_email;
        Application details = d.details;
        details.contact_email = involved.new_contact;
        const std::vector<DetailChange> changes{{"contact_email", d.details.contact_email, involved.new_contact}};
        if (auto ok = tx.declarations().save_details(d.id, details, changes, actor, now); !ok) return ok;
        d.details = std::move(details);
        d.account_id = account->id;
    }
    if (plan.id == lifecycle::IdIssue::Issue) {
        auto serial = tx.declarations().next_serial(now);
        if (!serial) return fail(serial.error());
        if (*serial > DeclarationId::kMaxSerial) return fail(Error::unavailable("declaration.serials_exhausted"));
        issue_id(d, DeclarationId::make(settings_.id_leading_digit, *serial), now);
    }
    if (auto ok = tx.declarations().save_state(d, before); !ok) return ok;
    // The transparency log's entry, in this transaction: the change and its entry commit together.
    if (const auto event = log_event_of(plan, before, d))
        if (auto appended = append_to_log(tx, settings_.log_origin, d, *event, now); !appended)
            return fail(appended.error());
    // Every browser the former owner is signed in with loses control at once, on every node.
    if (former_owner && former_owner != d.account_id)
        if (auto ended = tx.sessions().remove_all_of(*former_owner); !ended) return fail(ended.error());
    if (plan.dispute == lifecycle::Dispute::Record) {
        if (!involved.holder) return fail(Error::unavailable("declaration.dispute_without_holder"));
        CorporateNumberDispute dispute;
        dispute.corporate_number = d.details.corporate_number;
        dispute.claim_id = d.id;
        dispute.holder_id = *involved.holder;
        dispute.opened_at = now;
        if (auto id = tx.disputes().open(dispute); !id) return fail(id.error());
    }
    return record_and_tell(tx, plan, d, before, actor, ip, std::move(extra_mail), involved);
}

}  // namespace sengen::app
