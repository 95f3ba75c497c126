// The registry's use cases. Every lifecycle change goes through lifecycle::transition, is saved
// with an optimistic check of the state it started from, and is recorded in the audit log in
// the same transaction as the mail it causes.
#include "app/registry.hpp"

#include <nlohmann/json.hpp>

#include "app/rate_limit.hpp"
#include "app/tokens.hpp"
#include "domain/dates.hpp"
#include "domain/email.hpp"
#include "i18n/catalogue.hpp"
#include "domain/error_codes.hpp"

namespace sengen::app {

namespace {

const RateRule kApplyPerIp{"apply.ip", 20, std::chrono::hours(1)};
const RateRule kApplyPerEmail{"apply.email", 5, std::chrono::hours(24)};
const RateRule kSigninPerEmail{"signin.email", 5, std::chrono::hours(1)};
const RateRule kSigninPerIp{"signin.ip", 30, std::chrono::hours(1)};
const RateRule kConfirmPerIp{"confirm.ip", 60, std::chrono::hours(1)};
const RateRule kResendPerApplication{"resend.application", 3, std::chrono::hours(1)};
const RateRule kSearchPerIp{"search.ip", 120, std::chrono::minutes(10)};
// Lookups of single declarations: a verifier checking a few thousand IDs in an hour passes; a
// script walking the ID space from one address is slowed to this pace. Counted per node, in memory.
const RateRule kLookupPerIp{"lookup.ip", 10000, std::chrono::hours(1)};

// Runs `work` in a write transaction and returns what it produced.
template <typename T, typename F>
Result<T> in_write(Store& store, F&& work) {
    return store.query<T>(TxMode::Write, std::forward<F>(work));
}

std::string json_of(std::initializer_list<std::pair<const char*, std::string>> kv) {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : kv) j[k] = v;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Details that can change after declaring, by name, for the history.
std::vector<DetailChange> diff(const Application& a, const Application& b) {
    std::vector<DetailChange> out;
    auto cmp = [&](const char* f, const std::string& x, const std::string& y) {
        if (x != y) out.push_back({f, x, y});
    };
    cmp("entity_type", a.entity_type, b.entity_type);
    cmp("corporate_number", a.corporate_number, b.corporate_number);
    cmp("business_name", a.business_name, b.business_name);
    cmp("business_name_kana", a.business_name_kana, b.business_name_kana);
    cmp("postal_code", a.postal_code, b.postal_code);
    cmp("prefecture", a.prefecture, b.prefecture);
    cmp("address", a.address, b.address);
    cmp("industry", a.industry, b.industry);
    cmp("employees", a.employees, b.employees);
    cmp("representative_title", a.representative_title, b.representative_title);
    cmp("representative_name", a.representative_name, b.representative_name);
    cmp("contact_name", a.contact_name, b.contact_name);
    cmp("contact_email", a.contact_email, b.contact_email);
    cmp("phone", a.phone, b.phone);
    cmp("website", a.website, b.website);
    std::string pa, pb;
    for (const auto& p : a.purposes) pa += (pa.empty() ? "" : ",") + p;
    for (const auto& p : b.purposes) pb += (pb.empty() ? "" : ",") + p;
    cmp("purposes", pa, pb);
    cmp("assessment_date", a.assessment_date, b.assessment_date);
    cmp("policy_url", a.policy_url, b.policy_url);
    cmp("lang", a.lang, b.lang);
    return out;
}

}  // namespace

std::string Registry::today() const { return dates::japan_iso_date(clock_.now()); }

std::string Registry::confirm_url(const std::string& token) const { return settings_.base_url + "/confirm/" + token; }
std::string Registry::signin_url(const std::string& token) const { return settings_.base_url + "/signin/" + token; }
std::string Registry::verify_url(const std::string& public_id) const {
    return settings_.base_url + "/verify/" + public_id;
}

std::vector<std::pair<std::string, std::string>> Registry::mail_values(const Declaration& d) const {
    const auto l = d.details.lang == "en" ? i18n::Lang::En : i18n::Lang::Ja;
    const auto level = std::min(std::max(d.state.level, 1), content_.max_level());
    return {{"business_name", d.details.business_name},
            {"contact_name", d.details.contact_name},
            {"id", d.public_id.value_or("")},
            {"id_grouped", d.public_id ? DeclarationId::parse(*d.public_id).id->grouped() : std::string()},
            {"level", content_.level(level).stars + " " + content_.level(level).name.in(l)},
            {"verify_url", d.public_id ? verify_url(*d.public_id) : std::string()},
            {"mypage_url", settings_.base_url + "/mypage"},
            {"signin_page_url", settings_.base_url + "/signin"},
            {"badge_url",
             d.public_id ? settings_.base_url + "/mypage/declarations/" + *d.public_id + "/badge" : std::string()}};
}

Status Registry::limit(const RateRule& rule, const std::string& subject, TimePoint now) {
    RateRule scaled = rule;
    scaled.limit = rule.limit * std::max(1, settings_.rate_limit_factor);
    return enforce(store_, scaled, subject, now);
}

Status Registry::record(Transaction& tx, const std::string& actor, const std::string& action, const Declaration& d,
                        const std::string& ip, const std::string& details_json) {
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

Result<std::int64_t> Registry::apply(const ApplicationInput& in, const Caller& caller) {
    auto app = validate(in, content_, today());
    if (!app) return fail(app.error());
    const auto now = clock_.now();
    if (auto ok = limit(kApplyPerIp, caller.ip, now); !ok) return fail(ok.error());
    if (auto ok = limit(kApplyPerEmail, email_key(app->contact_email), now); !ok) return fail(ok.error());

    const std::string token = random_token();
    return in_write<std::int64_t>(store_, [&](Transaction& tx) -> Result<std::int64_t> {
        auto dup = tx.declarations().live_exists_for_corporate_number(app->corporate_number, 0);
        if (!dup) return fail(dup.error());
        if (*dup) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
        Declaration d;
        d.state = {lifecycle::Status::AwaitingConfirmation, app->level};
        d.details = *app;
        d.terms_version = app->terms_version;
        d.terms_agreed_at = now;
        d.created_at = now;
        d.confirm_token_hash = token_hash(token);
        d.confirm_expires_at = now + settings_.confirm_lifetime;
        auto id = tx.declarations().create(d);
        if (!id) return fail(id.error());
        d.id = *id;
        if (auto ok = record(tx, caller.actor(), "declaration.applied", d, caller.ip,
                             json_of({{"level", std::to_string(d.state.level)}, {"terms", d.terms_version}}));
            !ok)
            return fail(ok.error());
        auto values = mail_values(d);
        values.emplace_back("link", confirm_url(token));
        values.emplace_back("hours", std::to_string(settings_.confirm_lifetime.count()));
        if (auto ok = mail_.queue(tx, {"mail.receipt", d.details.lang, d.details.contact_email, values}); !ok)
            return fail(ok.error());
        return *id;
    });
}

Status Registry::resend_confirmation(std::int64_t application_id, const Caller& caller) {
    const auto now = clock_.now();
    if (auto ok = limit(kApplyPerIp, caller.ip, now); !ok) return ok;
    if (auto ok = limit(kResendPerApplication, std::to_string(application_id), now); !ok) return ok;
    const std::string token = random_token();
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto found = tx.declarations().find(application_id);
        if (!found) return fail(found.error());
        if (!*found || (*found)->state.status != lifecycle::Status::AwaitingConfirmation)
            return fail(Error::not_found(codes::kConfirmUnknown));
        Declaration d = **found;
        if (auto ok = tx.declarations().set_confirm_token(d.id, token_hash(token), now + settings_.confirm_lifetime);
            !ok)
            return ok;
        if (auto ok = record(tx, caller.actor(), "declaration.confirmation_resent", d, caller.ip, "{}"); !ok) return ok;
        auto values = mail_values(d);
        values.emplace_back("link", confirm_url(token));
        values.emplace_back("hours", std::to_string(settings_.confirm_lifetime.count()));
        return mail_.queue(tx, {"mail.receipt", d.details.lang, d.details.contact_email, values});
    });
}

