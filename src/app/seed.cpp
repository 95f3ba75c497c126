#include "app/seed.hpp"

#include <random>
#include <vector>

#include "app/registry_context.hpp"
#include "app/tokens.hpp"
#include "domain/identifiers.hpp"
#include "domain/text.hpp"

namespace sengen::app {

namespace {

// Parts of plausible business names (not real companies).
const char* const kStems[] = {"さくら", "みどり", "あおば", "ひかり", "やまと",   "ふじ",   "こだま", "いずみ",
                              "はやて", "つばさ", "あさひ", "かえで", "すずらん", "ときわ", "なぎさ", "ほくと"};
const char* const kStemKanji[] = {"桜",   "緑", "青葉", "光", "大和", "富士", "木霊", "泉",
                                  "疾風", "翼", "旭",   "楓", "鈴蘭", "常盤", "渚",   "北斗"};
const char* const kTrades[] = {"商事", "工業",   "製作所",     "設計",     "運輸",
                               "食品", "不動産", "会計事務所", "歯科医院", "介護サービス"};
const char* const kTradeKana[] = {"ショウジ",   "コウギョウ", "セイサクショ",     "セッケイ",   "ウンユ",
                                  "ショクヒン", "フドウサン", "カイケイジムショ", "シカイイン", "カイゴサービス"};
const char* const kForms[] = {"株式会社", "有限会社", "合同会社", ""};
const char* const kFormKana[] = {"カブシキガイシャ", "ユウゲンガイシャ", "ゴウドウガイシャ", ""};

}  // namespace

Result<SeedResult> seed_declarations(Store& store, const content::RegistryContent& content, const Clock& clock,
                                     std::int64_t count, int id_leading_digit, std::uint64_t random_seed,
                                     const std::function<void(std::int64_t)>& progress, std::int64_t batch) {
    std::mt19937_64 rng(random_seed);
    auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
    SeedResult out;
    const auto start = clock.now();
    std::vector<Declaration> made;
    std::vector<TimePoint> issued_at;
    while (out.created < count) {
        const std::int64_t n = std::min(batch, count - out.created);
        made.clear();
        issued_at.clear();
        for (std::int64_t i = 0; i < n; ++i) {
            const auto k = out.created + i;
            const std::size_t s = pick(std::size(kStems)), t = pick(std::size(kTrades)), f = pick(std::size(kForms));
            Declaration& d = made.emplace_back();
            auto& a = d.details;
            a.entity_type = f == 3 ? "sole_proprietor" : "corporation";
            a.business_name = std::string(kForms[f]) + kStemKanji[s] + kTrades[t] + " " + std::to_string(k + 1);
            a.business_name_kana = std::string(kFormKana[f]) + text::hiragana_to_katakana(kStems[s]) + kTradeKana[t];
            a.postal_code = std::to_string(100 + pick(900)) + "-" + std::to_string(1000 + pick(9000));
            a.prefecture = content.prefectures[pick(content.prefectures.size())].code;
            a.address = "中央" + std::to_string(1 + pick(9)) + "-" + std::to_string(1 + pick(30));
            a.industry = content.industries[pick(content.industries.size())].code;
            a.employees = content.employees[pick(content.employees.size())].code;
            a.representative_title = "代表";
            a.representative_name = "見本 太郎";
            a.contact_name = "見本 花子";
            a.contact_email = "seed" + std::to_string(k + 1) + "@example.invalid";
            a.purposes = {content.purposes[pick(content.purposes.size())].code};
            a.lang = Lang::Ja;
            a.principles_edition = content.principles_edition;
            a.terms_version = content.current_terms().version;
            const int level = pick(5) == 0 ? 2 : 1;
            a.level = level;
            if (level == 2) {
                a.assessment_date = "2026-04-01";
                a.policy_url = "https://example.invalid/policy/" + std::to_string(k + 1);
            }
            // Applied and confirmed in the same minute, one minute apart, ending now.
            const auto at = start - std::chrono::minutes(count - k);
            d.state = {pick(50) == 0 ? lifecycle::Status::Stopped : lifecycle::Status::Declared, level};
            d.terms_version = a.terms_version;
            d.terms_agreed_at = at;
            d.created_at = at;
            d.confirm_token_hash = token_hash(random_token());
            d.confirm_expires_at = at;
            d.declared_at = at;
            d.level_since = at;
            if (d.state.status == lifecycle::Status::Stopped) d.ended_at = at;
            issued_at.push_back(at);
        }
        // Through the bulk writer that `sengen import` uses: the serials drawn as issuing draws
        // them, then the declarations as they stand once issued, a few statements per batch.
        auto ok = store.transact(TxMode::Write, [&](Transaction& tx) -> Status {
            auto serials = tx.imports().draw_serials(issued_at);
            if (!serials) return fail(serials.error());
            for (std::size_t i = 0; i < made.size(); ++i)
                made[i].public_id = DeclarationId::make(id_leading_digit, (*serials)[i]);
            if (auto inserted = tx.imports().insert_all(made, {}, std::nullopt); !inserted) return inserted;
            // Marked in the audit log too, besides the invented names and example.invalid addresses:
            // which IDs of this registry were never anyone's.
            AuditEvent e{0,
                         clock.now(),
                         "operator:cli",
                         "declarations.seeded",
                         "",
                         "",
                         json_of({{"count", std::to_string(made.size())},
                                  {"first_id", made.front().public_id->digits()},
                                  {"last_id", made.back().public_id->digits()}})};
            if (auto id = tx.audit().record(e); !id) return fail(id.error());
            return Status{};
        });
        if (!ok) return fail(ok.error());
        if (!out.first_id) out.first_id = made.front().public_id;
        out.last_id = made.back().public_id;
        out.created += n;
        if (progress) progress(out.created);
    }
    return out;
}

}  // namespace sengen::app
