// Applying and confirming. What each step causes (state, dates, audit event, mail) is decided by
// the lifecycle's plan; this file reads and checks what the plan needs and carries it out.
#include "app/applications.hpp"

#include "app/tokens.hpp"
#include "domain/email.hpp"
#include "domain/error_codes.hpp"
#include "domain/support.hpp"

namespace sengen::app {

namespace {

// The link's values for the 受付確認 mail.
MailValues confirm_link(const RegistryContext& r, const std::string& token) {
    return {{"link", r.confirm_url(token)},
            {"code", token},
            {"hours", std::to_string(r.settings().confirm_lifetime.count())}};
}

}  // namespace

// A signed-in account that fills in an application for another contact address is applying for a
// business as its supporter (ADR 42): noted now, and made a support only when that contact confirms.
Status Applications::note_supporter(Transaction& tx, const Caller& caller, const Declaration& d) const {
    if (!caller.account_id) return {};
    auto account = tx.accounts().find(*caller.account_id);
    if (!account) return fail(account.error());
    if (!*account || email_key((*account)->email) == email_key(d.details.contact_email)) return {};
    return tx.supports().note_application(d.id, (*account)->id, r_.clock().now());
}

Status Applications::start_applicants_support(Transaction& tx, const Declaration& d, const Caller& caller) const {
    auto applicant = tx.supports().take_application(d.id);
    if (!applicant) return fail(applicant.error());
    // Nothing to start when nobody applied for the business, or the contact is that same account.
    if (!*applicant || *applicant == d.account_id) return {};
    const auto rights = support::default_rights();
    auto id = tx.supports().start(d.id, **applicant, rights, r_.clock().now());
    if (!id) return fail(id.error());
    return r_.record(
        tx, "supporter:" + std::to_string(**applicant), "support.started", d, caller.ip,
        json_of({{"support", std::to_string(*id)}, {"applied", "true"}, {"rights", support::to_string(rights)}}));
}

Result<std::int64_t> Applications::apply(const ApplicationInput& in, const Caller& caller) {
    auto app = validate(in, r_.content(), r_.today());
    if (!app) return fail(app.error());
    auto plan = lifecycle::plan_application(app->level, r_.content().level_rules());
    if (!plan) return fail(plan.error());
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kApplyPerIp, caller.ip, now); !ok) return fail(ok.error());
    if (auto ok = r_.limit(limits::kApplyPerEmail, email_key(app->contact_email), now); !ok) return fail(ok.error());
    if (auto ok = r_.limit_mail(app->contact_email, std::nullopt, Proof::Unproven, now); !ok) return fail(ok.error());

    // A corporate number is not checked here: an application nobody has confirmed blocks nobody,
    // and the answer must not tell a stranger whether the number is held or pending. A number
    // that has a live declaration when the application is confirmed becomes a dispute then.
    const std::string token = random_token();
    return r_.write<std::int64_t>([&](Transaction& tx) -> Result<std::int64_t> {
        Declaration d;
        d.state = plan->to;
        d.details = *app;
        d.terms_version = app->terms_version;
        d.terms_agreed_at = now;
        d.created_at = now;
        d.confirm_token_hash = token_hash(token);
        d.confirm_expires_at = now + r_.settings().confirm_lifetime;
        auto id = tx.declarations().create(d);
        if (!id) return fail(id.error());
        d.id = *id;
        if (auto ok = note_supporter(tx, caller, d); !ok) return fail(ok.error());
        if (auto ok = r_.record_and_tell(tx, *plan, d, d.state, caller.actor(), caller.ip, confirm_link(r_, token));
            !ok)
            return fail(ok.error());
        return *id;
    });
}

