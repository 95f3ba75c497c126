// Bulk verification and public histories (see verifications.hpp).
#include "app/verifications.hpp"

#include <algorithm>
#include <unordered_map>

#include "app/tokens.hpp"
#include "app/verifier_keys.hpp"
#include "domain/error_codes.hpp"
#include "domain/rate_window.hpp"
#include "domain/text.hpp"

namespace sengen::app {

std::string_view error_code(ItemError e) {
    switch (e) {
        case ItemError::None:
            return "";
        case ItemError::Malformed:
            return codes::kIdMalformed;
        case ItemError::CheckDigit:
            return codes::kIdCheckDigit;
        case ItemError::OtherRegistry:
            return codes::kIdOtherRegistry;
    }
    return "";
}

namespace {

constexpr std::chrono::seconds kKeyWindow{60};

// What the call authorises: decided in the write transaction that also counts and records it, so
// that a refused count still commits.
enum class Admission { Admitted, Unknown, Revoked, OverLimit };

// The corporate number as digits (full-width and hyphens accepted); "" when it is not 13 digits.
std::string corporate_digits(std::string_view typed) {
    auto d = text::digits_only(text::trim_wide(typed));
    return d && d->size() == 13 ? *d : std::string();
}

}  // namespace

Result<Verified> Verifications::verify(std::string_view bearer_key, std::span<const VerificationItem> items,
                                       std::optional<dates::CivilDate> at, const Caller& caller) {
    (void)caller;
    if (bearer_key.empty()) return fail(Error::forbidden("verifier_key.missing"));
    if (!plausible_verifier_key(bearer_key)) return fail(Error::forbidden("verifier_key.unknown"));
    if (items.size() > kMaxItems) return fail(Error::invalid({{"ids", "too_many_items"}}, "verification.too_many_ids"));
    const std::string key_hash = token_hash(bearer_key);
    return run([&](Transaction& tx) { return tx.verifier_keys().find_by_hash(key_hash); }, items, at, items.size());
}

Result<Verified> Verifications::verify_for_key(std::int64_t key_id, std::span<const VerificationItem> items,
                                               std::size_t max_items, std::size_t rows) {
    if (items.size() > max_items) return fail(Error::invalid({{"ids", "too_many_items"}}, "verification.too_many_ids"));
    return run([&](Transaction& tx) { return tx.verifier_keys().find(key_id); }, items, std::nullopt,
               std::max(rows, items.size()));
}

Result<Verified> Verifications::run(const std::function<Result<std::optional<VerifierKey>>(Transaction&)>& find_key,
                                    std::span<const VerificationItem> items, std::optional<dates::CivilDate> at,
                                    std::size_t charged) {
    // Parse every item once; the call's record lists the IDs as read.
    std::vector<DeclarationId::Parsed> parsed;
    parsed.reserve(items.size());
    std::string ids;
    ids.reserve(items.size() * 12);
    for (const auto& item : items) {
        parsed.push_back(DeclarationId::parse(item.typed_id));
        if (!ids.empty() || &item != &items.front()) ids += ',';
        if (parsed.back().id) ids += parsed.back().id->digits();
    }

    const auto now = r_.clock().now();
    const auto secs = unix_seconds(now);
    const auto window = from_unix_seconds(rate_window::start(secs, kKeyWindow.count()));
    auto admitted = r_.store().query<Admission>(TxMode::Write, [&](Transaction& tx) -> Result<Admission> {
        auto key = find_key(tx);
        if (!key) return fail(key.error());
        if (!*key) return Admission::Unknown;
        if ((*key)->revoked_at) return Admission::Revoked;
        // IDs are counted over a sliding minute (domain/rate_window.hpp), as every other limit is.
        const auto counter = "verifier_key:" + std::to_string((*key)->id);
        const auto counted = tx.verifications().count(counter, window, window + kKeyWindow + kKeyWindow,
                                                      static_cast<std::int64_t>(std::max<std::size_t>(1, charged)));
        if (!counted) return fail(counted.error());
        if (*counted > (*key)->ids_per_minute) return Admission::OverLimit;
        const auto before = tx.rate_limits().count(counter, window - kKeyWindow);
        if (!before) return fail(before.error());
        if (rate_window::sliding_count(*counted, *before, secs, kKeyWindow.count()) > (*key)->ids_per_minute)
            return Admission::OverLimit;
        VerificationCall call{(*key)->id, now, at ? dates::iso_date(*at) : std::string(),
                              static_cast<int>(items.size()), std::move(ids)};
        if (auto ok = tx.verifications().record_call(call); !ok) return fail(ok.error());
        return Admission::Admitted;
    });
    if (!admitted) return fail(admitted.error());
    switch (*admitted) {
        case Admission::Unknown:
            return fail(Error::forbidden("verifier_key.unknown"));
        case Admission::Revoked:
            return fail(Error::forbidden("verifier_key.revoked"));
        case Admission::OverLimit:
            return fail(Error::too_many("rate.verifier_key"));
        case Admission::Admitted:
            break;
    }

    std::vector<const DeclarationId*> wanted;
    wanted.reserve(parsed.size());
    for (const auto& p : parsed)
        if (p.id) wanted.push_back(&*p.id);
    Verified answer;
    auto& found = answer.found;
    std::unordered_map<std::int64_t, std::vector<history::Recorded>> recorded;
    auto st = r_.store().transact(TxMode::ReadMany, [&](Transaction& tx) -> Status {
        auto rows = tx.verifications().find_many(wanted);
        if (!rows) return fail(rows.error());
        found = std::move(*rows);
        const bool dated =
            at || std::any_of(items.begin(), items.end(), [](const auto& i) { return i.at.has_value(); });
        if (!dated || found.empty()) return {};
        std::vector<std::int64_t> internal;
        internal.reserve(found.size());
        for (const auto& f : found) {
            internal.push_back(f.id);
            // An imported declaration's start, as its row keeps it, before what the log recorded.
            if (f.imported) recorded[f.id] = history::imported_events(f.view.declared_at, *f.imported);
        }
        return tx.verifications().events_of(
            internal, [&](std::int64_t id, const history::Recorded& e) { recorded[id].push_back(e); });
    });
    if (!st) return fail(st.error());

    std::unordered_map<std::string_view, std::size_t> by_id;
    by_id.reserve(found.size());
    for (std::size_t i = 0; i < found.size(); ++i) by_id.emplace(found[i].view.public_id.digits(), i);
    const int own_digit = r_.settings().id_leading_digit;
    const auto& profile = r_.content().operator_profile;

    auto& out = answer.results;
    out.resize(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
        auto& res = out[i];
        const auto& p = parsed[i];
        if (!p.id) {
            res.id = items[i].typed_id;
            if (p.failure == DeclarationId::ParseFailure::CheckDigit && p.leading_digit != own_digit &&
                profile.other_registry_for(p.leading_digit))
                res.error = ItemError::OtherRegistry;
            else
                res.error =
                    p.failure == DeclarationId::ParseFailure::CheckDigit ? ItemError::CheckDigit : ItemError::Malformed;
            continue;
        }
        res.id = p.id->digits();
        auto hit = by_id.find(res.id);
        if (hit == by_id.end()) continue;
        const auto& f = found[hit->second];
        res.found = hit->second;
        if (items[i].corporate_number) {
            const auto typed = corporate_digits(*items[i].corporate_number);
            res.corporate_number_matches = !typed.empty() && typed == f.corporate_number;
        }
        if (const auto day = items[i].at ? items[i].at : at) {
            const auto instant = history::end_of_japan_day(*day);
            auto rec = recorded.find(f.id);
            const auto events = rec == recorded.end() ? history::implied_events(f.view)
                                                      : history::completed(history::public_events(rec->second), f.view);
            res.state_at = history::state_at(events, instant);
        }
    }
    return answer;
}

Result<std::vector<history::PublicEvent>> Verifications::events_for(const PublicDeclaration& d) {
    auto rec = r_.store().query<std::vector<history::Recorded>>(
        TxMode::Single, [&](Transaction& tx) { return tx.verifications().events_of_public(d.public_id); });
    if (!rec) return fail(rec.error());
    return history::completed(history::public_events(*rec), d);
}

Result<Verifications::History> Verifications::history(const DeclarationId& id) {
    auto d = r_.store().query<std::optional<PublicDeclaration>>(
        TxMode::Single, [&](Transaction& tx) { return tx.declarations().find_public(id); });
    if (!d) return fail(d.error());
    if (!*d) return fail(Error::not_found(codes::kDeclarationNotFound));
    auto events = events_for(**d);
    if (!events) return fail(events.error());
    return History{std::move(**d), std::move(*events)};
}

}  // namespace sengen::app