Result<Declaration> Registry::application_for(const std::string& token) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kConfirmUnknown));
    auto d = store_.query<std::optional<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_confirm_token(token_hash(token)); });
    if (!d) return fail(d.error());
    if (!*d) return fail(Error::not_found(codes::kConfirmUnknown));
    if ((*d)->state.status == lifecycle::Status::AwaitingConfirmation && (*d)->confirm_expires_at <= clock_.now())
        return fail(Error::not_found(codes::kConfirmExpired));
    return **d;
}

Result<Registry::Confirmed> Registry::confirm(const std::string& token, const Caller& caller) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kConfirmUnknown));
    const auto now = clock_.now();
    if (auto ok = limit(kConfirmPerIp, caller.ip, now); !ok) return fail(ok.error());
    auto confirmed = in_write<Confirmed>(store_, [&](Transaction& tx) -> Result<Confirmed> {
        auto found = tx.declarations().find_by_confirm_token(token_hash(token));
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kConfirmUnknown));
        Declaration d = **found;
        if (d.state.status != lifecycle::Status::AwaitingConfirmation) return Confirmed{d, false};
        if (d.confirm_expires_at <= now) return fail(Error::not_found(codes::kConfirmExpired));

        auto dup = tx.declarations().live_exists_for_corporate_number(d.details.corporate_number, d.id);
        if (!dup) return fail(dup.error());
        if (*dup) return fail(Error::conflict(codes::kDuplicateCorporateNumber));

        const auto before = d.state;
        auto next =
            lifecycle::transition(before, lifecycle::event::Confirm{settings_.hold_for_review}, content_.max_level());
        if (!next) return fail(next.error());
        d.state = *next;
        auto account = tx.accounts().find_or_create(d.details.contact_email, d.details.lang, now);
        if (!account) return fail(account.error());
        d.account_id = account->id;
        if (lifecycle::issues_id(before, d.state))
            if (auto ok = issue_id(tx, d, now); !ok) return fail(ok.error());
        if (auto ok = tx.declarations().save_state(d, before); !ok) return fail(ok.error());
        if (auto ok = record(tx, "account:" + std::to_string(account->id), "declaration.confirmed", d, caller.ip,
                             json_of({{"status", std::string(lifecycle::to_string(d.state.status))},
                                      {"public_id", d.public_id.value_or("")}}));
            !ok)
            return fail(ok.error());
        const char* mail_id = d.public_id ? "mail.declared" : "mail.held";
        if (auto ok = mail_.queue(tx, {mail_id, d.details.lang, d.details.contact_email, mail_values(d)}); !ok)
            return fail(ok.error());
        return Confirmed{d, true};
    });
    // The same link followed at the same moment (a double click, or two nodes on PostgreSQL):
    // the other request confirmed it between our read and our write. Show what it issued.
    if (!confirmed && confirmed.error().code == codes::kDeclarationChanged) {
        auto d = store_.query<std::optional<Declaration>>(
            TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_confirm_token(token_hash(token)); });
        if (d && *d && (*d)->state.status != lifecycle::Status::AwaitingConfirmation) return Confirmed{**d, false};
    }
    // Another application of the same corporation was confirmed at the same moment: the
    // database's unique index on live corporate numbers refused this one.
    if (!confirmed && confirmed.error().kind == Error::Kind::Conflict &&
        confirmed.error().code != codes::kDuplicateCorporateNumber) {
        auto d = store_.query<std::optional<Declaration>>(
            TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_confirm_token(token_hash(token)); });
        if (d && *d && (*d)->state.status == lifecycle::Status::AwaitingConfirmation) {
            auto live = store_.query<bool>(TxMode::Read, [&](Transaction& tx) {
                return tx.declarations().live_exists_for_corporate_number((*d)->details.corporate_number, (*d)->id);
            });
            if (live && *live) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
        }
    }
    return confirmed;
}

