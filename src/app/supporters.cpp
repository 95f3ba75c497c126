// Supporters: invitations kept hashed and used once, supports started by following them and ended
// by the owner, and the one guard (act_on) through which My Page's use cases learn who may act.
#include "app/supporters.hpp"

#include "app/tokens.hpp"
#include "domain/email.hpp"
#include "domain/error_codes.hpp"

namespace sengen::app {

namespace {

constexpr char kSupportNotFound[] = "support.not_found";

std::string supporter_actor(std::int64_t account_id) { return "supporter:" + std::to_string(account_id); }

// An invitation is worth something only while the one who sent it still holds the declaration:
// one left behind by a former owner must not open the declaration to someone after a hand-over.
bool still_wanted(const SupportInvitation& i, const Declaration& d) {
    return d.account_id && *d.account_id == i.invited_by && support::may_invite(d.state.status);
}

Result<Declaration> find_declaration(Transaction& tx, const DeclarationId& public_id) {
    auto d = tx.declarations().find_by_public_id(public_id);
    if (!d) return fail(d.error());
    if (!*d) return fail(Error::not_found(codes::kDeclarationNotFound));
    return std::move(**d);
}

// Queues a notice about a support (not a step anyone waits for): refused by the mail limits, it
// is left out and the step stands, as a subsidy reminder is (ADR 48).
Status notice(const RegistryContext& r, Transaction& tx, const Declaration& d, const MailRequest& mail, TimePoint now) {
    if (auto ok = r.limit_mail_in(tx, mail.to, d.id, now); !ok) {
        if (ok.error().kind != Error::Kind::TooMany) return ok;
        return {};
    }
    return r.mail().queue(tx, mail);
}

// The rights as catalogue messages, for a mail's list.
std::vector<std::string> right_messages(support::Rights rights) {
    std::vector<std::string> out;
    if (rights.has(support::Right::EditDetails)) out.emplace_back("supporters.rights.edit_details");
    if (rights.has(support::Right::PrepareTwoStar)) out.emplace_back("supporters.rights.prepare_two_star");
    if (out.empty()) out.emplace_back("supporters.rights.none");
    return out;
}

}  // namespace

Result<Acting> act_on_in(Transaction& tx, std::int64_t account_id, const Declaration& d, support::Action action) {
    support::Access access;
    if (d.account_id && *d.account_id == account_id) {
        access.role = support::Role::Owner;
    } else {
        // Read on every request, so that a support the owner ended is refused at once.
        auto live = tx.supports().live(d.id, account_id);
        if (!live) return fail(live.error());
        if (*live) access = {support::Role::Supporter, (*live)->rights};
    }
    if (auto ok = support::allowed(access, action); !ok) return fail(ok.error());
    return Acting{d, access,
                  access.role == support::Role::Supporter ? supporter_actor(account_id)
                                                          : "account:" + std::to_string(account_id)};
}

Result<Acting> act_on(const RegistryContext& r, std::int64_t account_id, const DeclarationId& public_id,
                      support::Action action) {
    return r.store().query<Acting>(TxMode::Read, [&](Transaction& tx) -> Result<Acting> {
        auto d = find_declaration(tx, public_id);
        if (!d) return fail(d.error());
        return act_on_in(tx, account_id, *d, action);
    });
}

Result<Supporters::Overview> Supporters::overview(std::int64_t owner_account, const DeclarationId& public_id) {
    const auto now = r_.clock().now();
    return r_.store().query<Overview>(TxMode::Read, [&](Transaction& tx) -> Result<Overview> {
        auto d = find_declaration(tx, public_id);
        if (!d) return fail(d.error());
        if (auto ok = act_on_in(tx, owner_account, *d, support::Action::ManageSupport); !ok) return fail(ok.error());
        auto supports = tx.supports().of_declaration(d->id);
        if (!supports) return fail(supports.error());
        auto invitations = tx.supports().pending_invitations(d->id, now);
        if (!invitations) return fail(invitations.error());
        return Overview{std::move(*supports), std::move(*invitations)};
    });
}

Status Supporters::invite(std::int64_t owner_account, const DeclarationId& public_id, const std::string& typed_email,
                          support::Rights rights, const Caller& caller) {
    auto acting = act_on(r_, owner_account, public_id, support::Action::ManageSupport);
    if (!acting) return fail(acting.error());
    const Declaration& d = acting->declaration;
    if (!support::may_invite(d.state.status)) return fail(Error::illegal_transition("declaration.not_declared"));
    const std::string email = normalise_email(typed_email);
    if (email.empty()) return fail(Error::invalid({{"supporter_email", "required"}}));
    if (!valid_email(email)) return fail(Error::invalid({{"supporter_email", "invalid_email"}}));
    // The contact is the owner: it needs no invitation to its own declaration.
    if (email_key(email) == email_key(d.details.contact_email))
        return fail(Error::invalid({{"supporter_email", "supporter_is_owner"}}));
    const auto now = r_.clock().now();
    // Nobody at that address has shown it reads our mail: the mail limits of an unproven address,
    // and a mail with the business's name and the link, nothing the owner typed besides.
    if (auto ok = r_.limit_mail(email, d.id, Proof::Unproven, now); !ok) return ok;
    const std::string token = random_token();
    const auto lifetime = r_.settings().confirm_lifetime;
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        SupportInvitation i{0, d.id, email, rights, owner_account, token_hash(token), now, now + lifetime};
        auto id = tx.supports().invite(i);
        if (!id) return fail(id.error());
        if (auto ok = r_.record(
                tx, acting->actor, "support.invited", d, caller.ip,
                json_of(
                    {{"invitation", std::to_string(*id)}, {"email", email}, {"rights", support::to_string(rights)}}));
            !ok)
            return ok;
        return r_.mail().queue(tx, {"mail.support_invitation",
                                    d.details.lang,
                                    email,
                                    {{"business_name", d.details.business_name},
                                     {"link", link_url(r_.base_url(), "/support", token)},
                                     {"code", token},
                                     {"hours", std::to_string(lifetime.count())}},
                                    {}});
    });
}

