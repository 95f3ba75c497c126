// Use cases of the basic security policy (情報セキュリティ基本方針): write a private draft from the
// template, publish numbered versions that never change, take a policy down; the public view of a
// published policy; and the ★★ evidence an account has made here (a saved self-assessment and a
// published policy) for applying or stepping up. Each returns a Result and knows no HTTP.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/registry_context.hpp"
#include "domain/policy/draft.hpp"
#include "domain/policy/template.hpp"
#include "domain/ports.hpp"

namespace sengen::app {

// What the editor asks for besides saving what was typed.
struct DraftAction {
    enum class Kind { Save, AddSuggestion, Reset };
    Kind kind = Kind::Save;
    std::string target;  // AddSuggestion: the suggestion's id; Reset: "policy_preamble" or "policy_section_<n>"
};

// A saved self-assessment and a published policy of one account, offered as the ★★ evidence.
struct TwoStarEvidence {
    std::int64_t policy_id = 0;
    std::string business_name;    // of the policy
    std::string policy_url;       // its absolute public address
    std::string assessment_date;  // the newest saved assessment's day in Japan, YYYY-MM-DD
    TimePoint assessment_taken_at;
    int assessment_score = 0;
};

class Policies {
public:
    // More work done in the transaction that writes the policy, with the policy as written: a
    // supporter's note in the declaration's history (ADR 48). Its failure undoes the write.
    using AlsoInTransaction = std::function<Status(Transaction&, const SavedPolicy&)>;

    Policies(Store& store, const Clock& clock, const policy::TemplateLibrary& templates, std::string base_url)
        : store_(store), clock_(clock), templates_(templates), base_url_(std::move(base_url)) {}

    const policy::TemplateLibrary& templates() const { return templates_; }
    // The template a policy was started from (the current one if that edition is no longer built in).
    const policy::Template& template_of(const SavedPolicy& p) const;
    // The stable public address: <base URL>/policy/<slug>.
    std::string public_url(const std::string& slug) const;
    // Whether a declared policy URL is this policy's public address (or one of its pages).
    bool points_at(const std::string& url, const SavedPolicy& p) const;

    // Starts a draft from the current template, written in `lang`, with the business name and
    // representative of the account's newest declaration when it has one. Rate-limited per account.
    Result<SavedPolicy> create(std::int64_t account_id, Lang lang, const Caller& caller,
                               const AlsoInTransaction& also = {});
    Result<std::vector<SavedPolicy>> of(std::int64_t account_id);
    // The policy if the account holds it; NotFound "policy.not_found" otherwise (the same answer
    // for someone else's, so ids cannot be probed).
    Result<SavedPolicy> owned(std::int64_t account_id, std::int64_t id);

    // Checks what was typed and saves it as the draft, then does `action`. Invalid with every
    // field error when something typed is refused (nothing is saved then).
    Result<SavedPolicy> edit(std::int64_t account_id, std::int64_t id, const policy::DraftInput& typed,
                             const DraftAction& action, const AlsoInTransaction& also = {});

    // Publishes the draft as the next version. Refused as the policy's state machine says
    // (domain/policy/lifecycle.hpp): Forbidden "policy.not_declared" when the account has no live
    // declaration, Invalid with a "required" error per missing part when the draft is not
    // complete, Conflict "policy.unchanged" when it repeats the version that is up. Rate-limited
    // per account.
    Result<PolicyVersion> publish(std::int64_t account_id, std::int64_t id, const Caller& caller);
    // What publish would answer now, without publishing: an empty Status when it would go ahead.
    Status check_publish(std::int64_t account_id, std::int64_t id);
    // Takes a published policy down: its page says so, its versions stay. IllegalTransition
    // "policy.not_published" when it is not published.
    Status unpublish(std::int64_t account_id, std::int64_t id, const Caller& caller);

    // How many versions one page of a public policy's list shows.
    static constexpr int kVersionsPerPage = 20;
    struct Public {
        SavedPolicy policy;
        PolicyVersion version;                     // the one asked for (the current one when none was)
        std::vector<PolicyVersionEntry> versions;  // one page of the list, newest first
        int page = 1;                              // that page's number, from 1
        int pages = 1;
        bool is_current() const { return version.number == policy.versions; }
    };
    // A published policy by its slug, with the version `number` (the current one when nullopt)
    // and page `page` of its list of versions: two short reads besides the policy's row, however
    // many versions it has. NotFound "policy.not_found" when there is no such policy (or it was
    // never published), version or page; "policy.unpublished" when its owner took it down.
    Result<Public> public_policy(const std::string& slug, std::optional<int> number, int page);
    // The published policy alone, for downloads that may be served from a cache; the same
    // answers as public_policy when it is not public.
    Result<SavedPolicy> published(const std::string& slug);
    // One version of a published policy; NotFound "policy.not_found" when it has no such number.
    Result<PolicyVersion> published_version(const SavedPolicy& p, int number);

    // The ★★ evidence the account can use: its newest saved self-assessment with each of its
    // published policies. Empty when it has no saved assessment or no published policy.
    Result<std::vector<TwoStarEvidence>> evidence_options(std::int64_t account_id);
    // The option for one policy; NotFound "policy.not_found" when it is not offered.
    Result<TwoStarEvidence> evidence(std::int64_t account_id, std::int64_t policy_id);

private:
    struct PublishCheck;
    Result<PublishCheck> check_publish_in(Transaction& tx, std::int64_t account_id, std::int64_t id) const;
    Store& store_;
    const Clock& clock_;
    const policy::TemplateLibrary& templates_;
    std::string base_url_;
};

// A fresh public slug: 10 characters of a 32-letter alphabet without look-alikes (50 bits).
std::string random_slug();
// Whether `s` could be a slug from random_slug() (junk is refused before any lookup).
bool plausible_slug(std::string_view s);

}  // namespace sengen::app
