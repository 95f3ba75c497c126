// Managing a declaration. Every change of state goes through the lifecycle's plan, which says
// what it causes; this file finds the declaration, checks ownership and carries the plan out.
#include "app/declarations.hpp"

#include <utility>

#include "app/supporters.hpp"
#include "app/tokens.hpp"
#include "app/transparency_log.hpp"
#include "domain/email.hpp"
#include "domain/error_codes.hpp"

namespace sengen::app {

Result<std::vector<Declaration>> Declarations::declarations_of(std::int64_t account_id) {
    return r_.store().query<std::vector<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().for_account(account_id); });
}

Result<Declaration> Declarations::owned(std::int64_t account_id, const DeclarationId& public_id) {
    auto d = r_.store().query<std::optional<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); });
    if (!d) return fail(d.error());
    if (!*d || (*d)->account_id != account_id) return fail(Error::not_found(codes::kDeclarationNotFound));
    return **d;
}

Result<std::vector<DetailChange>> Declarations::history(std::int64_t account_id, const DeclarationId& public_id) {
    auto acting = this->acting(account_id, public_id, support::Action::View);
    if (!acting) return fail(acting.error());
    return r_.store().query<std::vector<DetailChange>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().history(acting->declaration.id, 50); });
}

Result<Acting> Declarations::acting(std::int64_t account_id, const DeclarationId& public_id, support::Action action) {
    return act_on(r_, account_id, public_id, action);
}

Result<Declarations::Changed> Declarations::change_details(std::int64_t account_id, const DeclarationId& public_id,
                                                           ApplicationInput in, const Caller& caller, SignInAge age) {
    // The owner, or a supporter it let edit the details (ADR 42).
    auto acting = act_on(r_, account_id, public_id, support::Action::EditDetails);
    if (!acting) return fail(acting.error());
    const Declaration* current = &acting->declaration;
    if (!lifecycle::may_change_details(current->state.status))
        return fail(Error::illegal_transition("declaration.not_declared"));
    const auto& content = r_.content();
    // Level, commitments and terms are not changed here: the form's other fields are checked
    // as they would be on an application at a level the declarant may give itself.
    in.terms_version = content.current_terms().version;
    in.terms_agreed = true;
    in.level = std::to_string(std::min(current->state.level, content.highest_self_declared_level()));
    in.commitments.clear();
    for (const auto& p : content.principles) in.commitments.push_back(std::to_string(p.number));
    if (current->state.level >= 2) {
        in.assessment_date = current->details.assessment_date;
        in.policy_url = current->details.policy_url;
    }
    auto app = validate(in, content, r_.today());
    if (!app) return fail(app.error());
    app->level = current->state.level;
    app->principles_edition = current->details.principles_edition;
    app->terms_version = current->details.terms_version;
    // A new contact address is only asked for here: it takes effect when the address proves itself.
    std::string new_contact;
    if (email_key(app->contact_email) != email_key(current->details.contact_email))
        new_contact = std::exchange(app->contact_email, current->details.contact_email);
    // The contact address is the owner's to change, whatever it lets a supporter do: refused
    // before anything else of the form is saved.
    if (!new_contact.empty())
        if (auto ok = support::allowed(acting->access, support::Action::ChangeContact); !ok) return fail(ok.error());
    // Checked before anything is written, so that the whole change waits for the sign-in.
    if (!new_contact.empty() && age == SignInAge::Old) return fail(Error::forbidden(codes::kSignInAgain));
    auto changes = diff_details(current->details, *app);
    if (changes.empty() && new_contact.empty()) return Changed{*current};
    const auto now = r_.clock().now();
    // Counted before anything is written, like every mail limit.
    if (!changes.empty())
        if (auto ok = r_.limit_mail(current->details.contact_email, current->id, Proof::Proven, now); !ok)
            return fail(ok.error());
    std::optional<lifecycle::Plan> request;
    if (!new_contact.empty()) {
        auto plan = lifecycle::plan_contact_change_request(current->state);
        if (!plan) return fail(plan.error());
        request = std::move(*plan);
        if (auto ok = r_.limit_mail(new_contact, current->id, Proof::Unproven, now); !ok) return fail(ok.error());
    }
    const std::string token = random_token();
    return r_.write<Changed>([&](Transaction& tx) -> Result<Changed> {
        Declaration d = *current;
        if (!changes.empty()) {
            auto dup = tx.declarations().live_exists_for_corporate_number(app->corporate_number, current->id);
            if (!dup) return fail(dup.error());
            if (*dup) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
            if (auto ok = tx.declarations().save_details(current->id, *app, changes, acting->actor, now); !ok)
                return fail(ok.error());
            std::string fields;
            std::vector<std::string> labels;  // the forms' labels, which the mail shows in its language
            for (const auto& c : changes) {
                fields += (fields.empty() ? "" : ",") + c.field;
                labels.push_back("field." + c.field + ".label");
            }
            d.details = *app;
            if (auto appended = append_to_log(tx, r_.settings().log_origin, d, tlog::LogEvent::DetailsChanged, now);
                !appended)
                return fail(appended.error());
            if (auto ok = r_.record(tx, acting->actor, "declaration.details_changed", d, caller.ip,
                                    json_of({{"fields", fields}}));
                !ok)
                return fail(ok.error());
            MailRequest mail{"mail.changed",
                             d.details.lang,
                             d.details.contact_email,
                             r_.mail_values(d),
                             {{"fields", std::move(labels)}}};
            if (auto ok = r_.mail().queue(tx, mail); !ok) return fail(ok.error());
        }
        if (!request) return Changed{d};
        // The holder who asks, by account: the link is worth something only while that account
        // still holds the declaration.
        ContactChange change{token_hash(token), d.id, new_contact, "account:" + std::to_string(account_id),
                             now + r_.settings().confirm_lifetime};
        if (auto ok = tx.contact_changes().create(change, now); !ok) return fail(ok.error());
        // The mail to the unproven address names the business and carries the link; nothing the
        // requester typed besides.
        if (auto ok = r_.record_and_tell(tx, *request, d, d.state, caller.actor(), caller.ip,
                                         {{"link", r_.contact_change_url(token)},
                                          {"code", token},
                                          {"hours", std::to_string(r_.settings().confirm_lifetime.count())}},
                                         {.new_contact = new_contact});
            !ok)
            return fail(ok.error());
        return Changed{d, ContactRequest::Sent};
    });
}

