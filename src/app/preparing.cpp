// A supporter's preparation of the ★★ evidence: the guard first, then the work in the owner's
// account together with the note in the declaration's history and the audit event.
#include "app/preparing.hpp"

#include "app/rate_limit.hpp"
#include "domain/error_codes.hpp"

namespace sengen::app {

namespace {

// As many saves as SavedAssessments allows one account: counted for the one who saves.
const RateRule kSavePerAccount{"assessment.save", 60, std::chrono::hours(1)};

}  // namespace

Result<Preparing::For> Preparing::for_business(std::int64_t account, const DeclarationId& public_id,
                                               support::Action action) {
    auto acting = act_on(r_, account, public_id, action);
    if (!acting) return fail(acting.error());
    // A declaration nobody holds (still awaiting confirmation) has no account to prepare for.
    if (!acting->declaration.account_id) return fail(Error::not_found(codes::kDeclarationNotFound));
    const std::int64_t owner = *acting->declaration.account_id;
    return For{std::move(*acting), owner};
}

Status Preparing::note(Transaction& tx, const For& f, const char* field, const std::string& after,
                       const char* audit_action, const std::string& details_json, const Caller& caller) const {
    const Declaration& d = f.acting.declaration;
    if (auto ok = tx.declarations().note_changes(d.id, {{field, "", after}}, f.acting.actor, r_.clock().now()); !ok)
        return ok;
    return r_.record(tx, f.acting.actor, audit_action, d, caller.ip, details_json);
}

Result<std::vector<Declaration>> Preparing::businesses(std::int64_t account) {
    return r_.store().query<std::vector<Declaration>>(
        TxMode::Read, [&](Transaction& tx) -> Result<std::vector<Declaration>> {
            auto supports = tx.supports().live_of_account(account);
            if (!supports) return fail(supports.error());
            std::vector<Declaration> out;
            for (const auto& s : *supports) {
                if (!s.rights.has(support::Right::PrepareTwoStar)) continue;
                auto d = tx.declarations().find(s.declaration_id);
                if (!d) return fail(d.error());
                if (!*d || !(*d)->public_id || !(*d)->account_id || *(*d)->account_id == account) continue;
                if (!lifecycle::is_live((*d)->state.status)) continue;
                out.push_back(std::move(**d));
            }
            return out;
        });
}

Result<std::int64_t> Preparing::save_assessment(std::int64_t account, const DeclarationId& public_id,
                                                const assessment::Scorecard& card, const Caller& caller) {
    auto f = for_business(account, public_id, support::Action::PrepareAssessment);
    if (!f) return fail(f.error());
    const auto now = r_.clock().now();
    if (auto ok = r_.limit(kSavePerAccount, std::to_string(account), now); !ok) return fail(ok.error());
    return r_.write<std::int64_t>([&](Transaction& tx) -> Result<std::int64_t> {
        // Read again in this transaction: a support ended meanwhile saves nothing.
        auto again = act_on_in(tx, account, f->acting.declaration, support::Action::PrepareAssessment);
        if (!again) return fail(again.error());
        auto id = tx.assessments().save(f->owner, card.edition, card.answers, card.score, now);
        if (!id) return fail(id.error());
        if (auto ok =
                note(tx, *f, "prepared_assessment", std::to_string(card.score), "support.assessment_prepared",
                     json_of({{"assessment", std::to_string(*id)}, {"score", std::to_string(card.score)}}), caller);
            !ok)
            return fail(ok.error());
        return *id;
    });
}

Result<std::vector<SavedPolicy>> Preparing::policies(std::int64_t account, const DeclarationId& public_id) {
    auto f = for_business(account, public_id, support::Action::PreparePolicy);
    if (!f) return fail(f.error());
    return policies_.of(f->owner);
}

Result<SavedPolicy> Preparing::start_policy(std::int64_t account, const DeclarationId& public_id, Lang lang,
                                            const Caller& caller) {
    auto f = for_business(account, public_id, support::Action::PreparePolicy);
    if (!f) return fail(f.error());
    return policies_.create(f->owner, lang, caller, [&](Transaction& tx, const SavedPolicy& p) -> Status {
        if (auto again = act_on_in(tx, account, f->acting.declaration, support::Action::PreparePolicy); !again)
            return fail(again.error());
        return note(tx, *f, "prepared_policy", std::to_string(p.id), "support.policy_started",
                    json_of({{"policy", std::to_string(p.id)}}), caller);
    });
}

Result<Preparing::PolicyFor> Preparing::policy(std::int64_t account, const DeclarationId& public_id,
                                               std::int64_t policy_id) {
    auto f = for_business(account, public_id, support::Action::PreparePolicy);
    if (!f) return fail(f.error());
    auto p = policies_.owned(f->owner, policy_id);
    if (!p) return fail(p.error());
    return PolicyFor{std::move(f->acting.declaration), std::move(*p)};
}

Result<SavedPolicy> Preparing::edit_policy(std::int64_t account, const DeclarationId& public_id, std::int64_t policy_id,
                                           const policy::DraftInput& typed, const DraftAction& action,
                                           const Caller& caller) {
    auto f = for_business(account, public_id, support::Action::PreparePolicy);
    if (!f) return fail(f.error());
    return policies_.edit(f->owner, policy_id, typed, action, [&](Transaction& tx, const SavedPolicy& p) -> Status {
        if (auto again = act_on_in(tx, account, f->acting.declaration, support::Action::PreparePolicy); !again)
            return fail(again.error());
        return note(tx, *f, "prepared_policy", std::to_string(p.id), "support.policy_prepared",
                    json_of({{"policy", std::to_string(p.id)}}), caller);
    });
}

}  // namespace sengen::app