Result<Supporters::Pending> Supporters::invitation_for(const std::string& token) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kSupportInvitationUnknown));
    const auto now = r_.clock().now();
    return r_.store().query<Pending>(TxMode::Read, [&](Transaction& tx) -> Result<Pending> {
        auto i = tx.supports().find_invitation(token_hash(token), now);
        if (!i) return fail(i.error());
        if (!*i) return fail(Error::not_found(codes::kSupportInvitationUnknown));
        auto d = tx.declarations().find((*i)->declaration_id);
        if (!d) return fail(d.error());
        if (!*d || !still_wanted(**i, **d)) return fail(Error::not_found(codes::kSupportInvitationUnknown));
        return Pending{std::move(**d), std::move(**i)};
    });
}

Result<Supporters::Accepted> Supporters::accept(const std::string& token, const Caller& caller) {
    if (!plausible_token(token)) return fail(Error::not_found(codes::kSupportInvitationUnknown));
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(limits::kConfirmPerIp, caller.ip, now); !ok) return fail(ok.error());
    return r_.write<Accepted>([&](Transaction& tx) -> Result<Accepted> {
        auto i = tx.supports().accept_invitation(token_hash(token), now);
        if (!i) return fail(i.error());
        if (!*i) return fail(Error::not_found(codes::kSupportInvitationUnknown));
        auto d = tx.declarations().find((*i)->declaration_id);
        if (!d) return fail(d.error());
        // Refused as unknown; the transaction rolls back, so the link is not used up by it either.
        if (!*d || !still_wanted(**i, **d)) return fail(Error::not_found(codes::kSupportInvitationUnknown));
        auto account = tx.accounts().find_or_create((*i)->email, caller.lang, now);
        if (!account) return fail(account.error());
        auto id = tx.supports().start((*d)->id, account->id, (*i)->rights, now);
        if (!id) return fail(id.error());
        if (auto ok = r_.record(tx, supporter_actor(account->id), "support.started", **d, caller.ip,
                                json_of({{"support", std::to_string(*id)},
                                         {"invitation", std::to_string((*i)->id)},
                                         {"rights", support::to_string((*i)->rights)}}));
            !ok)
            return fail(ok.error());
        // The owner learns who now helps with its declaration, in the declaration's language.
        const Declaration& held = **d;
        if (auto ok = notice(r_, tx, held,
                             {"mail.support_started",
                              held.details.lang,
                              held.details.contact_email,
                              {{"business_name", held.details.business_name},
                               {"supporter_email", account->email},
                               {"link", r_.base_url() + "/mypage/declarations/" + held.public_id->digits()}},
                              {{"rights", right_messages((*i)->rights)}}},
                             now);
            !ok)
            return fail(ok.error());
        return Accepted{std::move(**d), account->id};
    });
}

