// Verifier accounts, their sessions and their uploads (see verifier_accounts.hpp).
#include "app/verifier_accounts.hpp"

#include <algorithm>

#include "app/sign_in_attempts.hpp"
#include "app/tokens.hpp"
#include "app/totp.hpp"
#include "app/verifier_keys.hpp"
#include "domain/email.hpp"
#include "domain/text.hpp"

namespace sengen::app {

namespace {

// As the operators' sign-in: each attempt counts, good or bad.
const RateRule kSigninPerIp{"verifier.signin.ip", 20, std::chrono::minutes(15), RateSubject::ClientAddress};
const RateRule kSigninPerAccount{"verifier.signin.account", 5, std::chrono::minutes(15)};
// The code step, as operators': five tries a quarter of an hour per account (ADR 0056).
const RateRule kCodePerAccount{"verifier.code.account", 5, std::chrono::minutes(15)};
// Changing the password asks for the current one: guesses of it are counted apart from sign-ins.
const RateRule kPasswordChangePerAccount{"verifier.password_change.account", 5, std::chrono::minutes(15)};
// Making an account costs a hash, and a wrong key is a guess: few per address.
const RateRule kCreatePerIp{"verifier.create.ip", 10, std::chrono::minutes(15), RateSubject::ClientAddress};

constexpr auto kSlideEvery = std::chrono::minutes(1);

std::string actor_of(std::int64_t id) { return "verifier:" + std::to_string(id); }

}  // namespace

void VerifierAccounts::record(const std::string& actor, const std::string& action, const std::string& subject,
                              const std::string& ip, const std::string& details) {
    record_event(store_, AuditEvent{0, clock_.now(), actor, action, subject, ip, details});
}

Status VerifierAccounts::limit(const RateRule& rule, const std::string& subject, const std::string& ip) {
    return count_attempt(store_, clock_.now(), rule, settings_.rate_limit_factor, subject, ip,
                         "verifier.signin_refused");
}

Status VerifierAccounts::request_account(std::string_view typed_key, std::string_view typed_email,
                                         std::string_view password, const std::string& ip, Lang lang) {
    if (auto ok = limit(kCreatePerIp, ip, ip); !ok) return ok;
    const auto email = email_key(normalise_email(typed_email));
    const std::string key(text::trim_wide(typed_key));
    std::vector<FieldError> errors;
    std::optional<VerifierKey> found;
    if (key.empty()) {
        errors.push_back({"key", "required"});
    } else if (plausible_verifier_key(key)) {
        auto k = store_.query<std::optional<VerifierKey>>(
            TxMode::Single, [&](Transaction& tx) { return tx.verifier_keys().find_by_hash(token_hash(key)); });
        if (!k) return fail(k.error());
        found = *k;
    }
    if (!key.empty() && !found) errors.push_back({"key", "key_unknown"});
    if (found && found->revoked_at) errors.push_back({"key", "key_revoked"});
    if (!valid_email(email)) errors.push_back({"email", "email"});
    if (auto ok = policy_.check(password, email); !ok)
        errors.insert(errors.end(), ok.error().fields.begin(), ok.error().fields.end());
    if (!errors.empty()) {
        if (!key.empty() && (!found || found->revoked_at))
            record("anonymous", "verifier.account_refused", "", ip, R"({"reason":"key"})");
        return fail(Error::invalid(std::move(errors), "verifier_account.invalid"));
    }
    const auto now = clock_.now();
    // Counted before anything tells the two cases apart, so a refusal says nothing either. Until
    // the link is followed nobody has shown that the address is the requester's.
    if (auto ok = registry_.limit_mail(email, std::nullopt, Proof::Unproven, now); !ok) return ok;
    // Hashed in both cases, so that both answers take as long.
    auto hashed = hasher_.hash(password);
    if (!hashed) return fail(hashed.error());
    const auto lifetime = registry_.settings().confirm_lifetime;
    const std::string token = random_token();
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto holder = tx.verifier_accounts().find_by_email(email);
        if (!holder) return fail(holder.error());
        const std::string subject = "verifier_key:" + std::to_string(found->id);
        if (*holder) {
            // The account's holder hears of the attempt and where to sign in; its password stays.
            AuditEvent e{0,
                         now,
                         "anonymous",
                         "verifier.registration_existing",
                         actor_of((*holder)->id),
                         ip,
                         json_of({{"verifier_key", std::to_string(found->id)}})};
            if (auto r = tx.audit().record(e); !r) return fail(r.error());
            return registry_.mail().queue(tx, {"mail.verifier_account_exists",
                                               lang,
                                               email,
                                               {{"signin_page_url", registry_.base_url() + "/verifier/signin"}},
                                               {}});
        }
        VerifierRegistration g{token_hash(token), found->id, email, *hashed, now, now + lifetime};
        if (auto ok = tx.verifier_accounts().save_registration(g); !ok) return ok;
        AuditEvent e{0, now, "anonymous", "verifier.registration_requested", subject, ip, {}};
        if (auto r = tx.audit().record(e); !r) return fail(r.error());
        return registry_.mail().queue(tx, {"mail.verifier_registration",
                                           lang,
                                           email,
                                           {{"link", link_url(registry_.base_url(), "/verifier/register/link", token)},
                                            {"code", token},
                                            {"hours", std::to_string(lifetime.count())}},
                                           {}});
    });
}

