// Subsidy reminders: subscriptions, the unsubscribe link, and sending each round's reminder once.
#include "app/reminders.hpp"

#include <algorithm>

#include "app/tokens.hpp"
#include "domain/error_codes.hpp"

namespace sengen::app {

namespace {

using Line = MailRequest::Line;
using subsidy::GapCode;

constexpr std::size_t kPage = 200;  // subscriptions read at a time by send_due

// A subscription is only for a declaration that has its ID: My Page shows readiness for those.
Result<Declaration> owned_with_id(Transaction& tx, std::int64_t account_id, const DeclarationId& public_id) {
    auto d = tx.declarations().find_by_public_id(public_id);
    if (!d) return fail(d.error());
    if (!*d || (*d)->account_id != account_id) return fail(Error::not_found(codes::kDeclarationNotFound));
    return **d;
}

// The names of `codes` in `lang`, joined as the language writes a list.
std::string registry_names(const subsidy::Catalogue& cat, const std::vector<std::string>& codes, Lang lang) {
    std::string out;
    for (const auto& code : codes) {
        const auto* r = cat.registry(code);
        out += (out.empty() ? "" : lang == Lang::Ja ? "、" : ", ") + (r ? r->name.in(lang) : code);
    }
    return out;
}

bool names_this_registry(const std::vector<std::string>& codes) {
    return std::any_of(codes.begin(), codes.end(),
                       [](const std::string& c) { return c == subsidy::kThisRegistry || c == subsidy::kAnyRegistry; });
}

}  // namespace

std::string Reminders::unsubscribe_url(const std::string& token) const {
    return r_.base_url() + "/subsidies/unsubscribe/" + token;
}

Result<std::vector<std::string>> Reminders::subscribed(std::int64_t account_id, const DeclarationId& public_id) {
    return r_.store().query<std::vector<std::string>>(TxMode::Read,
                                                      [&](Transaction& tx) -> Result<std::vector<std::string>> {
                                                          auto d = owned_with_id(tx, account_id, public_id);
                                                          if (!d) return fail(d.error());
                                                          return tx.subsidy_reminders().programmes_of(d->id);
                                                      });
}

Result<std::vector<Reminders::Choice>> Reminders::choices(std::int64_t account_id, const std::string& slug) {
    return r_.store().query<std::vector<Choice>>(TxMode::Read, [&](Transaction& tx) -> Result<std::vector<Choice>> {
        auto ds = tx.declarations().for_account(account_id);
        if (!ds) return fail(ds.error());
        std::vector<Choice> out;
        for (auto& d : *ds) {
            if (!d.public_id) continue;
            auto subscribed = tx.subsidy_reminders().programmes_of(d.id);
            if (!subscribed) return fail(subscribed.error());
            const bool on = std::find(subscribed->begin(), subscribed->end(), slug) != subscribed->end();
            out.push_back({std::move(d), on});
        }
        return out;
    });
}

Status Reminders::subscribe(const Caller& caller, std::int64_t account_id, const DeclarationId& public_id,
                            const std::string& slug) {
    const auto cat = catalogue_.current();
    const auto* p = cat ? cat->find(slug) : nullptr;
    if (!p) return fail(Error::not_found("subsidy.not_found"));
    const auto now = r_.clock().now();
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto d = owned_with_id(tx, account_id, public_id);
        if (!d) return fail(d.error());
        auto id = tx.subsidy_reminders().subscribe(d->id, account_id, p->slug, now);
        if (!id) return fail(id.error());
        // Rounds open now are known to the subscriber already (it is reading about them): only a
        // round that opens later is reminded of.
        for (const auto& round : subsidy::open_rounds(*p))
            if (auto ok = tx.subsidy_reminders().claim(*id, round.key, ReminderOutcome::OpenWhenSubscribed, "", now);
                !ok)
                return fail(ok.error());
        return r_.record(tx, caller.actor(), "subsidy.subscribed", *d, caller.ip, json_of({{"programme", p->slug}}));
    });
}

