// Readiness: whether a declaration's public facts (its level, its status, the registry that holds
// it) satisfy what one programme asks, and exactly what is missing when they do not. Pure rules;
// the pages, the API and the reminders all ask here.
#pragma once
#include <string>
#include <vector>

#include "domain/lifecycle.hpp"
#include "domain/subsidy/catalogue.hpp"

namespace sengen::subsidy {

// Where a business stands, from public facts only.
enum class Standing {
    NotDeclared,  // no declaration (or one not yet issued: an application, a claim under review)
    Declared,
    Stopped,  // 停止 by the business: final, a new declaration is a new application
    Revoked,  // 取り消し by the operator
};

struct DeclarationFacts {
    Standing standing = Standing::NotDeclared;
    int level = 0;                                      // meaningful unless NotDeclared
    std::string registry = std::string(kThisRegistry);  // the registry holding it ("this_registry", "ipa")
};

// The facts of a declaration of this registry, from its lifecycle state.
DeclarationFacts facts_of(const lifecycle::State& state);

enum class GapCode {
    NeedsDeclaration,     // declare first (at one of `registries`), at `level` or above
    NeedsLevel,           // declared, but below `level`
    RegistryNotAccepted,  // held by a registry the programme does not check; `registries` are those it does
    DeclarationStopped,
    DeclarationRevoked,
};

struct Gap {
    GapCode code = GapCode::NeedsDeclaration;
    int level = 0;                        // NeedsDeclaration, NeedsLevel: the level needed
    std::vector<std::string> registries;  // NeedsDeclaration, RegistryNotAccepted: the registries accepted
    bool operator==(const Gap&) const = default;
};

// The stable code of a gap, as the API and the pages' links name it: needs_declaration,
// needs_two_stars (needs_level_3 and up for levels content may add), registry_not_accepted,
// declaration_stopped, declaration_revoked.
std::string code_of(const Gap& g);

enum class Verdict { Met, NotMet };

struct AskOutcome {
    Ask ask;
    Verdict verdict = Verdict::NotMet;
    std::vector<Gap> gaps;  // empty when met
};

struct Readiness {
    // Met when every requirement (required, required after adoption) is met; a programme that only
    // gives bonus points is met when its points are earned.
    Verdict verdict = Verdict::NotMet;
    std::vector<Gap> missing;            // what keeps the verdict from Met, without repeats
    std::vector<AskOutcome> asks;        // every ask, bonus points included, in the catalogue's order
    std::vector<std::string> unchecked;  // prerequisite codes sengen cannot check: the business confirms them
};

Readiness assess(const Programme& programme, const DeclarationFacts& facts);

}  // namespace sengen::subsidy
