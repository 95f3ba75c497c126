// Applying and confirming. What each step causes (state, dates, audit event, mail) is decided by
// the lifecycle's plan; this file reads and checks what the plan needs and carries it out.
#include "app/applications.hpp"

#include "app/tokens.hpp"
#include "domain/email.hpp"
#include "domain/error_codes.hpp"

namespace sengen::app {

namespace {

// The link's values for the 受付確認 mail.
MailValues confirm_link(const RegistryContext& r, const std::string& token) {
    return {{"link", r.confirm_url(token)}, {"hours", std::to_string(r.settings().confirm_lifetime.count())}};
}

}  // namespace

Result<std::int64_t> Applications::apply(const ApplicationInput& in, const Caller& caller) {
    auto app = validate(in, r_.content(), r_.today());
    if (!app) return fail(app.error());
    auto plan = lifecycle::plan_application(app->level, r_.content().level_rules());
    if (!plan) return fail(plan.error());
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kApplyPerIp, caller.ip, now); !ok) return fail(ok.error());
    if (auto ok = r_.limit(limits::kApplyPerEmail, email_key(app->contact_email), now); !ok) return fail(ok.error());

    const std::string token = random_token();
    return r_.write<std::int64_t>([&](Transaction& tx) -> Result<std::int64_t> {
        auto dup = tx.declarations().live_exists_for_corporate_number(app->corporate_number, 0);
        if (!dup) return fail(dup.error());
        if (*dup) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
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
    const std::string token = random_token();
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto found = tx.declarations().find(application_id);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kConfirmUnknown));
        Declaration d = **found;
        // Only an application still awaiting its confirmation has a link to resend; to anyone
        // else the answer is the same as for an unknown one.
        auto plan = lifecycle::plan_resend(d.state);
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
    auto confirmed = r_.write<Confirmed>([&](Transaction& tx) -> Result<Confirmed> {
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
        auto plan = lifecycle::plan(before, lifecycle::event::Confirm{r_.settings().hold_for_review},
                                    r_.content().level_rules());
        if (!plan) return fail(plan.error());
        auto account = tx.accounts().find_or_create(d.details.contact_email, d.details.lang, now);
        if (!account) return fail(account.error());
        d.account_id = account->id;
        if (auto ok = r_.carry_out(tx, *plan, d, before, "account:" + std::to_string(account->id), caller.ip); !ok)
            return fail(ok.error());
        return Confirmed{d, true};
    });
    // The same link followed at the same moment (a double click, or two nodes on PostgreSQL):
    // the other request confirmed it between our read and our write. Show what it issued.
    if (!confirmed && confirmed.error().code == codes::kDeclarationChanged) {
        auto d = find_by_token(token);
        if (d && *d && (*d)->state.status != lifecycle::Status::AwaitingConfirmation) return Confirmed{**d, false};
    }
    // Another application of the same corporation was confirmed at the same moment: the
    // database's unique index on live corporate numbers refused this one.
    if (!confirmed && confirmed.error().kind == Error::Kind::Conflict &&
        confirmed.error().code != codes::kDuplicateCorporateNumber) {
        auto d = find_by_token(token);
        if (d && *d && (*d)->state.status == lifecycle::Status::AwaitingConfirmation) {
            auto live = r_.store().query<bool>(TxMode::Read, [&](Transaction& tx) {
                return tx.declarations().live_exists_for_corporate_number((*d)->details.corporate_number, (*d)->id);
            });
            if (live && *live) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
        }
    }
    return confirmed;
}

}  // namespace sengen::app