namespace {

// Whether the change is still the holder's wish: the one who asked must hold the declaration
// still, or a request left behind by a former owner could take it back after a hand-over.
bool still_wanted(const ContactChange& c, const Declaration& d) {
    return d.account_id && c.requested_by == "account:" + std::to_string(*d.account_id) &&
           lifecycle::may_change_details(d.state.status);
}

// The change a link stands for and the declaration it is for, while the change is still wanted;
// otherwise "unknown", the same answer as for a link that never existed.
struct WantedChange {
    ContactChange change;
    Declaration declaration;
};

Result<WantedChange> wanted_change(Transaction& tx, Result<std::optional<ContactChange>> change) {
    if (!change) return fail(change.error());
    if (!*change) return fail(Error::not_found(codes::kContactChangeUnknown));
    auto d = tx.declarations().find((*change)->declaration_id);
    if (!d) return fail(d.error());
    if (!*d || !still_wanted(**change, **d)) return fail(Error::not_found(codes::kContactChangeUnknown));
    return WantedChange{std::move(**change), std::move(**d)};
}

}  // namespace

Result<Declarations::PendingContact> Declarations::contact_change_for(const std::string& token) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kContactChangeUnknown));
    const auto now = r_.clock().now();
    return r_.store().query<PendingContact>(TxMode::Read, [&](Transaction& tx) -> Result<PendingContact> {
        auto wanted = wanted_change(tx, tx.contact_changes().find(token_hash(token), now));
        if (!wanted) return fail(wanted.error());
        return PendingContact{std::move(wanted->declaration), std::move(wanted->change.new_email)};
    });
}

Result<Declarations::ContactChanged> Declarations::change_contact(const std::string& token, const Caller& caller) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kContactChangeUnknown));
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kConfirmPerIp, caller.ip, now); !ok) return fail(ok.error());
    return r_.write<ContactChanged>([&](Transaction& tx) -> Result<ContactChanged> {
        auto wanted = wanted_change(tx, tx.contact_changes().consume(token_hash(token), now));
        if (!wanted) return fail(wanted.error());
        Declaration d = std::move(wanted->declaration);
        const ContactChange& change = wanted->change;
        const auto before = d.state;
        auto plan = lifecycle::plan_contact_change(before);
        if (!plan) return fail(plan.error());
        // The new address acts: it is the one that proved itself by following the link.
        auto account = tx.accounts().find_or_create(change.new_email, d.details.lang, now);
        if (!account) return fail(account.error());
        if (auto ok = r_.carry_out(tx, *plan, d, before, "account:" + std::to_string(account->id), caller.ip, {},
                                   {.new_contact = change.new_email});
            !ok)
            return fail(ok.error());
        // The link was made to last confirm_lifetime from when it was mailed.
        const auto mailed_at = change.expires_at - r_.settings().confirm_lifetime;
        return ContactChanged{std::move(d), now - mailed_at <= Applications::kSignsInWithin
                                                ? Applications::SignsIn::Yes
                                                : Applications::SignsIn::No};
    });
}