namespace {

// An owner's step on one support or invitation of its declaration, in one transaction: the
// declaration found, the owner allowed, the step done (false: no such live support or pending
// invitation), and the audit event `action` naming the item under `key`.
template <typename Step>
Status owner_step(const RegistryContext& r, std::int64_t owner_account, const DeclarationId& public_id,
                  const Caller& caller, std::string_view action, const char* key, std::int64_t item, Step step) {
    const auto now = r.clock().now();
    return r.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto d = find_declaration(tx, public_id);
        if (!d) return fail(d.error());
        auto acting = act_on_in(tx, owner_account, *d, support::Action::ManageSupport);
        if (!acting) return fail(acting.error());
        Result<bool> done = step(tx, *d, now);
        if (!done) return fail(done.error());
        if (!*done) return fail(Error::not_found(kSupportNotFound));
        return r.record(tx, acting->actor, std::string(action), *d, caller.ip, json_of({{key, std::to_string(item)}}));
    });
}

}  // namespace

Status Supporters::end(std::int64_t owner_account, const DeclarationId& public_id, std::int64_t support_id,
                       const Caller& caller) {
    return owner_step(
        r_, owner_account, public_id, caller, "support.ended", "support", support_id,
        [&](Transaction& tx, const Declaration& d, TimePoint now) -> Result<bool> {
            auto all = tx.supports().of_declaration(d.id);
            if (!all) return fail(all.error());
            auto ended = tx.supports().end(support_id, d.id, now);
            if (!ended || !*ended) return ended;
            // The supporter learns it no longer helps, in the language of its account.
            for (const auto& s : *all) {
                if (s.id != support_id) continue;
                auto account = tx.accounts().find(s.account_id);
                if (!account) return fail(account.error());
                const Lang lang = *account ? (*account)->lang : d.details.lang;
                if (auto ok = notice(
                        r_, tx, d,
                        {"mail.support_ended", lang, s.email, {{"business_name", d.details.business_name}}, {}}, now);
                    !ok)
                    return fail(ok.error());
            }
            return true;
        });
}

Status Supporters::cancel(std::int64_t owner_account, const DeclarationId& public_id, std::int64_t invitation_id,
                          const Caller& caller) {
    return owner_step(r_, owner_account, public_id, caller, "support.invitation_cancelled", "invitation", invitation_id,
                      [&](Transaction& tx, const Declaration& d, TimePoint now) {
                          return tx.supports().cancel_invitation(invitation_id, d.id, now);
                      });
}

Result<std::vector<Supporters::Supported>> Supporters::supported_by(std::int64_t account_id) {
    return r_.store().query<std::vector<Supported>>(TxMode::Read,
                                                    [&](Transaction& tx) -> Result<std::vector<Supported>> {
                                                        auto supports = tx.supports().live_of_account(account_id);
                                                        if (!supports) return fail(supports.error());
                                                        std::vector<Supported> out;
                                                        out.reserve(supports->size());
                                                        for (auto& s : *supports) {
                                                            auto d = tx.declarations().find(s.declaration_id);
                                                            if (!d) return fail(d.error());
                                                            // The owner's own declarations are on its list already.
                                                            if (!*d || (*d)->account_id == account_id) continue;
                                                            out.push_back({std::move(**d), std::move(s)});
                                                        }
                                                        return out;
                                                    });
}

}  // namespace sengen::app
