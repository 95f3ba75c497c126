// Accounts and the sign-in tokens mailed to them (tables accounts, signin_tokens): SQL and row mapping.
#include "domain/email.hpp"
#include "storage/repositories.hpp"

namespace sengen::storage {

namespace {

using sql::Statement;

constexpr Statement kFindOrCreate{"find_or_create_account",
                                  "INSERT INTO accounts (email, email_key, lang, created_at) VALUES ($1, $2, $3, $4) "
                                  "ON CONFLICT (email_key) DO UPDATE SET email_key = excluded.email_key "
                                  "RETURNING id, email, lang, created_at"};
constexpr Statement kFind{"find_account", "SELECT id, email, lang, created_at FROM accounts WHERE id = $1"};
constexpr Statement kFindByEmail{"find_account_by_email",
                                 "SELECT id, email, lang, created_at FROM accounts WHERE email_key = $1"};

constexpr Statement kInsertToken{"insert_sign_in_token",
                                 "INSERT INTO signin_tokens (token_hash, email_key, next_path, created_at, expires_at) "
                                 "VALUES ($1, $2, $3, $4, $5)"};
constexpr Statement kConsumeToken{
    "consume_sign_in_token",
    "UPDATE signin_tokens SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 "
    "RETURNING token_hash, email_key, next_path, expires_at"};

// The declarant's code from an authenticator app (ADR 0061), as the verifiers' statements of the
// same names.
constexpr Statement kSecondFactor{"account_second_factor",
                                  "SELECT totp_secret, totp_pending, totp_last_step FROM accounts WHERE id = $1"};
constexpr Statement kSetTotpPending{"set_account_totp_pending",
                                    "UPDATE accounts SET totp_pending = $2 "
                                    "WHERE id = $1 AND totp_secret = '' AND totp_pending = ''"};
constexpr Statement kConfirmTotp{"confirm_account_totp",
                                 "UPDATE accounts SET totp_secret = totp_pending, totp_pending = '', "
                                 "totp_last_step = $2 WHERE id = $1 AND totp_pending <> ''"};
constexpr Statement kAcceptStep{"accept_account_totp_step",
                                "UPDATE accounts SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2"};
constexpr Statement kClearTotp{"clear_account_totp",
                               "UPDATE accounts SET totp_secret = '', totp_pending = '', totp_last_step = 0 "
                               "WHERE id = $1 AND (totp_secret <> '' OR totp_pending <> '')"};

// A used token is worth nothing; an expired one neither.
constexpr Statement kPurgeTokens{"purge_sign_in_tokens",
                                 "DELETE FROM signin_tokens WHERE used_at IS NOT NULL OR expires_at <= $1"};

// A stored code other than "ja" or "en" (none is written) reads as Japanese, the site's first language.
Account read_account(const Row& r) { return Account{r.int64(0), r.string(1), lang_or_japanese(r.text(2)), r.time(3)}; }

SignInToken read_token(const Row& r) { return SignInToken{r.string(0), r.string(1), r.string(2), r.time(3)}; }

}  // namespace

Result<Account> SqlAccounts::find_or_create(const std::string& email, Lang lang, TimePoint now) {
    auto account = first(c_, kFindOrCreate, {email, email_key(email), code(lang), now}, read_account);
    if (!account) return fail(account.error());
    if (!*account) return fail(Error::unavailable("storage.unavailable", "no account row returned"));
    return std::move(**account);
}

Result<std::optional<Account>> SqlAccounts::find(std::int64_t id) { return first(c_, kFind, {id}, read_account); }

Result<std::optional<Account>> SqlAccounts::find_by_email(const std::string& email) {
    return first(c_, kFindByEmail, {email_key(email)}, read_account);
}

Result<AccountSecondFactor> SqlAccounts::second_factor(std::int64_t id) {
    auto found = first(c_, kSecondFactor, {id}, [](const Row& r) {
        return AccountSecondFactor{r.string(0), r.string(1), r.int64(2)};
    });
    if (!found) return fail(found.error());
    return found->value_or(AccountSecondFactor{});
}

Status SqlAccounts::set_totp_pending(std::int64_t id, const std::string& secret) {
    return perform(c_, kSetTotpPending, {id, secret});
}

Status SqlAccounts::confirm_totp(std::int64_t id, std::int64_t step) {
    auto changed = execute(c_, kConfirmTotp, {id, step});
    if (!changed) return fail(changed.error());
    if (*changed == 0) return fail(Error::not_found("account.totp_not_pending"));
    return {};
}

Result<bool> SqlAccounts::accept_totp_step(std::int64_t id, std::int64_t step) {
    auto changed = execute(c_, kAcceptStep, {id, step});
    if (!changed) return fail(changed.error());
    return *changed == 1;
}

Result<bool> SqlAccounts::clear_totp(std::int64_t id) {
    auto changed = execute(c_, kClearTotp, {id});
    if (!changed) return fail(changed.error());
    return *changed == 1;
}

Status SqlSignInTokens::create(const SignInToken& t, TimePoint now) {
    return perform(c_, kInsertToken, {t.token_hash, t.email_key, t.next_path, now, t.expires_at});
}

Result<std::optional<SignInToken>> SqlSignInTokens::consume(const std::string& token_hash, TimePoint now) {
    return first(c_, kConsumeToken, {token_hash, now}, read_token);
}

}  // namespace sengen::storage

namespace sengen::storage {

Result<std::size_t> SqlSignInTokens::purge(TimePoint now) { return execute(c_, kPurgeTokens, {now}); }

}  // namespace sengen::storage