Result<Declaration> Declarations::owner_transition(const Declaration& current, const lifecycle::Event& e,
                                                   const Caller& caller, const AlsoDo& also) {
    // Refused by the lifecycle before any mail is counted; then counted before anything is written.
    auto planned = lifecycle::plan(current.state, e, r_.content().level_rules());
    if (!planned) return fail(planned.error());
    if (auto ok = r_.limit_mail(current.details.contact_email, current.id, Proof::Proven, r_.clock().now()); !ok)
        return fail(ok.error());
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        Declaration d = current;
        const auto before = d.state;
        auto plan = lifecycle::plan(before, e, r_.content().level_rules());
        if (!plan) return fail(plan.error());
        if (also)
            if (auto ok = also(tx, d); !ok) return fail(ok.error());
        if (auto ok = r_.carry_out(tx, *plan, d, before, caller.actor(), caller.ip); !ok) return fail(ok.error());
        return d;
    });
}

Result<Declaration> Declarations::step_up(std::int64_t account_id, const DeclarationId& public_id,
                                          const std::string& assessment_date, const std::string& policy_url,
                                          const Caller& caller) {
    std::string date, url;
    auto errors = validate_two_star_evidence(assessment_date, policy_url, r_.today(), date, url);
    if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    auto details = current->details;
    details.assessment_date = date;
    details.policy_url = url;
    auto changes = diff_details(current->details, details);
    // The evidence is saved in the same transaction as the new level.
    return owner_transition(*current, lifecycle::event::StepUp{current->state.level + 1}, caller,
                            [&](Transaction& tx, Declaration& d) -> Status {
                                d.details = details;
                                return tx.declarations().save_details(d.id, details, changes, caller.actor(),
                                                                      r_.clock().now());
                            });
}

Result<Declaration> Declarations::step_down(std::int64_t account_id, const DeclarationId& public_id,
                                            const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    return owner_transition(*current, lifecycle::event::StepDown{current->state.level - 1}, caller);
}

Result<Declaration> Declarations::stop(std::int64_t account_id, const DeclarationId& public_id, const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    return owner_transition(*current, lifecycle::event::Stop{}, caller);
}

Status Declarations::operator_event(Transaction& tx, Declaration& d, const lifecycle::Event& e,
                                    const std::string& actor, const std::string& ip) {
    const auto before = d.state;
    auto plan = lifecycle::plan(before, e, r_.content().level_rules());
    if (!plan) return fail(plan.error());
    return r_.carry_out(tx, *plan, d, before, actor, ip);
}

Result<lifecycle::event::CorporateNumber> Declarations::number_for(Transaction& tx, const Declaration& d) {
    auto taken = tx.declarations().live_exists_for_corporate_number(d.details.corporate_number, d.id);
    if (!taken) return fail(taken.error());
    return *taken ? lifecycle::event::CorporateNumber::Taken : lifecycle::event::CorporateNumber::Free;
}

Result<Declaration> Declarations::operator_transition(const Finder& find, const lifecycle::Event& e,
                                                      const std::string& actor, const std::string& ip) {
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        auto found = find(tx);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kDeclarationNotFound));
        Declaration d = **found;
        if (auto ok = operator_event(tx, d, e, actor, ip); !ok) return fail(ok.error());
        return d;
    });
}

Result<Declaration> Declarations::revoke(const DeclarationId& public_id, const std::string& reason,
                                         const std::string& actor, const std::string& ip) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); },
                               lifecycle::event::Revoke{reason}, actor, ip);
}

Result<Declaration> Declarations::reinstate(const DeclarationId& public_id, const std::string& reason,
                                            const std::string& actor, const std::string& ip) {
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        auto found = tx.declarations().find_by_public_id(public_id);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kDeclarationNotFound));
        Declaration d = std::move(**found);
        // The number may have gone to another business since the revocation (a dispute settled for
        // the claimant revokes the holder): refused by name here rather than by the unique index.
        auto number = number_for(tx, d);
        if (!number) return fail(number.error());
        if (auto ok = operator_event(tx, d, lifecycle::event::Reinstate{reason, *number}, actor, ip); !ok)
            return fail(ok.error());
        return d;
    });
}

