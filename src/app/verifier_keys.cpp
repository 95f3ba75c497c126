// Verifiers' API keys: the use cases behind `sengen verifier-key` (and the console's page).
#include "app/verifier_keys.hpp"

#include "app/registry_context.hpp"
#include "app/tokens.hpp"
#include "domain/email.hpp"
#include "domain/text.hpp"

namespace sengen::app {

bool plausible_verifier_key(std::string_view s) {
    return s.starts_with(kVerifierKeyPrefix) && plausible_token(s.substr(kVerifierKeyPrefix.size()));
}

namespace {

Status audit(Transaction& tx, TimePoint now, const std::string& actor, const char* action, const VerifierKey& k,
             const std::string& ip) {
    AuditEvent e;
    e.at = now;
    e.actor = actor;
    e.action = action;
    e.subject = "verifier_key:" + std::to_string(k.id);
    e.ip = ip;
    e.details = json_of({{"name", k.name}, {"ids_per_minute", std::to_string(k.ids_per_minute)}});
    if (auto r = tx.audit().record(e); !r) return fail(r.error());
    return {};
}

}  // namespace

Result<CreatedVerifierKey> VerifierKeys::create(const std::string& typed_name, int ids_per_minute,
                                                const std::string& actor, const std::string& ip) {
    const std::string name(text::trim(typed_name));
    std::vector<FieldError> errors;
    if (name.empty())
        errors.push_back({"name", "required"});
    else if (text::length(name) > 100 || text::has_forbidden_characters(name))
        errors.push_back({"name", "too_long"});
    if (ids_per_minute < 1 || ids_per_minute > kMaxIdsPerMinute) errors.push_back({"rate", "out_of_range"});
    if (!errors.empty()) return fail(Error::invalid(std::move(errors), "verifier_key.invalid"));

    CreatedVerifierKey out;
    out.secret = std::string(kVerifierKeyPrefix) + random_token();
    out.key.name = name;
    out.key.key_hash = token_hash(out.secret);
    out.key.ids_per_minute = ids_per_minute;
    out.key.created_at = clock_.now();
    auto st = store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto taken = tx.verifier_keys().find_by_name(name);
        if (!taken) return fail(taken.error());
        if (*taken) return fail(Error::conflict("verifier_key.name_taken"));
        auto id = tx.verifier_keys().create(out.key);
        if (!id) return fail(id.error());
        out.key.id = *id;
        return audit(tx, out.key.created_at, actor, "verifier_key.created", out.key, ip);
    });
    if (!st) return fail(st.error());
    return out;
}

Result<std::vector<VerifierKey>> VerifierKeys::list() {
    return store_.query<std::vector<VerifierKey>>(TxMode::Read,
                                                  [](Transaction& tx) { return tx.verifier_keys().list(); });
}

Result<VerifierKey> VerifierKeys::revoke(const std::string& id_or_name, const std::string& actor,
                                         const std::string& ip) {
    return revoke_found(
        [&](Transaction& tx) -> Result<std::optional<VerifierKey>> {
            auto found = tx.verifier_keys().find_by_name(id_or_name);
            if (!found) return fail(found.error());
            if (!*found)
                if (auto number = text::digits_only(id_or_name); number && !number->empty() && number->size() < 18)
                    return tx.verifier_keys().find(std::stoll(*number));
            return found;
        },
        actor, ip);
}

Result<VerifierKey> VerifierKeys::revoke(std::int64_t id, const std::string& actor, const std::string& ip) {
    return revoke_found([&](Transaction& tx) { return tx.verifier_keys().find(id); }, actor, ip);
}

Result<VerifierKey> VerifierKeys::revoke_found(const Finder& find, const std::string& actor, const std::string& ip) {
    const auto now = clock_.now();
    return store_.query<VerifierKey>(TxMode::Write, [&](Transaction& tx) -> Result<VerifierKey> {
        auto found = find(tx);
        if (!found) return fail(found.error());
        if (!*found || (*found)->revoked_at) return fail(Error::not_found("verifier_key.not_found"));
        auto key = std::move(**found);
        if (auto ok = tx.verifier_keys().revoke(key.id, now); !ok) return fail(ok.error());
        key.revoked_at = now;
        if (auto ok = audit(tx, now, actor, "verifier_key.revoked", key, ip); !ok) return fail(ok.error());
        return key;
    });
}

Result<std::vector<VerifierAccount>> VerifierKeys::accounts(std::optional<std::int64_t> key_id) {
    return store_.query<std::vector<VerifierAccount>>(
        TxMode::Read, [&](Transaction& tx) { return tx.verifier_accounts().list(key_id); });
}

Result<VerifierAccount> VerifierKeys::disable_account(std::int64_t id, const std::string& actor,
                                                      const std::string& ip) {
    return act_on_found([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(id); }, AccountAction::Disable,
                        actor, ip);
}

Result<VerifierAccount> VerifierKeys::reset_second_factor(std::int64_t id, const std::string& actor,
                                                          const std::string& ip) {
    return act_on_found([&](Transaction& tx) { return tx.verifier_accounts().find_by_id(id); },
                        AccountAction::ResetSecondFactor, actor, ip);
}

Result<VerifierAccount> VerifierKeys::disable_account(std::string_view typed_email, const std::string& actor,
                                                      const std::string& ip) {
    // Kept as the registration keeps it, so that the address is found however it is typed.
    const auto email = email_key(normalise_email(typed_email));
    return act_on_found([&](Transaction& tx) { return tx.verifier_accounts().find_by_email(email); },
                        AccountAction::Disable, actor, ip);
}

Result<VerifierAccount> VerifierKeys::act_on_found(const AccountFinder& find, AccountAction action,
                                                   const std::string& actor, const std::string& ip) {
    const auto now = clock_.now();
    return store_.query<VerifierAccount>(TxMode::Write, [&](Transaction& tx) -> Result<VerifierAccount> {
        auto found = find(tx);
        if (!found) return fail(found.error());
        if (!*found || (*found)->disabled_at) return fail(Error::not_found("verifier_account.not_found"));
        auto account = std::move(**found);
        // In the same transaction as the audit record: its sessions end with it, at once.
        AuditEvent e;
        if (action == AccountAction::Disable) {
            if (auto ok = tx.verifier_accounts().disable(account.id, now); !ok) return fail(ok.error());
            account.disabled_at = now;
            e.action = "verifier.account_disabled";
        } else {
            if (auto ok = tx.verifier_accounts().reset_totp(account.id); !ok) return fail(ok.error());
            account.totp_secret.clear();
            account.totp_pending.clear();
            e.action = "verifier.second_factor_reset";
        }
        e.at = now;
        e.actor = actor;
        e.subject = "verifier:" + std::to_string(account.id);
        e.ip = ip;
        e.details = json_of({{"key", "verifier_key:" + std::to_string(account.key_id)}});
        if (auto ok = tx.audit().record(e); !ok) return fail(ok.error());
        return account;
    });
}

}  // namespace sengen::app
