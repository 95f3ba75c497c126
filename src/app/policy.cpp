// The basic security policy's use cases. Publishing and taking down are recorded in the audit
// log in the same transaction as the change.
#include "app/policy.hpp"

#include <sodium.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "app/rate_limit.hpp"
#include "domain/dates.hpp"
#include "domain/error_codes.hpp"
#include "domain/lifecycle.hpp"

namespace sengen::app {

namespace {

[[maybe_unused]] const int sodium_ready = sodium_init();

constexpr std::string_view kSlugAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";
constexpr std::size_t kSlugLength = 10;

const RateRule kCreatePerAccount{"policy.create", 20, std::chrono::hours(24)};
const RateRule kPublishPerAccount{"policy.publish", 30, std::chrono::hours(1)};

Status audit(Transaction& tx, TimePoint at, const Caller& caller, const std::string& action, std::int64_t policy_id,
             const nlohmann::json& details) {
    AuditEvent e{0,
                 at,
                 caller.actor(),
                 action,
                 "policy:" + std::to_string(policy_id),
                 caller.ip,
                 details.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
    auto r = tx.audit().record(e);
    if (!r) return fail(r.error());
    return {};
}

Result<SavedPolicy> owned_in(Transaction& tx, std::int64_t account_id, std::int64_t id) {
    auto p = tx.policies().get(account_id, id);
    if (!p) return fail(p.error());
    if (!*p) return fail(Error::not_found("policy.not_found"));
    return **p;
}

}  // namespace

std::string random_slug() {
    std::string out;
    for (std::size_t i = 0; i < kSlugLength; ++i)
        out += kSlugAlphabet[randombytes_uniform(static_cast<std::uint32_t>(kSlugAlphabet.size()))];
    return out;
}

bool plausible_slug(std::string_view s) {
    return s.size() == kSlugLength &&
           std::all_of(s.begin(), s.end(), [](char c) { return kSlugAlphabet.find(c) != std::string_view::npos; });
}

const policy::Template& Policies::template_of(const SavedPolicy& p) const {
    const auto* t = templates_.find(p.template_edition);
    return t ? *t : templates_.current();
}

std::string Policies::public_url(const std::string& slug) const { return base_url_ + "/policy/" + slug; }

bool Policies::points_at(const std::string& url, const SavedPolicy& p) const {
    const std::string mine = public_url(p.slug);
    return url == mine || url.rfind(mine + "/", 0) == 0 || url.rfind(mine + "?", 0) == 0 ||
           url.rfind(mine + "#", 0) == 0;
}

Result<SavedPolicy> Policies::create(std::int64_t account_id, Lang lang, const Caller& caller,
                                     const AlsoInTransaction& also) {
    const auto now = clock_.now();
    if (auto ok = enforce(store_, kCreatePerAccount, std::to_string(account_id), now); !ok) return fail(ok.error());
    const auto& t = templates_.current();
    return store_.query<SavedPolicy>(TxMode::Write, [&](Transaction& tx) -> Result<SavedPolicy> {
        policy::Draft d;
        d.lang = lang;
        auto declarations = tx.declarations().for_account(account_id);
        if (!declarations) return fail(declarations.error());
        for (const auto& decl : *declarations) {  // newest first
            if (!decl.public_id) continue;
            d.business_name = decl.details.business_name;
            d.representative_title = decl.details.representative_title;
            d.representative_name = decl.details.representative_name;
            break;
        }
        // A slug is 50 random bits: a collision is all but impossible, but is retried anyway.
        for (int attempt = 0; attempt < 3; ++attempt) {
            auto id = tx.policies().create(account_id, random_slug(), t.id, d, now);
            if (!id && id.error().kind == Error::Kind::Conflict) continue;
            if (!id) return fail(id.error());
            if (auto ok = audit(tx, now, caller, "policy.created", *id, {{"template", t.id}}); !ok)
                return fail(ok.error());
            auto made = owned_in(tx, account_id, *id);
            if (made && also)
                if (auto ok = also(tx, *made); !ok) return fail(ok.error());
            return made;
        }
        return fail(Error::unavailable("policy.slug_exhausted", "three slug collisions in a row"));
    });
}

Result<std::vector<SavedPolicy>> Policies::of(std::int64_t account_id) {
    return store_.query<std::vector<SavedPolicy>>(
        TxMode::Read, [&](Transaction& tx) { return tx.policies().for_account(account_id); });
}

Result<SavedPolicy> Policies::owned(std::int64_t account_id, std::int64_t id) {
    return store_.query<SavedPolicy>(TxMode::Read, [&](Transaction& tx) { return owned_in(tx, account_id, id); });
}

Result<SavedPolicy> Policies::edit(std::int64_t account_id, std::int64_t id, const policy::DraftInput& typed,
                                   const DraftAction& action, const AlsoInTransaction& also) {
    auto current = owned(account_id, id);
    if (!current) return fail(current.error());
    const auto& t = template_of(*current);
    auto draft = policy::read_draft(t, typed, current->draft);
    if (!draft) return fail(draft.error());
    if (action.kind == DraftAction::Kind::AddSuggestion) {
        const auto* s = t.suggestion(action.target);
        if (!s) return fail(Error::invalid({{"suggestion", "invalid_choice"}}, "policy.unknown_suggestion"));
        const std::string current_text = policy::section_text(t, *draft, s->section);
        if (!policy::already_has(current_text, *s, draft->lang))
            draft->sections.at(static_cast<std::size_t>(s->section - 1)) =
                policy::with_sentence(current_text, s->text.in(draft->lang));
    } else if (action.kind == DraftAction::Kind::Reset) {
        if (action.target == "policy_preamble") {
            draft->preamble.reset();
        } else {
            bool found = false;
            for (int n = 1; n <= policy::kSectionCount; ++n)
                if (action.target == policy::field_of_section(n)) {
                    draft->sections.at(static_cast<std::size_t>(n - 1)).reset();
                    found = true;
                }
            if (!found) return fail(Error::invalid({{"reset", "invalid_choice"}}, "policy.unknown_part"));
        }
    }
    const auto now = clock_.now();
    return store_.query<SavedPolicy>(TxMode::Write, [&](Transaction& tx) -> Result<SavedPolicy> {
        if (auto ok = tx.policies().save_draft(account_id, id, *draft, now); !ok) return fail(ok.error());
        auto saved = owned_in(tx, account_id, id);
        if (saved && also)
            if (auto ok = also(tx, *saved); !ok) return fail(ok.error());
        return saved;
    });
}

// What the state machine decided for a publication, and what it decided on.
struct Policies::PublishCheck {
    SavedPolicy policy;
    policy::Document document;
    policy::PublicationPlan plan;
};

Result<Policies::PublishCheck> Policies::check_publish_in(Transaction& tx, std::int64_t account_id,
                                                          std::int64_t id) const {
    auto p = owned_in(tx, account_id, id);
    if (!p) return fail(p.error());
    auto declarations = tx.declarations().for_account(account_id);
    if (!declarations) return fail(declarations.error());
    const bool live = std::any_of(declarations->begin(), declarations->end(),
                                  [](const Declaration& d) { return d.state.status == lifecycle::Status::Declared; });
    std::optional<PolicyVersion> current;
    if (p->versions > 0) {
        auto v = tx.policies().version(p->id, p->versions);
        if (!v) return fail(v.error());
        current = std::move(*v);
    }
    auto document = policy::resolve(template_of(*p), p->draft);
    auto plan = policy::transition(
        p->status, policy::event::Publish{p->draft, live ? policy::Standing::Declared : policy::Standing::NotDeclared,
                                          document, current ? &current->document : nullptr});
    if (!plan) return fail(plan.error());
    return PublishCheck{std::move(*p), std::move(document), *plan};
}

Status Policies::check_publish(std::int64_t account_id, std::int64_t id) {
    return store_.transact(TxMode::Read, [&](Transaction& tx) -> Status {
        auto check = check_publish_in(tx, account_id, id);
        if (!check) return fail(check.error());
        return {};
    });
}

Result<PolicyVersion> Policies::publish(std::int64_t account_id, std::int64_t id, const Caller& caller) {
    // Checked before the rate limit, so that a refused attempt does not count; checked again in
    // the write transaction, where it is what decides.
    if (auto ok = check_publish(account_id, id); !ok) return fail(ok.error());
    const auto now = clock_.now();
    if (auto ok = enforce(store_, kPublishPerAccount, std::to_string(account_id), now); !ok) return fail(ok.error());
    return store_.query<PolicyVersion>(TxMode::Write, [&](Transaction& tx) -> Result<PolicyVersion> {
        // Held first, so that of two identical publications at once (any nodes) the second checks
        // against the version the first wrote, and is refused as unchanged.
        if (auto held = tx.policies().lock(account_id, id); !held) return fail(held.error());
        auto check = check_publish_in(tx, account_id, id);
        if (!check) return fail(check.error());
        // The repository writes the next version and marks the policy published.
        auto v = tx.policies().publish(account_id, id, check->document, now);
        if (!v) return fail(v.error());
        if (auto ok = audit(tx, now, caller, std::string(check->plan.audit_action), id, {{"version", v->number}}); !ok)
            return fail(ok.error());
        return v;
    });
}

Status Policies::unpublish(std::int64_t account_id, std::int64_t id, const Caller& caller) {
    const auto now = clock_.now();
    return store_.transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto p = owned_in(tx, account_id, id);
        if (!p) return fail(p.error());
        auto plan = policy::transition(p->status, policy::event::Unpublish{});
        if (!plan) return fail(plan.error());
        if (auto ok = tx.policies().unpublish(account_id, id, now); !ok) return ok;
        return audit(tx, now, caller, std::string(plan->audit_action), id, {{"versions", p->versions}});
    });
}