Status Registry::request_signin(const std::string& typed_email, const std::string& next_path, const Caller& caller) {
    const std::string email = normalise_email(typed_email);
    if (!valid_email(email)) return fail(Error::invalid({{"email", "invalid_email"}}));
    const auto now = clock_.now();
    if (auto ok = limit(kSigninPerIp, caller.ip, now); !ok) return ok;
    if (auto ok = limit(kSigninPerEmail, email_key(email), now); !ok) return ok;
    const std::string token = random_token();
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        SignInToken t{token_hash(token), email_key(email), next_path, now + settings_.signin_lifetime};
        if (auto ok = tx.signin_tokens().create(t, now); !ok) return ok;
        return mail_.queue(tx, {"mail.signin",
                                caller.lang,
                                email,
                                {{"link", signin_url(token)},
                                 {"minutes", std::to_string(settings_.signin_lifetime.count())},
                                 {"signin_page_url", settings_.base_url + "/signin"}}});
    });
}

Result<Registry::SignedIn> Registry::complete_signin(const std::string& token, const Caller& caller) {
    if (!plausible_token(token)) return fail(Error::not_found("signin.unknown"));
    const auto now = clock_.now();
    if (auto ok = limit(kConfirmPerIp, caller.ip, now); !ok) return fail(ok.error());
    return in_write<SignedIn>(store_, [&](Transaction& tx) -> Result<SignedIn> {
        auto t = tx.signin_tokens().consume(token_hash(token), now);
        if (!t) return fail(t.error());
        if (!*t) return fail(Error::not_found("signin.unknown"));
        auto account = tx.accounts().find_or_create((*t)->email_key, caller.lang, now);
        if (!account) return fail(account.error());
        AuditEvent e{0, now, "account:" + std::to_string(account->id), "account.signed_in", "", caller.ip, "{}"};
        if (auto r = tx.audit().record(e); !r) return fail(r.error());
        return SignedIn{*account, (*t)->next_path};
    });
}

