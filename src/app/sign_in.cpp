// Signing in by mail link: the link is kept hashed and works once, within its lifetime.
#include "app/sign_in.hpp"

#include "app/security_log.hpp"
#include "app/tokens.hpp"
#include "domain/email.hpp"

namespace sengen::app {

Status SignIn::request(const std::string& typed_email, const std::string& next_path, const Caller& caller) {
    const std::string email = normalise_email(typed_email);
    if (!valid_email(email)) return fail(Error::invalid({{"email", "invalid_email"}}));
    if (next_path.size() > kNextPathMaxBytes) return fail(Error::invalid({{"next", "too_long"}}));
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kSigninPerIp, caller.ip, now); !ok) return ok;
    if (auto ok = r_.limit(limits::kSigninPerEmail, email_key(email), now); !ok) return ok;
    // Counted the same whether or not the address has an account, so a refusal tells nothing.
    if (auto ok = r_.limit_mail(email, std::nullopt, Proof::Proven, now); !ok) return ok;
    // An address that no account holds has never followed one of our links: a stranger may be
    // typing someone else's address, so its links count against the few mails a day that any
    // unproven address may get. Past that, nothing is sent but the answer stays the same, which
    // would otherwise tell whether the address has an account.
    auto holder = r_.store().query<std::optional<Account>>(
        TxMode::Single, [&](Transaction& tx) { return tx.accounts().find_by_email(email); });
    if (!holder) return fail(holder.error());
    if (!*holder)
        if (auto ok = r_.limit_unproven_mail(email, now); !ok) {
            if (ok.error().kind != Error::Kind::TooMany) return ok;
            // Refused in silence to the visitor, but not to the operator.
            log_security_event("rate.limited", caller.ip, {{"rule", ok.error().code}});
            return Status{};
        }
    const std::string token = random_token();
    const auto lifetime = r_.settings().signin_lifetime;
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        SignInToken t{token_hash(token), email_key(email), next_path, now + lifetime};
        if (auto ok = tx.signin_tokens().create(t, now); !ok) return ok;
        return r_.mail().queue(tx, {"mail.signin",
                                    caller.lang,
                                    email,
                                    {{"link", r_.signin_url(token)},
                                     {"code", token},
                                     {"minutes", std::to_string(lifetime.count())},
                                     {"signin_page_url", r_.settings().base_url + "/signin"}},
                                    {}});
    });
}

Result<SignIn::SignedIn> SignIn::complete(const std::string& token, const Caller& caller) {
    if (!plausible_token(token)) return fail(Error::not_found("signin.unknown"));
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kConfirmPerIp, caller.ip, now); !ok) return fail(ok.error());
    return r_.write<SignedIn>([&](Transaction& tx) -> Result<SignedIn> {
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

}  // namespace sengen::app