Status Reminders::unsubscribe(const Caller& caller, std::int64_t account_id, const DeclarationId& public_id,
                              const std::string& slug) {
    return r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto d = owned_with_id(tx, account_id, public_id);
        if (!d) return fail(d.error());
        auto ended = tx.subsidy_reminders().unsubscribe(d->id, slug);
        if (!ended) return fail(ended.error());
        if (!*ended) return {};
        return r_.record(tx, caller.actor(), "subsidy.unsubscribed", *d, caller.ip, json_of({{"programme", slug}}));
    });
}

Result<std::optional<Reminders::Subscribed>> Reminders::find_by_token(const std::string& token) {
    using Out = std::optional<Subscribed>;
    if (!plausible_token(token)) return Out();
    return r_.store().query<Out>(TxMode::Read, [&](Transaction& tx) -> Result<Out> {
        auto s = tx.subsidy_reminders().find_by_token(token_hash(token));
        if (!s) return fail(s.error());
        if (!*s) return Out();
        auto d = tx.declarations().find((*s)->declaration_id);
        if (!d) return fail(d.error());
        if (!*d) return Out();
        return Out(Subscribed{(*d)->details.business_name, (*s)->programme});
    });
}

Result<bool> Reminders::unsubscribe_by_token(const std::string& token, const std::string& ip) {
    if (!plausible_token(token)) return false;
    return r_.store().query<bool>(TxMode::Write, [&](Transaction& tx) -> Result<bool> {
        auto s = tx.subsidy_reminders().unsubscribe_by_token(token_hash(token));
        if (!s) return fail(s.error());
        if (!*s) return false;
        auto d = tx.declarations().find((*s)->declaration_id);
        if (!d) return fail(d.error());
        if (*d)
            if (auto ok = r_.record(tx, "anonymous", "subsidy.unsubscribed", **d, ip,
                                    json_of({{"programme", (*s)->programme}, {"by", "link"}}));
                !ok)
                return fail(ok.error());
        return true;
    });
}

Result<Reminders::Sent> Reminders::send_due(const subsidy::Catalogue& catalogue) {
    Sent sent;
    for (const auto& p : catalogue.programmes())
        for (const auto& round : subsidy::open_rounds(p)) {
            std::int64_t after = 0;
            while (true) {
                auto page = r_.store().query<std::vector<SubsidySubscription>>(TxMode::Read, [&](Transaction& tx) {
                    return tx.subsidy_reminders().awaiting(p.slug, round.key, after, kPage);
                });
                if (!page) return fail(page.error());
                for (const auto& s : *page)
                    if (auto one = send_one(catalogue, p, round, s, sent); !one) return fail(one.error());
                if (page->size() < kPage) break;
                after = page->back().id;
            }
        }
    return sent;
}

Result<Reminders::Claim> Reminders::send_one(const subsidy::Catalogue& catalogue, const subsidy::Programme& p,
                                             const subsidy::OpenRound& round, const SubsidySubscription& s,
                                             Sent& sent) {
    const auto now = r_.clock().now();
    ReminderOutcome outcome = ReminderOutcome::Queued;
    // Another node claimed the reminder first: this transaction rolls back, with its mail-limit hits.
    const Error taken = Error::conflict("subsidy_reminder.claimed");
    auto st = r_.store().transact(TxMode::Write, [&](Transaction& tx) -> Status {
        auto& reminders = tx.subsidy_reminders();
        auto d = tx.declarations().find(s.declaration_id);
        if (!d) return fail(d.error());
        auto claim = [&](ReminderOutcome o, const std::string& hash) -> Status {
            outcome = o;
            auto mine = reminders.claim(s.id, round.key, o, hash, now);
            if (!mine) return fail(mine.error());
            if (!*mine) return fail(taken);
            return {};
        };
        // The reminder goes to whoever holds the declaration now, only if that is who subscribed.
        if (!*d || (*d)->account_id != s.account_id) return claim(ReminderOutcome::NotOwner, "");
        const auto& to = (*d)->details.contact_email;
        if (auto ok = r_.limit_mail_in(tx, to, (*d)->id, now); !ok) {
            if (ok.error().kind != Error::Kind::TooMany) return ok;
            return claim(ReminderOutcome::Limited, "");
        }
        const std::string token = random_token();
        if (auto ok = claim(ReminderOutcome::Queued, token_hash(token)); !ok) return ok;
        return r_.mail().queue(tx, reminder_mail(catalogue, p, round, **d, token));
    });
    if (!st) {
        if (st.error().code == taken.code) return Claim::Taken;
        return fail(st.error());
    }
    switch (outcome) {
        case ReminderOutcome::Queued:
            ++sent.queued;
            break;
        case ReminderOutcome::Limited:
            ++sent.limited;
            break;
        case ReminderOutcome::NotOwner:
            ++sent.not_owner;
            break;
        case ReminderOutcome::OpenWhenSubscribed:
            break;
    }
    return Claim::Mine;
}