Result<std::vector<Declaration>> Registry::declarations_of(std::int64_t account_id) {
    return store_.query<std::vector<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().for_account(account_id); });
}

Result<Declaration> Registry::owned(std::int64_t account_id, const std::string& public_id) {
    auto d = store_.query<std::optional<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); });
    if (!d) return fail(d.error());
    if (!*d || (*d)->account_id != account_id) return fail(Error::not_found(codes::kDeclarationNotFound));
    return **d;
}

Result<std::vector<DetailChange>> Registry::history(std::int64_t account_id, const std::string& public_id) {
    auto d = owned(account_id, public_id);
    if (!d) return fail(d.error());
    return store_.query<std::vector<DetailChange>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().history(d->id, 50); });
}

Result<Declaration> Registry::change_details(std::int64_t account_id, const std::string& public_id, ApplicationInput in,
                                             const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    if (current->state.status != lifecycle::Status::Declared)
        return fail(Error::illegal_transition("declaration.not_declared"));
    // Level, commitments and terms are not changed here.
    in.terms_version = content_.current_terms().version;
    in.terms_agreed = true;
    in.level = std::to_string(std::min(current->state.level, 2));
    in.commitments.clear();
    for (const auto& p : content_.principles) in.commitments.push_back(std::to_string(p.number));
    if (current->state.level >= 2) {
        in.assessment_date = current->details.assessment_date;
        in.policy_url = current->details.policy_url;
    }
    auto app = validate(in, content_, today());
    if (!app) return fail(app.error());
    app->level = current->state.level;
    app->principles_edition = current->details.principles_edition;
    app->terms_version = current->details.terms_version;
    auto changes = diff(current->details, *app);
    if (changes.empty()) return *current;
    const auto now = clock_.now();
    return in_write<Declaration>(store_, [&](Transaction& tx) -> Result<Declaration> {
        auto dup = tx.declarations().live_exists_for_corporate_number(app->corporate_number, current->id);
        if (!dup) return fail(dup.error());
        if (*dup) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
        if (auto ok = tx.declarations().save_details(current->id, *app, changes, caller.actor(), now); !ok)
            return fail(ok.error());
        std::string fields;
        for (const auto& c : changes) fields += (fields.empty() ? "" : ",") + c.field;
        Declaration d = *current;
        d.details = *app;
        if (auto ok =
                record(tx, caller.actor(), "declaration.details_changed", d, caller.ip, json_of({{"fields", fields}}));
            !ok)
            return fail(ok.error());
        auto values = mail_values(d);
        values.emplace_back("fields", fields);
        if (auto ok = mail_.queue(tx, {"mail.changed", d.details.lang, d.details.contact_email, values}); !ok)
            return fail(ok.error());
        if (current->details.contact_email != d.details.contact_email)
            if (auto ok = mail_.queue(tx, {"mail.changed", d.details.lang, current->details.contact_email, values});
                !ok)
                return fail(ok.error());
        return d;
    });
}

