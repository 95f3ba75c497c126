#include "app/assessment.hpp"

#include <algorithm>

#include "app/rate_limit.hpp"

namespace sengen::app {

namespace {
void order_by_question(std::vector<FieldError>& errors) {
    std::stable_sort(errors.begin(), errors.end(), [](const FieldError& a, const FieldError& b) {
        auto qa = assessment::question_of(a).value_or(1 << 20);
        auto qb = assessment::question_of(b).value_or(1 << 20);
        return qa < qb;
    });
}

// Reads the answers; adds "required" for the unanswered questions that `needed` selects.
template <typename Needed>
PartialAnswers check(const assessment::Edition& edition, const std::vector<assessment::RawAnswer>& raw, Needed needed) {
    auto read = assessment::read_answers(edition, raw);
    PartialAnswers out{std::move(read.answers), std::move(read.errors)};
    for (auto& e : assessment::missing_answers(edition, out.answers)) {
        auto q = assessment::question_of(e);
        if (!q || !needed(edition.question(*q).part)) continue;
        // An invalid value already has its error; do not add "required" for the same question.
        bool already =
            std::any_of(out.errors.begin(), out.errors.end(), [&](const FieldError& x) { return x.field == e.field; });
        if (!already) out.errors.push_back(std::move(e));
    }
    order_by_question(out.errors);
    return out;
}

}  // namespace

PartialAnswers check_answers(const assessment::Edition& edition, const std::vector<assessment::RawAnswer>& raw,
                             std::optional<int> required_part) {
    return check(edition, raw, [&](int part) { return required_part && part == *required_part; });
}

Result<assessment::Scorecard> score_assessment(const assessment::Edition& edition,
                                               const std::vector<assessment::RawAnswer>& raw) {
    auto checked = check(edition, raw, [](int) { return true; });
    if (!checked.errors.empty()) return fail(Error::invalid(std::move(checked.errors), "assessment.invalid"));
    return assessment::score(edition, checked.answers);
}

Result<std::int64_t> SavedAssessments::save(std::int64_t account_id, const assessment::Scorecard& card) {
    // Far more than anyone answers 25 questions in an hour; it bounds what one account can write.
    static const RateRule kSavePerAccount{"assessment.save", 60, std::chrono::hours(1)};
    const auto at = clock_.now();
    if (auto ok = enforce(store_, kSavePerAccount, std::to_string(account_id), at); !ok) return fail(ok.error());
    return store_.query<std::int64_t>(TxMode::Write, [&](Transaction& tx) {
        return tx.assessments().save(account_id, card.edition, card.answers, card.score, at);
    });
}

Result<std::vector<SavedAssessment>> SavedAssessments::list(std::int64_t account_id, std::size_t limit) {
    return store_.query<std::vector<SavedAssessment>>(
        TxMode::Read, [&](Transaction& tx) { return tx.assessments().list(account_id, limit); });
}

Result<std::optional<SavedAssessment>> SavedAssessments::latest(std::int64_t account_id) {
    auto newest = list(account_id, 1);
    if (!newest) return fail(newest.error());
    if (newest->empty()) return std::optional<SavedAssessment>{};
    return std::optional<SavedAssessment>{std::move(newest->front())};
}

Result<SavedAssessments::WithPrevious> SavedAssessments::with_previous(std::int64_t account_id, std::int64_t id) {
    // How far back "the one before" is looked for: far more results than anyone keeps.
    constexpr std::size_t kSearched = 1000;
    if (id <= 0) return fail(Error::not_found("assessment.not_found"));
    auto all = list(account_id, kSearched);
    if (!all) return fail(all.error());
    auto it = std::find_if(all->begin(), all->end(), [&](const SavedAssessment& a) { return a.id == id; });
    if (it == all->end()) return fail(Error::not_found("assessment.not_found"));
    WithPrevious out{*it, std::nullopt};
    if (std::next(it) != all->end()) out.previous = *std::next(it);  // newest first: the next is older
    return out;
}

}  // namespace sengen::app
