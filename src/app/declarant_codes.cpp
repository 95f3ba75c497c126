// A declarant's code from an authenticator app (see declarant_codes.hpp).
#include "app/declarant_codes.hpp"

#include "app/security_log.hpp"
#include "app/sign_in_attempts.hpp"
#include "app/totp.hpp"

namespace sengen::app {

namespace {

// As operators' and verifiers': five tries a quarter of an hour per account, right or wrong.
const RateRule kCodePerAccount{"declarant.code.account", 5, std::chrono::minutes(15)};

std::string actor_of(std::int64_t id) { return "account:" + std::to_string(id); }

CodeHolder holder(std::int64_t id) { return {"declarant", id, kCodePerAccount, "account"}; }

}  // namespace

Result<AccountSecondFactor> DeclarantCodes::factor_of(std::int64_t account_id) {
    return r_.store().query<AccountSecondFactor>(
        TxMode::Single, [&](Transaction& tx) { return tx.accounts().second_factor(account_id); });
}

Result<SignInStage> DeclarantCodes::stage_for(std::int64_t account_id) {
    auto f = factor_of(account_id);
    if (!f) return fail(f.error());
    return f->set_up() ? SignInStage::SecondFactor : SignInStage::Full;
}

Result<bool> DeclarantCodes::setup_needed(std::int64_t account_id) {
    if (!required()) return false;
    auto f = factor_of(account_id);
    if (!f) return fail(f.error());
    return !f->set_up();
}

Result<DeclarantCodeState> DeclarantCodes::state(std::int64_t account_id) {
    auto f = factor_of(account_id);
    if (!f) return fail(f.error());
    return DeclarantCodeState{f->set_up(), required()};
}

Result<TotpSetup> DeclarantCodes::setup(std::int64_t account_id) {
    auto account = r_.store().query<std::optional<Account>>(
        TxMode::Single, [&](Transaction& tx) { return tx.accounts().find(account_id); });
    if (!account) return fail(account.error());
    if (!*account) return fail(Error::not_found("account.not_found"));
    auto f = factor_of(account_id);
    if (!f) return fail(f.error());
    if (f->set_up()) return fail(Error::conflict("declarant_code.set_up"));
    if (f->pending.empty()) {
        // Kept until a code confirms it (or the code is turned off): the page shows the same
        // secret each time, so an app that scanned it before the declarant left still gives good
        // codes. The update keeps a secret another request made meanwhile, read back below.
        auto pending = r_.store().transact(TxMode::Write, [&](Transaction& tx) {
            return tx.accounts().set_totp_pending(account_id, totp::new_secret());
        });
        if (!pending) return fail(pending.error());
        f = factor_of(account_id);
        if (!f) return fail(f.error());
        if (f->set_up()) return fail(Error::conflict("declarant_code.set_up"));
    }
    return factor_.setup_of((*account)->email, f->pending, "declarant_code.set_up");
}

Status DeclarantCodes::confirm_setup(std::int64_t account_id, std::string_view typed, const std::string& ip) {
    auto setup_now = setup(account_id);
    if (!setup_now) return fail(setup_now.error());
    auto step = factor_.confirm(holder(account_id), setup_now->secret, typed, ip);
    if (!step) return fail(step.error());
    auto to = mail_to(account_id, ip);
    if (!to) return fail(to.error());
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto ok = tx.accounts().confirm_totp(account_id, *step); !ok) return ok;
        return record_and_tell(tx, account_id, actor_of(account_id), "declarant.totp_confirmed", ip, *to,
                               "mail.declarant_code_on");
    });
}

Status DeclarantCodes::check_typed(std::int64_t account_id, std::string_view typed, const std::string& ip, Error none) {
    auto f = factor_of(account_id);
    if (!f) return fail(f.error());
    if (!f->set_up()) return fail(std::move(none));
    return factor_.check(holder(account_id), f->secret, typed, ip, [&](std::int64_t step) {
        return r_.store().query<bool>(
            TxMode::Write, [&](Transaction& tx) { return tx.accounts().accept_totp_step(account_id, step); });
    });
}

Status DeclarantCodes::check(std::int64_t account_id, std::string_view typed, const std::string& ip) {
    if (auto ok = check_typed(account_id, typed, ip, Error::forbidden("declarant_code.none")); !ok) return ok;
    record_event(r_.store(), AuditEvent{0, r_.clock().now(), actor_of(account_id), "declarant.code_accepted",
                                        actor_of(account_id), ip, R"({"stage":"signin"})"});
    return {};
}

Status DeclarantCodes::turn_off(std::int64_t account_id, std::string_view typed, const std::string& ip) {
    if (required()) return fail(Error::forbidden("declarant_code.required"));
    if (auto ok = check_typed(account_id, typed, ip, Error::not_found("declarant_code.none")); !ok) return ok;
    return clear(account_id, actor_of(account_id), "declarant.totp_removed", ip, "mail.declarant_code_off", false);
}

Status DeclarantCodes::reset(std::int64_t account_id, const std::string& actor, const std::string& ip) {
    auto f = factor_of(account_id);
    if (!f) return fail(f.error());
    if (!f->set_up()) return fail(Error::not_found("declarant_code.none"));
    // Whoever holds the lost phone, or a browser signed in with it, keeps nothing.
    return clear(account_id, actor, "declarant.second_factor_reset", ip, "mail.declarant_code_reset", true);
}

Status DeclarantCodes::clear(std::int64_t account_id, const std::string& actor, const std::string& action,
                             const std::string& ip, const std::string& mail_kind, bool end_sessions) {
    auto to = mail_to(account_id, ip);
    if (!to) return fail(to.error());
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto cleared = tx.accounts().clear_totp(account_id);
        if (!cleared) return fail(cleared.error());
        if (!*cleared) return fail(Error::not_found("declarant_code.none"));
        if (end_sessions)
            if (auto ended = tx.sessions().remove_all_of(account_id); !ended) return fail(ended.error());
        return record_and_tell(tx, account_id, actor, action, ip, *to, mail_kind);
    });
}

Result<std::optional<Account>> DeclarantCodes::mail_to(std::int64_t account_id, const std::string& ip) {
    auto account = r_.store().query<std::optional<Account>>(
        TxMode::Single, [&](Transaction& tx) { return tx.accounts().find(account_id); });
    if (!account || !*account) return account;
    // A notice with no text of anyone's: past the day's mails to the address it is left out (and
    // logged), rather than undoing what the declarant or the operator did.
    if (auto ok = r_.limit_mail((**account).email, std::nullopt, Proof::Proven, r_.clock().now()); !ok) {
        if (ok.error().kind != Error::Kind::TooMany) return fail(ok.error());
        log_security_event("rate.limited", ip, {{"rule", ok.error().code}});
        return std::optional<Account>{};
    }
    return account;
}

Status DeclarantCodes::record_and_tell(Transaction& tx, std::int64_t account_id, const std::string& actor,
                                       const std::string& action, const std::string& ip,
                                       const std::optional<Account>& to, const std::string& mail_kind) {
    if (auto ok = tx.audit().record(AuditEvent{0, r_.clock().now(), actor, action, actor_of(account_id), ip, "{}"});
        !ok)
        return fail(ok.error());
    if (!to) return {};
    return r_.mail().queue(tx, {mail_kind, to->lang, to->email, {{"mypage_url", r_.base_url() + "/mypage"}}, {}});
}

}  // namespace sengen::app
