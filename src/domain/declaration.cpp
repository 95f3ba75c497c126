#include "domain/declaration.hpp"

namespace sengen {

namespace {

// Both forms of public_view: `D` is a const or an rvalue Declaration, whose texts are copied or moved.
template <typename D>
PublicDeclaration view(D&& d) {
    PublicDeclaration p;
    if (d.public_id) p.public_id = std::forward<D>(d).public_id.value();
    p.business_name = std::forward<D>(d).details.business_name;
    p.business_name_kana = std::forward<D>(d).details.business_name_kana;
    p.prefecture = std::forward<D>(d).details.prefecture;
    p.level = d.state.level;
    p.status = d.state.status;
    p.declared_at = d.declared_at.value_or(d.created_at);
    p.level_since = d.level_since.value_or(p.declared_at);
    p.ended_at = d.ended_at;
    // A revocation's reason is public (the registry says why a badge is no longer valid); a
    // stop or a rejection keeps its reason private. The policy is linked from ★★ on.
    if (d.state.status == lifecycle::Status::Revoked) p.end_reason = std::forward<D>(d).end_reason;
    if (d.state.level >= 2) p.policy_url = std::forward<D>(d).details.policy_url;
    return p;
}

}  // namespace

PublicDeclaration public_view(const Declaration& d) { return view(d); }
PublicDeclaration public_view(Declaration&& d) { return view(std::move(d)); }

}  // namespace sengen
