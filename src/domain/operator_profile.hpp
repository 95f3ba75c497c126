// Who runs this registry, as plain data: the operator profile (content/operator/<name>.toml,
// chosen by the setting operator-profile). Pages, mails and API answers name the operator and
// link its pages from here, so that a declarant always knows whose registry it is using.
#pragma once
#include <string>
#include <vector>

#include "domain/localized.hpp"

namespace sengen {

// Another registry whose IDs have the same shape as ours (11 digits): an ID that fails our check
// digit and starts with one of `leading_digits` is sent to that registry's lookup page.
struct OtherRegistry {
    Localized name;
    std::string lookup_url;
    std::vector<int> leading_digits;  // 1..9
};

// Whether a profile is the demonstration one shipped with sengen: its IDs mean nothing, and
// every page says so.
enum class ProfileKind { Operator, Demonstration };

// What the privacy policy (/privacy) says, item by item, for Japan's APPI (個人情報保護法).
struct PrivacyPolicy {
    std::string updated;              // YYYY-MM-DD
    LocalizedList purposes;           // 利用目的 (APPI art. 21)
    Localized sharing;                // 第三者提供 and 委託 (art. 27)
    Localized retention;              // how long what is kept
    Localized safeguards;             // 安全管理措置 (art. 23), in outline
    Localized requests;               // 開示・訂正・利用停止等の請求 (art. 32-35): how to ask
    Localized foreign_transfer = {};  // 外国にある第三者への提供 (art. 28); empty: none
};

struct OperatorProfile {
    ProfileKind kind = ProfileKind::Operator;
    Localized programme_name;  // the programme this registry runs
    Localized operator_name;   // who runs it; the API's issuer.name (Japanese)
    Localized postal_address;
    Localized representative;      // a corporation's representative (APPI art. 32); empty: not given
    std::string contact_email;     // at least one of contact_email and contact_form_url
    std::string contact_form_url;  // https://...
    std::string contact_phone;     // optional
    Localized accepted_for;        // what the ID is accepted for; empty in both languages: say nothing
    std::vector<OtherRegistry> other_registries;
    PrivacyPolicy privacy;

    bool demo() const { return kind == ProfileKind::Demonstration; }
    bool has_accepted_for() const { return !accepted_for.ja.empty(); }
    // The registry that issued an ID with this first digit, when it is not ours; nullptr otherwise.
    const OtherRegistry* other_registry_for(int leading_digit) const {
        for (const auto& r : other_registries)
            for (int d : r.leading_digits)
                if (d == leading_digit) return &r;
        return nullptr;
    }
};

}  // namespace sengen
