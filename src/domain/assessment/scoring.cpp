#include "domain/assessment/scoring.hpp"

#include <algorithm>
#include <charconv>

namespace sengen::assessment {

std::string_view band_id(Band b) {
    switch (b) {
        case Band::Complete:
            return "complete";
        case Band::Gaps:
            return "gaps";
        case Band::Inadequate:
            return "inadequate";
        case Band::Urgent:
            return "urgent";
    }
    return "urgent";
}

// Bands of IPA's 自社診断 (docs/domain.md §3.1, with its sources):
//   100         entry-level security achieved; strengthen further
//   70 to 99    some areas not yet adequate; aim for 100
//   50 to 69    measures inadequate; improve the lowest-scoring items first
//   49 or less  (including negative totals) an incident could happen at any moment; act urgently
Band band_for(int total) {
    if (total >= 100) return Band::Complete;
    if (total >= 70) return Band::Gaps;
    if (total >= 50) return Band::Inadequate;
    return Band::Urgent;
}

namespace {
std::string field_of(int n) { return "answers." + std::to_string(n); }
}  // namespace

ReadAnswers read_answers(const Edition& e, const std::vector<RawAnswer>& raw) {
    ReadAnswers out;
    std::vector<int> seen;
    for (const auto& r : raw) {
        int n = 0;
        auto [p, ec] = std::from_chars(r.key.data(), r.key.data() + r.key.size(), n);
        if (ec != std::errc{} || p != r.key.data() + r.key.size() || n < 1 ||
            n > static_cast<int>(e.questions.size())) {
            out.errors.push_back({"answers." + r.key, "unknown_question"});
            continue;
        }
        if (std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
        seen.push_back(n);
        if (r.value && r.value->empty()) continue;
        auto a = r.value ? parse_choice(*r.value) : std::nullopt;
        if (!a) {
            out.errors.push_back({field_of(n), "invalid_choice"});
            continue;
        }
        out.answers[n] = *a;
    }
    return out;
}

std::vector<FieldError> missing_answers(const Edition& e, const Answers& a, std::optional<int> part) {
    std::vector<FieldError> out;
    for (const auto& q : e.questions)
        if ((!part || q.part == *part) && !a.count(q.number)) out.push_back({field_of(q.number), "required"});
    return out;
}

std::optional<int> question_of(const FieldError& f) {
    constexpr std::string_view prefix = "answers.";
    if (f.field.rfind(prefix, 0) != 0) return std::nullopt;
    int n = 0;
    const char* b = f.field.data() + prefix.size();
    const char* end = f.field.data() + f.field.size();
    auto [p, ec] = std::from_chars(b, end, n);
    if (ec != std::errc{} || p != end) return std::nullopt;
    return n;
}

// The scoring of IPA's 「5分でできる！情報セキュリティ自社診断」 (docs/domain.md §3.1, with its
// sources): each of the 25 answers scores done 4, partly 2, not done 0, don't
// know −1; the total is their sum (−25 to 100) and falls into one of four bands (band_for). The
// guidance asks the business to look again at every "don't know" item, and to improve the
// lowest-scoring items first, which orders the action list.
Result<Scorecard> score(const Edition& e, const Answers& a) {
    auto missing = missing_answers(e, a);
    if (!missing.empty()) return fail(Error::invalid(std::move(missing), "assessment.incomplete"));

    Scorecard s;
    s.edition = e.id;
    s.max = e.max_points();
    s.min = e.min_points();
    for (const auto& p : e.parts) s.parts.push_back({p.number, 0, e.part_max(p.number)});
    for (const auto& q : e.questions) {
        const Answer ans = a.at(q.number);
        const int pts = e.points(ans);
        s.answers[q.number] = ans;
        s.score += pts;
        s.parts.at(static_cast<std::size_t>(q.part - 1)).score += pts;
        if (ans == Answer::Unknown) s.unknown_items.push_back(q.number);
        if (ans != Answer::Done) s.actions.push_back({q.number, ans, pts});
    }
    std::stable_sort(s.actions.begin(), s.actions.end(), [](const Action& x, const Action& y) {
        return x.points != y.points ? x.points < y.points : x.question < y.question;
    });
    s.band = band_for(s.score);
    return s;
}

}  // namespace sengen::assessment
