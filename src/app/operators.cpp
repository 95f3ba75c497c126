// Operator accounts, sign-in with two factors, and operator sessions.
#include "app/operators.hpp"

#include <sodium.h>

#include <algorithm>

#include "app/rate_limit.hpp"
#include "app/sign_in_attempts.hpp"
#include "app/tokens.hpp"
#include "app/totp.hpp"
#include "domain/email.hpp"

namespace sengen::app {

namespace {

// Each attempt counts, good or bad: five in a quarter of an hour per account is plenty for a person
// and refuses a guesser for the rest of the window (ASVS 6.3.1 / 2.2.1).
const RateRule kSigninPerIp{"operator.signin.ip", 20, std::chrono::minutes(15), RateSubject::ClientAddress};
const RateRule kSigninPerAccount{"operator.signin.account", 5, std::chrono::minutes(15)};
const RateRule kCodePerAccount{"operator.code.account", 5, std::chrono::minutes(15)};
// Changing the password asks for the current one: guesses of it are counted apart from sign-ins.
const RateRule kPasswordChangePerAccount{"operator.password_change.account", 5, std::chrono::minutes(15)};
const RateRule kSetupPerIp{"operator.setup.ip", 20, std::chrono::minutes(15), RateSubject::ClientAddress};

// How stale a stored expiry may get before a use writes the slid one.
constexpr auto kSlideEvery = std::chrono::minutes(1);

std::string actor_of(std::int64_t id) { return "operator:" + std::to_string(id); }

std::string recovery_code() {
    // 10 characters of the base32 alphabet (50 bits), shown as two groups of five.
    static constexpr std::string_view kAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
    std::string code;
    for (int i = 0; i < 10; ++i) {
        if (i == 5) code += '-';
        code += kAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kAlphabet.size()))];
    }
    return code;
}

}  // namespace

std::string normalise_recovery_code(std::string_view typed) {
    std::string out;
    for (char c : typed) {
        if (c == ' ' || c == '-') continue;
        out += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return out;
}

void Operators::record(const std::string& actor, const std::string& action, const std::string& subject,
                       const std::string& ip, const std::string& details) {
    record_event(store_, AuditEvent{0, clock_.now(), actor, action, subject, ip, details});
}

Status Operators::limit(const RateRule& rule, const std::string& subject, const std::string& ip) {
    return count_attempt(store_, clock_.now(), rule, settings_.rate_limit_factor, subject, ip,
                         "operator.signin_refused");
}

Result<Operators::Created> Operators::create(std::string_view typed_email, OperatorRole role, const std::string& actor,
                                             const std::string& ip) {
    const auto email = email_key(normalise_email(typed_email));
    if (!valid_email(email)) return fail(Error::invalid({{"email", "email"}}, "operator.email_invalid"));
    const auto now = clock_.now();
    const auto token = random_token();
    Created out;
    out.expires_at = now + settings_.setup_link;
    auto id = store_.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) -> Result<std::int64_t> {
        auto made = tx.operators().create(email, role, token_hash(token), out.expires_at, now);
        if (!made) return made;
        AuditEvent e{0,
                     now,
                     actor,
                     "operator.created",
                     actor_of(*made),
                     ip,
                     R"({"role":")" + std::string(to_string(role)) + "\"}"};
        if (auto r = tx.audit().record(e); !r) return fail(r.error());
        return made;
    });
    if (!id) return fail(id.error());
    out.id = *id;
    out.setup_link = link_url(settings_.base_url, "/console/setup", token);
    return out;
}

Result<OperatorAccount> Operators::setup_for(std::string_view token) {
    if (!plausible_token(token)) return fail(Error::not_found("operator.setup_unknown"));
    auto found = store_.query<std::optional<OperatorAccount>>(TxMode::Single, [&](Transaction& tx) {
        return tx.operators().find_by_setup_token(token_hash(token), clock_.now());
    });
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::not_found("operator.setup_unknown"));
    return **found;
}

Result<OpenOperatorSession> Operators::complete_setup(std::string_view token, std::string_view password,
                                                      const std::string& ip) {
    if (auto ok = limit(kSetupPerIp, ip, ip); !ok) return fail(ok.error());
    auto account = setup_for(token);
    if (!account) return fail(account.error());
    if (auto ok = policy_.check(password, account->email); !ok) return fail(ok.error());
    auto hashed = hasher_.hash(password);
    if (!hashed) return fail(hashed.error());
    const auto secret = totp::new_secret();
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) {
        return tx.operators().complete_setup(account->id, token_hash(token), *hashed, secret);
    });
    if (!ok) return fail(ok.error());
    record(actor_of(account->id), "operator.password_set", actor_of(account->id), ip);
    return start_session(account->id, OperatorStage::TotpSetup, std::nullopt);
}

Result<TotpSetup> Operators::totp_setup(const OperatorSession& s) {
    if (s.stage != OperatorStage::TotpSetup) return fail(Error::forbidden("operator.stage"));
    auto found = store_.query<std::optional<OperatorAccount>>(
        TxMode::Single, [&](Transaction& tx) { return tx.operators().find(s.operator_id); });
    if (!found) return fail(found.error());
    return factor_.setup_of(s.email, *found ? (*found)->totp_pending : std::string(), "operator.stage");
}