Result<std::string> VerifierAccounts::registration_for(std::string_view token) {
    if (!plausible_token(token)) return fail(Error::not_found("verifier_registration.unknown"));
    auto found = store_.query<std::optional<VerifierRegistration>>(TxMode::Single, [&](Transaction& tx) {
        return tx.verifier_accounts().find_registration(token_hash(token), clock_.now());
    });
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("verifier_registration.unknown"));
    return (*found)->email;
}

Result<OpenVerifierSession> VerifierAccounts::complete_registration(std::string_view token, const std::string& ip) {
    if (!plausible_token(token)) return fail(Error::not_found("verifier_registration.unknown"));
    const auto now = clock_.now();
    if (auto ok = registry_.limit(limits::kConfirmPerIp, ip, now); !ok) return fail(ok.error());
    auto id = store_.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::int64_t> {
        auto g = tx.verifier_accounts().take_registration(token_hash(token), now);
        if (!g) return fail(g.error());
        if (!*g) return fail(Error::not_found("verifier_registration.unknown"));
        auto key = tx.verifier_keys().find((*g)->key_id);
        if (!key) return fail(key.error());
        if (!*key || (*key)->revoked_at) return fail(Error::forbidden("verifier_key.revoked"));
        VerifierAccount account;
        account.key_id = (*g)->key_id;
        account.email = (*g)->email;
        account.password_hash = (*g)->password_hash;
        account.created_at = now;
        // The account is usable once a code from this secret confirms its second factor.
        account.totp_pending = totp::new_secret();
        auto made = tx.verifier_accounts().create(account);
        if (!made) return made;
        AuditEvent e{
            0,  now, actor_of(*made), "verifier.account_created", "verifier_key:" + std::to_string(account.key_id),
            ip, {}};
        if (auto r = tx.audit().record(e); !r) return fail(r.error());
        return made;
    });
    if (!id) return fail(id.error());
    return start_session(*id, SignInStage::TotpSetup, std::nullopt);
}

Result<OpenVerifierSession> VerifierAccounts::sign_in(std::string_view typed_email, std::string_view password,
                                                      const std::string& ip) {
    const auto email = email_key(normalise_email(typed_email));
    if (auto ok = limit(kSigninPerIp, ip, ip); !ok) return fail(ok.error());
    if (auto ok = limit(kSigninPerAccount, email, ip); !ok) return fail(ok.error());
    if (password.size() > kPasswordMaxBytes) return fail(Error::forbidden("verifier_account.signin_failed"));
    auto found = store_.query<std::optional<VerifierAccount>>(
        TxMode::Single, [&](Transaction& tx) { return tx.verifier_accounts().find_by_email(email); });
    if (!found) return fail(found.error());
    // An unknown address is checked against a dummy hash, so both answers take as long.
    auto matches = hasher_.verify(password, *found ? (*found)->password_hash : std::string());
    if (!matches) return fail(matches.error());
    // A disabled account gets the answer of a wrong password: the address tells a guesser nothing.
    if (!*found || !*matches || (*found)->disabled_at) {
        const char* reason = !*found     ? R"({"reason":"unknown_account"})"
                             : !*matches ? R"({"reason":"password"})"
                                         : R"({"reason":"disabled"})";
        record("anonymous", "verifier.signin_failed", *found ? actor_of((*found)->id) : std::string(), ip, reason);
        return fail(Error::forbidden("verifier_account.signin_failed"));
    }
    const auto id = (*found)->id;
    if (!(*found)->totp_secret.empty()) return start_session(id, SignInStage::SecondFactor, std::nullopt);
    // No second factor yet (a new account, or one made before verifiers had one): the password
    // opens the set-up page only. A secret already pending stays, so a scanned QR code still works.
    auto pending = store_.transact(TxMode::Write, [&](Transaction& tx) {
        return tx.verifier_accounts().set_totp_pending(id, totp::new_secret());
    });
    if (!pending) return fail(pending.error());
    return start_session(id, SignInStage::TotpSetup, std::nullopt);
}