Result<Declaration> Registry::transition_owned(std::int64_t account_id, const std::string& public_id,
                                               const lifecycle::Event& e, const Caller& caller,
                                               const std::string& mail_id, const AlsoDo& also) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    const auto now = clock_.now();
    return in_write<Declaration>(store_, [&](Transaction& tx) -> Result<Declaration> {
        Declaration d = *current;
        const auto before = d.state;
        auto next = lifecycle::transition(before, e, content_.max_level());
        if (!next) return fail(next.error());
        d.state = *next;
        if (d.state.level != before.level) d.level_since = now;
        if (d.state.status == lifecycle::Status::Stopped) d.ended_at = now;
        if (auto ok = tx.declarations().save_state(d, before); !ok) return fail(ok.error());
        if (also)
            if (auto ok = also(tx, d); !ok) return fail(ok.error());
        if (auto ok = record(tx, caller.actor(), "declaration." + std::string(lifecycle::event_name(e)), d, caller.ip,
                             json_of({{"from_level", std::to_string(before.level)},
                                      {"to_level", std::to_string(d.state.level)},
                                      {"status", std::string(lifecycle::to_string(d.state.status))}}));
            !ok)
            return fail(ok.error());
        if (auto ok = mail_.queue(tx, {mail_id, d.details.lang, d.details.contact_email, mail_values(d)}); !ok)
            return fail(ok.error());
        return d;
    });
}

Result<Declaration> Registry::step_up(std::int64_t account_id, const std::string& public_id,
                                      const std::string& assessment_date, const std::string& policy_url,
                                      const Caller& caller) {
    std::string date, url;
    auto errors = validate_two_star_evidence(assessment_date, policy_url, today(), date, url);
    if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    auto details = current->details;
    details.assessment_date = date;
    details.policy_url = url;
    auto changes = diff(current->details, details);
    // The evidence is saved in the same transaction as the new level.
    return transition_owned(account_id, public_id, lifecycle::event::StepUp{current->state.level + 1}, caller,
                            "mail.stepped_up", [&](Transaction& tx, Declaration& d) -> Status {
                                d.details = details;
                                return tx.declarations().save_details(d.id, details, changes, caller.actor(),
                                                                      clock_.now());
                            });
}

Result<Declaration> Registry::step_down(std::int64_t account_id, const std::string& public_id, const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    return transition_owned(account_id, public_id, lifecycle::event::StepDown{current->state.level - 1}, caller,
                            "mail.stepped_down");
}

Result<Declaration> Registry::stop(std::int64_t account_id, const std::string& public_id, const Caller& caller) {
    return transition_owned(account_id, public_id, lifecycle::event::Stop{}, caller, "mail.stopped");
}

Status Registry::issue_id(Transaction& tx, Declaration& d, TimePoint now) {
    auto serial = tx.declarations().next_serial(now);
    if (!serial) return fail(serial.error());
    if (*serial > DeclarationId::kMaxSerial) return fail(Error::unavailable("declaration.serials_exhausted"));
    d.public_id = DeclarationId::make(settings_.id_leading_digit, *serial).digits();
    d.declared_at = now;
    d.level_since = now;
    return {};
}