Result<std::vector<Declaration>> Declarations::awaiting_review(std::size_t limit) {
    return r_.store().query<std::vector<Declaration>>(TxMode::Read, [&](Transaction& tx) {
        return tx.declarations().with_status(lifecycle::Status::AwaitingReview, limit);
    });
}

Result<Declaration> Declarations::approve(std::int64_t application_id, const std::string& actor,
                                          const std::string& ip) {
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        auto found = tx.declarations().find(application_id);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kDeclarationNotFound));
        Declaration d = std::move(**found);
        // Checked here as well as by the unique index, so that the refusal is a named transition
        // error rather than a failed statement (a disputed claim reaches approve this way too).
        auto number = number_for(tx, d);
        if (!number) return fail(number.error());
        if (auto ok = operator_event(tx, d, lifecycle::event::Approve{*number}, actor, ip); !ok)
            return fail(ok.error());
        return d;
    });
}

Result<Declaration> Declarations::reject(std::int64_t application_id, const std::string& reason,
                                         const std::string& actor, const std::string& ip) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find(application_id); },
                               lifecycle::event::Reject{reason}, actor, ip);
}

Result<std::vector<CorporateNumberDispute>> Declarations::open_disputes(std::size_t limit) {
    return r_.store().query<std::vector<CorporateNumberDispute>>(
        TxMode::Read, [&](Transaction& tx) { return tx.disputes().list_open(limit); });
}

Result<Declaration> Declarations::settle_dispute(std::int64_t dispute_id, DisputeWinner winner,
                                                 const std::string& reason, const std::string& actor,
                                                 const std::string& ip) {
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        auto dispute = tx.disputes().find(dispute_id);
        if (!dispute) return fail(dispute.error());
        if (!*dispute) return fail(Error::not_found("dispute.not_found"));
        if ((*dispute)->status != "open") return fail(Error::conflict("dispute.not_open"));
        auto claim_row = tx.declarations().find((*dispute)->claim_id);
        if (!claim_row) return fail(claim_row.error());
        auto holder_row = tx.declarations().find((*dispute)->holder_id);
        if (!holder_row) return fail(holder_row.error());
        if (!*claim_row || !*holder_row) return fail(Error::not_found(codes::kDeclarationNotFound));
        Declaration claim = std::move(**claim_row), holder = std::move(**holder_row);
        const auto claim_before = claim.state, holder_before = holder.state;
        if (winner == DisputeWinner::Holder) {
            if (auto ok = operator_event(tx, claim, lifecycle::event::Reject{reason}, actor, ip); !ok)
                return fail(ok.error());
        } else {
            // The holder's declaration ends through the lifecycle's own operator events; one
            // already ended (stopped by its declarant since) no longer holds the number.
            if (holder.state.status == lifecycle::Status::Declared) {
                if (auto ok = operator_event(tx, holder, lifecycle::event::Revoke{reason}, actor, ip); !ok)
                    return fail(ok.error());
            } else if (holder.state.status == lifecycle::Status::AwaitingReview) {
                if (auto ok = operator_event(tx, holder, lifecycle::event::Reject{reason}, actor, ip); !ok)
                    return fail(ok.error());
            }
            auto number = number_for(tx, claim);
            if (!number) return fail(number.error());
            if (auto ok = operator_event(tx, claim, lifecycle::event::Approve{*number}, actor, ip); !ok)
                return fail(ok.error());
        }
        if (auto ok = tx.disputes().settle(dispute_id); !ok) return fail(ok.error());
        AuditEvent e;
        e.at = r_.clock().now();
        e.actor = actor;
        e.action = "dispute.settled";
        e.subject = "dispute:" + std::to_string(dispute_id);
        e.ip = ip;
        e.details = json_of({{"winner", winner == DisputeWinner::Holder ? "holder" : "claimant"},
                             {"reason", reason},
                             {"claim", "declaration:" + std::to_string(claim.id)},
                             {"claim_from_status", std::string(lifecycle::to_string(claim_before.status))},
                             {"claim_to_status", std::string(lifecycle::to_string(claim.state.status))},
                             {"holder", "declaration:" + std::to_string(holder.id)},
                             {"holder_from_status", std::string(lifecycle::to_string(holder_before.status))},
                             {"holder_to_status", std::string(lifecycle::to_string(holder.state.status))}});
        if (auto r = tx.audit().record(e); !r) return fail(r.error());
        return claim;
    });
}

}  // namespace sengen::app