Result<std::optional<VerifierAccount>> VerifierAccounts::account_of(const VerifierSession& s) {
    return store_.query<std::optional<VerifierAccount>>(
        TxMode::Single, [&](Transaction& tx) { return tx.verifier_accounts().find_by_id(s.account_id); });
}

Result<TotpSetup> VerifierAccounts::totp_setup(const VerifierSession& s) {
    if (s.stage != SignInStage::TotpSetup) return fail(Error::forbidden("verifier_account.stage"));
    auto found = account_of(s);
    if (!found) return fail(found.error());
    return factor_.setup_of(s.email, *found ? (*found)->totp_pending : std::string(), "verifier_account.stage");
}

Result<OpenVerifierSession> VerifierAccounts::confirm_totp(const VerifierSession& s, std::string_view code,
                                                           const std::string& ip) {
    auto setup = totp_setup(s);
    if (!setup) return fail(setup.error());
    auto step = factor_.confirm({"verifier", s.account_id, kCodePerAccount}, setup->secret, code, ip);
    if (!step) return fail(step.error());
    auto ok = store_.transact(
        TxMode::Write, [&](Transaction& tx) { return tx.verifier_accounts().confirm_totp(s.account_id, *step); });
    if (!ok) return fail(ok.error());
    record(actor_of(s.account_id), "verifier.totp_confirmed", actor_of(s.account_id), ip);
    return start_session(s.account_id, SignInStage::Full, s);
}

Result<OpenVerifierSession> VerifierAccounts::second_factor(const VerifierSession& s, std::string_view code,
                                                            const std::string& ip) {
    if (s.stage != SignInStage::SecondFactor) return fail(Error::forbidden("verifier_account.stage"));
    auto found = account_of(s);
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::forbidden("verifier_account.stage"));
    auto ok = factor_.check({"verifier", s.account_id, kCodePerAccount}, (*found)->totp_secret, code, ip,
                            [&](std::int64_t step) {
                                return store_.query<bool>(TxMode::Write, [&](Transaction& tx) {
                                    return tx.verifier_accounts().accept_totp_step(s.account_id, step);
                                });
                            });
    if (!ok) return fail(ok.error());
    record(actor_of(s.account_id), "verifier.signed_in", actor_of(s.account_id), ip, R"({"factor":"totp"})");
    return start_session(s.account_id, SignInStage::Full, s);
}

Result<OpenVerifierSession> VerifierAccounts::start_session(std::int64_t account_id, SignInStage stage,
                                                            const std::optional<VerifierSession>& previous) {
    const auto now = clock_.now();
    OpenVerifierSession open;
    open.token = random_token();
    open.session.id_hash = token_hash(open.token);
    open.session.account_id = account_id;
    open.session.stage = stage;
    open.session.created_at = now;
    open.session.expires_at = stage_expiry(stage, now, settings_.idle, settings_.absolute);
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) {
        return replace_session(tx.verifier_accounts(), previous, open.session);
    });
    if (!ok) return fail(ok.error());
    return open;
}

Result<std::optional<VerifierSession>> VerifierAccounts::resume(std::string_view token) {
    if (!plausible_token(token)) return std::optional<VerifierSession>{};
    const auto now = clock_.now();
    auto found = store_.query<std::optional<VerifierSession>>(
        TxMode::Single, [&](Transaction& tx) { return tx.verifier_accounts().find_session(token_hash(token), now); });
    if (!found || !*found) return found;
    auto& s = **found;
    if (s.stage != SignInStage::Full) return found;  // pending sessions never slide
    const auto last_moment = s.created_at + settings_.absolute;
    if (now >= last_moment) return std::optional<VerifierSession>{};
    const auto slid = std::min(now + settings_.idle, last_moment);
    if (slid - s.expires_at > kSlideEvery) {
        s.expires_at = slid;
        (void)store_.transact(TxMode::Write,
                              [&](Transaction& tx) { return tx.verifier_accounts().extend_session(s.id_hash, slid); });
    }
    return found;
}