namespace {

// The policy of a public address, if the public may see it.
Result<SavedPolicy> published_in(Transaction& tx, const std::string& slug) {
    auto p = tx.policies().find_by_slug(slug);
    if (!p) return fail(p.error());
    if (!*p || (*p)->status == SavedPolicy::Status::Draft || (*p)->versions < 1)
        return fail(Error::not_found("policy.not_found"));
    if ((*p)->status == SavedPolicy::Status::Unpublished) return fail(Error::not_found(codes::kPolicyUnpublished));
    return std::move(**p);
}

Result<PolicyVersion> version_in(Transaction& tx, const SavedPolicy& p, int number) {
    if (number < 1 || number > p.versions) return fail(Error::not_found("policy.not_found"));
    auto v = tx.policies().version(p.id, number);
    if (!v) return fail(v.error());
    if (!*v) return fail(Error::not_found("policy.not_found"));
    return std::move(**v);
}

}  // namespace

Result<Policies::Public> Policies::public_policy(const std::string& slug, std::optional<int> number, int page) {
    if (!plausible_slug(slug)) return fail(Error::not_found("policy.not_found"));
    return store_.query<Public>(TxMode::Read, [&](Transaction& tx) -> Result<Public> {
        auto p = published_in(tx, slug);
        if (!p) return fail(p.error());
        Public out;
        out.pages = (p->versions + kVersionsPerPage - 1) / kVersionsPerPage;
        if (page < 1 || page > out.pages) return fail(Error::not_found("policy.not_found"));
        out.page = page;
        auto v = version_in(tx, *p, number.value_or(p->versions));
        if (!v) return fail(v.error());
        out.version = std::move(*v);
        // Versions are numbered without gaps, so page k starts at a number known in advance.
        auto list = tx.policies().version_list(p->id, p->versions - kVersionsPerPage * (page - 1), kVersionsPerPage);
        if (!list) return fail(list.error());
        out.versions = std::move(*list);
        out.policy = std::move(*p);
        return out;
    });
}

