// The reminders' rules: open rounds and what each reminder says (see reminders.hpp).
#include "domain/subsidy/reminders.hpp"

#include <algorithm>

namespace sengen::subsidy {

std::vector<OpenRound> open_rounds(const Programme& p) {
    std::vector<OpenRound> out;
    if (p.status != Status::Open) return out;
    for (const auto& r : p.rounds)
        if (r.status == Status::Open) out.push_back({OpenRound::Kind::Round, "round:" + r.id, &r, 0});
    if (!out.empty()) return out;
    if (!p.years.empty()) {
        const int year = *std::max_element(p.years.begin(), p.years.end());
        out.push_back({OpenRound::Kind::Year, "year:" + std::to_string(year), nullptr, year});
        return out;
    }
    out.push_back({OpenRound::Kind::Open, "open", nullptr, 0});
    return out;
}

ReminderContent reminder_for(const Programme& p, const DeclarationFacts& facts) {
    const auto r = assess(p, facts);
    ReminderContent c;
    c.needs = r.missing;
    // As the readiness page: bonus points beside a requirement are told apart, without repeats.
    const bool has_requirement = p.has(AskKind::Required) || p.has(AskKind::RequiredAfterAdoption);
    if (has_requirement)
        for (const auto& o : r.asks) {
            if (o.ask.kind != AskKind::BonusPoints || o.verdict == Verdict::Met) continue;
            for (const auto& g : o.gaps)
                if (std::find(c.needs.begin(), c.needs.end(), g) == c.needs.end() &&
                    std::find(c.bonus.begin(), c.bonus.end(), g) == c.bonus.end())
                    c.bonus.push_back(g);
        }
    c.confirm = r.unchecked;
    c.this_registry_counts = p.accepts_registry(kThisRegistry);
    return c;
}

}  // namespace sengen::subsidy
