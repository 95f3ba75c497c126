#include "domain/declaration.hpp"

namespace sengen {

PublicDeclaration public_view(const Declaration& d) {
    PublicDeclaration p;
    p.public_id = d.public_id.value_or("");
    p.business_name = d.details.business_name;
    p.business_name_kana = d.details.business_name_kana;
    p.prefecture = d.details.prefecture;
    p.level = d.state.level;
    p.status = d.state.status;
    p.declared_at = d.declared_at.value_or(d.created_at);
    p.level_since = d.level_since.value_or(p.declared_at);
    p.ended_at = d.ended_at;
    p.end_reason = d.state.status == lifecycle::Status::Revoked ? d.end_reason : std::string();
    p.policy_url = d.state.level >= 2 ? d.details.policy_url : std::string();
    return p;
}

}  // namespace sengen