Result<Operators::Confirmed> Operators::confirm_totp(const OperatorSession& s, std::string_view code,
                                                     const std::string& ip, const SessionClient& client) {
    auto setup = totp_setup(s);
    if (!setup) return fail(setup.error());
    auto step = factor_.confirm({"operator", s.operator_id, kCodePerAccount}, setup->secret, code, ip);
    if (!step) return fail(step.error());
    Confirmed out;
    std::vector<std::string> hashes;
    for (int i = 0; i < kRecoveryCodes; ++i) {
        out.recovery_codes.push_back(recovery_code());
        hashes.push_back(token_hash(normalise_recovery_code(out.recovery_codes.back())));
    }
    auto ok = store_.transact(
        TxMode::Write, [&](Transaction& tx) { return tx.operators().confirm_totp(s.operator_id, *step, hashes); });
    if (!ok) return fail(ok.error());
    record(actor_of(s.operator_id), "operator.totp_confirmed", actor_of(s.operator_id), ip);
    auto session = start_session(s.operator_id, OperatorStage::Full, s, client);
    if (!session) return fail(session.error());
    out.session = std::move(*session);
    return out;
}

Result<OpenOperatorSession> Operators::sign_in(std::string_view typed_email, std::string_view password,
                                               const std::string& ip) {
    const auto email = email_key(normalise_email(typed_email));
    if (auto ok = limit(kSigninPerIp, ip, ip); !ok) return fail(ok.error());
    if (auto ok = limit(kSigninPerAccount, email, ip); !ok) return fail(ok.error());
    if (password.size() > kPasswordMaxBytes) return fail(Error::forbidden("operator.signin_failed"));
    auto found = store_.query<std::optional<OperatorAccount>>(
        TxMode::Single, [&](Transaction& tx) { return tx.operators().find_by_email(email); });
    if (!found) return fail(found.error());
    const bool usable = *found && !(*found)->disabled && !(*found)->totp_secret.empty();
    // An unknown address is checked against a dummy hash, so both answers take as long.
    auto matches = hasher_.verify(password, usable ? (*found)->password_hash : std::string());
    if (!matches) return fail(matches.error());
    if (!usable || !*matches) {
        const auto subject = *found ? actor_of((*found)->id) : std::string();
        record("anonymous", "operator.signin_failed", subject, ip,
               usable ? R"({"reason":"password"})" : R"({"reason":"unknown_account"})");
        return fail(Error::forbidden("operator.signin_failed"));
    }
    return start_session((*found)->id, OperatorStage::SecondFactor, std::nullopt);
}

Result<OpenOperatorSession> Operators::second_factor(const OperatorSession& s, std::string_view typed,
                                                     const std::string& ip, const SessionClient& client) {
    if (s.stage != OperatorStage::SecondFactor) return fail(Error::forbidden("operator.stage"));
    const CodeHolder holder{"operator", s.operator_id, kCodePerAccount};
    if (auto ok = factor_.count(holder, ip); !ok) return fail(ok.error());
    auto found = store_.query<std::optional<OperatorAccount>>(
        TxMode::Single, [&](Transaction& tx) { return tx.operators().find(s.operator_id); });
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::forbidden("operator.stage"));
    auto fresh = factor_.fresh_code((*found)->totp_secret, typed, [&](std::int64_t step) {
        return store_.query<bool>(
            TxMode::Write, [&](Transaction& tx) { return tx.operators().accept_totp_step(s.operator_id, step); });
    });
    if (!fresh) return fail(fresh.error());
    bool accepted = *fresh;
    std::string how = "totp";
    // Not a code: perhaps one of the recovery codes, used up once accepted.
    if (!accepted && typed_code(typed).size() >= 10) {
        auto used = store_.query<bool>(TxMode::Write, [&](Transaction& tx) {
            return tx.operators().use_recovery_code(s.operator_id, token_hash(normalise_recovery_code(typed)),
                                                    clock_.now());
        });
        if (!used) return fail(used.error());
        accepted = *used;
        how = "recovery_code";
    }
    if (!accepted) return fail(factor_.refuse(holder, "signin", ip));
    record(actor_of(s.operator_id), "operator.signed_in", actor_of(s.operator_id), ip, R"({"factor":")" + how + "\"}");
    return start_session(s.operator_id, OperatorStage::Full, s, client);
}

Result<OpenOperatorSession> Operators::start_session(std::int64_t operator_id, OperatorStage stage,
                                                     const std::optional<OperatorSession>& previous,
                                                     const SessionClient& client) {
    const auto now = clock_.now();
    OpenOperatorSession open;
    open.token = random_token();
    open.session.id_hash = token_hash(open.token);
    open.session.operator_id = operator_id;
    open.session.stage = stage;
    open.session.created_at = now;
    open.session.client_label = client.label;
    open.session.client_network = client.network;
    open.session.expires_at = stage_expiry(stage, now, settings_.idle, settings_.absolute);
    auto ok = store_.transact(TxMode::Write,
                              [&](Transaction& tx) { return replace_session(tx.operators(), previous, open.session); });
    if (!ok) return fail(ok.error());
    return open;
}

