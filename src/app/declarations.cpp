// Managing a declaration. Every change of state goes through the lifecycle's plan, which says
// what it causes; this file finds the declaration, checks ownership and carries the plan out.
#include "app/declarations.hpp"

#include "domain/error_codes.hpp"

namespace sengen::app {

Result<std::vector<Declaration>> Declarations::declarations_of(std::int64_t account_id) {
    return r_.store().query<std::vector<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().for_account(account_id); });
}

Result<Declaration> Declarations::owned(std::int64_t account_id, const DeclarationId& public_id) {
    auto d = r_.store().query<std::optional<Declaration>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); });
    if (!d) return fail(d.error());
    if (!*d || (*d)->account_id != account_id) return fail(Error::not_found(codes::kDeclarationNotFound));
    return **d;
}

Result<std::vector<DetailChange>> Declarations::history(std::int64_t account_id, const DeclarationId& public_id) {
    auto d = owned(account_id, public_id);
    if (!d) return fail(d.error());
    return r_.store().query<std::vector<DetailChange>>(
        TxMode::Read, [&](Transaction& tx) { return tx.declarations().history(d->id, 50); });
}

Result<Declaration> Declarations::change_details(std::int64_t account_id, const DeclarationId& public_id,
                                                 ApplicationInput in, const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    if (!lifecycle::may_change_details(current->state.status))
        return fail(Error::illegal_transition("declaration.not_declared"));
    const auto& content = r_.content();
    // Level, commitments and terms are not changed here: the form's other fields are checked
    // as they would be on an application at a level the declarant may give itself.
    in.terms_version = content.current_terms().version;
    in.terms_agreed = true;
    in.level = std::to_string(std::min(current->state.level, content.highest_self_declared_level()));
    in.commitments.clear();
    for (const auto& p : content.principles) in.commitments.push_back(std::to_string(p.number));
    if (current->state.level >= 2) {
        in.assessment_date = current->details.assessment_date;
        in.policy_url = current->details.policy_url;
    }
    auto app = validate(in, content, r_.today());
    if (!app) return fail(app.error());
    app->level = current->state.level;
    app->principles_edition = current->details.principles_edition;
    app->terms_version = current->details.terms_version;
    auto changes = diff_details(current->details, *app);
    if (changes.empty()) return *current;
    const auto now = r_.clock().now();
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        auto dup = tx.declarations().live_exists_for_corporate_number(app->corporate_number, current->id);
        if (!dup) return fail(dup.error());
        if (*dup) return fail(Error::conflict(codes::kDuplicateCorporateNumber));
        if (auto ok = tx.declarations().save_details(current->id, *app, changes, caller.actor(), now); !ok)
            return fail(ok.error());
        std::string fields;
        for (const auto& c : changes) fields += (fields.empty() ? "" : ",") + c.field;
        Declaration d = *current;
        d.details = *app;
        if (auto ok = r_.record(tx, caller.actor(), "declaration.details_changed", d, caller.ip,
                                json_of({{"fields", fields}}));
            !ok)
            return fail(ok.error());
        auto values = r_.mail_values(d);
        values.emplace_back("fields", fields);
        // Both addresses hear of a change of contact address: the old one may not have asked for it.
        if (auto ok = r_.mail().queue(tx, {"mail.changed", d.details.lang, d.details.contact_email, values}); !ok)
            return fail(ok.error());
        if (current->details.contact_email != d.details.contact_email)
            if (auto ok = r_.mail().queue(tx, {"mail.changed", d.details.lang, current->details.contact_email, values});
                !ok)
                return fail(ok.error());
        return d;
    });
}

Result<Declaration> Declarations::owner_transition(const Declaration& current, const lifecycle::Event& e,
                                                   const Caller& caller, const AlsoDo& also) {
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        Declaration d = current;
        const auto before = d.state;
        auto plan = lifecycle::plan(before, e, r_.content().level_rules());
        if (!plan) return fail(plan.error());
        if (also)
            if (auto ok = also(tx, d); !ok) return fail(ok.error());
        if (auto ok = r_.carry_out(tx, *plan, d, before, caller.actor(), caller.ip); !ok) return fail(ok.error());
        return d;
    });
}

Result<Declaration> Declarations::step_up(std::int64_t account_id, const DeclarationId& public_id,
                                          const std::string& assessment_date, const std::string& policy_url,
                                          const Caller& caller) {
    std::string date, url;
    auto errors = validate_two_star_evidence(assessment_date, policy_url, r_.today(), date, url);
    if (!errors.empty()) return fail(Error::invalid(std::move(errors)));
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    auto details = current->details;
    details.assessment_date = date;
    details.policy_url = url;
    auto changes = diff_details(current->details, details);
    // The evidence is saved in the same transaction as the new level.
    return owner_transition(*current, lifecycle::event::StepUp{current->state.level + 1}, caller,
                            [&](Transaction& tx, Declaration& d) -> Status {
                                d.details = details;
                                return tx.declarations().save_details(d.id, details, changes, caller.actor(),
                                                                      r_.clock().now());
                            });
}

Result<Declaration> Declarations::step_down(std::int64_t account_id, const DeclarationId& public_id,
                                            const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    return owner_transition(*current, lifecycle::event::StepDown{current->state.level - 1}, caller);
}

Result<Declaration> Declarations::stop(std::int64_t account_id, const DeclarationId& public_id, const Caller& caller) {
    auto current = owned(account_id, public_id);
    if (!current) return fail(current.error());
    return owner_transition(*current, lifecycle::event::Stop{}, caller);
}

Result<Declaration> Declarations::operator_transition(const Finder& find, const lifecycle::Event& e,
                                                      const std::string& actor) {
    return r_.write<Declaration>([&](Transaction& tx) -> Result<Declaration> {
        auto found = find(tx);
        if (!found) return fail(found.error());
        if (!*found) return fail(Error::not_found(codes::kDeclarationNotFound));
        Declaration d = **found;
        const auto before = d.state;
        auto plan = lifecycle::plan(before, e, r_.content().level_rules());
        if (!plan) return fail(plan.error());
        // Operator actions come from the console, not from an address on the network.
        if (auto ok = r_.carry_out(tx, *plan, d, before, actor, ""); !ok) return fail(ok.error());
        return d;
    });
}

Result<Declaration> Declarations::revoke(const DeclarationId& public_id, const std::string& reason,
                                         const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); },
                               lifecycle::event::Revoke{reason}, actor);
}

Result<Declaration> Declarations::reinstate(const DeclarationId& public_id, const std::string& reason,
                                            const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find_by_public_id(public_id); },
                               lifecycle::event::Reinstate{reason}, actor);
}

Result<std::vector<Declaration>> Declarations::awaiting_review(std::size_t limit) {
    return r_.store().query<std::vector<Declaration>>(TxMode::Read, [&](Transaction& tx) {
        return tx.declarations().with_status(lifecycle::Status::AwaitingReview, limit);
    });
}

Result<Declaration> Declarations::approve(std::int64_t application_id, const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find(application_id); },
                               lifecycle::event::Approve{}, actor);
}

Result<Declaration> Declarations::reject(std::int64_t application_id, const std::string& reason,
                                         const std::string& actor) {
    return operator_transition([&](Transaction& tx) { return tx.declarations().find(application_id); },
                               lifecycle::event::Reject{reason}, actor);
}

}  // namespace sengen::app
