// The supporters' rules: which rights exist and which actions each role may take (ADR 42).
#include "domain/support.hpp"

#include <array>
#include <utility>

#include "domain/error_codes.hpp"
#include "domain/text.hpp"

namespace sengen::support {

namespace {

constexpr std::array<std::pair<Right, std::string_view>, 2> kNames{{
    {Right::EditDetails, "edit_details"},
    {Right::PrepareTwoStar, "prepare_two_star"},
}};

}  // namespace

std::string to_string(Rights r) {
    std::string out;
    for (const auto& [right, name] : kNames)
        if (r.has(right)) out += (out.empty() ? "" : ",") + std::string(name);
    return out;
}

std::optional<Rights> rights_from_string(std::string_view text) {
    Rights out;
    if (text.empty()) return out;
    for (const auto piece : text::split(text, ',')) {
        bool known = false;
        for (const auto& [right, name] : kNames)
            if (piece == name) out = out.with(right), known = true;
        if (!known) return std::nullopt;
    }
    return out;
}

Rights default_rights() { return Rights().with(Right::EditDetails).with(Right::PrepareTwoStar); }

bool owner_only(Action action) {
    switch (action) {
        case Action::View:
        case Action::EditDetails:
        case Action::PrepareAssessment:
        case Action::PreparePolicy:
            return false;
        case Action::PublishPolicy:
        case Action::StepUp:
        case Action::StepDown:
        case Action::Stop:
        case Action::ChangeContact:
        case Action::Badge:
        case Action::ManageSupport:
        case Action::Subscribe:
            return true;
    }
    return true;
}

TwoStarPath two_star_path(const Access& access) {
    if (allowed(access, Action::StepUp)) return TwoStarPath::StepUp;
    if (allowed(access, Action::PrepareAssessment) && allowed(access, Action::PreparePolicy))
        return TwoStarPath::Prepare;
    return TwoStarPath::LeaveToOwner;
}

Status allowed(const Access& access, Action action) {
    switch (access.role) {
        case Role::Owner:
            return {};
        case Role::Stranger:
            return fail(Error::not_found(codes::kDeclarationNotFound));
        case Role::Supporter:
            break;
    }
    if (owner_only(action)) return fail(Error::forbidden(codes::kSupportNotAllowed));
    const auto needs = [&](Right r) -> Status {
        if (access.rights.has(r)) return {};
        return fail(Error::forbidden(codes::kSupportNotAllowed));
    };
    switch (action) {
        case Action::EditDetails:
            return needs(Right::EditDetails);
        case Action::PrepareAssessment:
        case Action::PreparePolicy:
            return needs(Right::PrepareTwoStar);
        default:
            return {};  // View
    }
}

bool may_invite(lifecycle::Status status) { return lifecycle::may_change_details(status); }

}  // namespace sengen::support