Result<std::optional<OperatorSession>> Operators::resume(std::string_view token) {
    if (!plausible_token(token)) return std::optional<OperatorSession>{};
    const auto now = clock_.now();
    auto found = store_.query<std::optional<OperatorSession>>(
        TxMode::Single, [&](Transaction& tx) { return tx.operators().find_session(token_hash(token), now); });
    if (!found || !*found) return found;
    auto& s = **found;
    if (s.stage != OperatorStage::Full) return found;  // pending sessions never slide
    const auto last_moment = s.created_at + settings_.absolute;
    if (now >= last_moment) return std::optional<OperatorSession>{};
    const auto slid = std::min(now + settings_.idle, last_moment);
    if (slid - s.expires_at > kSlideEvery) {
        s.expires_at = slid;
        (void)store_.transact(TxMode::Write, [&](Transaction& tx) {
            return tx.operators().extend_session(s.id_hash, s.expires_at, now);
        });
    }
    return found;
}

Status Operators::sign_out(const OperatorSession& s, const std::string& ip) {
    auto ok = store_.transact(TxMode::Write, [&](Transaction& tx) { return tx.operators().remove_session(s.id_hash); });
    if (ok) record(actor_of(s.operator_id), "operator.signed_out", actor_of(s.operator_id), ip);
    return ok;
}

Status Operators::change_password(const OperatorSession& s, std::string_view current, std::string_view fresh,
                                  const std::string& ip) {
    if (s.stage != OperatorStage::Full) return fail(Error::forbidden("operator.stage"));
    // The new password is checked first: a refused one costs no attempt at the current one.
    if (auto ok = policy_.check(fresh, s.email, "new_password"); !ok) return ok;
    if (auto ok = limit(kPasswordChangePerAccount, std::to_string(s.operator_id), ip); !ok) return ok;
    auto found = store_.query<std::optional<OperatorAccount>>(
        TxMode::Single, [&](Transaction& tx) { return tx.operators().find(s.operator_id); });
    if (!found) return fail(found.error());
    if (!*found) return fail(Error::forbidden("operator.stage"));
    auto matches =
        current.size() > kPasswordMaxBytes ? Result<bool>(false) : hasher_.verify(current, (*found)->password_hash);
    if (!matches) return fail(matches.error());
    if (!*matches) {
        record(actor_of(s.operator_id), "operator.password_change_failed", actor_of(s.operator_id), ip,
               R"({"reason":"password"})");
        return fail(Error::invalid({{"current_password", "wrong"}}, "operator.password_wrong"));
    }
    auto hashed = hasher_.hash(fresh);
    if (!hashed) return fail(hashed.error());
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        if (auto ok = tx.operators().set_password(s.operator_id, *hashed); !ok) return ok;
        // A session opened with the old password, perhaps by whoever learnt it, ends with it.
        auto ended = tx.operators().remove_sessions_of(s.operator_id, s.id_hash);
        if (!ended) return fail(ended.error());
        auto r = tx.audit().record(AuditEvent{0, clock_.now(), actor_of(s.operator_id), "operator.password_changed",
                                              actor_of(s.operator_id), ip,
                                              R"({"other_sessions_ended":")" + std::to_string(*ended) + "\"}"});
        if (!r) return fail(r.error());
        return {};
    });
}

Result<std::vector<SessionEntry>> Operators::sessions(const OperatorSession& s) {
    auto found = store_.query<std::vector<OperatorSession>>(
        TxMode::Single, [&](Transaction& tx) { return tx.operators().list_sessions(s.operator_id, clock_.now()); });
    if (!found) return fail(found.error());
    std::vector<SessionEntry> out;
    out.reserve(found->size());
    for (const auto& o : *found)
        out.push_back({session_ref(o.id_hash), o.created_at, o.last_used_at.value_or(o.created_at), o.client_label,
                       o.client_network, o.id_hash == s.id_hash});
    return out;
}

Status Operators::end_session(const OperatorSession& s, std::string_view ref, const std::string& ip) {
    auto ended = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto found = tx.operators().list_sessions(s.operator_id, clock_.now());
        if (!found) return fail(found.error());
        for (const auto& o : *found)
            if (session_ref(o.id_hash) == ref) return tx.operators().remove_session(o.id_hash);
        return fail(Error::not_found("session.not_found"));
    });
    if (ended) record(actor_of(s.operator_id), "operator.session_ended", actor_of(s.operator_id), ip);
    return ended;
}

Result<std::vector<OperatorAccount>> Operators::list() {
    return store_.query<std::vector<OperatorAccount>>(TxMode::Read,
                                                      [&](Transaction& tx) { return tx.operators().list(); });
}

}  // namespace sengen::app
