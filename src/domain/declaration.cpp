// Rules about a stored declaration: what the public sees of it, and how a lifecycle plan changes it.
#include "domain/declaration.hpp"

namespace sengen {

namespace {

// Both forms of public_view: `D` is a const or an rvalue Declaration, whose texts are copied or moved.
template <typename D>
PublicDeclaration view(D&& d) {
    // A revocation's reason is public (the registry says why a badge is no longer valid); a
    // stop or a rejection keeps its reason private. The policy is linked from ★★ on.
    const bool revoked = d.state.status == lifecycle::Status::Revoked;
    const bool linked_policy = d.state.level >= 2;
    const TimePoint declared = d.declared_at.value_or(d.created_at);
    // Every member is named (the build fails on a missing one), so a new public member is decided here.
    return PublicDeclaration{
        // Only an issued declaration has a public view (value() throws otherwise: a caller's bug).
        .public_id = std::forward<D>(d).public_id.value(),
        .business_name = std::forward<D>(d).details.business_name,
        .business_name_kana = std::forward<D>(d).details.business_name_kana,
        .prefecture = std::forward<D>(d).details.prefecture,
        .level = d.state.level,
        .status = d.state.status,
        .declared_at = declared,
        .level_since = d.level_since.value_or(declared),
        .ended_at = d.ended_at,
        .end_reason = revoked ? std::forward<D>(d).end_reason : std::string(),
        .policy_url = linked_policy ? std::forward<D>(d).details.policy_url : std::string(),
    };
}

}  // namespace

std::string_view public_field_code(PublicField f) {
    switch (f) {
        case PublicField::DeclarationId:
            return "declaration_id";
        case PublicField::BusinessName:
            return "business_name";
        case PublicField::BusinessNameKana:
            return "business_name_kana";
        case PublicField::Prefecture:
            return "prefecture";
        case PublicField::Level:
            return "level";
        case PublicField::CurrentStatus:
            return "status";
        case PublicField::DeclaredAt:
            return "declared_at";
        case PublicField::LevelSince:
            return "level_since";
        case PublicField::EndedAt:
            return "ended_at";
        case PublicField::EndReason:
            return "end_reason";
        case PublicField::PolicyUrl:
            return "policy_url";
    }
    return "";
}

PublicDeclaration public_view(const Declaration& d) { return view(d); }
PublicDeclaration public_view(Declaration&& d) { return view(std::move(d)); }

std::vector<DetailChange> diff_details(const Application& before, const Application& after) {
    std::vector<DetailChange> out;
    auto compare = [&](std::string_view field, const std::string& x, const std::string& y) {
        if (x != y) out.push_back({std::string(field), x, y});
    };
    for (const auto& f : kBusinessFields) compare(f.name, before.*f.checked, after.*f.checked);
    auto joined = [](const std::vector<std::string>& list) {
        std::string s;
        for (const auto& p : list) s += (s.empty() ? "" : ",") + p;
        return s;
    };
    compare("purposes", joined(before.purposes), joined(after.purposes));
    compare("assessment_date", before.assessment_date, after.assessment_date);
    compare("policy_url", before.policy_url, after.policy_url);
    compare("lang", std::string(code(before.lang)), std::string(code(after.lang)));
    return out;
}

void apply_plan(Declaration& d, const lifecycle::Plan& plan, TimePoint now) {
    d.state = plan.to;
    if (plan.level_since == lifecycle::DateChange::Now) d.level_since = now;
    switch (plan.ending) {
        case lifecycle::Ending::Keep:
            break;
        case lifecycle::Ending::Now:
            d.ended_at = now;
            d.end_reason = plan.reason;
            break;
        case lifecycle::Ending::Clear:
            d.ended_at.reset();
            d.end_reason.clear();
            break;
    }
}

void issue_id(Declaration& d, const DeclarationId& id, TimePoint now) {
    d.public_id = id;
    d.declared_at = now;
    d.level_since = now;
}

}  // namespace sengen
