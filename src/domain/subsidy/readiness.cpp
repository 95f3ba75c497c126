// The readiness rules (docs/domain.md §6.7): a declaration counts for an ask when it is live, held
// by a registry the programme checks, and at the ask's level or above.
#include "domain/subsidy/readiness.hpp"

#include <algorithm>

namespace sengen::subsidy {

namespace {

std::vector<Gap> gaps_for(const Ask& ask, const Programme& p, const DeclarationFacts& f) {
    std::vector<Gap> gaps;
    const bool accepted = p.accepts_registry(f.registry);
    switch (f.standing) {
        case Standing::NotDeclared:
            gaps.push_back({GapCode::NeedsDeclaration, ask.minimum_level, p.accepts});
            return gaps;
        case Standing::Stopped:
            gaps.push_back({GapCode::DeclarationStopped, 0, {}});
            break;
        case Standing::Revoked:
            gaps.push_back({GapCode::DeclarationRevoked, 0, {}});
            break;
        case Standing::Declared:
            break;
    }
    if (!accepted) gaps.push_back({GapCode::RegistryNotAccepted, 0, p.accepts});
    if (f.standing == Standing::Declared && f.level < ask.minimum_level)
        gaps.push_back({GapCode::NeedsLevel, ask.minimum_level, {}});
    return gaps;
}

bool is_requirement(AskKind k) { return k == AskKind::Required || k == AskKind::RequiredAfterAdoption; }

}  // namespace

DeclarationFacts facts_of(const lifecycle::State& state) {
    DeclarationFacts f;
    f.level = state.level;
    switch (state.status) {
        case lifecycle::Status::Declared:
            f.standing = Standing::Declared;
            break;
        case lifecycle::Status::Stopped:
            f.standing = Standing::Stopped;
            break;
        case lifecycle::Status::Revoked:
            f.standing = Standing::Revoked;
            break;
        case lifecycle::Status::AwaitingConfirmation:
        case lifecycle::Status::AwaitingReview:
        case lifecycle::Status::Rejected:
        case lifecycle::Status::Disputed:
            f.standing = Standing::NotDeclared;
            f.level = 0;
            break;
    }
    return f;
}

std::string code_of(const Gap& g) {
    switch (g.code) {
        case GapCode::NeedsDeclaration:
            return "needs_declaration";
        case GapCode::NeedsLevel:
            return g.level == 2 ? "needs_two_stars" : "needs_level_" + std::to_string(g.level);
        case GapCode::RegistryNotAccepted:
            return "registry_not_accepted";
        case GapCode::DeclarationStopped:
            return "declaration_stopped";
        case GapCode::DeclarationRevoked:
            return "declaration_revoked";
    }
    return "unknown";
}

Readiness assess(const Programme& programme, const DeclarationFacts& facts) {
    Readiness r;
    const bool has_requirement =
        std::any_of(programme.asks.begin(), programme.asks.end(), [](const Ask& a) { return is_requirement(a.kind); });
    bool met = true;
    for (const auto& ask : programme.asks) {
        AskOutcome o{ask, Verdict::Met, gaps_for(ask, programme, facts)};
        if (!o.gaps.empty()) o.verdict = Verdict::NotMet;
        // Bonus points decide the verdict only where nothing is required.
        if (is_requirement(ask.kind) || !has_requirement) {
            if (o.verdict == Verdict::NotMet) met = false;
            for (const auto& g : o.gaps)
                if (std::find(r.missing.begin(), r.missing.end(), g) == r.missing.end()) r.missing.push_back(g);
        }
        r.asks.push_back(std::move(o));
    }
    r.verdict = met ? Verdict::Met : Verdict::NotMet;
    r.unchecked = programme.prerequisites;
    return r;
}

}  // namespace sengen::subsidy