Result<Declaration> Registry::operator_transition(const Finder& find, const lifecycle::Event& e,
                                                  const std::string& reason, const std::string& actor) {
    const auto now = clock_.now();
    return in_write<Declaration>(store_, [&](Transaction& tx) -> Result<Declaration> {
        auto found = find(tx);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kDeclarationNotFound));
        Declaration d = **found;
        const auto before = d.state;
        auto next = lifecycle::transition(before, e, content_.max_level());
        if (!next) return fail(next.error());
        d.state = *next;
        if (lifecycle::issues_id(before, d.state))
            if (auto ok = issue_id(tx, d, now); !ok) return fail(ok.error());
        if (d.state.status == lifecycle::Status::Revoked || d.state.status == lifecycle::Status::Rejected) {
            d.ended_at = now;
            d.end_reason = reason;
        } else if (d.state.status == lifecycle::Status::Declared) {
            d.ended_at.reset();
            d.end_reason.clear();
        }
        if (auto ok = tx.declarations().save_state(d, before); !ok) return fail(ok.error());
        if (auto ok = record(tx, actor, "declaration." + std::string(lifecycle::event_name(e)), d, "",
                             json_of({{"reason", reason}}));
            !ok)
            return fail(ok.error());
        auto values = mail_values(d);
        values.emplace_back("reason", reason);
        const char* mail_id = d.state.status == lifecycle::Status::Revoked    ? "mail.revoked"
                              : d.state.status == lifecycle::Status::Rejected ? "mail.rejected"
                              : lifecycle::issues_id(before, d.state)         ? "mail.declared"
                                                                              : "mail.reinstated";
        if (auto ok = mail_.queue(tx, {mail_id, d.details.lang, d.details.contact_email, values}); !ok)
            return fail(ok.error());
        return d;
    });
}

Result<Declaration> Registry::revoke(const std::string& public_id, const std::string& reason,
                                     const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); },
                               lifecycle::event::Revoke{reason}, reason, actor);
}

Result<Declaration> Registry::reinstate(const std::string& public_id, const std::string& reason,
                                        const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); },
                               lifecycle::event::Reinstate{reason}, reason, actor);
}

Result<std::vector<Declaration>> Registry::awaiting_review(std::size_t limit) {
    return store_.query<std::vector<Declaration>>(TxMode::Read, [&](Transaction& tx) {
        return tx.declarations().with_status(lifecycle::Status::AwaitingReview, limit);
    });
}

Result<Declaration> Registry::approve(std::int64_t application_id, const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find(application_id); },
                               lifecycle::event::Approve{}, "", actor);
}

Result<Declaration> Registry::reject(std::int64_t application_id, const std::string& reason, const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find(application_id); },
                               lifecycle::event::Reject{reason}, reason, actor);
}

Result<PublicDeclaration> Registry::verify(const std::string& typed_id, const Caller& caller) {
    RateRule lookups = kLookupPerIp;
    lookups.limit *= std::max(1, settings_.rate_limit_factor);
    if (auto ok = lookups_->hit(lookups, caller.ip, clock_.now()); !ok) return fail(ok.error());
    auto parsed = DeclarationId::parse(typed_id);
    if (!parsed.id) {
        const bool mistyped = parsed.failure == DeclarationId::ParseFailure::CheckDigit;
        return fail(Error::invalid({{"id", mistyped ? "check_digit" : "id_format"}},
                                   mistyped ? codes::kIdCheckDigit : codes::kIdMalformed));
    }
    auto d = store_.query<std::optional<PublicDeclaration>>(
        TxMode::Single, [&](Transaction& tx) { return tx.declarations().find_public(parsed.id->digits()); });
    if (!d) return fail(d.error());
    if (!*d) return fail(Error::not_found(codes::kDeclarationNotFound));
    return std::move(**d);
}

Result<Registry::SearchPage> Registry::search(const std::string& name, const std::string& prefecture, int level,
                                              std::size_t page, const Caller& caller) {
    if (auto ok = limit(kSearchPerIp, caller.ip, clock_.now()); !ok) return fail(ok.error());
    DeclarationRepository::SearchQuery q;
    q.name_key = search_key(name);
    q.prefecture = content::RegistryContent::find(content_.prefectures, prefecture) ? prefecture : "";
    q.level = (level >= 1 && level <= content_.max_level()) ? level : 0;
    page = std::max<std::size_t>(1, std::min<std::size_t>(page, 1000));
    q.offset = (page - 1) * kPageSize;
    q.limit = kPageSize;
    auto r = store_.query<std::pair<std::vector<PublicDeclaration>, std::size_t>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().search(q); });
    if (!r) return fail(r.error());
    SearchPage out;
    out.rows = std::move(r->first);
    out.total = r->second;
    out.page = page;
    out.pages = std::max<std::size_t>(1, (out.total + kPageSize - 1) / kPageSize);
    return out;
}

}  // namespace sengen::app