Status VerifierAccounts::sign_out(const VerifierSession& s, const std::string& ip) {
    auto ok = store_.transact(TxMode::Write,
                              [&](Transaction& tx) { return tx.verifier_accounts().remove_session(s.id_hash); });
    if (ok) record(actor_of(s.account_id), "verifier.signed_out", actor_of(s.account_id), ip);
    return ok;
}

Status VerifierAccounts::change_password(const VerifierSession& s, std::string_view current, std::string_view fresh,
                                         const std::string& ip) {
    if (s.stage != SignInStage::Full) return fail(Error::forbidden("verifier_account.stage"));
    // The new password is checked first: a refused one costs no attempt at the current one.
    if (auto ok = policy_.check(fresh, s.email, "new_password"); !ok) return ok;
    if (auto ok = limit(kPasswordChangePerAccount, std::to_string(s.account_id), ip); !ok) return ok;
    auto found = account_of(s);
    if (!found) return fail(found.error());
    if (!*found || (*found)->disabled_at) return fail(Error::forbidden("verifier_account.signin_failed"));
    auto matches =
        current.size() > kPasswordMaxBytes ? Result<bool>(false) : hasher_.verify(current, (*found)->password_hash);
    if (!matches) return fail(matches.error());
    if (!*matches) {
        record(actor_of(s.account_id), "verifier.password_change_failed", actor_of(s.account_id), ip,
               R"({"reason":"password"})");
        return fail(Error::invalid({{"current_password", "wrong"}}, "verifier_account.password_wrong"));
    }
    auto hashed = hasher_.hash(fresh);
    if (!hashed) return fail(hashed.error());
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto ok = tx.verifier_accounts().set_password(s.account_id, *hashed); !ok) return ok;
        // A session opened with the old password, perhaps by whoever learnt it, ends with it.
        auto ended = tx.verifier_accounts().remove_sessions_of(s.account_id, s.id_hash);
        if (!ended) return fail(ended.error());
        auto r = tx.audit().record(AuditEvent{0, clock_.now(), actor_of(s.account_id), "verifier.password_changed",
                                              actor_of(s.account_id), ip,
                                              R"({"other_sessions_ended":")" + std::to_string(*ended) + "\"}"});
        if (!r) return fail(r.error());
        return {};
    });
}

Result<UploadOutcome> VerifierAccounts::upload(const VerifierSession& s, std::string_view bytes) {
    if (s.stage != SignInStage::Full) return fail(Error::forbidden("verifier_account.stage"));
    if (s.key_revoked) return fail(Error::forbidden("verifier_key.revoked"));
    auto read = read_upload(bytes);
    if (!read) return fail(read.error());
    const std::size_t rows = read->result.rows.size();
    // A file over the key's limit per minute would be refused in every minute: say so at once
    // rather than ask the verifier to wait, and count nothing.
    auto key = store_.query<std::optional<VerifierKey>>(
        TxMode::Single, [&](Transaction& tx) { return tx.verifier_keys().find(s.key_id); });
    if (!key) return fail(key.error());
    if (*key && rows > static_cast<std::size_t>(std::max(0, (*key)->ids_per_minute)))
        return UploadOutcome{OverKeyLimit{rows, (*key)->ids_per_minute}};
    // Every row counts against the key, bad ones too (and so a file of nothing else).
    auto verified = verifications_.verify_for_key(s.key_id, read->items, kUploadMaxRows, rows);
    if (!verified) return fail(verified.error());
    apply_results(*read, *verified);
    VerifierUpload u;
    u.ref = random_token();
    u.account_id = s.account_id;
    u.created_at = clock_.now();
    u.expires_at = u.created_at + settings_.upload_lifetime;
    u.content = to_stored(read->result);
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.verifier_accounts().save_upload(u); });
    if (!ok) return fail(ok.error());
    return UploadOutcome{u.ref};
}

Result<UploadResult> VerifierAccounts::result(const VerifierSession& s, std::string_view ref) {
    if (s.stage != SignInStage::Full) return fail(Error::forbidden("verifier_account.stage"));
    if (!plausible_token(ref)) return fail(Error::not_found("verifier_upload.not_found"));
    auto found = store_.query<std::optional<VerifierUpload>>(TxMode::Single, [&](Transaction& tx) {
        return tx.verifier_accounts().find_upload(std::string(ref), s.account_id, clock_.now());
    });
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("verifier_upload.not_found"));
    return from_stored((*found)->content);
}

}  // namespace sengen::app