Status Applications::resend_confirmation(std::int64_t application_id, const Caller& caller) {
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kApplyPerIp, caller.ip, now); !ok) return ok;
    if (auto ok = r_.limit(limits::kResendPerApplication, std::to_string(application_id), now); !ok) return ok;
    // Only an application still awaiting its confirmation, with a link that has not expired, has
    // a link to resend; to anyone else the answer is the same as for an unknown one.
    auto plan_for = [&](const Declaration& d) {
        return lifecycle::plan_resend(
            d.state, d.confirm_expires_at <= now ? lifecycle::LinkExpiry::Expired : lifecycle::LinkExpiry::Valid);
    };
    auto current = r_.store().query<std::optional<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().find(application_id); });
    if (!current) return fail(current.error());
    if (!*current) return fail(Error::not_found(codes::kConfirmUnknown));
    if (auto plan = plan_for(**current); !plan) {
        if (plan.error().code == "lifecycle.awaiting_confirmation.resend.expired")
            return fail(Error::not_found(codes::kConfirmExpired));
        return fail(Error::not_found(codes::kConfirmUnknown));
    }
    if (auto ok = r_.limit_mail((*current)->details.contact_email, application_id, Proof::Unproven, now); !ok)
        return ok;
    const std::string token = random_token();
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto found = tx.declarations().find(application_id);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kConfirmUnknown));
        Declaration d = **found;
        auto plan = plan_for(d);
        if (!plan) return fail(Error::not_found(codes::kConfirmUnknown));
        if (auto ok =
                tx.declarations().set_confirm_token(d.id, token_hash(token), now + r_.settings().confirm_lifetime);
            !ok)
            return ok;
        return r_.record_and_tell(tx, *plan, d, d.state, caller.actor(), caller.ip, confirm_link(r_, token));
    });
}

Result<std::optional<Declaration>> Applications::find_by_token(const std::string& token) const {
    return r_.store().query<std::optional<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_confirm_token(token_hash(token)); });
}

Result<Declaration> Applications::application_for(const std::string& token) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kConfirmUnknown));
    auto d = find_by_token(token);
    if (!d) return fail(d.error());
    if (!*d) return fail(Error::not_found(codes::kConfirmUnknown));
    if ((*d)->state.status == lifecycle::Status::AwaitingConfirmation && (*d)->confirm_expires_at <= r_.clock().now())
        return fail(Error::not_found(codes::kConfirmExpired));
    return **d;
}

Result<Applications::Confirmed> Applications::confirm(const std::string& token, const Caller& caller) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kConfirmUnknown));
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kConfirmPerIp, caller.ip, now); !ok) return fail(ok.error());
    auto attempt = [&] {
        return r_.write<Confirmed>([&](Transaction& tx) -> Result<Confirmed> {
            auto found = tx.declarations().find_by_confirm_token(token_hash(token));
            if (!found) return fail(found.error());
            if (!*found) return fail(Error::not_found(codes::kConfirmUnknown));
            Declaration d = **found;
            if (d.state.status != lifecycle::Status::AwaitingConfirmation) return Confirmed{d, false};
            if (d.confirm_expires_at <= now) return fail(Error::not_found(codes::kConfirmExpired));
            // When the link was mailed: it was made to last confirm_lifetime from then.
            const auto mailed_at = d.confirm_expires_at - r_.settings().confirm_lifetime;
            const auto signs_in = now - mailed_at <= kSignsInWithin ? SignsIn::Yes : SignsIn::No;

            auto holder = tx.declarations().live_holder_of_corporate_number(d.details.corporate_number, d.id);
            if (!holder) return fail(holder.error());
            const auto number =
                *holder ? lifecycle::event::CorporateNumber::Taken : lifecycle::event::CorporateNumber::Free;

            const auto before = d.state;
            auto plan = lifecycle::plan(before, lifecycle::event::Confirm{r_.settings().hold_for_review, number},
                                        r_.content().level_rules());
            if (!plan) return fail(plan.error());
            auto account = tx.accounts().find_or_create(d.details.contact_email, d.details.lang, now);
            if (!account) return fail(account.error());
            d.account_id = account->id;
            if (auto ok = r_.carry_out(tx, *plan, d, before, "account:" + std::to_string(account->id), caller.ip, {},
                                       {.holder = *holder});
                !ok)
                return fail(ok.error());
            if (auto ok = start_applicants_support(tx, d, caller); !ok) return fail(ok.error());
            return Confirmed{d, true, signs_in};
        });
    };
    auto confirmed = attempt();
    // The same link followed at the same moment (a double click, or two nodes on PostgreSQL):
    // the other request confirmed it between our read and our write. Show what it issued.
    if (!confirmed && confirmed.error().code == codes::kDeclarationChanged) {
        auto d = find_by_token(token);
        if (d && *d && (*d)->state.status != lifecycle::Status::AwaitingConfirmation) return Confirmed{**d, false};
    }
    // Another application of the same corporation was confirmed at the same moment: the
    // database's unique index on live corporate numbers refused this one. Now that the other is
    // live, this one is a claim against it: try once more, and it becomes a dispute.
    if (!confirmed && confirmed.error().kind == Error::Kind::Conflict) {
        auto d = find_by_token(token);
        if (d && *d && (*d)->state.status == lifecycle::Status::AwaitingConfirmation) return attempt();
    }
    return confirmed;
}

}  // namespace sengen::app