Result<SavedPolicy> Policies::published(const std::string& slug) {
    if (!plausible_slug(slug)) return fail(Error::not_found("policy.not_found"));
    return store_.query<SavedPolicy>(TxMode::Single, [&](Transaction& tx) { return published_in(tx, slug); });
}

Result<PolicyVersion> Policies::published_version(const SavedPolicy& p, int number) {
    return store_.query<PolicyVersion>(TxMode::Single, [&](Transaction& tx) { return version_in(tx, p, number); });
}

Result<std::vector<TwoStarEvidence>> Policies::evidence_options(std::int64_t account_id) {
    return store_.query<std::vector<TwoStarEvidence>>(
        TxMode::Read, [&](Transaction& tx) -> Result<std::vector<TwoStarEvidence>> {
            std::vector<TwoStarEvidence> out;
            auto assessments = tx.assessments().list(account_id, 1);
            if (!assessments) return fail(assessments.error());
            if (assessments->empty()) return out;
            const auto& newest = assessments->front();
            auto policies = tx.policies().for_account(account_id);
            if (!policies) return fail(policies.error());
            for (const auto& p : *policies) {
                if (!policy::is_public(p.status)) continue;
                // The name as published, which the draft may have changed since.
                auto current = tx.policies().version(p.id, p.versions);
                if (!current) return fail(current.error());
                const std::string name = *current ? (*current)->document.business_name : p.draft.business_name;
                out.push_back({p.id, name, public_url(p.slug), dates::japan_iso_date(newest.taken_at), newest.taken_at,
                               newest.score});
            }
            return out;
        });
}

Result<TwoStarEvidence> Policies::evidence(std::int64_t account_id, std::int64_t policy_id) {
    auto options = evidence_options(account_id);
    if (!options) return fail(options.error());
    for (auto& o : *options)
        if (o.policy_id == policy_id) return o;
    return fail(Error::not_found("policy.not_found"));
}

}  // namespace sengen::app