MailRequest Reminders::reminder_mail(const subsidy::Catalogue& catalogue, const subsidy::Programme& p,
                                     const subsidy::OpenRound& round, const Declaration& d,
                                     const std::string& token) const {
    const Lang lang = d.details.lang;
    const auto& content = r_.content();
    auto level_text = [&](int level) {
        if (level < 1 || level > content.max_level()) return std::to_string(level);
        return content.level(level).stars + " " + content.level(level).name.in(lang);
    };
    // One line per gap; every line about another registry names it and says this registry's ID
    // does not count there (the mail never suggests otherwise).
    auto gap_line = [&](const subsidy::Gap& g) -> Line {
        switch (g.code) {
            case GapCode::NeedsDeclaration:
                if (names_this_registry(g.registries))
                    return {"mail.round_reminder.need_declaration_here", {{"level", level_text(g.level)}}};
                return {
                    "mail.round_reminder.need_declaration",
                    {{"level", level_text(g.level)}, {"registries", registry_names(catalogue, g.registries, lang)}}};
            case GapCode::NeedsLevel:
                return {"mail.round_reminder.need_level", {{"level", level_text(g.level)}}};
            case GapCode::RegistryNotAccepted:
                return {"mail.round_reminder.need_registry",
                        {{"registries", registry_names(catalogue, g.registries, lang)}}};
            case GapCode::DeclarationStopped:
                return {"mail.round_reminder.need_stopped"};
            case GapCode::DeclarationRevoked:
                return {"mail.round_reminder.need_revoked"};
        }
        return {"mail.round_reminder.need_revoked"};
    };

    const auto what = subsidy::reminder_for(p, subsidy::facts_of(d.state));
    std::vector<Line> details;
    for (const auto& g : what.needs) details.push_back(gap_line(g));
    if (what.needs.empty()) details.push_back({"mail.round_reminder.need_nothing"});
    if (!what.bonus.empty()) {
        details.push_back({""});
        details.push_back({"mail.round_reminder.bonus_heading"});
        for (const auto& g : what.bonus) details.push_back(gap_line(g));
    }
    if (!what.confirm.empty()) {
        std::string names;
        for (const auto& code : what.confirm) {
            const auto* pr = catalogue.prerequisite(code);
            names += (names.empty() ? "" : lang == Lang::Ja ? "、" : ", ") + (pr ? pr->name.in(lang) : code);
        }
        details.push_back({""});
        details.push_back({"mail.round_reminder.confirm", {{"prerequisites", names}}});
    }

    Line round_line;
    switch (round.kind) {
        case subsidy::OpenRound::Kind::Round:
            round_line = {"mail.round_reminder.round_named", {{"round", round.round->name.in(lang)}}};
            break;
        case subsidy::OpenRound::Kind::Year:
            round_line = {"mail.round_reminder.round_year", {{"year", std::to_string(round.year)}}};
            break;
        case subsidy::OpenRound::Kind::Open:
            round_line = {"mail.round_reminder.round_open"};
            break;
    }

    const std::string id = d.public_id ? d.public_id->digits() : std::string();
    MailRequest m;
    m.template_id = "mail.round_reminder";
    m.lang = lang;
    m.to = d.details.contact_email;
    m.values = {{"business_name", d.details.business_name},
                {"contact_name", d.details.contact_name},
                {"id", id},
                {"programme_name", p.name.in(lang)},
                {"programme_url", r_.base_url() + "/subsidies/" + p.slug},
                {"readiness_url", r_.base_url() + "/mypage/declarations/" + id + "/subsidies"},
                {"unsubscribe_url", unsubscribe_url(token)}};
    m.lines = {{"round", {round_line}}, {"details", std::move(details)}};
    m.unsubscribe_url = unsubscribe_url(token);
    return m;
}

}  // namespace sengen::app
