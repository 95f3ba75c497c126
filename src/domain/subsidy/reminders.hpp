// Reminders (issue 13, point 5): which rounds of a programme are taking applications, as the
// reminders tell one round from the next, and what a reminder tells one declaration about one
// programme. Pure rules; app/reminders.hpp sends the mail, once per subscription and round.
#pragma once
#include <string>
#include <vector>

#include "domain/subsidy/catalogue.hpp"
#include "domain/subsidy/readiness.hpp"

namespace sengen::subsidy {

// A round that is open, named by a key that stays the same for as long as the round does, on every
// node and across restarts: the database keeps one reminder per subscription and key.
struct OpenRound {
    enum class Kind {
        Round,  // a [[programme.round]] marked open: key "round:<id>"
        Year,   // the programme marked open, no round marked open: key "year:<the latest year>"
        Open,   // the programme marked open, with neither: key "open"
    };
    Kind kind = Kind::Open;
    std::string key;
    const Round* round = nullptr;  // Kind::Round
    int year = 0;                  // Kind::Year
};

// The open rounds of `p`: none unless the programme itself is marked open. A programme that is open
// with rounds marked open has one entry per such round; otherwise one entry for the whole
// programme, named by its latest fiscal year (so a new year is a new round) or, without years,
// "open" (so closing and opening it again is the same round).
std::vector<OpenRound> open_rounds(const Programme& p);

// What a reminder tells a declaration about a programme, from the readiness rules.
struct ReminderContent {
    std::vector<Gap> needs;             // what keeps the verdict from Met (readiness's `missing`)
    std::vector<Gap> bonus;             // bonus points still to earn beside the requirements
    std::vector<std::string> confirm;   // prerequisite codes the business confirms itself
    bool this_registry_counts = false;  // the catalogue lists this registry (or any) as accepted
};

ReminderContent reminder_for(const Programme& p, const DeclarationFacts& facts);

}  // namespace sengen::subsidy
